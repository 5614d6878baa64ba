import logging
from functools import partial

from django.db import transaction
from django.dispatch import receiver

from registry.signals import document_version_added

logger = logging.getLogger(__name__)


def _publish(version_id):
    from signatures.tasks import verify_version

    try:
        verify_version.delay(version_id)
    except Exception:  # broker down: the gates compute the check on demand (services.check_for)
        logger.exception("could not queue signature verification of version %s", version_id)


@receiver(document_version_added, dispatch_uid="signatures.verify_version")
def queue_verification(sender, version, **kwargs):
    transaction.on_commit(partial(_publish, version.pk), robust=True)
