"""Reads of archived confidential files are recorded in the metryka (who saw what, and when)."""

from django.utils.translation import gettext as _

from registry.models import Action
from registry.services.history import record


def note_read(user, case, *, what="") -> None:
    """Record that `user` read the archived confidential `case` (or one of its documents: `what`)."""
    if not case.confidential or not user.is_authenticated:
        return
    from archive.models import CaseCustody

    if not CaseCustody.objects.filter(case_id=case.pk).exists():
        return
    record(
        user, Action.ARCHIVE_READ,
        _("Archived confidential file read%(what)s.") % {"what": f": {what}" if what else ""},
        case=case,
    )
