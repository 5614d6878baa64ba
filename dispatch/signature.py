"""The signature check dispatch calls before anything leaves the office.

Today: a document of a kind that must be signed (settings.DISPATCH_SIGNED_KINDS) needs a recorded signing step
(metryka action "signed") on its current version. Signature *verification* (XAdES/PAdES validation reports) is a
later piece of work: it replaces `signature_problem` through settings.DISPATCH_SIGNATURE_CHECK (a dotted path to a
function with the same signature) without touching the dispatch code."""

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from registry.models import Action, HistoryEntry


def requires_signature(document) -> bool:
    return document.kind in settings.DISPATCH_SIGNED_KINDS


def recorded_signature_problem(document) -> str | None:
    """None when the document may leave; otherwise the reason, in Polish, for the clerk."""
    if not requires_signature(document):
        return None
    version = document.current_version
    signed = HistoryEntry.objects.filter(document=document, action=Action.SIGNED)
    if version is not None:
        signed = signed.filter(document_version=version)
    if not signed.exists():
        return _("“%(title)s” must be signed before it is sent, and its current version has not been signed.") % {
            "title": document.title
        }
    return None


def signature_problem(document) -> str | None:
    check = getattr(settings, "DISPATCH_SIGNATURE_CHECK", "")
    return import_string(check)(document) if check else recorded_signature_problem(document)
