"""Loans of archived files, overdue loans, the access rule and the record of reads of confidential files."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from archive import selectors
from archive.models import LoanStatus
from archive.services import handover as hs
from archive.services import loans as ls
from archive.services.custody import note_read
from archive.tests.conftest import closed_case
from registry.models import Action, HistoryEntry

D = dt.date


def archive_file(office, **kwargs):
    case = closed_case(office, started_on=D(2021, 3, 1), closed_on=D(2021, 6, 1), **kwargs)
    handover = hs.prepare(actor=office["worker"], unit=office["RB"], jrwa_class=office["6730"], year=2021,
                          group="B")
    hs.submit(actor=office["worker"], handover=handover)
    hs.accept(actor=office["archivist"], handover=handover)
    return case


def test_request_approve_return_with_the_metryka(office):
    case = archive_file(office)
    today = timezone.localdate()
    loan = ls.request_loan(actor=office["worker"], case=case, purpose="skarga do WSA", due_on=today)
    assert ls.request_loan(actor=office["worker"], case=case, purpose="x", due_on=today).pk == loan.pk
    with pytest.raises(PermissionDenied):
        ls.approve(actor=office["head"], loan=loan)
    loan = ls.approve(actor=office["archivist"], loan=loan)
    assert (loan.status, loan.decided_by) == (LoanStatus.LENT, office["archivist"])
    loan = ls.mark_returned(actor=office["archivist"], loan=loan, on_day=today)
    assert loan.status == LoanStatus.RETURNED
    actions = list(HistoryEntry.objects.filter(case=case, action__in=[Action.ARCHIVE_LOAN, Action.ARCHIVE_RETURN])
                   .values_list("action", flat=True))
    assert actions == [Action.ARCHIVE_LOAN, Action.ARCHIVE_LOAN, Action.ARCHIVE_RETURN]


def test_bad_requests_are_refused_with_a_reason(office):
    case = archive_file(office)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="due_on"):
        ls.request_loan(actor=office["worker"], case=case, purpose="x", due_on=today - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        ls.request_loan(actor=office["worker"], case=case, purpose=" ", due_on=today)
    # Someone of another unit cannot see the case: no loan to them.
    with pytest.raises(ValidationError, match="borrower"):
        ls.request_loan(actor=office["archivist"], borrower=office["worker_or"], case=case, purpose="x",
                        due_on=today)
    open_case = closed_case(office, "2110", started_on=D(2024, 1, 1), closed_on=D(2024, 2, 1))
    with pytest.raises(ValidationError):
        ls.request_loan(actor=office["worker"], case=open_case, purpose="x", due_on=today)


def test_overdue_loans_are_listed(office):
    case = archive_file(office)
    today = timezone.localdate()
    loan = ls.approve(actor=office["archivist"], loan=ls.request_loan(
        actor=office["worker"], case=case, purpose="kontrola", due_on=today))
    assert selectors.overdue_count(office["archivist"], today) == 0
    assert selectors.overdue_count(office["archivist"], today + dt.timedelta(days=1)) == 1
    assert loan.is_overdue(today + dt.timedelta(days=1))
    # A file out on loan is not eligible for disposal.
    assert case not in selectors.eligible_for_disposal(office["archivist"], D(2040, 1, 1))


def test_reads_of_archived_confidential_files_are_recorded(office):
    case = archive_file(office, confidential=True)
    note_read(office["worker"], case)
    entry = HistoryEntry.objects.get(case=case, action=Action.ARCHIVE_READ)
    assert entry.actor == office["worker"]
    plain = closed_case(office, "0002", started_on=D(2021, 1, 4), closed_on=D(2021, 1, 5))
    note_read(office["worker"], plain)
    assert not HistoryEntry.objects.filter(case=plain, action=Action.ARCHIVE_READ).exists()


def test_the_archivist_does_not_see_confidential_files_of_others(office):
    case = archive_file(office, confidential=True)
    assert case not in selectors.archived_cases(office["archivist"])
    assert case in selectors.archived_cases(office["worker"])
    assert case not in selectors.archived_cases(office["worker_or"])


def test_eligible_for_disposal_and_be_never(office):
    b = archive_file(office)
    be = closed_case(office, "0033", started_on=D(2015, 1, 5), closed_on=D(2015, 2, 1))
    h = hs.prepare(actor=office["worker"], unit=office["RB"], jrwa_class=office["0033"], year=2015, group="B")
    hs.submit(actor=office["worker"], handover=h)
    hs.accept(actor=office["archivist"], handover=h)
    far = D(2100, 1, 1)
    eligible = list(selectors.eligible_for_disposal(office["archivist"], far))
    assert b in eligible and be not in eligible
    assert be in list(selectors.due_for_review(office["archivist"], far))
    assert b not in list(selectors.eligible_for_disposal(office["archivist"], D(2031, 12, 31)))
    assert b in list(selectors.eligible_for_disposal(office["archivist"], D(2032, 1, 1)))
