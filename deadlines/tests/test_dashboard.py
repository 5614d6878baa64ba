"""The dashboard's counts against hand-built data, for each audience, and the query budget."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deadlines import selectors
from deadlines.models import CaseDeadline, DeadlineKind
from deadlines.tasks import write_snapshot
from deadlines.tests.factories import make_case
from registry.models import CaseStatus
from registry.services.cases import change_status

TODAY = dt.date(2025, 6, 2)  # Monday
START = dt.date(2025, 5, 1)


def _case(office, worker, unit, offset, *, confidential=False, symbol="6730"):
    case = make_case(office[worker], unit=office[unit], jrwa_class=office[symbol], case_worker=office[worker],
                     started_on=START, confidential=confidential)
    CaseDeadline.objects.filter(case=case).update(due_date=TODAY + dt.timedelta(days=offset))
    return case


@pytest.fixture
def data(office):
    cases = {
        "rb_over_1": _case(office, "worker_rb", "RB", -1),
        "rb_over_30": _case(office, "worker_rb", "RB", -30),
        "rb_today": _case(office, "worker_rb", "RB", 0),
        "rb_3": _case(office, "worker_rb", "RB", 3),
        "rb_4": _case(office, "worker_rb", "RB", 4),
        "rb_8": _case(office, "worker_rb", "RB", 8),
        "rb2_over": _case(office, "worker_rb2", "RB", -2, symbol="1431"),
        "rb2_susp": _case(office, "worker_rb2", "RB", 10),
        "rba_1": _case(office, "worker_rb_a", "RB-A", 1),
        "or_10": _case(office, "worker_or", "OR", 10),
        "or_20": _case(office, "worker_or", "OR", 20),
        "or_conf_over": _case(office, "worker_or", "OR", -5, confidential=True),
        "rb_closed": _case(office, "worker_rb", "RB", -3),
    }
    change_status(cases["rb2_susp"], actor=office["worker_rb2"], status=CaseStatus.SUSPENDED, on_day=START)
    change_status(cases["rb_closed"], actor=office["worker_rb"], status=CaseStatus.CLOSED, on_day=START)
    return office, cases


def counts(row):
    return [row[b] for b in selectors.BUCKETS] + [row["total"]]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        # overdue, today, ≤3, ≤7, on time, suspended, total
        ("secretary", [3, 1, 2, 1, 3, 1, 11]),  # everything but the confidential case and the closed one
        ("head_rb", [3, 1, 2, 1, 1, 1, 9]),  # RB and its section RB-A
        ("worker_rb", [2, 1, 1, 1, 1, 0, 6]),  # own cases only
        ("worker_rb2", [1, 0, 0, 0, 0, 1, 2]),
        ("worker_or", [1, 0, 0, 0, 2, 0, 3]),  # own confidential case included
        ("head_or", [0, 0, 0, 0, 2, 0, 2]),  # a head does not see a confidential case of the unit
    ],
)
def test_totals_per_audience(data, who, expected):
    office, _cases = data
    result = selectors.dashboard(office[who], selectors.Filters(), today=TODAY)
    assert counts(result["totals"]) == expected
    assert result["cases"].count() == expected[-1]


def test_by_unit_and_by_case_worker(data):
    office, _cases = data
    result = selectors.dashboard(office["secretary"], selectors.Filters(), today=TODAY)
    units = {row["case__unit__symbol"]: counts(row) for row in result["by_unit"]}
    assert units == {
        "OR": [0, 0, 0, 0, 2, 0, 2],
        "RB": [3, 1, 1, 1, 1, 1, 8],
        "RB-A": [0, 0, 1, 0, 0, 0, 1],
    }
    result = selectors.dashboard(office["head_rb"], selectors.Filters(), today=TODAY)
    workers = {row["case__case_worker__username"]: counts(row) for row in result["by_case_worker"]}
    assert workers == {
        "referent_rb": [2, 1, 1, 1, 1, 0, 6],
        "referent_rb2": [1, 0, 0, 0, 0, 1, 2],
        "referent_rba": [0, 0, 1, 0, 0, 0, 1],
    }
    # the worst first
    assert result["by_case_worker"][0]["case__case_worker__username"] == "referent_rb"


def test_filters(data):
    office, cases = data
    sec = office["secretary"]
    by_unit = selectors.dashboard(sec, selectors.Filters(unit=office["RB-A"].pk), today=TODAY)
    assert counts(by_unit["totals"]) == [0, 0, 1, 0, 0, 0, 1]
    overdue = selectors.dashboard(sec, selectors.Filters(bucket="overdue"), today=TODAY)
    assert {d.case_id for d in overdue["cases"]} == {cases[k].pk for k in ("rb_over_1", "rb_over_30", "rb2_over")}
    assert next(d.case_id for d in overdue["cases"]) == cases["rb_over_30"].pk  # earliest due first
    udip = DeadlineKind.objects.get(code="UDIP-14D")
    assert selectors.dashboard(sec, selectors.Filters(kind=udip.pk), today=TODAY)["totals"]["total"] == 1
    worker = selectors.dashboard(sec, selectors.Filters(case_worker=office["worker_rb2"].pk), today=TODAY)
    assert worker["totals"]["total"] == 2
    search = selectors.dashboard(sec, selectors.Filters(q=cases["rb_today"].sign), today=TODAY)
    assert [d.case_id for d in search["cases"]] == [cases["rb_today"].pk]


def test_one_query_per_aggregate(data):
    office, _cases = data
    audience = selectors.audience_for(office["secretary"])
    qs = selectors.apply_filters(selectors.visible_deadlines(office["secretary"], audience), selectors.Filters(), TODAY)
    for function in (selectors.totals, selectors.by_unit, selectors.by_case_worker):
        with CaptureQueriesContext(connection) as ctx:
            function(qs, TODAY)
        assert len(ctx.captured_queries) == 1, function
    with CaptureQueriesContext(connection) as ctx:
        rows = list(selectors.case_list(qs))
        for d in rows:
            (d.case.unit.symbol, str(d.case.case_worker), d.kind.name)
    assert len(ctx.captured_queries) == 1


def test_snapshot_and_overdue_history(data):
    office, _cases = data
    assert write_snapshot(TODAY) > 0
    assert write_snapshot(TODAY) > 0  # a second run replaces the rows
    history = selectors.overdue_history(selectors.audience_for(office["secretary"]), selectors.Filters(), today=TODAY)
    assert history == [(TODAY, 3)]  # the confidential case is not in the snapshot
    head = selectors.overdue_history(selectors.audience_for(office["head_rb"]), selectors.Filters(), today=TODAY)
    assert head == [(TODAY, 3)]
    head_or = selectors.overdue_history(selectors.audience_for(office["head_or"]), selectors.Filters(), today=TODAY)
    assert head_or == [(TODAY, 0)]
    own = selectors.overdue_history(selectors.audience_for(office["worker_rb2"]), selectors.Filters(), today=TODAY)
    assert own == [(TODAY, 1)]


def test_on_time_rate_per_unit_and_month(office):
    worker = office["worker_rb"]
    on_time = make_case(worker, unit=office["RB"], jrwa_class=office["6730"], started_on=dt.date(2025, 4, 1))
    late = make_case(worker, unit=office["RB"], jrwa_class=office["6730"], started_on=dt.date(2025, 4, 2))
    other = make_case(office["worker_or"], unit=office["OR"], jrwa_class=office["6730"],
                      started_on=dt.date(2025, 3, 3))
    change_status(on_time, actor=worker, status=CaseStatus.CLOSED, on_day=dt.date(2025, 5, 2))  # due 2 May
    change_status(late, actor=worker, status=CaseStatus.CLOSED, on_day=dt.date(2025, 5, 6))  # due 2 May
    change_status(other, actor=worker, status=CaseStatus.CLOSED, on_day=dt.date(2025, 3, 20))
    months, rows = selectors.on_time_rate(office["secretary"], selectors.Filters(), today=dt.date(2025, 6, 2))
    assert months[0] == dt.date(2024, 7, 1) and months[-1] == dt.date(2025, 6, 1) and len(months) == 12
    table = {row["symbol"]: dict(zip(months, row["cells"], strict=True)) for row in rows}
    assert table["RB"][dt.date(2025, 5, 1)] == (2, 1, 50)
    assert table["RB"][dt.date(2025, 4, 1)] is None
    assert table["OR"][dt.date(2025, 3, 1)] == (1, 1, 100)
    _months, rows = selectors.on_time_rate(office["worker_or"], selectors.Filters(), today=dt.date(2025, 6, 2))
    assert [row["symbol"] for row in rows] == ["OR"]


def test_substitute_of_a_head_sees_the_unit(data):
    from organisation.models import Substitution

    office, _cases = data
    Substitution.objects.create(principal=office["head_rb"], substitute=office["worker_or"],
                                starts_on=dt.date(2000, 1, 1), ends_on=dt.date(2100, 1, 1))
    result = selectors.dashboard(office["worker_or"], selectors.Filters(), today=TODAY)
    # RB and RB-A (9) plus worker_or's own three cases
    assert result["totals"]["total"] == 12
