"""The desk: every count is a link to the list it counts, and that list shows exactly that many; the default task
list shows what waits for me or my unit."""

import re

import pytest
from django.urls import reverse

from registry.models import Delivery
from registry.tests.factories import make_delivery
from workflow import services
from workflow.models import DeliveryProcess
from workflow.tests.helpers import case_with_draft, open_tasks

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="([^"]+)" data-count="(\d+)">')


def _links(client, user):
    client.force_login(user)
    page = client.get(reverse("registry:home"))
    assert page.status_code == 200
    return [(url.replace("&amp;", "&"), int(n)) for url, n in LINK.findall(page.content.decode())]


def _listed(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["page"].paginator.count


def test_every_desk_count_links_to_a_list_of_that_size(client, people, two_stage_route):
    other = make_delivery(people["clerk"], subject="Do kierownika", addressed_unit=people["RB"])
    make_delivery(people["clerk"], subject="Bez adresata")
    make_delivery(people["clerk"], subject="Do OR", addressed_unit=people["OR"])
    _case, draft = case_with_draft(people)
    services.start_route(draft, actor=people["worker_rb"])
    [choose] = open_tasks("choose_unit", process_id=DeliveryProcess.objects.get(delivery=other).pk)
    services.choose_unit(choose.pk, user=people["clerk"], unit=people["RB"])

    expected = {
        "clerk": ["?date_from=", "?status=registered", "/wychodzace/?status=prepared", reverse("workflow:tasks")],
        "head_rb": ["?waiting=on", "?mine=on", reverse("workflow:task_list", args=["unit"]), "?overdue=1"],
        "worker_rb": ["?waiting=on", "?mine=on", reverse("workflow:task_list", args=["queue"])],
        "secretary": ["/sprawy/?status=open", "/sprawy/?status=closed"],
        "radca": [reverse("workflow:task_list", args=["mine"])],
    }
    seen = 0
    for user, parts in expected.items():
        links = _links(client, people[user])
        for part in parts:
            assert any(part in url for url, _n in links), (user, part, links)
        for url, n in links:
            assert _listed(client, url) == n, (user, url, n)
            seen += n
    assert seen > 0  # the office is not empty, so some counts are not zero


def test_desk_counts_what_waits(client, people):
    make_delivery(people["clerk"], subject="Pierwsza", addressed_unit=people["RB"])
    make_delivery(people["clerk"], subject="Druga")
    links = dict((url, n) for url, n in _links(client, people["clerk"]))
    assert links[reverse("workflow:tasks")] == 2  # two "choose the unit" tasks in the registry clerks' queue
    assert links[reverse("registry:delivery-list") + "?status=" + Delivery.Status.REGISTERED] == 2
    waiting = dict(_links(client, people["head_rb"]))
    assert waiting[reverse("registry:delivery-list") + "?waiting=on"] == 1  # addressed to RB, no case yet


def test_default_task_list_shows_mine_and_my_units_queue(client, people, two_stage_route):
    make_delivery(people["clerk"], subject="Czeka w kolejce")  # a choose-unit task in the clerks' queue
    _case, draft = case_with_draft(people)
    services.start_route(draft, actor=people["worker_rb"])
    client.force_login(people["clerk"])
    page = client.get(reverse("workflow:tasks"))
    assert page.context["which"] == "waiting"
    assert "Czeka w kolejce" in page.content.decode()
    client.force_login(people["head_rb"])
    page = client.get(reverse("workflow:tasks"))
    assert "Projekt pisma" in page.content.decode()  # assigned to the head
    assert "Czeka w kolejce" not in page.content.decode()  # not their queue
    counts = page.context["counts"]
    assert counts["waiting"] == counts["mine"] + counts["queue"] == page.context["page"].paginator.count


def test_desk_and_task_list_queries_do_not_grow_with_the_tasks(client, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        client.force_login(people["clerk"])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    make_delivery(people["clerk"], subject="Pierwsza")
    make_delivery(people["clerk"], subject="Druga")
    few = {url: queries(url) for url in (reverse("registry:home"), reverse("workflow:tasks"))}
    for i in range(8):
        make_delivery(people["clerk"], subject=f"Kolejna {i}", addressed_unit=people["RB"])
    many = {url: queries(url) for url in few}
    assert many == few, (few, many)


def test_waiting_list_over_the_api(client, people):
    make_delivery(people["clerk"], subject="Przez API")
    client.force_login(people["clerk"])
    data = client.get("/api/v1/tasks/", {"list": "waiting"}).json()
    assert data["count"] == 1 and "Przez API" in data["results"][0]["label"]
    assert data["counts"]["waiting"] == data["counts"]["mine"] + data["counts"]["queue"] == 1
