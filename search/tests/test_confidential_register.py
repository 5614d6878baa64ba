"""A registry clerk sees every register entry, but never that a delivery belongs to a confidential case: not its
sign, title, JRWA class, unit or case worker – in search results, highlights, facets, counts and exports, and on
the pages and in the API (registry.access). Both search backends behave alike."""

import csv
import io

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from organisation.models import Role
from registry.tests.factories import make_case, member
from search.index.backends import SearchRequest
from search.index.outbox import drain_all
from search.index.service import facet_labels, search
from search.tests.corpus import build_corpus

pytestmark = pytest.mark.usefixtures("search_media")


@pytest.fixture
def secret(office, backend):
    corpus = build_corpus(office, backend)
    d3 = corpus["objects"]["d3"]  # "Skarga na hałas z budowy", registered by the clerk
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], delivery=d3,
                     title="Tajemnica handlowa inwestora", confidential=True,
                     participants=[member(office["OR"], Role.CASE_WORKER, username="uczestnik")])
    drain_all(backend)
    if hasattr(backend, "refresh"):
        backend.refresh()
    return {"case": case, "delivery": d3, "corpus": corpus}


def _leaks(text, case) -> bool:
    return case.sign in text or "Tajemnica" in text or "inwestora" in text


def test_clerk_finds_the_delivery_by_what_was_registered_but_not_its_case(office, backend, secret):
    case, d3, clerk = secret["case"], secret["delivery"], office["clerk"]
    result = search(clerk, SearchRequest(q="hałas budowy"), backend)
    [hit] = [h for h in result.hits if (h.kind, h.object_id) == ("delivery", d3.pk)]
    shown = " ".join([hit.display_id, hit.title, hit.subtitle, hit.title_html, hit.snippet_html, hit.url])
    assert not _leaks(shown, case)
    assert hit.url == f"/przesylki/{d3.pk}/"
    # Neither the sign nor the title of the case find it (nor count it), and nor do its class or case worker.
    for q in (case.sign, "Tajemnica handlowa", "inwestora"):
        result = search(clerk, SearchRequest(q=q), backend)
        assert result.total == 0 and result.hits == [], q
    jrwa = search(clerk, SearchRequest(jrwa=case.jrwa_class.symbol, size=100), backend)
    assert ("delivery", d3.pk) not in {(h.kind, h.object_id) for h in jrwa.hits}
    worker = search(clerk, SearchRequest(case_worker=case.case_worker_id, size=100), backend)
    assert ("delivery", d3.pk) not in {(h.kind, h.object_id) for h in worker.hits}


def test_facets_of_the_clerk_do_not_count_the_case(office, backend, secret):
    case, d3, clerk = secret["case"], secret["delivery"], office["clerk"]
    result = search(clerk, SearchRequest(q="hałas budowy", size=100), backend)
    facets = facet_labels(result.facets)
    assert not any(_leaks(v["label"], case) for values in facets.values() for v in values)
    assert case.jrwa_class.symbol not in {v["value"] for v in facets.get("jrwa", [])}
    assert str(case.case_worker_id) not in {str(v["value"]) for v in facets.get("case_worker", [])}
    d3.refresh_from_db()  # the unit it was assigned to is register data (dekretacja), the case's is not
    assert {str(v["value"]) for v in facets.get("unit", [])} == {str(d3.assigned_unit_id)}


def test_participants_still_see_the_delivery_and_the_case(office, backend, secret):
    case, d3 = secret["case"], secret["delivery"]
    for user in (office["worker_rb"], case.participants.get()):
        hits = search(user, SearchRequest(q="hałas budowy OR Tajemnica", size=100), backend).hits
        assert {("delivery", d3.pk), ("case", case.pk)} <= {(h.kind, h.object_id) for h in hits}


def test_search_export_and_api_of_the_clerk(client, office, backend, secret):
    case, d3 = secret["case"], secret["delivery"]
    client.force_login(office["clerk"])
    csv_text = client.get("/szukaj/eksport.csv", {"q": "hałas"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
    assert len(rows) == 2 and d3.rpw in rows[1] and not _leaks(csv_text, case)
    sheet = load_workbook(io.BytesIO(client.get("/szukaj/eksport.xlsx", {"q": "hałas"}).content)).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    assert d3.rpw in cells and not _leaks(cells, case)
    page = client.get("/szukaj/", {"q": "hałas"}).content.decode()
    assert d3.rpw in page and not _leaks(page, case)
    api = client.get("/api/v1/search/", {"q": "hałas"}).content.decode()
    assert d3.rpw in api and not _leaks(api, case)
    assert client.get("/api/v1/search/", {"q": case.sign}).json()["count"] == 0


def test_register_pages_and_api_of_the_clerk(client, office, backend, secret):
    case, d3 = secret["case"], secret["delivery"]
    client.force_login(office["clerk"])
    for url in ("/przesylki/", f"/przesylki/{d3.pk}/"):
        html = client.get(url).content.decode()
        assert d3.subject in html and not _leaks(html, case), url
        assert f"/sprawy/{case.pk}/" not in html
    api = APIClient()
    api.force_authenticate(office["clerk"])
    one = api.get(f"/api/v1/deliveries/{d3.pk}/").json()
    assert one["subject"] == d3.subject and one["case"] is None and one["status"] == "in_case"
    listed = api.get("/api/v1/deliveries/").content.decode()
    assert d3.subject in listed and not _leaks(listed, case)
    # The case worker sees the case on the same pages.
    client.force_login(office["worker_rb"])
    assert case.sign in client.get(f"/przesylki/{d3.pk}/").content.decode()
    api.force_authenticate(office["worker_rb"])
    assert api.get(f"/api/v1/deliveries/{d3.pk}/").json()["case"] == case.sign
