"""The outgoing register: every action on an item is in the metryka (also for an item that belongs to no case),
an item is sent only once, and an evidence file is never dropped without a word."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from registry.models import Action, Document, HistoryEntry, OutgoingChannel, OutgoingItem
from registry.services.deliveries import mark_sent, record_delivery_evidence, record_outgoing
from registry.tests.factories import CorrespondentFactory, make_case, pdf_upload

pytestmark = pytest.mark.django_db


def _item(office, case=None, **kwargs):
    return record_outgoing(actor=office["clerk"], recipient=CorrespondentFactory(), case=case,
                           channel=OutgoingChannel.values[0], subject="Informacja", **kwargs)


def test_every_action_on_an_item_without_a_case_is_in_its_metryka(office):
    item = _item(office)
    mark_sent(item, actor=office["clerk"], tracking_number="RR1PL")
    record_delivery_evidence(item, actor=office["clerk"], delivered_at=timezone.now(), evidence_kind="zwrotka")
    entries = HistoryEntry.objects.filter(outgoing_item=item).order_by("pk")
    assert [e.action for e in entries] == [Action.DISPATCHED, Action.DISPATCHED, Action.DELIVERY_EVIDENCE]
    assert all(e.case_id is None and e.actor == office["clerk"] for e in entries)
    assert item.register_number in entries[0].description and "RR1PL" in entries[1].description


def test_an_item_in_a_case_is_in_the_case_metryka_and_its_own(office):
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"])
    item = _item(office, case=case)
    mark_sent(item, actor=office["clerk"])
    assert list(HistoryEntry.objects.filter(outgoing_item=item).values_list("case_id", flat=True)) == [case.pk] * 2


def test_mark_sent_only_from_prepared_and_twice_is_idempotent(office):
    item = _item(office)
    sent = mark_sent(item, actor=office["clerk"], tracking_number="RR1PL")
    again = mark_sent(item, actor=office["clerk"], tracking_number="RR1PL")  # double submission
    assert again.sent_at == sent.sent_at and again.status == OutgoingItem.Status.SENT
    assert HistoryEntry.objects.filter(outgoing_item=item).count() == 2
    with pytest.raises(ValidationError):
        mark_sent(item, actor=office["clerk"], tracking_number="RR2PL")  # would overwrite the first number
    record_delivery_evidence(item, actor=office["clerk"], delivered_at=timezone.now(), evidence_kind="zwrotka")
    with pytest.raises(ValidationError) as err:
        mark_sent(item, actor=office["clerk"])
    assert item.register_number in str(err.value)
    item.refresh_from_db()
    assert item.status == OutgoingItem.Status.DELIVERED and item.tracking_number == "RR1PL"


def test_evidence_file_of_an_item_without_a_case_is_refused_not_dropped(office):
    item = _item(office, sent_at=timezone.now())
    with pytest.raises(ValidationError) as err:
        record_delivery_evidence(item, actor=office["clerk"], delivered_at=timezone.now(), evidence_kind="zwrotka",
                                 evidence_file=pdf_upload("zwrotka.pdf"))
    assert "evidence_file" in err.value.message_dict
    item.refresh_from_db()
    assert item.status == OutgoingItem.Status.SENT and item.evidence is None  # nothing half-recorded
    assert not HistoryEntry.objects.filter(outgoing_item=item, action=Action.DELIVERY_EVIDENCE).exists()
    assert Document.objects.count() == 0


def test_pages_show_the_refusals_and_the_item_history(client, office):
    item = _item(office, sent_at=timezone.now() - dt.timedelta(hours=3))
    client.force_login(office["clerk"])
    url = reverse("registry:outgoing-detail", args=[item.pk])
    when = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"action": "evidence", "outcome": "delivered", "delivered_at": when,
                                 "evidence_kind": "zwrotka", "evidence_file": pdf_upload("zwrotka.pdf")},
                           HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 200 and "nie należy do żadnej sprawy" in response.content.decode()
    client.post(url, {"action": "evidence", "outcome": "delivered", "delivered_at": when, "evidence_kind": "zwrotka"})
    response = client.post(url, {"action": "sent", "sent_at": when, "tracking_number": "RR9PL"},
                           HTTP_ACCEPT_LANGUAGE="pl", follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and "tylko przesyłkę przygotowaną do wysłania" in html
    item.refresh_from_db()
    assert item.status == OutgoingItem.Status.DELIVERED and item.tracking_number == ""
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert "Czynności na tej przesyłce wychodzącej" in page and "zwrotka" in page
