"""Background work of the archive (Celery; ids only, idempotent)."""

from celery import shared_task

from archive.services.retention import bulk_recompute
from organisation.models import User


@shared_task(acks_late=True)
def recompute_retention(actor_id: int) -> dict:
    """After the archive policy changed: every closed case again. Only changed rows are written, so a retry or a
    second run after a crash adds nothing twice."""
    return bulk_recompute(actor=User.objects.get(pk=actor_id))


@shared_task(acks_late=True)
def destroy_disposal(disposal_id: int, actor_id: int, chunk: int = 50) -> int:
    """Destroy the consented contents of a disposal list chunk by chunk. A crashed or repeated run resumes where
    the last committed item left off (see `archive.services.disposal.destroy_chunk`)."""
    from archive.models import DisposalList
    from archive.services.disposal import destroy_chunk

    disposal = DisposalList.objects.get(pk=disposal_id)
    actor = User.objects.get(pk=actor_id)
    total = 0
    while done := destroy_chunk(actor=actor, disposal=disposal, size=chunk):
        total += done
    return total


@shared_task(acks_late=True)
def build_package(package_id: int) -> str:
    """Write, read back and validate an archival package. A worker killed midway leaves it `building`; the
    redelivered task writes the file again from the start (see `archive.services.packages.build`)."""
    from archive.package_models import ArchivalPackage
    from archive.services.packages import build

    return build(ArchivalPackage.objects.get(pk=package_id)).status
