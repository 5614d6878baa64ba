"""Transfer to the office archive: lists per file and category group, the archivist's check, acceptance moves
custody (read-only for the unit, accession number), return with remarks; everything in the metryka."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from archive.models import CaseCustody, HandoverStatus
from archive.services import handover as hs
from archive.tests.conftest import closed_case
from registry.models import Action, HistoryEntry
from registry.services.cases import change_status, set_case_worker
from registry.services.documents import add_document
from registry.tests.factories import make_case, pdf_upload

D = dt.date


@pytest.fixture
def file_2022(office):
    """Three closed cases of RB.6730.2022 (B10), one of RB.0002.2022 (A) and one still open in 6730."""
    cases = [closed_case(office, started_on=D(2022, 3, i + 1), closed_on=D(2022, 6, 1), title=f"Warunki {i}")
             for i in range(3)]
    for case in cases:
        add_document(actor=office["worker"], title="Decyzja", kind="decision", upload=pdf_upload(), case=case)
    a_case = closed_case(office, "0002", started_on=D(2022, 2, 1), closed_on=D(2022, 2, 20), title="Sesja")
    still_open = make_case(office["worker"], unit=office["RB"], jrwa_class=office["6730"], started_on=D(2022, 9, 1))
    return {"cases": cases, "a_case": a_case, "open": still_open}


def test_lists_are_per_file_and_group_and_idempotent(office, file_2022):
    handover = hs.prepare(actor=office["worker"], unit=office["RB"], jrwa_class=office["6730"], year=2022, group="B")
    assert [i.case_id for i in handover.items.order_by("position")] == [c.pk for c in file_2022["cases"]]
    assert [i.documents_count for i in handover.items.all()] == [1, 1, 1]
    again = hs.prepare(actor=office["worker"], unit=office["RB"], jrwa_class=office["6730"], year=2022, group="B")
    assert again.pk == handover.pk and again.items.count() == 3
    # The A case is not on the B list, and a list of A for 6730 has nothing to take.
    with pytest.raises(ValidationError):
        hs.prepare(actor=office["worker"], unit=office["RB"], jrwa_class=office["6730"], year=2022, group="A")
    a_list = hs.prepare(actor=office["worker"], unit=office["RB"], jrwa_class=office["0002"], year=2022, group="A")
    assert [i.case_id for i in a_list.items.all()] == [file_2022["a_case"].pk]
    assert HistoryEntry.objects.filter(case=file_2022["cases"][0], action=Action.HANDOVER_LISTED).count() == 1


def test_only_the_unit_prepares_and_only_the_archivist_accepts(office, file_2022):
    with pytest.raises(PermissionDenied):
        hs.prepare(actor=office["worker_or"], unit=office["RB"], jrwa_class=office["6730"], year=2022, group="B")
    handover = hs.prepare(actor=office["worker"], unit=office["RB"], jrwa_class=office["6730"], year=2022, group="B")
    hs.submit(actor=office["worker"], handover=handover)
    with pytest.raises(PermissionDenied):
        hs.accept(actor=office["head"], handover=handover)


def test_cases_not_yet_due_are_not_listed(office):
    closed_case(office, started_on=D(2025, 3, 1), closed_on=D(2025, 6, 1))  # due from 2028-01-01
    with pytest.raises(ValidationError):
        hs.prepare(actor=office["worker"], unit=office["RB"], jrwa_class=office["6730"], year=2025, group="B")


def test_the_check_flags_open_cases_missing_documents_and_wrong_category(office, file_2022):
    handover = hs.prepare(actor=office["worker"], unit=office["RB"], jrwa_class=office["6730"], year=2022, group="B")
    flags = hs.check(handover)
    # The open case of the same file is flagged (not blocking: it stays with the unit).
    assert [(f.code, f.case_id, f.blocking) for f in flags] == [("open", file_2022["open"].pk, False)]
    reopened = change_status(file_2022["cases"][0], actor=office["worker"], status="open", on_day=D(2023, 1, 5))
    hs.submit(actor=office["worker"], handover=handover)
    codes = {(f.code, f.case_id, f.blocking) for f in hs.check(handover)}
    assert ("open", reopened.pk, True) in codes
    assert ("category", reopened.pk, True) in codes  # no retention while open
    with pytest.raises(ValidationError):
        hs.accept(actor=office["archivist"], handover=handover)
    assert not CaseCustody.objects.exists()


def test_fewer_documents_than_listed_blocks_acceptance(office, file_2022):
    handover = hs.prepare(actor=office["worker"], unit=office["RB"], jrwa_class=office["6730"], year=2022, group="B")
    item = handover.items.first()
    item.documents_count = 2
    item.save()
    hs.submit(actor=office["worker"], handover=handover)
    assert any(f.code == "documents" and f.blocking for f in hs.check(handover))


def test_accept_moves_custody_numbers_the_accession_and_makes_the_files_read_only(office, file_2022):
    handover = hs.prepare(actor=office["worker"], unit=office["RB"], jrwa_class=office["6730"], year=2022, group="B")
    hs.submit(actor=office["worker"], handover=handover)
    handover = hs.accept(actor=office["archivist"], handover=handover, storage_location="pok. 12, regał 3")
    assert handover.status == HandoverStatus.ACCEPTED and handover.accession_number == 1
    again = hs.accept(actor=office["archivist"], handover=handover)  # double submission
    assert again.accession_number == 1 and CaseCustody.objects.count() == 3
    case = file_2022["cases"][0]
    assert CaseCustody.objects.get(case=case).storage_location == "pok. 12, regał 3"
    entry = HistoryEntry.objects.get(case=case, action=Action.ARCHIVE_TRANSFER)
    assert handover.accession_sign in entry.description and entry.actor == office["archivist"]
    for attempt in (
        lambda: change_status(case, actor=office["worker"], status="open"),
        lambda: set_case_worker(case, actor=office["head"], user=office["head"]),
        lambda: add_document(actor=office["worker"], title="Pismo", kind="letter", upload=pdf_upload(), case=case),
    ):
        with pytest.raises(ValidationError, match=r"archiwum zakładowym|office archive"):
            attempt()
    # The next list gets the next accession number.
    a_list = hs.prepare(actor=office["worker"], unit=office["RB"], jrwa_class=office["0002"], year=2022, group="A")
    hs.submit(actor=office["worker"], handover=a_list)
    assert hs.accept(actor=office["archivist"], handover=a_list).accession_number == 2


def test_return_needs_remarks_and_reaches_the_metryka(office, file_2022):
    handover = hs.prepare(actor=office["worker"], unit=office["RB"], jrwa_class=office["6730"], year=2022, group="B")
    hs.submit(actor=office["worker"], handover=handover)
    with pytest.raises(ValidationError):
        hs.return_list(actor=office["archivist"], handover=handover, remarks="  ")
    handover = hs.return_list(actor=office["archivist"], handover=handover, remarks="Brak decyzji w sprawie 2")
    assert handover.status == HandoverStatus.RETURNED
    assert HistoryEntry.objects.filter(case=file_2022["cases"][1], description__contains="Brak decyzji").exists()
    # The unit corrects and resubmits; the list keeps its cases.
    handover = hs.refresh(actor=office["worker"], handover=handover)
    assert handover.items.count() == 3
    hs.submit(actor=office["worker"], handover=handover)
    assert hs.accept(actor=office["archivist"], handover=handover).status == HandoverStatus.ACCEPTED


def test_refresh_drops_reopened_cases_and_renumbers(office, file_2022):
    handover = hs.prepare(actor=office["worker"], unit=office["RB"], jrwa_class=office["6730"], year=2022, group="B")
    change_status(file_2022["cases"][0], actor=office["worker"], status="open", on_day=D(2023, 1, 5))
    handover = hs.refresh(actor=office["worker"], handover=handover)
    assert [(i.position, i.case_id) for i in handover.items.order_by("position")] == [
        (1, file_2022["cases"][1].pk), (2, file_2022["cases"][2].pk)]
