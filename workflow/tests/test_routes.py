"""Routes as data: choice per JRWA class / document kind / unit with a default, versions, conditional stages,
parallel stages finishing on all or any, rejection, return-to stage, due times in working days."""

import datetime as dt

import pytest
from django.utils import timezone

from registry.models import Action, DocumentKind, HistoryEntry
from workflow import routing, services
from workflow.models import ApprovalProcess, CaseFlag, Route, RouteVersion, Stage, Step
from workflow.services import WorkflowError
from workflow.tests.conftest import TWO_STAGES, fill_version, make_route
from workflow.tests.helpers import case_with_draft, open_tasks
from workflow.workdays import add_working_days

pytestmark = pytest.mark.django_db
HEAD = [(Step.Assignee.UNIT_HEAD, None, 2)]


def test_route_chosen_by_jrwa_kind_and_unit_with_default(people):
    default, _ = make_route("Domyślna", stages=[("A", "approval", "all", None, HEAD)])
    by_class, _ = make_route("WZ", default=False, jrwa_symbol="67", stages=[("A", "approval", "all", None, HEAD)])
    by_unit, _ = make_route("WZ w RB", default=False, jrwa_symbol="673", unit=people["RB"],
                            stages=[("A", "approval", "all", None, HEAD)])
    by_kind, _ = make_route("Decyzje", default=False, document_kind=DocumentKind.DECISION,
                            stages=[("A", "approval", "all", None, HEAD)])
    case, draft = case_with_draft(people)
    assert routing.choose_route(case, draft) == by_unit
    case2, draft2 = case_with_draft(people, unit=people["OR"], worker=people["worker_or"])
    assert routing.choose_route(case2, draft2) == by_class
    case3, draft3 = case_with_draft(people, unit=people["OR"], worker=people["worker_or"], jrwa=people["udip"],
                                    kind=DocumentKind.DECISION)
    assert routing.choose_route(case3, draft3) == by_kind
    case4, draft4 = case_with_draft(people, unit=people["OR"], worker=people["worker_or"], jrwa=people["udip"])
    assert routing.choose_route(case4, draft4) == default


def test_running_approval_keeps_its_version(people, two_stage_route):
    route, v1 = two_stage_route
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    # The administrator publishes v2 with a single stage and retires v1; v1's stages are even edited.
    v1.status = RouteVersion.Status.RETIRED
    v1.save()
    Stage.objects.filter(version=v1, order=2).update(name="zmieniony")
    v2 = RouteVersion.objects.create(route=route, number=2, status=RouteVersion.Status.PUBLISHED, dispatch=False)
    fill_version(v2, [("Tylko kierownik", "approval", "all", None, HEAD)])
    for t in open_tasks("decide", process_id=process.pk):
        services.decide(t.pk, user=t.owner, decision="approve")
    [sign] = open_tasks("decide", process_id=process.pk)
    assert sign.owner == people["wojt"] and "Podpis" in sign.label  # still v1's stage 2, as snapshotted
    # A new run takes v2.
    _case2, draft2 = case_with_draft(people)
    p2 = services.start_route(draft2, actor=people["worker_rb"])
    assert p2.route["version"] == 2


def test_missing_or_retired_version_is_a_clear_error(people, two_stage_route):
    _, v1 = two_stage_route
    _case, draft = case_with_draft(people)
    with pytest.raises(WorkflowError, match=r"no longer exists|nie istnieje"):
        services.start_route(draft, actor=people["worker_rb"], version_id=999999)
    v1.status = RouteVersion.Status.RETIRED
    v1.save()
    with pytest.raises(WorkflowError):
        services.start_route(draft, actor=people["worker_rb"], version_id=v1.pk)
    with pytest.raises(WorkflowError):  # and no published version at all
        services.start_route(draft, actor=people["worker_rb"])


def test_conditional_stage_runs_only_when_flagged(people):
    make_route(stages=[
        ("Kierownik", "approval", "all", None, HEAD),
        ("Skarbnik", "approval", "all", None, [(Step.Assignee.POSITION, "skarbnik", 2)], {"if_flag": "financial"}),
        ("Podpis", "signature", "all", None, [(Step.Assignee.POSITION, "wojt", 2)]),
    ], dispatch=False)
    cases = (([], ["kierownik_rb", "wojt"]), ([CaseFlag.FINANCIAL], ["kierownik_rb", "skarbnik", "wojt"]))
    for flags, expected in cases:
        _case, draft = case_with_draft(people)
        process = services.start_route(draft, actor=people["worker_rb"], flags=flags)
        seen = []
        while tasks := open_tasks("decide", process_id=process.pk):
            seen.append(tasks[0].owner.username)
            services.decide(tasks[0].pk, user=tasks[0].owner, decision="approve")
        assert seen == expected
        assert ApprovalProcess.objects.get(pk=process.pk).outcome == "approved"


def test_any_mode_finishes_on_first_approval_and_cancels_the_rest(people):
    make_route(stages=[
        ("Współakceptacja", "approval", "any", None,
         [(Step.Assignee.UNIT_HEAD, None, 2), (Step.Assignee.POSITION, "radca_prawny", 2)]),
    ], dispatch=False)
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    first, second = open_tasks("decide", process_id=process.pk)
    services.decide(first.pk, user=first.owner, decision="approve")
    second.refresh_from_db()
    assert second.status == "CANCELED"
    assert ApprovalProcess.objects.get(pk=process.pk).outcome == "approved"
    with pytest.raises(WorkflowError):
        services.decide(second.pk, user=second.owner, decision="approve")


def test_reject_ends_the_route(people, two_stage_route):
    case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    first, second = open_tasks("decide", process_id=process.pk)
    services.decide(first.pk, user=first.owner, decision="reject", comment="Sprawa niezasadna")
    process = ApprovalProcess.objects.get(pk=process.pk)
    assert process.outcome == "rejected" and process.status == "DONE"
    second.refresh_from_db()
    assert second.status == "CANCELED"
    assert HistoryEntry.objects.filter(case=case, action=Action.REJECTED, document_version__number=1).exists()


def test_return_at_signature_restarts_from_the_stage_the_route_names(people, two_stage_route):
    # TWO_STAGES: the signature stage says "return_to=1" → after corrections, the opinions run again.
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    for t in open_tasks("decide", process_id=process.pk):
        services.decide(t.pk, user=t.owner, decision="approve")
    [sign] = open_tasks("decide", process_id=process.pk)
    services.decide(sign.pk, user=people["wojt"], decision="return", comment="Zmień datę")
    [revise] = open_tasks("revise", process_id=process.pk)
    services.revise(revise.pk, user=people["worker_rb"], comment="bez zmian w pliku")
    assert {t.owner.username for t in open_tasks("decide", process_id=process.pk)} == {"kierownik_rb", "radca"}


def test_return_to_same_stage_by_default(people):
    make_route(stages=[
        ("Kierownik", "approval", "all", None, HEAD),
        ("Podpis", "signature", "all", None, [(Step.Assignee.POSITION, "wojt", 2)]),
    ], dispatch=False)
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    [t] = open_tasks("decide", process_id=process.pk)
    services.decide(t.pk, user=t.owner, decision="approve")
    [sign] = open_tasks("decide", process_id=process.pk)
    services.decide(sign.pk, user=people["wojt"], decision="return", comment="Popraw")
    [revise] = open_tasks("revise", process_id=process.pk)
    services.revise(revise.pk, user=people["worker_rb"])
    [again] = open_tasks("decide", process_id=process.pk)
    assert again.owner == people["wojt"]


def test_step_without_a_person_is_refused_before_starting(people):
    from organisation.models import Position

    Position.objects.filter(code="radca_prawny").update(holder=None)
    make_route(stages=TWO_STAGES)
    _case, draft = case_with_draft(people)
    with pytest.raises(WorkflowError, match=r"radca|Radca|Nobody|Nikt"):
        services.start_route(draft, actor=people["worker_rb"])
    assert not ApprovalProcess.objects.exists()


def test_due_time_in_working_days_skips_weekends_and_holidays():
    friday = dt.date(2026, 12, 18)
    assert add_working_days(friday, 1) == dt.date(2026, 12, 21)
    # 24.12 is a public holiday from 2025, 25–26.12 too: Wednesday 23.12 + 1 → Monday 28.12
    assert add_working_days(dt.date(2026, 12, 23), 1) == dt.date(2026, 12, 28)
    assert add_working_days(dt.date(2026, 11, 10), 1) == dt.date(2026, 11, 12)  # 11.11 Independence Day


def test_decision_task_due_time(people, two_stage_route):
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    for t in open_tasks("decide", process_id=process.pk):
        expected = add_working_days(timezone.localdate(), t.data["due_days"])
        assert timezone.localtime(t.due_at).date() == expected


def test_route_validation_lists_problems(people):
    route = Route.objects.create(name="Pusta")
    version = RouteVersion.objects.create(route=route, number=1)
    assert routing.validate_route(version)


def test_running_approval_survives_its_version_being_deleted(people, two_stage_route):
    _route, v1 = two_stage_route
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    v1.delete()
    for t in open_tasks("decide", process_id=process.pk):
        services.decide(t.pk, user=t.owner, decision="approve")
    [sign] = open_tasks("decide", process_id=process.pk)
    assert sign.owner == people["wojt"]
    assert ApprovalProcess.objects.get(pk=process.pk).route_version is None
