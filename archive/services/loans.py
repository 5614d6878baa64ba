"""Udostępnianie: loans of archived files. A person asks (or the archivist records the request for them), the
archivist approves or refuses, and records the return. Only files held by the archive are lent, and only to people
who may see them under the one access rule."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.models import CaseCustody, Loan, LoanStatus
from archive.permissions import is_archivist
from registry.access import scope_for
from registry.models import Action
from registry.services.history import record

OPEN = (LoanStatus.REQUESTED, LoanStatus.LENT)


def request_loan(*, actor, case, purpose, due_on, borrower=None, today=None) -> Loan:
    """Ask for a file; the archivist may ask on someone's behalf (`borrower`). Asking twice returns the open request."""
    today = today or timezone.localdate()
    borrower = borrower or actor
    if borrower != actor and not is_archivist(actor):
        raise PermissionDenied(_("Only the archivist records a loan for someone else."))
    if not CaseCustody.objects.filter(case=case).exists():
        raise ValidationError(_("Case %(sign)s is not held by the office archive.") % {"sign": case.sign})
    if not scope_for(borrower).can_see_case(case):
        raise ValidationError(
            {"borrower": _("%(who)s has no access to case %(sign)s.") % {"who": borrower, "sign": case.sign}}
        )
    if not (purpose or "").strip():
        raise ValidationError({"purpose": _("Say what the file is needed for.")})
    if due_on is None or due_on < today:
        raise ValidationError({"due_on": _("The return date cannot be in the past.")})
    existing = Loan.objects.filter(case=case, borrower=borrower, status__in=OPEN).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            loan = Loan.objects.create(case=case, borrower=borrower, purpose=purpose.strip(), due_on=due_on)
            record(
                actor, Action.ARCHIVE_LOAN,
                _("Loan requested for %(who)s until %(day)s: %(purpose)s")
                % {"who": borrower, "day": due_on.isoformat(), "purpose": loan.purpose},
                case=case, data={"loan": loan.pk},
            )
    except IntegrityError:
        return Loan.objects.get(case=case, borrower=borrower, status__in=OPEN)
    return loan


def _locked(loan) -> Loan:
    return Loan.objects.select_for_update().select_related("case", "borrower").get(pk=loan.pk)


def approve(*, actor, loan) -> Loan:
    if not is_archivist(actor):
        raise PermissionDenied(_("Only the archivist approves loans."))
    with transaction.atomic():
        loan = _locked(loan)
        if loan.status == LoanStatus.LENT:
            return loan
        if loan.status != LoanStatus.REQUESTED:
            raise ValidationError(_("Only a requested loan can be approved."))
        loan.status, loan.decided_by, loan.decided_at = LoanStatus.LENT, actor, timezone.now()
        loan.save(update_fields=["status", "decided_by", "decided_at"])
        record(
            actor, Action.ARCHIVE_LOAN,
            _("Lent to %(who)s until %(day)s.") % {"who": loan.borrower, "day": loan.due_on.isoformat()},
            case=loan.case, data={"loan": loan.pk},
        )
    return loan


def refuse(*, actor, loan, remarks) -> Loan:
    if not is_archivist(actor):
        raise PermissionDenied(_("Only the archivist refuses loans."))
    if not (remarks or "").strip():
        raise ValidationError({"remarks": _("Give the reason for the refusal.")})
    with transaction.atomic():
        loan = _locked(loan)
        if loan.status == LoanStatus.REFUSED:
            return loan
        if loan.status != LoanStatus.REQUESTED:
            raise ValidationError(_("Only a requested loan can be refused."))
        loan.status, loan.decided_by, loan.decided_at = LoanStatus.REFUSED, actor, timezone.now()
        loan.remarks = remarks.strip()
        loan.save(update_fields=["status", "decided_by", "decided_at", "remarks"])
        record(
            actor, Action.ARCHIVE_LOAN,
            _("Loan to %(who)s refused: %(remarks)s") % {"who": loan.borrower, "remarks": loan.remarks},
            case=loan.case, data={"loan": loan.pk},
        )
    return loan


def mark_returned(*, actor, loan, on_day=None) -> Loan:
    if not is_archivist(actor):
        raise PermissionDenied(_("Only the archivist records returns."))
    on_day = on_day or timezone.localdate()
    with transaction.atomic():
        loan = _locked(loan)
        if loan.status == LoanStatus.RETURNED:
            return loan
        if loan.status != LoanStatus.LENT:
            raise ValidationError(_("Only a lent file can be returned."))
        if on_day < timezone.localtime(loan.decided_at).date() or on_day > timezone.localdate():
            raise ValidationError({"on_day": _("The return date must be between the loan and today.")})
        loan.status, loan.returned_on = LoanStatus.RETURNED, on_day
        loan.save(update_fields=["status", "returned_on"])
        late = on_day > loan.due_on
        record(
            actor, Action.ARCHIVE_RETURN,
            (_("Returned by %(who)s on %(day)s.") % {"who": loan.borrower, "day": on_day.isoformat()})
            + ((" " + _("%(days)d days late.") % {"days": (on_day - loan.due_on).days}) if late else ""),
            case=loan.case, data={"loan": loan.pk},
        )
    return loan
