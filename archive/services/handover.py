"""Transfer to the office archive: a unit prepares a spis zdawczo-odbiorczy per JRWA class, year and category group,
submits it; the archivist checks it and accepts (custody moves, the list gets its accession number) or returns it
with remarks. Every step is written into the metryka of each case on the list, in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.models import (
    CaseCustody,
    CaseRetention,
    CategoryGroup,
    HandoverItem,
    HandoverList,
    HandoverStatus,
    RetentionKind,
)
from archive.permissions import is_archivist
from registry.access import scope_for
from registry.models import Action, Case, CaseStatus
from registry.services.history import record

OPEN_STATUSES = (HandoverStatus.DRAFT, HandoverStatus.SUBMITTED, HandoverStatus.RETURNED)


def group_of(kind: str) -> str:
    return CategoryGroup.A if kind == RetentionKind.A else CategoryGroup.B


def kinds_of(group: str) -> list[str]:
    if group == CategoryGroup.A:
        return [RetentionKind.A]
    return [RetentionKind.B, RetentionKind.BE, RetentionKind.BC]


def may_prepare(user, unit) -> bool:
    """The staff of the unit (heads and case workers) prepare its lists."""
    return user.is_superuser or unit.pk in scope_for(user).unit_ids


def candidate_cases(unit, jrwa_class, year, group, today=None):
    """Closed cases of the file (unit, class, year) in the group, due for the office archive, not yet held by the
    archive and not on another list in progress."""
    today = today or timezone.localdate()
    return (
        Case.objects.filter(
            unit=unit, jrwa_class=jrwa_class, year=year, status=CaseStatus.CLOSED,
            retention__kind__in=kinds_of(group), retention__office_archive_from__lte=today, custody__isnull=True,
        )
        .exclude(handover_items__handover__status__in=OPEN_STATUSES)
        .annotate(documents_total=Count("documents", distinct=True))
        .order_by("number")
    )


def prepare(*, actor, unit, jrwa_class, year, group, today=None) -> HandoverList:
    """Create the list of a file with every case due; a second submission returns the list already in progress."""
    if not may_prepare(actor, unit):
        raise PermissionDenied(_("Only the staff of the unit prepare its handover lists."))
    if group not in CategoryGroup.values:
        raise ValidationError(_("Choose category A or B."))
    existing = HandoverList.objects.filter(
        unit=unit, jrwa_class=jrwa_class, year=year, group=group, status__in=OPEN_STATUSES
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            handover = HandoverList.objects.create(
                unit=unit, jrwa_class=jrwa_class, year=year, group=group, prepared_by=actor
            )
            if not _fill(handover, actor=actor, today=today):
                raise ValidationError(
                    _("No closed case of %(unit)s.%(symbol)s.%(year)s is due for the office archive.")
                    % {"unit": unit.symbol, "symbol": jrwa_class.symbol, "year": year}
                )
    except IntegrityError:
        # A concurrent double click created it first.
        return HandoverList.objects.get(
            unit=unit, jrwa_class=jrwa_class, year=year, group=group, status__in=OPEN_STATUSES
        )
    return handover


def _fill(handover, *, actor, today=None) -> int:
    cases = list(candidate_cases(handover.unit, handover.jrwa_class, handover.year, handover.group, today))
    start = handover.items.aggregate(last=Max("position"))["last"] or 0
    HandoverItem.objects.bulk_create(
        HandoverItem(handover=handover, case=case, position=start + i, documents_count=case.documents_total)
        for i, case in enumerate(cases, start=1)
    )
    for case in cases:
        record(
            actor, Action.HANDOVER_LISTED,
            _("Put on the handover list of file %(file)s (%(group)s).")
            % {"file": handover.file_sign, "group": handover.get_group_display()},
            case=case, data={"handover": handover.pk},
        )
    return len(cases)


def _locked(handover) -> HandoverList:
    return HandoverList.objects.select_for_update().select_related("unit", "jrwa_class").get(pk=handover.pk)


def refresh(*, actor, handover, today=None) -> HandoverList:
    """Drop cases that no longer belong (reopened, requalified) and add those that became due, while the unit still
    holds the list."""
    with transaction.atomic():
        handover = _locked(handover)
        if not may_prepare(actor, handover.unit):
            raise PermissionDenied
        if handover.status not in (HandoverStatus.DRAFT, HandoverStatus.RETURNED):
            raise ValidationError(_("Only a list being prepared or returned can be changed."))
        kinds = kinds_of(handover.group)
        stale = handover.items.exclude(case__status=CaseStatus.CLOSED) | handover.items.exclude(
            case__retention__kind__in=kinds
        )
        stale.delete()
        for position, item in enumerate(handover.items.order_by("position"), start=1):
            if item.position != position:
                HandoverItem.objects.filter(pk=item.pk).update(position=position)
        counts = dict(
            Case.objects.filter(handover_items__handover=handover).annotate(n=Count("documents", distinct=True))
            .values_list("pk", "n")
        )
        for item in handover.items.all():
            if item.documents_count != counts.get(item.case_id, 0):
                HandoverItem.objects.filter(pk=item.pk).update(documents_count=counts.get(item.case_id, 0))
        _fill(handover, actor=actor, today=today)
    return handover


def submit(*, actor, handover) -> HandoverList:
    with transaction.atomic():
        handover = _locked(handover)
        if not may_prepare(actor, handover.unit):
            raise PermissionDenied
        if handover.status == HandoverStatus.SUBMITTED:
            return handover
        if handover.status not in (HandoverStatus.DRAFT, HandoverStatus.RETURNED):
            raise ValidationError(_("This list has already been accepted."))
        if not handover.items.exists():
            raise ValidationError(_("The list is empty."))
        handover.status = HandoverStatus.SUBMITTED
        handover.submitted_at = timezone.now()
        handover.save(update_fields=["status", "submitted_at"])
    return handover


@dataclass(frozen=True)
class Flag:
    code: str
    message: str
    blocking: bool
    case_id: int | None = None

    @property
    def label(self) -> str:
        return str(FLAG_LABELS[self.code])


FLAG_LABELS = {
    "open": gettext_lazy("open case"),
    "category": gettext_lazy("wrong category"),
    "documents": gettext_lazy("missing documents"),
    "archived": gettext_lazy("already in the archive"),
    "missing_case": gettext_lazy("case missing from the list"),
}


def check(handover, today=None) -> list[Flag]:
    """What the archivist must look at: open or reopened cases, a category that does not match the list, cases
    without documents or with fewer than listed, cases of the file that are due but missing from the list."""
    flags: list[Flag] = []
    kinds = kinds_of(handover.group)
    items = handover.items.select_related("case").annotate(
        documents_now=Count("case__documents", distinct=True)
    )
    rows = CaseRetention.objects.filter(case__handover_items__handover=handover).values_list(
        "case_id", "kind", "category")
    retention = {case_id: kind for case_id, kind, _c in rows}
    categories = {case_id: category for case_id, _k, category in rows}
    held = set(CaseCustody.objects.filter(case__handover_items__handover=handover).exclude(handover=handover)
               .values_list("case_id", flat=True))
    for item in items:
        case = item.case
        if case.status != CaseStatus.CLOSED:
            flags.append(Flag("open", _("%(sign)s is not closed.") % {"sign": case.sign}, True, case.pk))
        if retention.get(case.pk) not in kinds:
            flags.append(Flag(
                "category",
                _("%(sign)s has category %(category)s, which does not belong on a list of %(group)s.")
                % {"sign": case.sign, "category": categories.get(case.pk) or _("none"),
                   "group": handover.get_group_display()},
                True, case.pk,
            ))
        if item.documents_now == 0:
            flags.append(Flag("documents", _("%(sign)s has no documents.") % {"sign": case.sign}, False, case.pk))
        elif item.documents_now < item.documents_count:
            flags.append(Flag(
                "documents",
                _("%(sign)s has %(now)d documents, the list says %(listed)d.")
                % {"sign": case.sign, "now": item.documents_now, "listed": item.documents_count},
                True, case.pk,
            ))
        if case.pk in held:
            flags.append(Flag("archived", _("%(sign)s is already in the archive.") % {"sign": case.sign}, True,
                              case.pk))
    if handover.status != HandoverStatus.ACCEPTED:
        for case in candidate_cases(handover.unit, handover.jrwa_class, handover.year, handover.group, today):
            flags.append(Flag("missing_case", _("%(sign)s is closed and due but not on the list.")
                              % {"sign": case.sign}, False, case.pk))
        still_open = Case.objects.filter(
            unit=handover.unit, jrwa_class=handover.jrwa_class, year=handover.year
        ).exclude(status=CaseStatus.CLOSED).order_by("number")
        for case in still_open:
            flags.append(Flag("open", _("%(sign)s of this file is still open.") % {"sign": case.sign}, False,
                              case.pk))
    return flags


def accept(*, actor, handover, storage_location="", remarks="", today=None) -> HandoverList:
    if not is_archivist(actor):
        raise PermissionDenied(_("Only the archivist accepts handover lists."))
    with transaction.atomic():
        handover = _locked(handover)
        if handover.status == HandoverStatus.ACCEPTED:
            return handover
        if handover.status != HandoverStatus.SUBMITTED:
            raise ValidationError(_("Only a submitted list can be accepted."))
        blocking = [f for f in check(handover, today) if f.blocking]
        if blocking:
            raise ValidationError([f.message for f in blocking])
        now = timezone.now()
        year = timezone.localdate().year
        last = HandoverList.objects.filter(accession_year=year).aggregate(last=Max("accession_number"))["last"] or 0
        handover.status = HandoverStatus.ACCEPTED
        handover.accession_year, handover.accession_number = year, last + 1
        handover.decided_by, handover.decided_at = actor, now
        handover.storage_location = (storage_location or "").strip()
        handover.remarks = (remarks or "").strip()
        handover.save()
        items = list(handover.items.select_related("case"))
        CaseCustody.objects.bulk_create(
            CaseCustody(case=item.case, handover=handover, accepted_at=now, accepted_by=actor,
                        storage_location=handover.storage_location)
            for item in items
        )
        for item in items:
            record(
                actor, Action.ARCHIVE_TRANSFER,
                _("Taken into the office archive, accession %(accession)s, handover list of file %(file)s%(place)s.")
                % {"accession": handover.accession_sign, "file": handover.file_sign,
                   "place": (_("; paper originals: %(place)s") % {"place": handover.storage_location})
                   if handover.storage_location else ""},
                case=item.case, data={"handover": handover.pk, "accession": handover.accession_sign},
            )
    return handover


def return_list(*, actor, handover, remarks) -> HandoverList:
    if not is_archivist(actor):
        raise PermissionDenied(_("Only the archivist returns handover lists."))
    if not (remarks or "").strip():
        raise ValidationError({"remarks": _("Say what must be corrected.")})
    with transaction.atomic():
        handover = _locked(handover)
        if handover.status == HandoverStatus.RETURNED and handover.remarks == remarks.strip():
            return handover
        if handover.status != HandoverStatus.SUBMITTED:
            raise ValidationError(_("Only a submitted list can be returned."))
        handover.status = HandoverStatus.RETURNED
        handover.decided_by, handover.decided_at = actor, timezone.now()
        handover.remarks = remarks.strip()
        handover.save(update_fields=["status", "decided_by", "decided_at", "remarks"])
        for item in handover.items.select_related("case"):
            record(
                actor, Action.OTHER,
                _("Handover list of file %(file)s returned by the archive: %(remarks)s")
                % {"file": handover.file_sign, "remarks": handover.remarks},
                case=item.case, data={"handover": handover.pk},
            )
    return handover


def set_storage_location(*, actor, case, location) -> CaseCustody:
    if not is_archivist(actor):
        raise PermissionDenied
    with transaction.atomic():
        custody = CaseCustody.objects.select_for_update().select_related("case").get(case=case)
        location = (location or "").strip()
        if custody.storage_location == location:
            return custody
        old = custody.storage_location
        custody.storage_location = location
        custody.save(update_fields=["storage_location"])
        record(
            actor, Action.OTHER,
            _("Storage location of the paper originals changed from “%(old)s” to “%(new)s”.")
            % {"old": old or "—", "new": location or "—"},
            case=custody.case,
        )
    return custody
