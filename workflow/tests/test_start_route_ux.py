""""Send for approval": the only draft is preselected, a document is not offered as its own attachment, and the
route preview shows only the stages that will apply to this case (conditions evaluated, flags included)."""

import pytest
from django.db import transaction
from django.urls import reverse

from registry.models import DocumentKind
from registry.services.documents import add_document
from registry.tests.factories import pdf_upload
from workflow.models import ApprovalProcess, CaseFlag, Stage, Step
from workflow.tests.conftest import make_route
from workflow.tests.helpers import case_with_draft

pytestmark = pytest.mark.django_db

HEAD = [(Step.Assignee.UNIT_HEAD, None, 2)]


def _add(case, people, title, kind):
    with transaction.atomic():
        return add_document(actor=people["worker_rb"], title=title, kind=kind, upload=pdf_upload(f"{title}.pdf"),
                            case=case)


def _page(client, people, case, **params):
    client.force_login(people["worker_rb"])
    return client.get(reverse("workflow:start_route", args=[case.pk]), params)


def test_the_only_draft_is_preselected_and_not_its_own_attachment(client, people, two_stage_route):
    case, draft = case_with_draft(people)
    scan = _add(case, people, "Mapa", DocumentKind.ATTACHMENT)
    form = _page(client, people, case).context["form"]
    assert form.initial["document"] == draft.pk
    assert list(form.fields["attachments"].queryset) == [scan]
    second = _add(case, people, "Drugi projekt", DocumentKind.DRAFT)
    form = _page(client, people, case).context["form"]
    assert "document" not in form.initial  # two drafts: the author chooses
    form = _page(client, people, case, document=second.pk).context["form"]
    assert form.initial["document"] == second.pk  # asked for from the case page
    assert draft in form.fields["attachments"].queryset and second not in form.fields["attachments"].queryset
    # a draft already on its route is not offered again: the other one is the only one left
    client.post(reverse("workflow:start_route", args=[case.pk]), {"document": second.pk})
    assert ApprovalProcess.objects.filter(document=second).exists()
    form = _page(client, people, case).context["form"]
    assert form.initial["document"] == draft.pk and second not in form.fields["document"].queryset


def test_a_document_sent_as_its_own_attachment_is_refused_clearly(client, people, two_stage_route):
    case, draft = case_with_draft(people)
    _add(case, people, "Drugi projekt", DocumentKind.DRAFT)
    client.force_login(people["worker_rb"])
    response = client.post(reverse("workflow:start_route", args=[case.pk]),
                           {"document": draft.pk, "attachments": [draft.pk]})
    assert response.status_code == 400
    errors = response.context["form"].errors["attachments"]
    assert "Projekt pisma" in errors[0]
    assert not ApprovalProcess.objects.filter(document=draft).exists()


def test_route_preview_shows_only_the_stages_that_apply(client, people):
    make_route(stages=[
        ("Kierownik", Stage.Kind.APPROVAL, Stage.Mode.ALL, None, HEAD),
        ("Skarbnik", Stage.Kind.OPINION, Stage.Mode.ALL, None, [(Step.Assignee.POSITION, "skarbnik", 2)],
         {"if_flag": CaseFlag.FINANCIAL}),
        ("Tylko OR", Stage.Kind.APPROVAL, Stage.Mode.ALL, None, HEAD, {"if_unit": people["OR"]}),
        ("Podpis", Stage.Kind.SIGNATURE, Stage.Mode.ALL, None, [(Step.Assignee.POSITION, "wojt", 2)]),
    ])
    case, draft = case_with_draft(people)
    response = _page(client, people, case)
    preview = response.context["preview"]
    assert [s["name"] for s in preview["stages"]] == ["Kierownik", "Podpis"]
    assert preview["skipped"] == 2
    assert preview["stages"][0]["steps"][0]["who"] == people["head_rb"]
    html = response.content.decode()
    assert "Tylko OR" not in html and "Skarbnik" not in html and "Podpis" in html
    # ticking "financial" and asking for the preview adds the treasurer's stage, and sends nothing
    client.force_login(people["worker_rb"])
    response = client.post(reverse("workflow:start_route", args=[case.pk]),
                           {"document": draft.pk, "flags": [CaseFlag.FINANCIAL], "preview": "1"})
    assert response.status_code == 200
    assert [s["name"] for s in response.context["preview"]["stages"]] == ["Kierownik", "Skarbnik", "Podpis"]
    assert not ApprovalProcess.objects.filter(document=draft).exists()
    # and the route then runs exactly the stages the preview showed
    client.post(reverse("workflow:start_route", args=[case.pk]), {"document": draft.pk, "flags": [CaseFlag.FINANCIAL]})
    process = ApprovalProcess.objects.get(document=draft)
    assert process.current_stage["name"] == "Kierownik"


def test_preview_without_any_route(client, people):
    case, _draft = case_with_draft(people)
    response = _page(client, people, case)
    assert response.status_code == 200 and response.context["preview"]["error"]
    assert "attachments" not in response.context["form"].fields  # nothing else in the case to attach


def test_task_page_marks_the_stages_that_do_not_apply(client, people):
    make_route(stages=[
        ("Kierownik", Stage.Kind.APPROVAL, Stage.Mode.ALL, None, HEAD),
        ("Skarbnik", Stage.Kind.OPINION, Stage.Mode.ALL, None, [(Step.Assignee.POSITION, "skarbnik", 2)],
         {"if_flag": CaseFlag.FINANCIAL}),
    ])
    case, draft = case_with_draft(people)
    client.force_login(people["worker_rb"])
    client.post(reverse("workflow:start_route", args=[case.pk]), {"document": draft.pk})
    process = ApprovalProcess.objects.get(document=draft)
    from workflow.tests.helpers import open_tasks

    [task] = open_tasks("decide", process_id=process.pk)
    client.force_login(task.owner)
    page = client.get(reverse("workflow:task", args=[task.pk]))
    stages = page.context["route_stages"]
    assert [(s["name"], s["applies"], s["current"]) for s in stages] == [("Kierownik", True, True),
                                                                         ("Skarbnik", False, False)]
    html = page.content.decode()
    assert "does not apply to this case" in html or "nie dotyczy tej sprawy" in html
