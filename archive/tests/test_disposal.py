"""Brakowanie: the state machine, no deletion before consent, never category A, BE only via expert review (and
requalification to A), resumable destruction without double counting."""

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from archive.models import CaseRetention, DisposalItem, DisposalStatus, RetentionKind
from archive.services import disposal as ds
from archive.services import handover as hs
from archive.services import loans as ls
from archive.tests.conftest import closed_case
from registry.models import DocumentVersion
from registry.services.documents import add_document
from registry.tests.factories import pdf_upload

D = dt.date


def archived(office, symbol, year, n=1, with_files=True):
    cases = [closed_case(office, symbol, started_on=D(year, 2, i + 1), closed_on=D(year, 3, 1),
                         title=f"Sprawa {symbol} {i}") for i in range(n)]
    if with_files:
        for case in cases:
            add_document(actor=office["worker"], title="Pismo", kind="letter", upload=pdf_upload(), case=case)
    group = "A" if symbol == "0002" else "B"
    handover = hs.prepare(actor=office["worker"], unit=office["RB"], jrwa_class=office[symbol], year=year,
                          group=group)
    hs.submit(actor=office["worker"], handover=handover)
    hs.accept(actor=office["archivist"], handover=handover)
    return cases


def through_review(office, cases):
    disposal = ds.create_list(actor=office["archivist"], cases=cases)
    ds.send_for_review(actor=office["archivist"], disposal=disposal)
    ds.review(actor=office["head"], disposal=disposal, unit=office["RB"], keep={})
    return ds.request_consent(actor=office["archivist"], disposal=disposal)


def test_category_a_and_files_not_yet_due_cannot_be_listed(office):
    a_case = archived(office, "0002", 2011)[0]
    with pytest.raises(ValidationError, match="A"):
        ds.create_list(actor=office["archivist"], cases=[a_case])
    recent = archived(office, "6730", 2020)[0]  # B10: from 2031
    with pytest.raises(ValidationError, match="2031-01-01"):
        ds.create_list(actor=office["archivist"], cases=[recent])


def test_loans_and_legal_holds_keep_files_off_the_list(office):
    lent, held = archived(office, "2110", 2012, n=2)
    ls.request_loan(actor=office["worker"], case=lent, purpose="skarga", due_on=timezone.localdate())
    ds.set_legal_hold(actor=office["archivist"], case=held, reason="postępowanie przed WSA")
    with pytest.raises(ValidationError) as exc:
        ds.create_list(actor=office["archivist"], cases=[lent, held])
    assert any("wypożycz" in m or "lent" in m for m in exc.value.messages)
    assert any("WSA" in m for m in exc.value.messages)


def test_nothing_is_destroyed_without_the_consent(office):
    cases = archived(office, "2110", 2012, n=2)
    disposal = ds.create_list(actor=office["archivist"], cases=cases)
    for step in (lambda: ds.destroy_chunk(actor=office["archivist"], disposal=disposal),
                 lambda: ds.request_consent(actor=office["archivist"], disposal=disposal)):
        with pytest.raises(ValidationError):
            step()
    ds.send_for_review(actor=office["archivist"], disposal=disposal)
    with pytest.raises(ValidationError):  # the unit has not reviewed yet
        ds.request_consent(actor=office["archivist"], disposal=disposal)
    with pytest.raises(PermissionDenied):
        ds.review(actor=office["worker_or"], disposal=disposal, unit=office["RB"], keep={})
    ds.review(actor=office["head"], disposal=disposal, unit=office["RB"], keep={})
    disposal = ds.request_consent(actor=office["archivist"], disposal=disposal)
    with pytest.raises(ValidationError):
        ds.destroy_chunk(actor=office["archivist"], disposal=disposal)
    disposal = ds.record_decision(actor=office["archivist"], disposal=disposal, reference="AP.4252.17.2026",
                                  decided_on=timezone.localdate(), consent=False)
    assert disposal.status == DisposalStatus.REFUSED
    with pytest.raises(ValidationError):
        ds.destroy_chunk(actor=office["archivist"], disposal=disposal)
    assert DocumentVersion.objects.exclude(file="").count() == 2


def test_decision_needs_reference_and_date(office):
    disposal = through_review(office, archived(office, "2110", 2012))
    with pytest.raises(ValidationError, match="reference"):
        ds.record_decision(actor=office["archivist"], disposal=disposal, reference=" ", decided_on=D(2026, 1, 5),
                           consent=True)
    with pytest.raises(ValidationError, match="decided_on"):
        ds.record_decision(actor=office["archivist"], disposal=disposal, reference="AP.1", decided_on=None,
                           consent=True)


def test_be_is_reviewed_and_may_be_requalified_to_a(office):
    be = archived(office, "0033", 2012, n=2)
    assert CaseRetention.objects.get(case=be[0]).eligible_from is None
    disposal = through_review(office, be)
    disposal = ds.record_decision(actor=office["archivist"], disposal=disposal, reference="AP.4252.3.2026",
                                  decided_on=timezone.localdate(), consent=True, requalified=[be[0].pk])
    row = CaseRetention.objects.get(case=be[0])
    assert (row.kind, row.category) == (RetentionKind.A, "A")
    assert ds.destroy_chunk(actor=office["archivist"], disposal=disposal) == 1  # only the other one
    ds.destroy_chunk(actor=office["archivist"], disposal=disposal)
    assert DocumentVersion.objects.filter(document__case=be[0]).exclude(file="").count() == 1
    assert DocumentVersion.objects.filter(document__case=be[1], file="").count() == 1
    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.DESTROYED and "AP.4252.3.2026" in disposal.protocol


def test_unit_withdraws_a_file_it_still_needs(office):
    cases = archived(office, "2110", 2012, n=2)
    disposal = ds.create_list(actor=office["archivist"], cases=cases)
    ds.send_for_review(actor=office["archivist"], disposal=disposal)
    with pytest.raises(ValidationError):
        ds.review(actor=office["head"], disposal=disposal, unit=office["RB"], keep={cases[0].pk: " "})
    ds.review(actor=office["head"], disposal=disposal, unit=office["RB"], keep={cases[0].pk: "sprawa sądowa"})
    disposal = ds.request_consent(actor=office["archivist"], disposal=disposal)
    ds.record_decision(actor=office["archivist"], disposal=disposal, reference="AP.9", decided_on=D(2026, 1, 5),
                       consent=True)
    while ds.destroy_chunk(actor=office["archivist"], disposal=disposal):
        pass
    assert DocumentVersion.objects.filter(document__case=cases[0]).exclude(file="").count() == 1
    assert DocumentVersion.objects.filter(document__case=cases[1], file="").count() == 1


def test_a_crash_in_the_middle_resumes_without_losing_or_double_counting(office, settings):
    cases = archived(office, "2110", 2012, n=3)
    disposal = through_review(office, cases)
    disposal = ds.record_decision(actor=office["archivist"], disposal=disposal, reference="AP.4252.5.2026",
                                  decided_on=timezone.localdate(), consent=True)
    real = ds._destroy_item
    calls = []

    def crash_on_second(actor, disposal, item_pk):
        calls.append(item_pk)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return real(actor, disposal, item_pk)

    with mock.patch.object(ds, "_destroy_item", crash_on_second), pytest.raises(RuntimeError):
        ds.destroy_chunk(actor=office["archivist"], disposal=disposal, size=10)
    assert DisposalItem.objects.filter(destroyed_at__isnull=False).count() == 1
    while ds.destroy_chunk(actor=office["archivist"], disposal=disposal, size=10):
        pass
    items = DisposalItem.objects.order_by("position")
    assert [i.files_destroyed for i in items] == [1, 1, 1]
    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.DESTROYED
    assert "3 " in disposal.protocol and DocumentVersion.objects.exclude(file="").count() == 0
    # The metadata stay: the documents and their versions are still there, only the contents are gone.
    assert DocumentVersion.objects.count() == 3
    assert ds.destroy_chunk(actor=office["archivist"], disposal=disposal) == 0
