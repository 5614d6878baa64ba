"""The search page, saved searches, export and the API."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from search.models import SavedSearch
from search.tests.corpus import build_corpus

pytestmark = pytest.mark.usefixtures("search_media")


@pytest.fixture
def corpus(office, settings):
    from search.index.backends import get_backend, reset_backends

    settings.SEARCH_BACKEND = "postgres"
    reset_backends()
    return build_corpus(office, get_backend())


def test_page_shows_results_facets_and_highlights(client, office, corpus):
    client.force_login(office["secretary"])
    page = client.get(reverse("search:page"), {"q": "doreczenia"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'role="search"' in html and '<label for="id_q">' in html
    assert "<mark>doręczenia</mark>" in html
    assert "<fieldset>" in html and "<legend>" in html
    assert "Skarga na przewlekłość" not in html


def test_confidential_case_is_not_even_counted(client, office, corpus):
    client.force_login(office["secretary"])
    html = client.get(reverse("search:page"), {"q": "przewlekłość"}).content.decode()
    assert "Skarga na przewlekłość" not in html
    data = client.get("/api/v1/search/", {"q": "przewlekłość"}).json()
    assert data["count"] == 0 and data["results"] == []
    assert all(not values for values in data["facets"].values())


def test_empty_page_and_bad_parameters(client, office, corpus):
    client.force_login(office["worker_rb"])
    assert client.get(reverse("search:page")).status_code == 200
    assert client.get(reverse("search:page"), {"date_from": "nie-data"}).status_code == 200
    assert client.get("/api/v1/search/", {"date_from": "nie-data"}).status_code == 400
    assert client.get("/api/v1/search/", {"q": '"(((', "size": 5}).status_code == 200


def test_login_required(client, corpus):
    assert client.get(reverse("search:page")).status_code == 302
    assert client.get("/api/v1/search/").status_code in (401, 403)


def test_saved_searches_are_per_user(client, office, corpus):
    client.force_login(office["worker_rb"])
    response = client.post(reverse("search:save"), {"name": "Moje WZ", "query_string": "q=zabudowy&kind=case"})
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=office["worker_rb"])
    assert saved.query_string == "q=zabudowy&kind=case"
    assert "Moje WZ" in client.get(reverse("search:page")).content.decode()
    client.force_login(office["worker_or"])
    assert "Moje WZ" not in client.get(reverse("search:page")).content.decode()
    assert client.post(reverse("search:delete-saved", args=[saved.pk])).status_code == 404
    client.force_login(office["worker_rb"])
    client.post(reverse("search:delete-saved", args=[saved.pk]))
    assert not SavedSearch.objects.exists()


def test_export_csv_and_xlsx(client, office, corpus):
    client.force_login(office["secretary"])
    response = client.get(reverse("search:export-csv"), {"q": "zabudowy"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + 4
    response = client.get(reverse("search:export-xlsx"), {"q": "zabudowy"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 1 + 4
    assert client.get(reverse("search:export-csv"), {"q": "przewlekłość"}).content.decode("utf-8-sig").count("\n") == 1


def test_api_paginates_with_cursor(client, office, corpus):
    client.force_login(office["secretary"])
    first = client.get("/api/v1/search/", {"sort": "date", "size": 3}).json()
    assert len(first["results"]) == 3 and first["next_cursor"]
    second = client.get("/api/v1/search/", {"sort": "date", "size": 3, "cursor": first["next_cursor"]}).json()
    assert not {r["id"] for r in first["results"] if r["kind"] == "delivery"} & {
        r["id"] for r in second["results"] if r["kind"] == "delivery"
    }
    rpw = corpus["objects"]["d1"].rpw
    top = client.get("/api/v1/search/", {"q": rpw}).json()["results"][0]
    assert (top["kind"], top["id"], top["identifier_match"]) == ("delivery", corpus["d1"][1], True)


def test_openapi_schema_documents_search(client, office):
    client.force_login(office["secretary"])
    schema = client.get("/api/schema/", {"format": "json"}).json()
    params = {p["name"] for p in schema["paths"]["/api/v1/search/"]["get"]["parameters"]}
    assert {"q", "unit", "jrwa", "date_from", "cursor", "sort"} <= params
