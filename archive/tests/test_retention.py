"""Retention: the worked examples of domain.md § 2.2 / § 8 and the edge cases around them."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation

from archive.models import CaseRetention, RetentionKind
from archive.retention import compute, explain, parse_category
from archive.tests.conftest import closed_case
from registry.models import Action, HistoryEntry, JrwaClass, JrwaVersion
from registry.services.cases import change_status, correct_jrwa_class

POLICY = SimpleNamespace(transfer_after_years=2, bc_years=2, state_archive_after_years=25)
D = dt.date


@pytest.mark.parametrize("category, closed, eligible", [
    ("B10", D(2024, 6, 30), D(2035, 1, 1)),  # domain.md § 8 example 7
    ("B5", D(2024, 3, 14), D(2030, 1, 1)),  # domain.md § 2.2: years 2025–2029
    ("B5", D(2024, 2, 29), D(2030, 1, 1)),  # leap day: counted from 1 January, no 29 February to fall on
    ("B5", D(2024, 12, 31), D(2030, 1, 1)),  # last day of the year still counts as that year
    ("B5", D(2025, 1, 1), D(2031, 1, 1)),  # first day of the next year moves everything by one
    ("B50", D(2000, 7, 1), D(2051, 1, 1)),
    ("B2", D(2023, 5, 5), D(2026, 1, 1)),
])
def test_category_b_is_eligible_after_full_calendar_years(category, closed, eligible):
    r = compute(category, closed, POLICY)
    assert (r.kind, r.eligible_from, r.review_from, r.state_archive_from) == (RetentionKind.B, eligible, None, None)
    assert r.counted_from == D(closed.year + 1, 1, 1)


def test_category_a_is_permanent_and_goes_to_the_state_archive_after_25_years():
    r = compute("A", D(2025, 9, 1), POLICY)
    # domain.md § 8: "created 2025 → transfer in 2050/2051": counted like the others, from 1 Jan 2026.
    assert (r.kind, r.eligible_from, r.state_archive_from) == (RetentionKind.A, None, D(2051, 1, 1))


def test_category_be_is_never_eligible_by_itself_only_reviewed():
    r = compute("BE5", D(2024, 6, 30), POLICY)
    assert (r.kind, r.eligible_from, r.review_from) == (RetentionKind.BE, None, D(2030, 1, 1))
    with translation.override("pl"):
        assert any("ekspertyzę" in line and "2030-01-01" in line for line in explain(r))


def test_category_bc_follows_the_office_policy():
    r = compute("Bc", D(2024, 6, 30), SimpleNamespace(**{**vars(POLICY), "bc_years": 5}))
    assert (r.kind, r.years, r.eligible_from) == (RetentionKind.BC, 5, D(2030, 1, 1))


def test_office_archive_transfer_follows_the_policy():
    assert compute("B10", D(2024, 6, 30), POLICY).office_archive_from == D(2027, 1, 1)
    policy = SimpleNamespace(**{**vars(POLICY), "transfer_after_years": 0})
    assert compute("B10", D(2024, 6, 30), policy).office_archive_from == D(2025, 1, 1)


@pytest.mark.parametrize("bad", ["", "C", "B", "BE", "b10", "A5", "B1000"])
def test_bad_categories_are_refused(bad):
    with pytest.raises(ValueError):
        parse_category(bad)


def test_closing_a_case_computes_retention_with_the_reason_in_the_metryka(office):
    case = closed_case(office, started_on=D(2024, 3, 1), closed_on=D(2024, 6, 30))
    row = CaseRetention.objects.get(case=case)
    assert (row.category, row.eligible_from, row.office_archive_from) == ("B10", D(2035, 1, 1), D(2027, 1, 1))
    entry = HistoryEntry.objects.get(case=case, action=Action.RETENTION_SET)
    assert "2035-01-01" in entry.description and "6730" in entry.description
    assert entry.data["eligible_from"] == "2035-01-01"


def test_reopening_withdraws_and_closing_again_recomputes(office):
    case = closed_case(office, started_on=D(2024, 3, 1), closed_on=D(2024, 12, 30))
    assert CaseRetention.objects.get(case=case).eligible_from == D(2035, 1, 1)
    case = change_status(case, actor=office["worker"], status="open", on_day=D(2025, 1, 10))
    assert not CaseRetention.objects.filter(case=case).exists()
    assert HistoryEntry.objects.filter(case=case, action=Action.RETENTION_WITHDRAWN).count() == 1
    case = change_status(case, actor=office["worker"], status="closed", on_day=D(2025, 2, 1))
    assert CaseRetention.objects.get(case=case).eligible_from == D(2036, 1, 1)
    assert HistoryEntry.objects.filter(case=case, action=Action.RETENTION_SET).count() == 2


def test_a_class_correction_recomputes_and_keeps_the_old_sign_in_the_metryka(office):
    case = closed_case(office, "2110", started_on=D(2024, 3, 1), closed_on=D(2024, 6, 30))
    assert CaseRetention.objects.get(case=case).eligible_from == D(2030, 1, 1)
    old_sign = case.sign
    case = correct_jrwa_class(case, actor=office["head"], jrwa_class=office["0002"], reason="błędna klasyfikacja")
    row = CaseRetention.objects.get(case=case)
    assert (row.kind, row.state_archive_from, row.eligible_from) == (RetentionKind.A, D(2050, 1, 1), None)
    assert case.sign == "RB.0002.1.2024"
    assert HistoryEntry.objects.filter(case=case, action=Action.JRWA_CLASS_CHANGED,
                                       description__contains=old_sign).exists()


def test_the_category_of_the_version_in_force_when_the_case_was_opened_applies(office):
    """JRWA 2026 raises 6730 to B25; a case opened in 2024 keeps B10 of JRWA 2011, even when its class row was later
    pointed at the new version (imported data)."""
    JrwaVersion.objects.filter(pk=office["version"].pk).update(valid_to=D(2025, 12, 31))
    new = JrwaVersion.objects.create(name="JRWA 2026", valid_from=D(2026, 1, 1))
    new_6730 = JrwaClass.objects.create(version=new, symbol="6730", title="Warunki zabudowy", category_own="B25",
                                        is_leaf=True)
    case = closed_case(office, started_on=D(2024, 3, 1), closed_on=D(2024, 6, 30))
    assert CaseRetention.objects.get(case=case).category == "B10"
    type(case).objects.filter(pk=case.pk).update(jrwa_class=new_6730)
    from archive.services.retention import recompute

    case.refresh_from_db()
    row = recompute(case, actor=office["worker"])
    assert (row.category, row.jrwa_class_id) == ("B10", office["6730"].pk)
    # And a case opened under the new version gets B25.
    later = closed_case({**office, "6730": new_6730}, started_on=D(2026, 1, 2), closed_on=D(2026, 1, 5))
    assert CaseRetention.objects.get(case=later).category == "B25"


def test_a_class_without_category_gets_no_retention(office):
    office["6730"].category_own = ""
    office["6730"].save()
    case = closed_case(office, started_on=D(2024, 3, 1), closed_on=D(2024, 6, 30))
    assert not CaseRetention.objects.filter(case=case).exists()


def test_bulk_recompute_backfills_and_resumes_without_duplicates(office):
    from django.core.management import call_command

    cases = [closed_case(office, started_on=D(2020, 1, i + 1), closed_on=D(2020, 2, 1)) for i in range(3)]
    CaseRetention.objects.filter(case__in=cases[1:]).delete()  # as if closed before the archive app existed
    call_command("retention_recompute", "--actor", office["archivist"].username, "--missing", "--batch-size", "2")
    assert CaseRetention.objects.filter(case__in=cases).count() == 3
    counts = [HistoryEntry.objects.filter(case=c, action=Action.RETENTION_SET).count() for c in cases]
    assert counts == [1, 2, 2]
    call_command("retention_recompute", "--actor", office["archivist"].username)  # nothing changed: nothing written
    assert [HistoryEntry.objects.filter(case=c, action=Action.RETENTION_SET).count() for c in cases] == counts
    from archive.models import ArchivePolicy

    ArchivePolicy.objects.update_or_create(pk=1, defaults={"transfer_after_years": 5})
    call_command("retention_recompute", "--actor", office["archivist"].username)
    assert set(CaseRetention.objects.values_list("office_archive_from", flat=True)) == {D(2026, 1, 1)}
