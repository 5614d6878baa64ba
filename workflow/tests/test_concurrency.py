"""Two people acting on the same task at once: one wins, the other gets a clear message, the route advances once."""

import threading

import pytest
from django.db import connection

from registry.models import Action, HistoryEntry
from workflow import services
from workflow.models import Stage, Step, WorkTask
from workflow.services import WorkflowError
from workflow.tests.conftest import make_route
from workflow.tests.helpers import case_with_draft, open_tasks


def _race(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait()
            results[i] = ("ok", fn())
        except WorkflowError as e:
            results[i] = ("refused", str(e))
        except Exception as e:  # pragma: no cover - any other error fails the test below
            results[i] = ("error", repr(e))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.mark.django_db(transaction=True)
def test_owner_and_substitute_decide_the_same_task(people):
    import datetime as dt

    from django.utils import timezone

    from organisation.models import Substitution

    make_route(stages=[
        ("Kierownik", Stage.Kind.APPROVAL, Stage.Mode.ALL, None, [(Step.Assignee.UNIT_HEAD, None, 2)]),
        ("Podpis", Stage.Kind.SIGNATURE, Stage.Mode.ALL, None, [(Step.Assignee.POSITION, "wojt", 2)]),
    ], dispatch=False)
    today = timezone.localdate()
    Substitution.objects.create(principal=people["head_rb"], substitute=people["worker_rb2"],
                                starts_on=today, ends_on=today + dt.timedelta(days=3))
    case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    [task] = open_tasks("decide", process_id=process.pk)

    results = _race([
        lambda: services.decide(task.pk, user=people["head_rb"], decision="approve"),
        lambda: services.decide(task.pk, user=people["worker_rb2"], decision="approve"),
    ])
    outcomes = sorted(r[0] for r in results)
    assert outcomes == ["ok", "refused"], results
    refused = next(r[1] for r in results if r[0] == "refused")
    assert "finished" in refused or "zakończone" in refused or "right now" in refused or "chwilę" in refused
    # The route advanced exactly once: one signature task, one APPROVED entry.
    assert len(open_tasks("decide", process_id=process.pk)) == 1
    assert HistoryEntry.objects.filter(case=case, action=Action.APPROVED).count() == 1
    assert WorkTask.objects.filter(process_id=process.pk, decision="approve").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_parallel_opinions_at_once_join_once(people):
    make_route(stages=[
        ("Opinie", Stage.Kind.OPINION, Stage.Mode.ALL, None,
         [(Step.Assignee.UNIT_HEAD, None, 2), (Step.Assignee.POSITION, "radca_prawny", 2)]),
        ("Podpis", Stage.Kind.SIGNATURE, Stage.Mode.ALL, None, [(Step.Assignee.POSITION, "wojt", 2)]),
    ], dispatch=False)
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    a, b = open_tasks("decide", process_id=process.pk)
    for _attempt in range(3):
        results = _race([
            lambda: services.decide(a.pk, user=a.owner, decision="approve"),
            lambda: services.decide(b.pk, user=b.owner, decision="approve"),
        ])
        if all(r[0] == "ok" for r in results):
            break
        # the flow lock was busy for the whole retry window: the loser retries, as a user would
        for (kind, _msg), t in zip(results, (a, b), strict=True):
            if kind == "refused":
                services.decide(t.pk, user=t.owner, decision="approve")
        break
    [sign] = open_tasks("decide", process_id=process.pk)
    assert sign.owner == people["wojt"]
    joins = [t for t in WorkTask.objects.filter(process_id=process.pk) if t.flow_task.name == "join"]
    assert len(joins) == 1 and joins[0].status == "DONE"


@pytest.mark.django_db(transaction=True)
def test_two_clerks_decide_the_same_queued_task_in_one_step(people):
    """Claim-and-decide: both take the unassigned task and choose a unit at once; one wins, the other is told."""
    from organisation.models import Membership, Role
    from registry.tests.factories import make_delivery, member
    from workflow.models import DeliveryProcess

    other_clerk = member(people["OR"], Role.REGISTRY_CLERK, username="kancelaria2")
    assert Membership.objects.filter(user=other_clerk, role=Role.REGISTRY_CLERK).exists()
    delivery = make_delivery(people["clerk"])
    process = DeliveryProcess.objects.get(delivery=delivery)
    [task] = open_tasks("choose_unit", process_id=process.pk)
    assert task.owner_id is None

    results = _race([
        lambda: services.choose_unit(task.pk, user=people["clerk"], unit=people["RB"]),
        lambda: services.choose_unit(task.pk, user=other_clerk, unit=people["OR"]),
    ])
    assert sorted(r[0] for r in results) == ["ok", "refused"], results
    refused = next(r[1] for r in results if r[0] == "refused")
    assert any(w in refused for w in ("finished", "zakończone", "right now", "chwilę", "taken", "przejął")), refused
    task.refresh_from_db()
    winner = people["clerk"] if results[0][0] == "ok" else other_clerk
    assert task.status == "DONE" and task.owner == winner and task.done_by == winner
    assert HistoryEntry.objects.filter(delivery=delivery, action=Action.DELIVERY_ASSIGNED).count() == 1
    assert len(open_tasks("decree", process_id=process.pk)) == 1


@pytest.mark.django_db(transaction=True)
def test_bulk_and_single_claim_race(people):
    from organisation.models import Role
    from registry.tests.factories import make_delivery, member
    from workflow import bulk
    from workflow.models import DeliveryProcess

    other_clerk = member(people["OR"], Role.REGISTRY_CLERK, username="kancelaria3")
    deliveries = [make_delivery(people["clerk"], subject=f"Wyścig {i}") for i in range(3)]
    tasks = [open_tasks("choose_unit", process_id=DeliveryProcess.objects.get(delivery=d).pk)[0] for d in deliveries]
    results = _race([
        lambda: bulk.claim([t.pk for t in tasks], people["clerk"]),
        lambda: services.claim(tasks[1].pk, other_clerk),
    ])
    assert results[0][0] == "ok", results
    summary = results[0][1]
    single_won = results[1][0] == "ok"
    assert len(summary.done) + len(summary.skipped) == 3
    assert len(summary.done) == (2 if single_won else 3)
    for t in tasks:
        t.refresh_from_db()
    assert tasks[1].owner == (other_clerk if single_won else people["clerk"])
    assert tasks[0].owner == tasks[2].owner == people["clerk"]
