"""Celery tasks of the organisation: ids only, re-read the row, idempotent."""

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _


@shared_task(name="organisation.notify_substitution")
def notify_substitution(substitution_id: int, event: str) -> int:
    """Tell the head (and the substitute) that a substitution was named, or everyone concerned that it was
    revoked – through the workflow's notifications, so each person's choice (now / daily digest / off) holds.
    Returns the number of e-mails sent now."""
    from organisation.models import Substitution
    from organisation.services import NAMED, REVOKED, heads_of
    from workflow.notifications import deliver

    flag = {NAMED: "announced_at", REVOKED: "revocation_announced_at"}[event]
    with transaction.atomic():
        # Claim the announcement first: a retried or duplicated task finds it taken and sends nothing.
        claimed = Substitution.objects.filter(pk=substitution_id, **{f"{flag}__isnull": True}).update(
            **{flag: timezone.now()})
        substitution = (Substitution.objects.filter(pk=substitution_id)
                        .select_related("principal", "substitute", "revoked_by").first())
        if not claimed or substitution is None:
            return 0
        if event == NAMED and substitution.revoked_at is not None:
            return 0  # revoked before we got to it: the revocation mail says what matters
        heads = heads_of(substitution.principal)
        if event == NAMED:
            recipients = [*heads, substitution.substitute]
        else:
            recipients = [substitution.principal, substitution.substitute, *heads]
        with translation.override(settings.LANGUAGE_CODE):
            subject, body = _compose(substitution, event)
        seen, sent = set(), 0
        for user in recipients:
            if user.pk in seen or (event == REVOKED and user.pk == substitution.revoked_by_id):
                continue
            seen.add(user.pk)
            sent += deliver(user, subject, body)
    return sent


def _compose(substitution, event) -> tuple[str, str]:
    from organisation.services import NAMED

    values = {
        "principal": substitution.principal, "substitute": substitution.substitute,
        "start": date_format(substitution.starts_on, "j E Y"), "end": date_format(substitution.ends_on, "j E Y"),
    }
    if event == NAMED:
        subject = _("Substitution: %(substitute)s for %(principal)s") % values
        lines = [_("%(principal)s named %(substitute)s as their substitute from %(start)s to %(end)s.") % values]
        if substitution.reason:
            lines.append(_("Reason: %(reason)s") % {"reason": substitution.reason})
        lines.append(_("The head of the unit may revoke it on the substitutions page:"))
    else:
        subject = _("Substitution revoked: %(substitute)s for %(principal)s") % values
        lines = [_("%(who)s revoked the substitution of %(principal)s by %(substitute)s (%(start)s – %(end)s).")
                 % {**values, "who": substitution.revoked_by or "—"}]
        if substitution.revoke_reason:
            lines.append(_("Reason: %(reason)s") % {"reason": substitution.revoke_reason})
    lines += ["", settings.SITE_URL.rstrip("/") + reverse("organisation:substitutions")]
    return subject[:250], "\n".join(lines)
