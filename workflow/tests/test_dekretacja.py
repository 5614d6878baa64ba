"""Dekretacja: routing rules, the clerk's choice, the head assigning or forwarding, the case worker's case."""

import pytest
from django.core.exceptions import ValidationError

from registry.models import Action, Channel, Delivery, HistoryEntry
from registry.tests.factories import CorrespondentFactory, make_case, make_delivery
from workflow import services
from workflow.models import DeliveryProcess, RoutingRule
from workflow.services import WorkflowError
from workflow.tests.helpers import open_tasks

pytestmark = pytest.mark.django_db


def test_rule_proposes_unit_for_the_clerk_to_confirm(people):
    RoutingRule.objects.create(name="Budownictwo", keywords="zabudowy, pozwolenie", target_unit=people["RB"])
    delivery = make_delivery(people["clerk"], subject="Wniosek o ustalenie WARUNKÓW ZABUDOWY")
    process = DeliveryProcess.objects.get(delivery=delivery)
    assert process.proposed_by_rule is not None and process.unit is None
    assert open_tasks("choose_unit", process_id=process.pk)


def test_automatic_rule_by_channel_and_addressed_unit_goes_straight_to_the_head(people):
    RoutingRule.objects.create(name="ePUAP do OR", channel=Channel.EPUAP, addressed_unit=people["OR"],
                               target_unit=people["RB"], auto=True)
    delivery = make_delivery(people["clerk"], channel=Channel.EPUAP, addressed_unit=people["OR"],
                             external_id="epuap-1", form="electronic")
    process = DeliveryProcess.objects.get(delivery=delivery)
    assert process.unit == people["RB"]
    [decree] = open_tasks("decree", process_id=process.pk)
    assert decree.owner == people["head_rb"]
    entry = HistoryEntry.objects.get(delivery=delivery, action=Action.DELIVERY_ASSIGNED)
    assert "ePUAP do OR" in entry.description


def test_rule_by_sender(people):
    rdos = CorrespondentFactory()
    RoutingRule.objects.create(name="RDOŚ", sender=rdos, target_unit=people["OR"], auto=True)
    other = make_delivery(people["clerk"])
    mine = make_delivery(people["clerk"], sender=rdos)
    assert DeliveryProcess.objects.get(delivery=mine).unit == people["OR"]
    assert DeliveryProcess.objects.get(delivery=other).unit is None


def test_forward_to_another_unit_with_reason(people):
    delivery = make_delivery(people["clerk"])
    process = DeliveryProcess.objects.get(delivery=delivery)
    [choose] = open_tasks("choose_unit", process_id=process.pk)
    services.choose_unit(choose.pk, user=people["clerk"], unit=people["RB"])
    [decree] = open_tasks("decree", process_id=process.pk)
    with pytest.raises(ValidationError):
        services.decree(decree.pk, user=people["head_rb"], forward_to=people["OR"], reason="  ")
    services.decree(decree.pk, user=people["head_rb"], forward_to=people["OR"], reason="Sprawa organizacyjna")
    [decree2] = open_tasks("decree", process_id=process.pk)
    assert decree2.owner == people["wojt"] and decree2.unit == people["OR"]
    forwarded = HistoryEntry.objects.get(delivery=delivery, action=Action.DELIVERY_FORWARDED)
    assert "Sprawa organizacyjna" in forwarded.description
    delivery.refresh_from_db()
    assert delivery.assigned_unit == people["OR"]


def test_head_must_pick_a_worker_of_the_unit(people):
    delivery = make_delivery(people["clerk"])
    process = DeliveryProcess.objects.get(delivery=delivery)
    [choose] = open_tasks("choose_unit", process_id=process.pk)
    services.choose_unit(choose.pk, user=people["clerk"], unit=people["RB"])
    [decree] = open_tasks("decree", process_id=process.pk)
    with pytest.raises(ValidationError):
        services.decree(decree.pk, user=people["head_rb"], worker=people["worker_or"])
    with pytest.raises(WorkflowError):  # not the head's task for a case worker
        services.decree(decree.pk, user=people["worker_rb"], worker=people["worker_rb"])


def test_attach_to_existing_case(people):
    case = make_case(people["worker_rb"], unit=people["RB"], jrwa_class=people["wz"])
    delivery = make_delivery(people["clerk"], subject="Uzupełnienie wniosku")
    process = DeliveryProcess.objects.get(delivery=delivery)
    [choose] = open_tasks("choose_unit", process_id=process.pk)
    services.choose_unit(choose.pk, user=people["clerk"], unit=people["RB"])
    [decree] = open_tasks("decree", process_id=process.pk)
    services.decree(decree.pk, user=people["head_rb"], worker=people["worker_rb"], instruction="Dołącz")
    [handle] = open_tasks("handle", process_id=process.pk)
    assert handle.comment == "Dołącz"
    services.handle_delivery(handle.pk, user=people["worker_rb"], case=case)
    delivery.refresh_from_db()
    assert delivery.case == case and delivery.status == Delivery.Status.IN_CASE


def test_registration_without_autostart(people, settings):
    settings.WORKFLOW_AUTOSTART_DEKRETACJA = False
    delivery = make_delivery(people["clerk"])
    assert not DeliveryProcess.objects.filter(delivery=delivery).exists()
    services.start_dekretacja(delivery, actor=people["clerk"], unit=people["RB"])
    assert DeliveryProcess.objects.get(delivery=delivery).unit == people["RB"]


def test_unit_without_a_head_waits_in_the_heads_queue(people):
    from organisation.models import OrgUnit, Role
    from registry.tests.factories import member

    lonely = OrgUnit.objects.create(symbol="GN", name="Referat Gospodarki Nieruchomościami")
    delivery = make_delivery(people["clerk"])
    process = DeliveryProcess.objects.get(delivery=delivery)
    [choose] = open_tasks("choose_unit", process_id=process.pk)
    services.choose_unit(choose.pk, user=people["clerk"], unit=lonely)
    [decree] = open_tasks("decree", process_id=process.pk)
    assert decree.owner is None and decree.queue_role == "head"
    acting_head = member(lonely, Role.HEAD, username="p_o_kierownika")
    services.decree(decree.pk, user=acting_head, worker=acting_head, instruction="Sam prowadzę")
    assert open_tasks("handle", process_id=process.pk)[0].owner == acting_head


def test_case_opened_outside_dekretacja_closes_it(people):
    delivery = make_delivery(people["clerk"])
    process = DeliveryProcess.objects.get(delivery=delivery)
    assert open_tasks("choose_unit", process_id=process.pk)
    make_case(people["worker_rb"], unit=people["RB"], jrwa_class=people["wz"], delivery=delivery)
    process.refresh_from_db()
    assert process.status == "CANCELED" and not open_tasks("choose_unit", process_id=process.pk)
