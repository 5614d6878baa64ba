"""The process chart on the task pages speaks the user's language, in sentence case (viewflow's own rendering shows
English labels and title-cases every title)."""

import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from registry.tests.factories import make_delivery
from workflow import services
from workflow.models import DeliveryProcess
from workflow.tests.helpers import case_with_draft, open_tasks

pytestmark = pytest.mark.django_db


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg) + re.findall(r"<title>([^<]*)</title>", svg)


def _chart(client, user, task, language):
    client.force_login(user)
    response = client.get(reverse("workflow:process_chart", args=[task.pk]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    ElementTree.fromstring(svg)  # well-formed: the browser shows nothing otherwise
    return svg


def test_approval_chart_in_polish_and_english(client, people, two_stage_route):
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    task = open_tasks("decide", process_id=process.pk)[0]

    svg = _chart(client, task.owner, task, "pl")
    texts = _texts(svg)
    assert 'xml:lang="pl"' in svg
    for word in ("Następny etap", "Decyzja", "Popraw dokument", "Zaakceptowany", "Odrzucony", "Ponownie na ścieżce",
                 "tak", "nie", "Kolejny etap?"):
        assert word in texts, (word, texts)
    english = {"Next Stage", "Next stage", "Approved", "Rejected", "Restart", "yes", "no", "Popraw Dokument"}
    assert not english & set(texts), english & set(texts)
    # the state of this run is drawn: the stage's tasks are open, the start is done
    assert re.search(r'<g id="decide"[^>]*class="(new|assigned)"', svg)
    assert re.search(r'<g id="start"[^>]*class="done"', svg)

    texts = _texts(_chart(client, task.owner, task, "en"))
    for word in ("Next stage", "Decide", "Correct the document", "Approved", "Rejected", "yes", "no"):
        assert word in texts, (word, texts)
    assert "Next Stage" not in texts and "Correct The Document" not in texts


def test_dekretacja_chart_in_polish(client, people):
    delivery = make_delivery(people["clerk"], subject="Wniosek bez komórki")
    process = DeliveryProcess.objects.get(delivery=delivery)
    [choose] = open_tasks("choose_unit", process_id=process.pk)
    texts = _texts(_chart(client, people["clerk"], choose, "pl"))
    for word in ("Wybierz komórkę", "Komórka znana?", "Przekazana innej komórce?", "tak", "nie"):
        assert word in texts, (word, texts)
    assert not {"yes", "no", "Has Unit", "Forwarded"} & set(texts)
