"""Background work of the archive (Celery; ids only, idempotent)."""

from celery import shared_task

from archive.services.retention import bulk_recompute
from organisation.models import User


@shared_task(acks_late=True)
def recompute_retention(actor_id: int) -> dict:
    """After the archive policy changed: every closed case again. Only changed rows are written, so a retry or a
    second run after a crash adds nothing twice."""
    return bulk_recompute(actor=User.objects.get(pk=actor_id))
