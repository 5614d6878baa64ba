"""Dekretacja without surprises: the clerks' "choose the unit" task has a due time in working days (configurable),
a unit chosen at registration is proposed (or applied, if the office says so), and a task in my queue is decided in
one step (taken in the same transaction)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from deadlines.calendar import add_working_days
from registry.models import Action, Channel, HistoryEntry
from registry.tests.factories import make_delivery
from workflow import services
from workflow.models import DeliveryProcess, RoutingRule
from workflow.tests.helpers import open_tasks

pytestmark = pytest.mark.django_db


def _choose(delivery):
    return open_tasks("choose_unit", process_id=DeliveryProcess.objects.get(delivery=delivery).pk)


@pytest.mark.parametrize("days", [1, 3])
def test_choose_unit_task_is_due_in_working_days(settings, people, days):
    settings.WORKFLOW_CHOOSE_UNIT_WORKING_DAYS = days
    [task] = _choose(make_delivery(people["clerk"]))
    due = timezone.localtime(task.due_at)
    assert due.date() == add_working_days(timezone.localdate(), days)
    assert due.time() == dt.time(23, 59, 59)


def test_unit_chosen_at_registration_is_proposed(client, people):
    RoutingRule.objects.create(name="Reguła", keywords="wniosek", target_unit=people["OR"])
    delivery = make_delivery(people["clerk"], subject="Wniosek", addressed_unit=people["RB"])
    [task] = _choose(delivery)  # proposed only: the clerks confirm
    client.force_login(people["clerk"])
    page = client.get(reverse("workflow:task", args=[task.pk]))
    form = page.context["form"]
    assert form.initial["unit"] == people["RB"].pk  # the registration's choice before the rule's guess
    assert str(form.initial["note"]) in ("Unit chosen at registration.", "Komórka wybrana przy rejestracji.")
    assert f'<option value="{people["RB"].pk}" selected>' in page.content.decode()


def test_rule_proposal_when_nothing_was_chosen_at_registration(client, people):
    RoutingRule.objects.create(name="Reguła", keywords="wniosek", target_unit=people["OR"])
    [task] = _choose(make_delivery(people["clerk"], subject="Wniosek"))
    client.force_login(people["clerk"])
    assert client.get(reverse("workflow:task", args=[task.pk])).context["form"].initial["unit"] == people["OR"].pk


def test_unit_chosen_at_registration_applied_when_configured(settings, people):
    settings.WORKFLOW_APPLY_ADDRESSED_UNIT = True
    delivery = make_delivery(people["clerk"], addressed_unit=people["RB"])
    process = DeliveryProcess.objects.get(delivery=delivery)
    assert not _choose(delivery) and process.unit == people["RB"]
    [decree] = open_tasks("decree", process_id=process.pk)
    assert decree.owner == people["head_rb"]
    entry = HistoryEntry.objects.get(delivery=delivery, action=Action.DELIVERY_ASSIGNED)
    assert "registration" in entry.description or "rejestracji" in entry.description
    # an automatic routing rule still has the last word (it is the office's explicit configuration)
    RoutingRule.objects.create(name="ePUAP", channel=Channel.EPUAP, target_unit=people["OR"], auto=True)
    other = make_delivery(people["clerk"], addressed_unit=people["RB"], channel=Channel.EPUAP, form="electronic",
                          external_id="e-1")
    assert DeliveryProcess.objects.get(delivery=other).unit == people["OR"]
    # nothing chosen at registration: the clerks choose
    assert _choose(make_delivery(people["clerk"]))


def test_queued_task_is_decided_in_one_step(client, people):
    delivery = make_delivery(people["clerk"])
    [task] = _choose(delivery)
    assert task.owner is None
    client.force_login(people["clerk"])
    page = client.get(reverse("workflow:task", args=[task.pk]))
    assert "Take and save" in page.content.decode() or "Przejmij i zapisz" in page.content.decode()
    response = client.post(reverse("workflow:task", args=[task.pk]), {"unit": people["RB"].pk, "note": ""})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.owner == people["clerk"] and task.done_by == people["clerk"] and task.status == "DONE"
    delivery.refresh_from_db()
    assert delivery.assigned_unit == people["RB"]
    # someone without the queue role cannot take it this way: the task stays in the queue
    [other] = _choose(make_delivery(people["clerk"]))
    client.force_login(people["worker_rb"])
    assert client.post(reverse("workflow:task", args=[other.pk]), {"unit": people["RB"].pk}).status_code in (403, 404)
    other.refresh_from_db()
    assert other.owner is None and other.status == "NEW"
    with pytest.raises(services.WorkflowError):
        services.choose_unit(other.pk, user=people["worker_rb"], unit=people["RB"])
