"""Substitutions (zastępstwa) named by the people themselves: who is told, who may revoke, what is refused.

A user names their own substitute for a date range; the head of their unit (for a head: the head of the parent
unit) is told by e-mail and may revoke it. Nothing is deleted: a revoked substitution keeps who revoked it,
when and why. Overlapping, past and self substitutions are refused with the reason next to the field."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from organisation.models import Membership, OrgUnit, Role, Substitution, User

NAMED, REVOKED = "named", "revoked"


def _d(day: dt.date) -> str:
    return date_format(day, "j E Y")


def heads_of(user) -> list[User]:
    """The heads who oversee `user`: of every unit they work in, and for a unit they head, of its parent unit."""
    units = set()
    for unit_id, parent_id, role in Membership.objects.filter(user=user).values_list(
        "unit_id", "unit__parent_id", "role"
    ):
        if role == Role.HEAD:
            if parent_id:
                units.add(parent_id)
        else:
            units.add(unit_id)
    if not units:
        return []
    return list(
        User.objects.filter(is_active=True, memberships__unit_id__in=units, memberships__role=Role.HEAD)
        .exclude(pk=user.pk).distinct().order_by("last_name", "first_name")
    )


def people_overseen_by(head) -> Q:
    """A filter over users: those whose substitutions `head` is told about and may revoke."""
    headed = list(Membership.objects.filter(user=head, role=Role.HEAD).values_list("unit_id", flat=True))
    if not headed:
        return Q(pk__in=[])
    children = list(OrgUnit.objects.filter(parent_id__in=headed).values_list("pk", flat=True))
    staff = Q(memberships__unit_id__in=headed) & ~Q(memberships__role=Role.HEAD)
    sub_heads = Q(memberships__unit_id__in=children, memberships__role=Role.HEAD)
    return (staff | sub_heads) & ~Q(pk=head.pk)


def may_revoke(user, substitution: Substitution) -> bool:
    if user.is_superuser or substitution.principal_id == user.pk:
        return True
    return any(head.pk == user.pk for head in heads_of(substitution.principal))


def name_substitute(
    *, principal, substitute, starts_on: dt.date, ends_on: dt.date, reason: str = "", today: dt.date | None = None
) -> Substitution:
    """`principal` names `substitute` for `starts_on`–`ends_on` (both included). The same request sent twice gives
    the first substitution back. Raises ValidationError (by field) for a past, reversed, overlapping or self one."""
    today = today or timezone.localdate()
    errors = {}
    if substitute is None:
        errors["substitute"] = _("Choose your substitute.")
    elif substitute.pk == principal.pk:
        errors["substitute"] = _("You cannot be your own substitute.")
    elif not substitute.is_active:
        errors["substitute"] = _("This person can no longer log in; choose someone else.")
    if starts_on is None:
        errors["starts_on"] = _("Enter the first day of the substitution.")
    elif starts_on < today:
        errors["starts_on"] = _("A substitution cannot start in the past (today is %(today)s).") % {"today": _d(today)}
    if ends_on is None:
        errors["ends_on"] = _("Enter the last day of the substitution.")
    elif starts_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The last day cannot be before the first one.")
    if errors:
        raise ValidationError(errors)
    reason = (reason or "").strip()[:200]
    with transaction.atomic():
        # One person's substitutions are checked and written one request at a time (no overlapping pair slips in).
        User.objects.select_for_update().filter(pk=principal.pk).first()
        in_force = Substitution.objects.in_force().filter(principal=principal)
        same = in_force.filter(substitute=substitute, starts_on=starts_on, ends_on=ends_on).first()
        if same is not None:
            return same
        clash = in_force.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).select_related("substitute").first()
        if clash is not None:
            raise ValidationError({"starts_on": _(
                "From %(start)s to %(end)s %(name)s already stands in for you; the dates overlap. Choose other "
                "dates, or revoke that substitution first."
            ) % {"start": _d(clash.starts_on), "end": _d(clash.ends_on), "name": clash.substitute}})
        substitution = Substitution.objects.create(
            principal=principal, substitute=substitute, starts_on=starts_on, ends_on=ends_on, reason=reason,
            created_by=principal,
        )
        _announce(substitution, NAMED)
    return substitution


def revoke(substitution: Substitution, *, actor, reason: str = "", today: dt.date | None = None) -> Substitution:
    today = today or timezone.localdate()
    with transaction.atomic():
        substitution = Substitution.objects.select_for_update().select_related("principal").get(pk=substitution.pk)
        if not may_revoke(actor, substitution):
            raise PermissionDenied(_("Only the person substituted and their head may revoke a substitution."))
        if substitution.revoked_at is not None:
            return substitution  # already revoked: a second click changes nothing
        if substitution.ends_on < today:
            raise ValidationError(_("This substitution has already ended; it stays on record as it was."))
        substitution.revoked_at = timezone.now()
        substitution.revoked_by = actor
        substitution.revoke_reason = (reason or "").strip()[:200]
        substitution.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
        _announce(substitution, REVOKED)
    return substitution


def _announce(substitution: Substitution, event: str) -> None:
    from organisation.tasks import notify_substitution

    notify_substitution.delay_on_commit(substitution.pk, event)
