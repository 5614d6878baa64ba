"""`signature_problem(outgoing_or_document)`: the one check dispatch calls before anything leaves the office
(wired through settings.DISPATCH_SIGNATURE_CHECK, see dispatch/signature.py)."""

from django.utils.translation import gettext as _

from signatures.models import SignatureCheck, Status
from signatures.services import check_for


def route_requires_verified_signature(document) -> bool:
    """True when the document's latest approval run has a signature stage that requires a verified signature."""
    from workflow.models import ApprovalProcess

    process = ApprovalProcess.objects.filter(document=document).order_by("-pk").only("route").first()
    if process is None:
        return False
    return any(
        stage.get("kind") == "signature" and stage.get("verified_signature")
        for stage in process.route.get("stages", [])
    )


def describe(check: SignatureCheck) -> str:
    return check.reason or check.get_status_display()


def verified_signature_problem(version, *, title) -> str | None:
    if version is None:
        return _("“%(title)s” has no file to sign.") % {"title": title}
    check = check_for(version)
    if check.status == Status.VALID:
        return None
    return _("“%(title)s” (version %(number)s) has no valid electronic signature: %(reason)s") % {
        "title": title, "number": version.number, "reason": describe(check),
    }


def signature_problem(obj) -> str | None:
    """None when the document may leave; otherwise the reason, in Polish. Accepts a Document or anything with a
    `document` (an outgoing item, a shipment)."""
    from dispatch.signature import recorded_signature_problem

    document = getattr(obj, "document", None) or obj
    version = document.current_version
    if route_requires_verified_signature(document):
        return verified_signature_problem(version, title=document.title)
    # A broken signature never leaves, whatever the route says.
    if version is not None:
        broken = SignatureCheck.objects.filter(version=version, status=Status.INVALID).first()
        if broken is not None:
            return _("“%(title)s” carries a broken electronic signature: %(reason)s") % {
                "title": document.title, "reason": describe(broken),
            }
    return recorded_signature_problem(document)
