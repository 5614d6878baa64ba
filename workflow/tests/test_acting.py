"""Who may act: someone else's task, a finished task, substitutes (“on behalf of”), the queue."""

import datetime as dt

import pytest
from django.utils import timezone

from organisation.models import Substitution
from registry.models import Action, HistoryEntry
from registry.tests.factories import make_delivery
from workflow import selectors, services
from workflow.models import DeliveryProcess
from workflow.services import WorkflowError
from workflow.tests.helpers import case_with_draft, open_tasks

pytestmark = pytest.mark.django_db


def test_someone_elses_task_is_refused(people, two_stage_route):
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    task = open_tasks("decide", process_id=process.pk)[0]
    with pytest.raises(WorkflowError, match=r"belongs to|należy do"):
        services.decide(task.pk, user=people["worker_or"], decision="approve")


def test_finished_task_is_refused(people, two_stage_route):
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    task = open_tasks("decide", process_id=process.pk)[0]
    services.decide(task.pk, user=task.owner, decision="approve")
    with pytest.raises(WorkflowError, match=r"already finished|zakończone"):
        services.decide(task.pk, user=task.owner, decision="approve")


def test_unknown_task_and_wrong_kind(people, two_stage_route):
    with pytest.raises(WorkflowError):
        services.decide(10**9, user=people["head_rb"], decision="approve")
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    task = open_tasks("decide", process_id=process.pk)[0]
    with pytest.raises(WorkflowError):
        services.revise(task.pk, user=task.owner)


def test_substitute_sees_and_does_the_task_on_behalf(people, two_stage_route):
    today = timezone.localdate()
    Substitution.objects.create(principal=people["radca"], substitute=people["worker_or"],
                                starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=5))
    case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    [task] = [t for t in open_tasks("decide", process_id=process.pk) if t.owner == people["radca"]]
    assert task in selectors.my_tasks(people["worker_or"])
    services.decide(task.pk, user=people["worker_or"], decision="approve")
    task.refresh_from_db()
    assert task.done_by == people["worker_or"] and task.on_behalf_of == people["radca"]
    entry = HistoryEntry.objects.get(case=case, action=Action.OPINION, actor=people["worker_or"])
    assert entry.on_behalf_of == people["radca"]


def test_expired_substitution_gives_nothing(people, two_stage_route):
    today = timezone.localdate()
    Substitution.objects.create(principal=people["radca"], substitute=people["worker_or"],
                                starts_on=today - dt.timedelta(days=10), ends_on=today - dt.timedelta(days=1))
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    [task] = [t for t in open_tasks("decide", process_id=process.pk) if t.owner == people["radca"]]
    assert task not in selectors.my_tasks(people["worker_or"])
    with pytest.raises(WorkflowError):
        services.decide(task.pk, user=people["worker_or"], decision="approve")


def test_queue_and_claim(people):
    delivery = make_delivery(people["clerk"])
    process = DeliveryProcess.objects.get(delivery=delivery)
    [choose] = open_tasks("choose_unit", process_id=process.pk)
    assert choose in selectors.queue(people["clerk"])
    assert choose not in selectors.queue(people["worker_rb"])
    with pytest.raises(WorkflowError):
        services.claim(choose.pk, people["worker_rb"])
    services.claim(choose.pk, people["clerk"])
    with pytest.raises(WorkflowError, match=r"already taken|przejęła|przejął|Ktoś"):
        services.claim(choose.pk, people["clerk"])
    assert choose in selectors.my_tasks(people["clerk"])


def test_lists_counts_and_heads_see_their_unit(people, two_stage_route):
    case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    radca_task = next(t for t in open_tasks("decide", process_id=process.pk) if t.owner == people["radca"])
    head = people["head_rb"]
    counts = selectors.counts(head)
    assert counts["mine"] == 1 and counts["unit"] == 2  # the head sees the legal adviser's task on RB's case
    assert radca_task in selectors.unit_tasks(head)
    assert "unit" not in selectors.counts(people["worker_rb"])
    services.decide(radca_task.pk, user=people["radca"], decision="approve")
    assert selectors.counts(people["radca"])["done"] == 1
    assert list(selectors.apply_filters(selectors.my_tasks(head), kind="decide"))
    assert not list(selectors.apply_filters(selectors.my_tasks(head), kind="dispatch"))
    assert list(selectors.apply_filters(selectors.my_tasks(head), q=case.sign))


def test_confidential_case_tasks_hidden_from_unit_lists_of_outsiders(people, two_stage_route):
    _case, draft = case_with_draft(people, confidential=True)
    process = services.start_route(draft, actor=people["worker_rb"])
    radca_task = next(t for t in open_tasks("decide", process_id=process.pk) if t.owner == people["radca"])
    assert radca_task in selectors.my_tasks(people["radca"])  # the route gave it to them
    assert radca_task not in selectors.unit_tasks(people["head_rb"])  # the head is no participant


def test_substitute_signs_only_with_the_right_to_sign(people, two_stage_route):
    today = timezone.localdate()
    sub = Substitution.objects.create(principal=people["wojt"], substitute=people["worker_or"], starts_on=today,
                                      ends_on=today)
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    for t in open_tasks("decide", process_id=process.pk):
        services.decide(t.pk, user=t.owner, decision="approve")
    [sign] = open_tasks("decide", process_id=process.pk)
    with pytest.raises(WorkflowError, match=r"may not sign|upoważnienia do podpisu"):
        services.decide(sign.pk, user=people["worker_or"], decision="approve")
    sub.can_sign = True
    sub.save()
    services.decide(sign.pk, user=people["worker_or"], decision="approve")
    entry = HistoryEntry.objects.get(action=Action.SIGNED, document=draft)
    assert entry.actor == people["worker_or"] and entry.on_behalf_of == people["wojt"]
