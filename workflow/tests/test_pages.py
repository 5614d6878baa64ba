"""Pages: lists with filters and counts, task pages for every kind of task, clear errors instead of 500s."""

import pytest
from django.urls import reverse

from registry.models import OutgoingItem
from registry.tests.factories import CorrespondentFactory, make_delivery, pdf_upload
from workflow import services
from workflow.models import ApprovalProcess, DeliveryProcess, NotificationPreference
from workflow.tests.helpers import case_with_draft, open_tasks

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_lists_render_with_counts_and_filters(client, people, two_stage_route):
    _case, draft = case_with_draft(people)
    services.start_route(draft, actor=people["worker_rb"])
    login(client, people["head_rb"])
    for which in ("mine", "queue", "unit", "done"):
        response = client.get(reverse("workflow:task_list", args=[which]), {"kind": "decide", "q": "", "overdue": ""})
        assert response.status_code == 200, which
    response = client.get(reverse("workflow:tasks"))
    assert "Projekt pisma" in response.content.decode()
    assert client.get(reverse("workflow:task_list", args=["nonsense"])).status_code == 404
    login(client, people["worker_rb"])
    assert client.get(reverse("workflow:task_list", args=["unit"])).status_code == 403


def test_dekretacja_through_the_pages(client, people):
    from workflow.models import RoutingRule

    RoutingRule.objects.create(name="Strona", keywords="przez stronę", target_unit=people["RB"])
    delivery = make_delivery(people["clerk"], subject="Wniosek przez stronę")
    process = DeliveryProcess.objects.get(delivery=delivery)
    [choose] = open_tasks("choose_unit", process_id=process.pk)
    login(client, people["clerk"])
    url = reverse("workflow:task", args=[choose.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].initial["unit"] == people["RB"].pk
    response = client.post(url, {"unit": ""})
    assert response.status_code == 400 and 'aria-invalid="true"' in response.content.decode()
    assert client.post(url, {"unit": people["RB"].pk}).status_code == 302
    [decree] = open_tasks("decree", process_id=process.pk)
    login(client, people["head_rb"])
    url = reverse("workflow:task", args=[decree.pk])
    response = client.post(url, {"action": "assign"})
    assert response.status_code == 400 and "error-summary" in response.content.decode()
    response = client.post(url, {"action": "assign", "worker": people["worker_rb"].pk, "instruction": "Pilne",
                                 "due_on": ""})
    assert response.status_code == 302
    [handle] = open_tasks("handle", process_id=process.pk)
    login(client, people["worker_rb"])
    response = client.post(reverse("workflow:task", args=[handle.pk]),
                           {"action": "open", "jrwa_class": people["wz"].pk, "title": "Sprawa ze strony"})
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.case.title == "Sprawa ze strony"


def test_approval_and_dispatch_through_the_pages(client, people, two_stage_route):
    case, draft = case_with_draft(people)
    sender = CorrespondentFactory()
    login(client, people["worker_rb"])
    response = client.post(reverse("workflow:start_route", args=[case.pk]), {"document": draft.pk})
    assert response.status_code == 302
    process = ApprovalProcess.objects.get(document=draft)
    for task in open_tasks("decide", process_id=process.pk):
        login(client, task.owner)
        page = client.get(reverse("workflow:task", args=[task.pk]))
        assert "projekt.pdf" in page.content.decode()  # the approver sees the draft
        chart = client.get(reverse("workflow:process_chart", args=[task.pk]))
        assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"
        version = draft.current_version
        assert client.get(reverse("workflow:task_file", args=[task.pk, version.pk])).status_code == 200
        response = client.post(reverse("workflow:task", args=[task.pk]), {"decision": "return", "comment": ""})
        assert response.status_code == 400  # a return needs a comment
        assert client.post(reverse("workflow:task", args=[task.pk]), {"decision": "approve"}).status_code == 302
    [sign] = open_tasks("decide", process_id=process.pk)
    login(client, people["wojt"])
    client.post(reverse("workflow:task", args=[sign.pk]), {"decision": "return", "comment": "Literówka"})
    [revise] = open_tasks("revise", process_id=process.pk)
    login(client, people["worker_rb"])
    response = client.post(reverse("workflow:task", args=[revise.pk]),
                           {"file": pdf_upload("v2.pdf"), "comment": "poprawione"})
    assert response.status_code == 302
    for task in open_tasks("decide", process_id=process.pk):
        login(client, task.owner)
        client.post(reverse("workflow:task", args=[task.pk]), {"decision": "approve"})
    [sign] = open_tasks("decide", process_id=process.pk)
    login(client, people["wojt"])
    client.post(reverse("workflow:task", args=[sign.pk]), {"decision": "approve"})
    [dispatch] = open_tasks("dispatch", process_id=process.pk)
    login(client, people["clerk"])
    assert dispatch in open_tasks("dispatch")
    response = client.post(reverse("workflow:claim", args=[dispatch.pk]))
    assert response.status_code == 302
    # The task page hands the clerk over to the dispatch page (dispatch/tests cover it in full).
    response = client.get(reverse("workflow:task", args=[dispatch.pk]))
    assert response["Location"] == reverse("dispatch:prepare", args=[dispatch.pk])
    response = client.post(response["Location"], {
        "other": sender.pk, "other_channel": "post_registered", "documents": [draft.pk],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert OutgoingItem.objects.filter(case=case, document=draft).exists()


def test_acting_on_someone_elses_or_a_finished_task_is_a_message_not_a_500(client, people, two_stage_route):
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    task = next(t for t in open_tasks("decide", process_id=process.pk) if t.owner == people["radca"])
    login(client, people["worker_or"])  # neither owner nor substitute
    assert client.post(reverse("workflow:task", args=[task.pk]), {"decision": "approve"}).status_code == 404
    login(client, people["radca"])
    client.post(reverse("workflow:task", args=[task.pk]), {"decision": "approve"})
    response = client.post(reverse("workflow:task", args=[task.pk]), {"decision": "approve"}, follow=True)
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert messages and ("finished" in messages[-1] or "zakończone" in messages[-1])
    assert client.get(reverse("workflow:task", args=[10**9])).status_code == 404
    assert client.post(reverse("workflow:claim", args=[10**9]), follow=True).status_code in (200, 404)


def test_stale_route_version_on_the_start_page(client, people, two_stage_route):
    case, draft = case_with_draft(people)
    login(client, people["worker_rb"])
    response = client.post(reverse("workflow:start_route", args=[case.pk]),
                           {"document": draft.pk, "version_id": "987654"})
    assert response.status_code == 409
    assert "no longer exists" in response.content.decode() or "nie istnieje" in response.content.decode()
    response = client.post(reverse("workflow:start_route", args=[case.pk]), {"document": draft.pk,
                                                                              "route_version": "987654"})
    assert response.status_code == 400


def test_route_pages(client, people, two_stage_route):
    _route, version = two_stage_route
    login(client, people["worker_rb"])
    assert client.get(reverse("workflow:routes")).status_code == 200
    page = client.get(reverse("workflow:route", args=[version.pk]))
    assert page.status_code == 200 and "Opinie" in page.content.decode()
    response = client.get(reverse("workflow:route", args=[987654]), follow=True)
    assert response.status_code == 200


def test_notification_preference_page(client, people):
    login(client, people["worker_rb"])
    page = client.get(reverse("workflow:notifications"))
    assert page.status_code == 200 and "wyłącznie w dni robocze" in page.content.decode()
    assert client.post(reverse("workflow:notifications"), {"mode": "digest"}).status_code == 302
    assert NotificationPreference.objects.get(user=people["worker_rb"]).mode == "digest"
