"""Dispatch through the service layer against the fake e-Doręczenia held to the yaml."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from freezegun import freeze_time

from dispatch.models import Evidence, Shipment, State
from dispatch.services import delivery, prepare, send
from dispatch.tests.conftest import ADDRESSEE_ADE, approved_letter
from registry.models import Action, CaseStatus, HistoryEntry, OutgoingItem
from registry.services.documents import store_version
from registry.tests.factories import CorrespondentFactory, pdf_upload


def _prepare(people, task, party, **kw):
    return prepare.prepare(task.pk, user=people["clerk"], addressees=[prepare.Addressee(party, **kw)])


def test_approved_decision_goes_by_e_doreczenia_and_is_deemed_delivered_then_the_case_closes(
        people, two_stage_route, mailbox, settings):
    case, _document, task, party = approved_letter(people)
    [shipment] = _prepare(people, task, party)
    item = shipment.item
    assert item.channel == "edoreczenia" and shipment.ade == ADDRESSEE_ADE and shipment.state == State.WAITING
    result = send.queue([item.pk], actor=people["clerk"])
    assert result.queued == [item.pk]
    assert send.run(shipment.pk, api=mailbox.client()) == State.SUBMITTED
    [sent] = mailbox.sent.values()
    meta = sent["messageMetadata"]
    assert meta["caseId"] == case.sign and meta["to"] == [{"eDeliveryAddress": ADDRESSEE_ADE}]
    assert [a["file"]["fileMetadata"]["filename"] for a in sent["attachments"]] == ["decyzja.pdf"]
    shipment.refresh_from_db()
    assert shipment.message_id == "S-1" and shipment.task_id == "TASK-1"
    item.refresh_from_db()
    assert item.status == OutgoingItem.Status.SENT and item.tracking_number == "S-1"

    api = mailbox.client()
    assert delivery.poll(shipment.pk, api=api) == State.SUBMITTED  # A.1
    # D.1 on Wednesday 2 December 2026: + 14 days = Wednesday 16 December (a working day).
    mailbox.add_evidence("S-1", "D.1", "2026-12-02T10:00:00Z", status="Czeka na doręczenie")
    assert delivery.poll(shipment.pk, api=api) in (State.AWAITING, State.DEEMED)
    shipment.refresh_from_db()
    assert shipment.deemed_on == dt.date(2026, 12, 16)
    assert set(Evidence.objects.filter(shipment=shipment).values_list("code", flat=True)) == {"A.1", "D.1"}
    assert all(e.document and e.document.case_id == case.pk for e in shipment.evidences.all())
    delivery.apply_deemed(shipment, today=dt.date(2026, 12, 17))
    shipment.save()
    assert shipment.state == State.DEEMED and shipment.delivered_on == dt.date(2026, 12, 16)
    entry = HistoryEntry.objects.filter(case=case, action=Action.DELIVERY_EVIDENCE).last()
    assert entry.data["terms"] == {"appeal": "2026-12-30"} and entry.data["final_on"] == "2026-12-31"
    summary = delivery.case_summary(case)
    assert summary["final_on"] == dt.date(2026, 12, 31)
    with pytest.raises(ValidationError):
        delivery.close_case(case, actor=people["worker_rb"], final_on=dt.date(2026, 12, 30))
    with freeze_time("2026-12-30 12:00"), pytest.raises(ValidationError):  # the appeal term still runs
        delivery.close_case(case, actor=people["worker_rb"], final_on=dt.date(2026, 12, 31))
    with freeze_time("2027-01-04 12:00"):
        closed = delivery.close_case(case, actor=people["worker_rb"], final_on=dt.date(2026, 12, 31))
    assert closed.status == CaseStatus.CLOSED and closed.closed_on == dt.date(2026, 12, 31)
    assert HistoryEntry.objects.filter(case=case, description__contains="2026-12-31").exists()


def test_e1_before_the_14_days_is_the_delivery_date(people, two_stage_route, mailbox):
    _case, _document, task, party = approved_letter(people)
    [shipment] = _prepare(people, task, party)
    send.queue([shipment.pk], actor=people["clerk"])
    send.run(shipment.pk, api=mailbox.client())
    mailbox.add_evidence("S-1", "D.1", "2026-12-02T10:00:00Z")
    mailbox.add_evidence("S-1", "E.1", "2026-12-03T08:30:00Z", status="Doręczona")
    assert delivery.poll(shipment.pk, api=mailbox.client()) == State.DELIVERED
    shipment.refresh_from_db()
    assert shipment.delivered_on == dt.date(2026, 12, 3) and shipment.next_poll_at is None
    assert shipment.item.evidence.title.startswith("Evidence E.1") or shipment.item.evidence_id


def test_two_clerks_queue_the_same_item_and_it_is_sent_once(people, two_stage_route, mailbox):
    _case, _doc, task, party = approved_letter(people)
    [shipment] = _prepare(people, task, party)
    other = people["clerk"]
    first = send.queue([shipment.pk], actor=people["clerk"])
    second = send.queue([shipment.pk], actor=other)
    assert first.queued == [shipment.pk] and second.already == [shipment.pk]
    api = mailbox.client()
    assert send.run(shipment.pk, api=api) == State.SUBMITTED
    assert send.run(shipment.pk, api=api) == "skipped"  # a duplicate task message
    assert mailbox.sends == 1


@pytest.mark.parametrize("fault", [503, "timeout-after"])
def test_server_error_or_timeout_during_the_send_is_retried_and_sent_once(people, two_stage_route, mailbox, fault):
    _case, _doc, task, party = approved_letter(people)
    [shipment] = _prepare(people, task, party)
    send.queue([shipment.pk], actor=people["clerk"])
    mailbox.send_faults = [fault]
    state = send.run(shipment.pk, api=mailbox.client())
    if fault == 503:  # not sent: queued again with a back-off
        assert state == State.QUEUED and mailbox.sends == 0
        Shipment.objects.filter(pk=shipment.pk).update(next_attempt_at=timezone.now())
        assert send.run(shipment.pk, api=mailbox.client()) == State.SUBMITTED
    else:  # sent, answer lost: found in SENT by its key, not sent again
        assert state == State.SUBMITTED
    assert mailbox.sends == 1
    shipment.refresh_from_db()
    assert shipment.message_id == "S-1"


def test_worker_dying_after_the_send_does_not_send_again(people, two_stage_route, mailbox):
    """The send went out but the worker died before it stored the task id: the lease runs out, the next attempt
    finds the message by its key."""
    _case, _doc, task, party = approved_letter(people)
    [shipment] = _prepare(people, task, party)
    send.queue([shipment.pk], actor=people["clerk"])
    claimed = send.claim(shipment.pk)
    api = mailbox.client()
    from dispatch import edoreczenia

    saved = {}

    def save_only_the_draft(**fields):  # the worker dies before anything after the draft id is stored
        for name, value in fields.items():
            setattr(claimed, name, value)
        saved.update(fields)

    edoreczenia.send(claimed, api, save_only_the_draft)
    Shipment.objects.filter(pk=shipment.pk).update(draft_id=saved["draft_id"], lease_until=timezone.now())
    assert mailbox.sends == 1
    assert send.due_for_sending() == [shipment.pk]
    assert send.run(shipment.pk, api=api) == State.SUBMITTED
    assert mailbox.sends == 1
    shipment.refresh_from_db()
    assert shipment.message_id == "S-1"


def test_bounded_retries_leave_a_failed_item_that_can_switch_channel(people, two_stage_route, mailbox, settings):
    settings.DISPATCH_SEND_ATTEMPTS = 2
    case, _doc, task, party = approved_letter(people)
    [shipment] = _prepare(people, task, party)
    send.queue([shipment.pk], actor=people["clerk"])
    mailbox.send_faults = [503, 503, 503]
    assert send.run(shipment.pk, api=mailbox.client()) == State.QUEUED
    Shipment.objects.filter(pk=shipment.pk).update(next_attempt_at=timezone.now())
    assert send.run(shipment.pk, api=mailbox.client()) == State.FAILED
    shipment.refresh_from_db()
    assert "po 2 próbach" in shipment.last_error and mailbox.sends == 0
    with pytest.raises(ValidationError):
        prepare.change_channel(shipment, user=people["clerk"], channel="post_registered", reason="")
    prepare.change_channel(shipment, user=people["clerk"], channel="post_registered", reason="Awaria skrzynki")
    assert HistoryEntry.objects.filter(case=case, description__contains="Awaria skrzynki").exists()
    assert send.queue([shipment.pk], actor=people["clerk"]).queued == [shipment.pk]
    shipment.refresh_from_db()
    assert shipment.state == State.SUBMITTED  # handed to the post


def test_bad_input_is_refused_before_anything_leaves(people, two_stage_route, mailbox, settings):
    nobody = CorrespondentFactory(ade="", street="", city="", postal_code="")
    _case, _doc, task, _party = approved_letter(people, party=nobody)
    with pytest.raises(ValidationError, match="nie ma adresu pocztowego"):
        _prepare(people, task, nobody)
    with pytest.raises(ValidationError, match="nie ma adresu do doręczeń"):
        _prepare(people, task, nobody, channel="edoreczenia", reason="strona prosi")
    # A refused file name, and a document that must be signed but was not (no signing stage).
    _case, doc, task, party = approved_letter(people, name="decyzja nr 5.pdf")
    [shipment] = _prepare(people, task, party)
    result = send.queue([shipment.pk], actor=people["clerk"])
    [problems] = result.refused.values()
    assert any("spacje" in p for p in problems)
    # A version added after the signature has not been signed.
    store_version(doc, pdf_upload("decyzja-poprawiona.pdf"), actor=people["worker_rb"])
    [problems] = send.queue([shipment.pk], actor=people["clerk"]).refused.values()
    assert any("musi zostać podpisany" in p for p in problems)
    assert mailbox.sends == 0 and not mailbox.drafts


def test_an_answer_to_an_e_doreczenia_letter_joins_its_thread(people, two_stage_route, mailbox):
    from registry.tests.factories import make_delivery

    sender = CorrespondentFactory(ade=ADDRESSEE_ADE)
    letter = make_delivery(people["clerk"], channel="edoreczenia", form="electronic", sender=sender,
                           external_id="M-77", receipt_evidence={"message": {"threadId": "T-77"}})
    case, _doc, task, _party = approved_letter(people, party=sender, delivery=letter)
    [shipment] = _prepare(people, task, sender)
    assert (shipment.ref_to_message_id, shipment.thread_id) == ("M-77", "T-77")
    send.queue([shipment.pk], actor=people["clerk"])
    send.run(shipment.pk, api=mailbox.client())
    meta = mailbox.sent["S-1"]["messageMetadata"]
    assert meta["refToMessageId"] == "M-77" and meta["threadId"] == "T-77" and meta["caseId"] == case.sign


def test_hybrid_service_for_an_addressee_without_ade(people, two_stage_route, mailbox, settings):
    settings.DISPATCH_PAPER_CHANNEL = "hybrid"
    paper = CorrespondentFactory(ade="")
    _case, _doc, task, party = approved_letter(people, party=paper)
    [shipment] = _prepare(people, task, party)
    assert shipment.item.channel == "hybrid"
    send.queue([shipment.pk], actor=people["clerk"])
    assert send.run(shipment.pk, api=mailbox.client()) == State.SUBMITTED
    meta = mailbox.sent["S-1"]["messageMetadata"]
    assert meta["shippingService"] == "hybrid" and meta["to"][0]["address"]["city"] == paper.city
    assert meta["hybridShipment"]["proofOfDelivery"] is True
    # Hybrid prints PDF only: a text attachment is refused before anything leaves.
    from django.core.files.uploadedfile import SimpleUploadedFile

    _case, doc, task, party = approved_letter(people, party=CorrespondentFactory(ade=""))
    [other] = _prepare(people, task, party)
    store_version(doc, SimpleUploadedFile("decyzja.txt", "Decyzja – treść".encode(), "text/plain"),
                  actor=people["worker_rb"])
    [problems] = send.queue([other.pk], actor=people["clerk"]).refused.values()
    assert any("PDF" in p for p in problems) and mailbox.sends == 1


def test_a_callback_makes_the_named_shipment_polled_now_and_nothing_else(people, two_stage_route, mailbox, client,
                                                                        settings):
    settings.EDORECZENIA_CALLBACK_TOKEN = "s3cret"
    _case, _doc, task, party = approved_letter(people)
    [shipment] = _prepare(people, task, party)
    send.queue([shipment.pk], actor=people["clerk"])
    send.run(shipment.pk, api=mailbox.client())
    later = timezone.now() + dt.timedelta(hours=3)
    Shipment.objects.filter(pk=shipment.pk).update(next_poll_at=later)
    url = "/wysylka/edoreczenia/{}/"
    body = {"eDeliveryAddress": mailbox.ade, "notificationType": "NewEvidence", "notification": [{"id": "S-1"}]}
    assert client.post(url.format("wrong"), body, content_type="application/json").status_code == 404
    assert client.post(url.format("s3cret"), "{", content_type="application/json").status_code == 400
    assert client.post(url.format("s3cret"), body, content_type="application/json").json() == {"status": "OK"}
    assert Shipment.objects.get(pk=shipment.pk).next_poll_at < later


def test_polling_backs_off_and_stops(people, two_stage_route, mailbox, settings, monkeypatch):
    _case, _doc, task, party = approved_letter(people)
    [shipment] = _prepare(people, task, party)
    send.queue([shipment.pk], actor=people["clerk"])
    send.run(shipment.pk, api=mailbox.client())
    api = mailbox.client()
    waits = []
    for _ in range(4):
        before = timezone.now()
        delivery.poll(shipment.pk, api=api)
        waits.append((Shipment.objects.get(pk=shipment.pk).next_poll_at - before).total_seconds() // 60)
    assert waits == sorted(waits) and waits[0] >= 9 and waits[-1] >= 79  # 10, 20, 40, 80 minutes
    Shipment.objects.filter(pk=shipment.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=settings.DISPATCH_POLL_DAYS + 1))
    delivery.poll(shipment.pk, api=api)
    shipment.refresh_from_db()
    assert shipment.next_poll_at is None and "45" in shipment.last_error
    calls = len(mailbox.calls)
    from dispatch import edoreczenia
    from dispatch.tasks import poll_evidences

    monkeypatch.setattr(edoreczenia, "client", mailbox.client)
    assert poll_evidences() == 0  # nothing is due: the service is not asked again
    assert len(mailbox.calls) == calls
