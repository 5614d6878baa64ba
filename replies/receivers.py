import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from registry.signals import delivery_registered

logger = logging.getLogger(__name__)


def _publish(delivery_id):
    from replies.tasks import propose_cases

    try:
        propose_cases.delay(delivery_id)
    except Exception:  # broker down: the delivery is registered anyway and handled without a proposal
        logger.exception("could not queue case proposals for delivery %s", delivery_id)


@receiver(delivery_registered, dispatch_uid="replies.propose_cases")
def queue_proposals(sender, delivery, **kwargs):
    # After commit: the matching reads the delivery's documents, registered in the same transaction.
    transaction.on_commit(partial(_publish, delivery.pk), robust=True)


@receiver(post_save, sender="registry.DocumentVersion", dispatch_uid="replies.propose_after_text")
def propose_after_text(sender, instance, update_fields=None, **kwargs):
    """A scan's text arrives later (OCR in search's extraction task): look for quoted case signs again then."""
    if not update_fields or "text" not in update_fields or not instance.text:
        return
    delivery_id = (
        sender.objects.filter(pk=instance.pk, document__delivery__case__isnull=True)
        .values_list("document__delivery_id", flat=True).first()
    )
    if delivery_id:
        transaction.on_commit(partial(_publish, delivery_id), robust=True)
