from celery import shared_task

from registry.models import DocumentVersion
from signatures import services


@shared_task(name="signatures.verify_version")
def verify_version(version_id: int) -> str | None:
    """Idempotent: verifying the same version again gives the same result and overwrites the row."""
    version = DocumentVersion.objects.filter(pk=version_id).first()
    if version is None:
        return None
    return services.verify_version(version).status
