import logging
from functools import partial

from django.db import transaction
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
