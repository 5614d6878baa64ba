"""Bulk dekretacja and bulk claim: many tasks in one go, each in its own transaction, with a summary of what was
done and what was skipped and why; a double submission changes nothing more."""

import pytest
from django.urls import reverse

from registry.models import Action, Delivery, HistoryEntry
from registry.tests.factories import make_delivery
from workflow import bulk, services
from workflow.models import DeliveryProcess
from workflow.tests.helpers import open_tasks

pytestmark = pytest.mark.django_db


def _choose_tasks(people, n):
    deliveries = [make_delivery(people["clerk"], subject=f"Pismo {i}") for i in range(n)]
    tasks = [open_tasks("choose_unit", process_id=DeliveryProcess.objects.get(delivery=d).pk)[0] for d in deliveries]
    return deliveries, tasks


def test_bulk_choose_unit_then_bulk_decree(people):
    deliveries, tasks = _choose_tasks(people, 3)
    services.choose_unit(tasks[0].pk, user=people["clerk"], unit=people["OR"])  # done already by someone
    result = bulk.choose_unit([t.pk for t in tasks] + [10**9], people["clerk"], unit=people["RB"], note="Zbiorczo")
    assert [o.task_id for o in result.done] == [tasks[1].pk, tasks[2].pk]
    reasons = {o.task_id: o.reason for o in result.skipped}
    assert set(reasons) == {tasks[0].pk, 10**9}
    assert "finished" in reasons[tasks[0].pk] or "zakończone" in reasons[tasks[0].pk]
    assert reasons[10**9] in ("This task does not exist.", "To zadanie nie istnieje.")
    for d in deliveries[1:]:
        d.refresh_from_db()
        assert d.assigned_unit == people["RB"] and d.status == Delivery.Status.ASSIGNED
        assert HistoryEntry.objects.filter(delivery=d, action=Action.DELIVERY_ASSIGNED, actor=people["clerk"]).exists()

    # the same submission again: nothing more happens, everything is reported as skipped
    again = bulk.choose_unit([t.pk for t in tasks], people["clerk"], unit=people["RB"])
    assert again.done == [] and len(again.skipped) == 3
    assert HistoryEntry.objects.filter(action=Action.DELIVERY_ASSIGNED, delivery__in=deliveries[1:]).count() == 2

    decrees = [open_tasks("decree", process_id=DeliveryProcess.objects.get(delivery=d).pk)[0] for d in deliveries[1:]]
    foreign = open_tasks("decree", process_id=DeliveryProcess.objects.get(delivery=deliveries[0]).pk)[0]  # OR's
    result = bulk.decree([t.pk for t in decrees] + [foreign.pk], people["head_rb"], worker=people["worker_rb"],
                         instruction="Proszę o odpowiedź")
    assert [o.task_id for o in result.done] == [t.pk for t in decrees]
    assert [o.task_id for o in result.skipped] == [foreign.pk]  # not theirs: answered like a missing task
    assert result.skipped[0].reason in ("This task does not exist.", "To zadanie nie istnieje.")
    for d in deliveries[1:]:
        [handle] = open_tasks("handle", process_id=DeliveryProcess.objects.get(delivery=d).pk)
        assert handle.owner == people["worker_rb"] and handle.comment == "Proszę o odpowiedź"


def test_bulk_decree_skips_a_worker_of_another_unit_with_the_reason(people):
    _deliveries, tasks = _choose_tasks(people, 2)
    bulk.choose_unit([tasks[0].pk], people["clerk"], unit=people["RB"])
    bulk.choose_unit([tasks[1].pk], people["clerk"], unit=people["OR"])
    decree_rb = open_tasks("decree", unit=people["RB"])[0]
    decree_or = open_tasks("decree", unit=people["OR"])[0]
    # the head of RB stands in for the head of OR (wójt) and decrees both to an RB case worker
    import datetime as dt

    from django.utils import timezone

    from organisation.models import Substitution

    Substitution.objects.create(principal=people["wojt"], substitute=people["head_rb"],
                                starts_on=timezone.localdate(), ends_on=timezone.localdate() + dt.timedelta(days=1))
    result = bulk.decree([decree_rb.pk, decree_or.pk], people["head_rb"], worker=people["worker_rb"])
    assert [o.task_id for o in result.done] == [decree_rb.pk]
    [(skipped)] = result.skipped
    assert skipped.task_id == decree_or.pk and "OR" in skipped.reason


def test_bulk_claim(people):
    _deliveries, tasks = _choose_tasks(people, 2)
    services.claim(tasks[0].pk, people["clerk"])
    other_clerk = people["clerk"].__class__.objects.create(username="kancelaria2")
    from organisation.models import Membership, Role

    Membership.objects.create(user=other_clerk, unit=people["OR"], role=Role.REGISTRY_CLERK)
    result = bulk.claim([tasks[0].pk, tasks[1].pk], other_clerk)
    assert [o.task_id for o in result.done] == [tasks[1].pk]
    assert "taken" in result.skipped[0].reason or "przejął" in result.skipped[0].reason
    tasks[1].refresh_from_db()
    assert tasks[1].owner == other_clerk


def test_bulk_pages(client, people, two_stage_route):
    _deliveries, tasks = _choose_tasks(people, 2)
    client.force_login(people["clerk"])
    page = client.get(reverse("workflow:tasks"))
    html = page.content.decode()
    assert f'name="task" value="{tasks[0].pk}"' in html and 'action="/obieg/zadania/zbiorczo/"' in html
    assert 'value="choose_unit"' in html and 'value="decree"' not in html  # a clerk, not a head
    url = reverse("workflow:bulk")
    # no unit chosen: a clear error, the selection is shown again, ticked
    response = client.post(url, {"task": [t.pk for t in tasks], "action": "choose_unit"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html and f'value="{tasks[1].pk}" id="sel-{tasks[1].pk}" checked' in html
    # nothing selected
    response = client.post(url, {"action": "claim"})
    assert response.status_code == 400
    response = client.post(url, {"task": [t.pk for t in tasks], "action": "choose_unit", "unit": people["RB"].pk})
    assert response.status_code == 200
    assert [o.task_id for o in response.context["result"].done] == [t.pk for t in tasks]
    assert "role=\"status\"" in response.content.decode()
    # a head gets the assignment action on their list
    client.force_login(people["head_rb"])
    html = client.get(reverse("workflow:tasks")).content.decode()
    assert 'value="decree"' in html and 'value="choose_unit"' not in html
    assert client.get(reverse("workflow:task_list", args=["done"])).context["bulk_form"] is None


def test_bulk_refuses_an_empty_or_oversized_selection(people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        bulk.claim([], people["clerk"])
    with pytest.raises(ValidationError):
        bulk.claim(["x", "-3", None], people["clerk"])  # nothing that is an id
    with pytest.raises(ValidationError):
        bulk.claim(list(range(1, bulk.MAX_TASKS + 2)), people["clerk"])
