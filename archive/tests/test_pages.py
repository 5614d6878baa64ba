"""The archive's pages, exports and API through the Django test client: access (404 for what one may not see),
NES metadata, Polish errors, no 500s."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from archive.models import DocumentMetadata
from archive.services import handover as hs
from archive.tests.conftest import closed_case
from registry.models import Action, HistoryEntry
from registry.services.documents import add_document
from registry.tests.factories import pdf_upload

D = dt.date


@pytest.fixture
def archived(office):
    case = closed_case(office, started_on=D(2021, 3, 1), closed_on=D(2021, 6, 1), title="=HYPERLINK(\"x\") Warunki")
    document = add_document(actor=office["worker"], title="Decyzja o warunkach zabudowy", kind="decision",
                            upload=pdf_upload(), case=case)
    handover = hs.prepare(actor=office["worker"], unit=office["RB"], jrwa_class=office["6730"], year=2021, group="B")
    return {"case": case, "document": document, "handover": handover}


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client
    return login


def test_every_page_answers_for_the_archivist(office, archived, as_user):
    c = as_user(office["archivist"])
    for name in ["dashboard", "due", "handover-list", "accessions", "inventory", "calendar", "disposal", "loans",
                 "search"]:
        response = c.get(reverse(f"archive:{name}"))
        assert response.status_code == 200, name
    assert c.get(reverse("archive:calendar") + "?zasob=1").status_code == 200
    assert c.get(reverse("archive:search") + "?q=Warunki&year=abc").status_code == 200
    assert c.get(reverse("archive:loans") + "?status=bogus").status_code == 200


def test_the_spis_exports_have_the_fields_and_guard_formulas(office, archived, as_user):
    c = as_user(office["worker"])
    pk = archived["handover"].pk
    csv = c.get(reverse("archive:handover-csv", args=[pk])).content.decode("utf-8-sig")
    assert "Znak sprawy" in csv and "'=HYPERLINK" in csv and archived["case"].sign in csv
    xlsx = load_workbook(io.BytesIO(c.get(reverse("archive:handover-xlsx", args=[pk])).content))
    values = [cell.value for row in xlsx.active.iter_rows() for cell in row]
    assert "Liczba dokumentów" in values and 1 in values
    pdf = c.get(reverse("archive:handover-pdf", args=[pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_lists_of_other_units_answer_404(office, archived, as_user):
    c = as_user(office["worker_or"])
    pk = archived["handover"].pk
    assert c.get(reverse("archive:handover-detail", args=[pk])).status_code == 404
    assert c.get(reverse("archive:handover-csv", args=[pk])).status_code == 404
    assert c.post(reverse("archive:handover-action", args=[pk, "submit"])).status_code == 404
    assert c.get(reverse("archive:handover-detail", args=[999999])).status_code == 404


def test_the_journey_through_the_pages(office, archived, as_user):
    pk = archived["handover"].pk
    c = as_user(office["worker"])
    c.post(reverse("archive:handover-action", args=[pk, "submit"]))
    c = as_user(office["archivist"])
    page = c.get(reverse("archive:handover-detail", args=[pk])).content.decode()
    assert "Przyjmij spis" in page
    c.post(reverse("archive:handover-action", args=[pk, "accept"]), {"storage_location": "pok. 12"})
    case = archived["case"]
    assert c.get(reverse("archive:case", args=[case.pk])).status_code == 200
    # The registry's case page shows the retention and custody panel and no more actions for the unit.
    c = as_user(office["worker"])
    page = c.get(reverse("registry:case-detail", args=[case.pk])).content.decode()
    assert "2032-01-01" in page and "1/" in page and "Zamknij sprawę" not in page
    response = c.post(reverse("archive:loan-request", args=[case.pk]),
                      {"purpose": "kontrola NIK", "due_on": "2099-01-01"}, follow=True)
    assert "wysłane do archiwum" in response.content.decode() or "wysłano" in response.content.decode()
    response = c.post(reverse("archive:loan-request", args=[case.pk]), {"purpose": "", "due_on": "jutro"},
                      follow=True)
    assert response.status_code == 200 and "message-error" in response.content.decode()


def test_nes_metadata_page_api_and_filling_in(office, archived, as_user):
    document = archived["document"]
    c = as_user(office["worker"])
    data = c.get(reverse("api-archive-metadata", args=[document.pk])).json()
    assert data["missing_mandatory"] == []
    elements = data["elements"]
    assert set(elements) == {"identyfikator", "tworca", "tytul", "data", "format", "dostep", "typ", "relacja",
                             "odbiorca", "grupowanie", "kwalifikacja", "jezyk", "opis", "uprawnienia"}
    assert elements["typ"][0] == {"value": "Text", "kind": "decyzja"}
    assert elements["format"][0]["value"] == "application/pdf"
    assert elements["kwalifikacja"][0]["value"] == "B10"
    assert {"type": "sprawa", "value": archived["case"].sign} in elements["grupowanie"]
    assert "opis" in data["missing_optional"]
    url = reverse("archive:document-metadata", args=[document.pk])
    response = c.post(url, {"description": "Decyzja pozytywna", "language": "polski"})
    assert response.status_code == 200 and "ISO 639-2" in response.content.decode()
    assert not DocumentMetadata.objects.exists()
    c.post(url, {"description": "Decyzja pozytywna", "language": "pol"})
    c.post(url, {"description": "Decyzja pozytywna", "language": "pol"})  # again: no second metryka entry
    assert HistoryEntry.objects.filter(document=document, action=Action.METADATA_CHANGED).count() == 1
    assert c.get(reverse("api-archive-metadata", args=[document.pk])).json()["elements"]["opis"] == [
        {"value": "Decyzja pozytywna"}]
    assert as_user(office["worker_or"]).get(reverse("api-archive-metadata", args=[document.pk])).status_code == 404
    assert as_user(office["worker_or"]).get(url).status_code == 404


def test_retention_api_follows_the_access_rule(office, archived, as_user):
    case = archived["case"]
    data = as_user(office["archivist"]).get(reverse("api-archive-retention", args=[case.pk])).json()
    assert (data["category"], data["eligible_from"], data["office_archive_from"]) == ("B10", "2032-01-01",
                                                                                      "2024-01-01")
    assert any("2032-01-01" in line for line in data["why"])
    assert as_user(office["worker_or"]).get(reverse("api-archive-retention", args=[case.pk])).status_code == 404
    years = as_user(office["archivist"]).get(reverse("api-archive-calendar")).json()["years"]
    assert {"year": 2032, "disposal": 1, "review": 0, "state": 0} in years


def test_class_correction_from_the_case_page_recomputes_retention(office, as_user):
    case = closed_case(office, "2110", started_on=D(2024, 3, 1), closed_on=D(2024, 6, 30))
    c = as_user(office["head"])
    url = reverse("registry:case-class", args=[case.pk])
    response = c.post(url, {"klasa-jrwa": "9999", "klasa-reason": "pomyłka"}, follow=True)
    assert response.status_code == 200 and "message-error" in response.content.decode()
    response = c.post(url, {"klasa-jrwa": "0002", "klasa-reason": "pomyłka w klasyfikacji"}, follow=True)
    case.refresh_from_db()
    assert case.sign == "RB.0002.1.2024" and case.retention.category == "A"
    page = response.content.decode()
    assert "RB.0002.1.2024" in page and "2050-01-01" in page
    assert as_user(office["worker_or"]).post(url, {"klasa-jrwa": "6730", "klasa-reason": "x"}).status_code == 404


def test_disposal_list_pages_and_exports(office, as_user):
    from lxml import etree

    from archive.tests.test_disposal import archived as archived_files
    from archive.tests.test_disposal import through_review

    cases = archived_files(office, "2110", 2012, n=2)
    disposal = through_review(office, cases)
    c = as_user(office["archivist"])
    page = c.get(reverse("archive:disposal-detail", args=[disposal.pk])).content.decode()
    assert cases[0].sign in page and "Zapisz decyzję" in page
    xml = etree.fromstring(c.get(reverse("archive:disposal-xml", args=[disposal.pk])).content)
    assert [p.findtext("znakSprawy") for p in xml.iter("pozycja")] == [cases[0].sign, cases[1].sign]
    pdf = c.get(reverse("archive:disposal-pdf", args=[disposal.pk]))
    assert pdf.content.startswith(b"%PDF")
    response = c.post(reverse("archive:disposal-action", args=[disposal.pk, "decision"]), {
        "reference": "AP.4252.1.2026", "decided_on": "2026-01-05", "consent": "yes", "refused": [str(cases[1].pk)],
    }, follow=True)
    assert "Zapisano decyzję" in response.content.decode()
    assert list(disposal.items.order_by("position").values_list("decision", flat=True)) == ["consent", "refused"]
    # The unit sees its files on the list, someone of another unit gets a 404.
    assert as_user(office["head"]).get(reverse("archive:disposal-detail", args=[disposal.pk])).status_code == 200
    assert as_user(office["worker_or"]).get(reverse("archive:disposal-detail", args=[disposal.pk])).status_code == 404
    assert as_user(office["head"]).get(reverse("archive:disposal-xml", args=[disposal.pk])).status_code == 404
