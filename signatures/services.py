"""Writes of signature verifications. Verifying reads the stored file; the result replaces any earlier one."""

from signatures.models import SignatureCheck
from signatures.verify import looks_signable, verify_bytes


def verify_version(version) -> SignatureCheck:
    with version.file.open("rb") as fh:
        head = fh.read(1024)
        # A scan or a DOCX is never read whole: only PDF and XML can carry the signatures verified here.
        result = verify_bytes(head + fh.read() if looks_signable(head) else head)
    check, _created = SignatureCheck.objects.update_or_create(
        version=version,
        defaults={
            "status": result.status, "format": result.format, "signer": result.signer[:300],
            "issuer": result.issuer[:300], "signed_at": result.signed_at, "reason": result.reason[:500],
            "details": result.signatures,
        },
    )
    return check


def check_for(version) -> SignatureCheck:
    """The stored result, or one computed now when the Celery task has not run yet (a gate never waits for it)."""
    check = SignatureCheck.objects.filter(version=version).first()
    return check or verify_version(version)
