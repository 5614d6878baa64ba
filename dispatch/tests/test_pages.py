"""The dispatch pages: the clerks find the approved letter, prepare it, send it; print views; ZPO returns; access."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dispatch import edoreczenia
from dispatch.models import Shipment, State
from dispatch.services import prepare, send
from dispatch.tests.conftest import approved_letter
from registry.tests.factories import CorrespondentFactory
from workflow import selectors


@pytest.fixture
def fake_service(mailbox, monkeypatch, inline_tasks):
    monkeypatch.setattr(edoreczenia, "client", mailbox.client)
    return mailbox


def test_the_dispatch_task_is_in_the_clerks_queue_even_for_a_case_they_cannot_see(client, people, two_stage_route):
    case, document, task, _party = approved_letter(people)
    clerk = people["clerk"]
    from registry.access import scope_for

    assert not scope_for(clerk).can_see_case(case)
    assert task in selectors.queue(clerk)
    client.force_login(clerk)
    page = client.get(reverse("dispatch:queue")).content.decode()
    assert case.sign in page and document.title in page
    # The task page sends the clerk to the dispatch page, which shows no more of the case than dispatch needs.
    response = client.get(reverse("workflow:task", args=[task.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("dispatch:prepare", args=[task.pk])
    page = client.get(response["Location"]).content.decode()
    assert case.title not in page or case.title == document.title


def test_clerk_prepares_and_sends_from_the_pages(client, people, two_stage_route, fake_service,
                                                 django_capture_on_commit_callbacks):
    case, _document, task, party = approved_letter(people)
    client.force_login(people["clerk"])
    url = reverse("dispatch:prepare", args=[task.pk])
    form = client.get(url).context["form"]
    data = {f"send_{party.pk}": "on", f"channel_{party.pk}": "edoreczenia",
            "documents": [d.pk for d in form.fields["documents"].queryset]}
    assert client.post(url, data).status_code == 302
    response = client.post(url, data)  # submitted twice: nothing more is registered
    assert response.status_code == 302 and response["Location"] == reverse("dispatch:queue")
    shipment = Shipment.objects.get(item__case=case)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dispatch:send"), {"items": [shipment.pk]})
    assert response.status_code == 302 and "wyslane=" in response["Location"]
    shipment.refresh_from_db()
    assert shipment.state == State.SUBMITTED and fake_service.sends == 1
    # A second click (or a retried request) sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dispatch:send"), {"items": [shipment.pk]})
    assert fake_service.sends == 1
    progress = client.get(reverse("dispatch:progress") + f"?ids={shipment.pk}").json()
    assert progress["pending"] == 0 and progress["total"] == 1
    page = client.get(reverse("dispatch:item", args=[shipment.pk])).content.decode()
    assert "Nadana" in page
    # The case worker sees the state on the case page.
    client.force_login(people["worker_rb"])
    page = client.get(reverse("registry:case-detail", args=[case.pk])).content.decode()
    assert shipment.item.register_number in page and "Nadana" in page


def test_changing_the_proposed_channel_needs_a_reason(client, people, two_stage_route):
    _case, _document, task, party = approved_letter(people)
    client.force_login(people["clerk"])
    url = reverse("dispatch:prepare", args=[task.pk])
    form = client.get(url).context["form"]
    docs = [d.pk for d in form.fields["documents"].queryset]
    data = {f"send_{party.pk}": "on", f"channel_{party.pk}": "post_registered", "documents": docs}
    response = client.post(url, data)
    assert response.status_code == 400 and "podaj" in response.content.decode().lower()
    data[f"reason_{party.pk}"] = "Strona prosi o list"
    assert client.post(url, data).status_code == 302


def test_paper_dispatch_book_prints_and_zpo_return(client, people, two_stage_route):
    paper_party = CorrespondentFactory(ade="")
    _case, _document, task, party = approved_letter(people, party=paper_party)
    [shipment] = prepare.prepare(task.pk, user=people["clerk"], addressees=[prepare.Addressee(party)])
    assert shipment.item.channel == "post_registered"
    assert send.queue([shipment.pk], actor=people["clerk"]).queued == [shipment.pk]
    client.force_login(people["clerk"])
    item_url = reverse("dispatch:item", args=[shipment.pk])
    client.post(item_url, {"action": "tracking", "tr-tracking_number": "00659007734567890123"})
    for name in ("dispatch:envelope", "dispatch:zpo"):
        response = client.get(reverse(name, args=[shipment.pk]))
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    today = timezone.localdate().isoformat()
    book = client.get(reverse("dispatch:book", args=[today]))
    assert book.status_code == 200 and book.content.startswith(b"%PDF")
    import io

    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(book.content)).pages[0].extract_text()
    assert "00659007734567890123" in text and "Książka nadawcza" in text
    csv_file = client.get(reverse("dispatch:book", args=[today]) + "?format=csv").content.decode("cp1250")
    assert "00659007734567890123" in csv_file and party.last_name in csv_file
    assert client.get(reverse("dispatch:book", args=["not-a-day"])).status_code == 404
    # The ZPO comes back: two notices, not collected — deemed delivered 14 days after the first (art. 44).
    sent_on = timezone.localdate()
    first = sent_on
    response = client.post(reverse("dispatch:returns"), {
        "tracking_number": "0065 9007 7345 6789 0123", "outcome": "notices",
        "first_notice_on": first.isoformat(), "second_notice_on": "",
    })
    assert response.status_code == 400 and "powtórn" in response.content.decode().lower()
    shipment.refresh_from_db()
    assert shipment.state == State.SUBMITTED


def test_zpo_return_with_two_notices_gives_the_art_44_date(people, two_stage_route, settings):
    from dispatch.services import delivery

    case, _document, task, party = approved_letter(people, party=CorrespondentFactory(ade=""))
    [shipment] = prepare.prepare(task.pk, user=people["clerk"], addressees=[prepare.Addressee(party)])
    send.queue([shipment.pk], actor=people["clerk"])
    # Sent on 2 November 2026; first notice Tuesday 3 Nov, second 10 Nov; 3 Nov + 14 = Tuesday 17 Nov.
    Shipment.objects.filter(pk=shipment.pk).update(
        submitted_at=timezone.make_aware(dt.datetime(2026, 11, 2, 10)))
    shipment.refresh_from_db()
    from registry.tests.factories import pdf_upload

    delivery.record_return(shipment, actor=people["clerk"], outcome="notices", scan=pdf_upload("zpo.pdf"),
                           first_notice_on=dt.date(2026, 11, 3), second_notice_on=dt.date(2026, 11, 10))
    shipment.refresh_from_db()
    [zpo] = shipment.evidences.all()
    assert zpo.code == "ZPO" and zpo.document.case == case and zpo.document.kind == "evidence"
    assert shipment.item.evidence_id == zpo.document_id
    assert shipment.state == State.DEEMED and shipment.delivered_on == dt.date(2026, 11, 17)
    assert shipment.delivery_basis[-1]["rule"] == "plus_days"
    # Appeal: 17 Nov + 14 = 1 December; final proposed 2 December.
    summary = delivery.case_summary(case)
    assert summary["terms"][0].ends_on == dt.date(2026, 12, 1) and summary["final_on"] == dt.date(2026, 12, 2)


def test_queue_page_queries_do_not_grow_with_the_items(client, people, two_stage_route, django_assert_max_num_queries):
    for _ in range(3):
        _case, _doc, task, party = approved_letter(people)
        prepare.prepare(task.pk, user=people["clerk"], addressees=[prepare.Addressee(party)])
    approved_letter(people)  # one more waiting to be prepared
    client.force_login(people["clerk"])
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("dispatch:queue"))
    for _ in range(5):
        _case, _doc, task, party = approved_letter(people)
        prepare.prepare(task.pk, user=people["clerk"], addressees=[prepare.Addressee(party)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("dispatch:queue")).status_code == 200


def test_others_see_an_item_only_through_its_case(client, people, two_stage_route):
    _case, _document, task, party = approved_letter(people)
    [shipment] = prepare.prepare(task.pk, user=people["clerk"], addressees=[prepare.Addressee(party)])
    client.force_login(people["worker_rb_a"])
    assert client.get(reverse("dispatch:item", args=[shipment.pk])).status_code == 404
    assert client.get(reverse("dispatch:item", args=[999999])).status_code == 404
    assert client.get(reverse("dispatch:queue")).status_code == 403
    client.force_login(people["worker_rb"])
    assert client.get(reverse("dispatch:item", args=[shipment.pk])).status_code == 200


def test_api_drives_dispatch_and_is_idempotent(client, people, two_stage_route, fake_service,
                                               django_capture_on_commit_callbacks):
    case, _document, task, party = approved_letter(people)
    client.force_login(people["clerk"])
    tasks = client.get("/api/v1/shipments/tasks/").json()
    assert [t["task"] for t in tasks] == [task.pk] and tasks[0]["proposed_addressees"] == [party.pk]
    response = client.post("/api/v1/shipments/prepare/", {"task": task.pk, "addressees": [
        {"correspondent": party.pk}]}, content_type="application/json")
    assert response.status_code == 201, response.content
    [row] = response.json()
    assert row["channel"] == "edoreczenia" and row["case_sign"] == case.sign
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            result = client.post("/api/v1/shipments/send/", {"ids": [row["id"]]}, content_type="application/json")
    assert result.json()["already"] == [row["id"]] and fake_service.sends == 1
    detail = client.get(f"/api/v1/shipments/{row['id']}/").json()
    assert detail["state"] == "submitted" and detail["message_id"] == "S-1"
    assert client.post("/api/v1/shipments/prepare/", {"task": task.pk, "addressees": []},
                       content_type="application/json").status_code == 400
    client.force_login(people["worker_rb_a"])
    assert client.get(f"/api/v1/shipments/{row['id']}/").status_code == 404
    assert client.post("/api/v1/shipments/send/", {"ids": [row["id"]]},
                       content_type="application/json").status_code == 403


def test_deadlines_dashboard_lists_delivered_decisions_waiting_to_become_final(client, people, two_stage_route):
    from dispatch.services import delivery

    case, _document, task, party = approved_letter(people, party=CorrespondentFactory(ade=""))
    [shipment] = prepare.prepare(task.pk, user=people["clerk"], addressees=[prepare.Addressee(party)])
    send.queue([shipment.pk], actor=people["clerk"])
    signed_on = timezone.localdate()
    delivery.record_return(shipment, actor=people["clerk"], outcome="signed", signed_on=signed_on)
    client.force_login(people["worker_rb"])
    page = client.get(reverse("deadlines:dashboard")).content.decode()
    assert case.sign in page and "Proponowana data ostateczności" in page
    client.force_login(people["worker_rb_a"])  # may not see the case
    assert case.sign not in client.get(reverse("deadlines:dashboard")).content.decode()
