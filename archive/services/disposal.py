"""Brakowanie as an explicit state machine; each transition is a service with its own checks and metryka entries:

    draft ──send_for_review──▶ in_review ──(every unit reviewed) request_consent──▶ requested
    requested ──record_decision──▶ approved | refused
    approved ──destroy_chunk…──▶ destroying ──(last chunk)──▶ destroyed

Nothing is deleted before the state archive's consent (reference and date) is recorded; nothing of category A is
ever deleted (a BE file requalified to A leaves the list for good); the electronic contents are destroyed in chunks,
each item in its own transaction, so a crash in the middle resumes where it stopped and counts nothing twice. The
metadata, the metryka and the list itself are kept."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.models import (
    CaseCustody,
    CaseRetention,
    CategoryDecision,
    DisposalItem,
    DisposalList,
    DisposalStatus,
    Loan,
    LoanStatus,
    RetentionKind,
)
from archive.permissions import is_archivist
from archive.services.retention import recompute
from registry.access import scope_for
from registry.models import Action, CaseStatus, DocumentVersion, TextStatus
from registry.services.history import record

ACTIVE = (DisposalStatus.DRAFT, DisposalStatus.IN_REVIEW, DisposalStatus.REQUESTED, DisposalStatus.APPROVED,
          DisposalStatus.DESTROYING)


def _require_archivist(user):
    if not is_archivist(user):
        raise PermissionDenied(_("Only the archivist conducts the disposal of records."))


def blockers(case, today=None) -> list[str]:
    """Why `case` may not go on a disposal list (empty: it may)."""
    today = today or timezone.localdate()
    reasons = []
    retention = CaseRetention.objects.filter(case=case).first()
    custody = CaseCustody.objects.filter(case=case).first()
    if case.status != CaseStatus.CLOSED:
        reasons.append(_("%(sign)s is not closed.") % {"sign": case.sign})
    if custody is None:
        reasons.append(_("%(sign)s is not held by the office archive.") % {"sign": case.sign})
    elif custody.legal_hold:
        reasons.append(_("%(sign)s is under a legal hold: %(reason)s") % {"sign": case.sign,
                                                                           "reason": custody.legal_hold})
    if retention is None or retention.kind == RetentionKind.A:
        reasons.append(_("%(sign)s is archival material (category A) and is never destroyed.") % {"sign": case.sign})
    elif retention.kind == RetentionKind.BE:
        if retention.review_from > today:
            reasons.append(_("%(sign)s is due for expert review only from %(day)s.")
                           % {"sign": case.sign, "day": retention.review_from.isoformat()})
    elif retention.eligible_from > today:
        reasons.append(_("%(sign)s may be destroyed only from %(day)s.")
                       % {"sign": case.sign, "day": retention.eligible_from.isoformat()})
    if Loan.objects.filter(case=case, status__in=[LoanStatus.REQUESTED, LoanStatus.LENT]).exists():
        reasons.append(_("%(sign)s is lent out.") % {"sign": case.sign})
    if DisposalItem.objects.filter(case=case, disposal__status__in=ACTIVE).exists():
        reasons.append(_("%(sign)s is already on a disposal list in progress.") % {"sign": case.sign})
    return reasons


def create_list(*, actor, cases, today=None) -> DisposalList:
    """A new list of the given cases (eligible B/Bc files and BE files due for review)."""
    _require_archivist(actor)
    cases = list(cases)
    if not cases:
        raise ValidationError(_("Choose the files for the disposal list."))
    scope = scope_for(actor)
    problems = [reason for case in cases for reason in blockers(case, today)]
    problems += [_("%(sign)s cannot be seen by you.") % {"sign": c.sign} for c in cases if not scope.can_see_case(c)]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        year = timezone.localdate().year
        # Serialise numbering: lists are rare, a table lock is cheap and keeps the numbers gap-free.
        DisposalList.objects.select_for_update().filter(year=year).exists()
        last = DisposalList.objects.filter(year=year).aggregate(last=Max("number"))["last"] or 0
        disposal = DisposalList.objects.create(year=year, number=last + 1, created_by=actor)
        categories = dict(CaseRetention.objects.filter(case__in=cases).values_list("case_id", "category"))
        DisposalItem.objects.bulk_create(
            DisposalItem(disposal=disposal, case=case, position=i, category=categories[case.pk])
            for i, case in enumerate(sorted(cases, key=lambda c: (c.unit_id, c.jrwa_class_id, c.year, c.number)), 1)
        )
        for case in cases:
            record(actor, Action.OTHER, _("Put on disposal list %(sign)s.") % {"sign": disposal.sign}, case=case,
                   data={"disposal": disposal.pk})
    return disposal


def _locked(disposal) -> DisposalList:
    return DisposalList.objects.select_for_update().get(pk=disposal.pk)


def send_for_review(*, actor, disposal) -> DisposalList:
    _require_archivist(actor)
    with transaction.atomic():
        disposal = _locked(disposal)
        if disposal.status == DisposalStatus.IN_REVIEW:
            return disposal
        if disposal.status != DisposalStatus.DRAFT:
            raise ValidationError(_("Only a list being prepared goes to the units for review."))
        disposal.status = DisposalStatus.IN_REVIEW
        disposal.save(update_fields=["status"])
    return disposal


def review(*, actor, disposal, unit, keep: dict[int, str]) -> int:
    """The unit confirms its files are no longer needed, except those in `keep` ({case id: reason}), which leave
    the list. Returns the number of items reviewed."""
    if not (actor.is_superuser or unit.pk in scope_for(actor).unit_ids):
        raise PermissionDenied(_("Only the staff of the unit review its files."))
    with transaction.atomic():
        disposal = _locked(disposal)
        if disposal.status != DisposalStatus.IN_REVIEW:
            raise ValidationError(_("The list is not in review."))
        items = list(disposal.items.filter(case__unit=unit).select_related("case"))
        for case_id, reason in keep.items():
            if not (reason or "").strip():
                raise ValidationError(_("Say why the file is still needed."))
            if case_id not in {i.case_id for i in items}:
                raise ValidationError(_("This file is not on the list of your unit."))
        for item in items:
            if item.case_id in keep:
                item.review, item.review_note = DisposalItem.Review.KEEP, keep[item.case_id].strip()
                text = _("Withdrawn from disposal list %(sign)s by the unit: %(reason)s") % {
                    "sign": disposal.sign, "reason": item.review_note}
            else:
                item.review, item.review_note = DisposalItem.Review.AGREED, ""
                text = _("The unit confirmed for disposal list %(sign)s that the file is no longer needed.") % {
                    "sign": disposal.sign}
            item.reviewed_by = actor
            item.save(update_fields=["review", "review_note", "reviewed_by"])
            record(actor, Action.OTHER, text, case=item.case, data={"disposal": disposal.pk})
    return len(items)


def request_consent(*, actor, disposal) -> DisposalList:
    _require_archivist(actor)
    with transaction.atomic():
        disposal = _locked(disposal)
        if disposal.status == DisposalStatus.REQUESTED:
            return disposal
        if disposal.status != DisposalStatus.IN_REVIEW:
            raise ValidationError(_("The units must review the list first."))
        if disposal.items.filter(review=DisposalItem.Review.PENDING).exists():
            raise ValidationError(_("Some units have not reviewed their files yet."))
        if not disposal.items.filter(review=DisposalItem.Review.AGREED).exists():
            raise ValidationError(_("Every file was withdrawn; there is nothing to ask for."))
        disposal.status, disposal.requested_at = DisposalStatus.REQUESTED, timezone.now()
        disposal.save(update_fields=["status", "requested_at"])
        for item in disposal.items.filter(review=DisposalItem.Review.AGREED).select_related("case"):
            record(actor, Action.OTHER, _("Consent to destroy requested from the state archive (list %(sign)s).")
                   % {"sign": disposal.sign}, case=item.case, data={"disposal": disposal.pk})
    return disposal


def record_decision(*, actor, disposal, reference, decided_on, consent: bool, refused=(), requalified=(),
                    remarks="") -> DisposalList:
    """The state archive's answer with its reference and date. With consent, `refused` case ids are excluded and
    BE files in `requalified` become category A (kept for good, off the list)."""
    _require_archivist(actor)
    if not (reference or "").strip():
        raise ValidationError({"reference": _("Enter the reference of the state archive's decision.")})
    if decided_on is None or decided_on > timezone.localdate():
        raise ValidationError({"decided_on": _("Enter the date of the decision (not in the future).")})
    with transaction.atomic():
        disposal = _locked(disposal)
        if disposal.status in (DisposalStatus.APPROVED, DisposalStatus.REFUSED) and \
                disposal.ap_reference == reference.strip():
            return disposal
        if disposal.status != DisposalStatus.REQUESTED:
            raise ValidationError(_("No request to the state archive is waiting for a decision."))
        items = {i.case_id: i for i in disposal.items.filter(review=DisposalItem.Review.AGREED)
                 .select_related("case")}
        refused, requalified = set(refused), set(requalified)
        if (refused | requalified) - set(items):
            raise ValidationError(_("The decision names files that are not on the list."))
        not_be = [items[c].case.sign for c in requalified if items[c].category[:2] != "BE"]
        if not_be:
            raise ValidationError(_("Only BE files are requalified after expert review: %(signs)s")
                                  % {"signs": ", ".join(not_be)})
        disposal.ap_reference, disposal.ap_decided_on = reference.strip(), decided_on
        disposal.ap_remarks = (remarks or "").strip()
        disposal.status = DisposalStatus.APPROVED if consent else DisposalStatus.REFUSED
        disposal.save()
        for case_id, item in items.items():
            if not consent or case_id in refused:
                item.decision = DisposalItem.Decision.REFUSED
                text = _("The state archive refused the destruction (%(ref)s of %(day)s).")
            elif case_id in requalified:
                item.decision = DisposalItem.Decision.REQUALIFIED
                CategoryDecision.objects.update_or_create(
                    case=item.case, defaults={"category": "A", "reference": disposal.ap_reference,
                                              "decided_on": decided_on})
                text = _("After expert review the state archive requalified the file to category A (%(ref)s of "
                         "%(day)s).")
            else:
                item.decision = DisposalItem.Decision.CONSENT
                text = _("The state archive consented to the destruction (%(ref)s of %(day)s).")
            item.save(update_fields=["decision"])
            record(actor, Action.OTHER, text % {"ref": disposal.ap_reference, "day": decided_on.isoformat()},
                   case=item.case, data={"disposal": disposal.pk})
            if item.decision == DisposalItem.Decision.REQUALIFIED:
                recompute(item.case, actor=actor)
    return disposal


def destroy_chunk(*, actor, disposal, size=50) -> int:
    """Destroy the electronic contents of the next `size` consented files; returns how many were done (0: none
    left, the list is then closed with its protocol). Each file is its own transaction: a crash leaves the others
    untouched and the next call continues; a file already destroyed is never counted again."""
    _require_archivist(actor)
    with transaction.atomic():
        disposal = _locked(disposal)
        if disposal.status == DisposalStatus.DESTROYED:
            return 0
        if disposal.status not in (DisposalStatus.APPROVED, DisposalStatus.DESTROYING):
            raise ValidationError(_("Nothing is destroyed before the state archive's consent is recorded."))
        if disposal.status == DisposalStatus.APPROVED:
            disposal.status = DisposalStatus.DESTROYING
            disposal.save(update_fields=["status"])
    pending = list(disposal.items.filter(decision=DisposalItem.Decision.CONSENT, destroyed_at__isnull=True)
                   .order_by("position").values_list("pk", flat=True)[:size])
    for item_pk in pending:
        _destroy_item(actor, disposal, item_pk)
    if not pending:
        _finish(actor, disposal)
    return len(pending)


def _destroy_item(actor, disposal, item_pk) -> None:
    with transaction.atomic():
        item = DisposalItem.objects.select_for_update().select_related("case").get(pk=item_pk)
        if item.destroyed_at is not None:
            return
        retention = CaseRetention.objects.filter(case=item.case).first()
        if retention is None or retention.kind == RetentionKind.A:
            # A guard of its own, whatever the list says: category A is never destroyed.
            raise ValidationError(_("%(sign)s is category A and is never destroyed.") % {"sign": item.case.sign})
        versions = list(DocumentVersion.objects.select_for_update().filter(document__case=item.case)
                        .exclude(file=""))
        files, size = len(versions), sum(v.size for v in versions)
        for version in versions:
            # Deleting a missing file is a no-op, so a retry after a crash between the two steps is safe.
            version.file.storage.delete(version.file.name)
            DocumentVersion.objects.filter(pk=version.pk).update(file="", text="", text_status=TextStatus.NONE)
        item.destroyed_at, item.files_destroyed, item.bytes_destroyed = timezone.now(), files, size
        item.save(update_fields=["destroyed_at", "files_destroyed", "bytes_destroyed"])
        record(actor, Action.OTHER,
               _("Electronic contents destroyed under disposal list %(sign)s: %(files)d files, %(bytes)d bytes; the "
                 "metadata and the metryka are kept.") % {"sign": disposal.sign, "files": files, "bytes": size},
               case=item.case, data={"disposal": disposal.pk})


def _finish(actor, disposal) -> None:
    with transaction.atomic():
        disposal = _locked(disposal)
        if disposal.status == DisposalStatus.DESTROYED:
            return
        done = disposal.items.filter(destroyed_at__isnull=False)
        totals = done.aggregate(files=Sum("files_destroyed"), size=Sum("bytes_destroyed"))
        disposal.status, disposal.destroyed_at = DisposalStatus.DESTROYED, timezone.now()
        disposal.protocol = _(
            "Protocol of destruction, disposal list %(sign)s. Consent of the state archive: %(ref)s of %(day)s. "
            "Destroyed the electronic contents of %(cases)d cases (%(files)d files, %(bytes)d bytes) on %(now)s, "
            "performed by %(who)s. The metadata, the metryka and this list are kept permanently."
        ) % {"sign": disposal.sign, "ref": disposal.ap_reference, "day": disposal.ap_decided_on.isoformat(),
             "cases": done.count(), "files": totals["files"] or 0, "bytes": totals["size"] or 0,
             "now": timezone.localtime(disposal.destroyed_at).strftime("%Y-%m-%d %H:%M"),
             "who": actor.get_full_name() or actor.username}
        disposal.save(update_fields=["status", "destroyed_at", "protocol"])


def set_legal_hold(*, actor, case, reason) -> CaseCustody:
    _require_archivist(actor)
    with transaction.atomic():
        custody = CaseCustody.objects.select_for_update().select_related("case").get(case=case)
        reason = (reason or "").strip()
        if custody.legal_hold == reason:
            return custody
        custody.legal_hold = reason
        custody.save(update_fields=["legal_hold"])
        record(actor, Action.OTHER,
               (_("Legal hold set: %(reason)s") % {"reason": reason}) if reason else _("Legal hold lifted."),
               case=custody.case)
    return custody


def eligible_not_listed(qs):
    """Cases of `qs` not on a disposal list in progress."""
    return qs.exclude(Exists(DisposalItem.objects.filter(case_id=OuterRef("pk"), disposal__status__in=ACTIVE)))
