"""In a real headless Chromium: a case worker finds a document by a word of its text, opens it from the search
results, sees its thumbnails (rendered by the preview renderer), reads the text layer, opens a page in the larger
view; and opens the same document from its case page."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from registry.models import DocumentVersion
from registry.services.documents import add_document
from registry.tests.factories import make_case
from search import previews
from search.index.backends import get_backend, reset_backends
from search.index.outbox import drain_all
from search.tests.samples import pdf_with_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINES = ["Decyzja o warunkach zabudowy", "Ustalam warunki zabudowy dla budynku gospodarczego."]


@pytest.fixture
def document(office, settings, tmp_path):
    settings.SEARCH_BACKEND = "postgres"
    reset_backends()
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], title="Budynek gospodarczy")
    pdf = pdf_with_text(tmp_path / "decyzja.pdf", lines=LINES, pages=2).read_bytes()
    doc = add_document(actor=office["worker_rb"], title="Projekt decyzji WZ", kind="draft", case=case,
                       upload=SimpleUploadedFile("decyzja.pdf", pdf))
    version = doc.versions.get()
    # what the extraction worker stores (tested in search/tests/test_tasks.py), and the previews it renders
    DocumentVersion.objects.filter(pk=version.pk).update(text="\n".join(LINES) + "\n<b>nie pogrubione</b>",
                                                         text_status="done", text_method="pdf-text")
    previews.render(version)
    drain_all(get_backend())
    yield {"case": case, "doc": doc, "version": version}
    reset_backends()


def _image_loaded(locator) -> bool:
    return locator.evaluate("img => img.complete && img.naturalWidth > 0")


def test_open_a_document_from_search_and_from_its_case(page, live_server, browser_login, office, document,
                                                       tmp_path):
    doc, version = document["doc"], document["version"]
    detail = live_server.url + reverse("registry:document-detail", args=[doc.pk])
    browser_login(page, office["worker_rb"], live_server)

    page.goto(f"{live_server.url}/szukaj/?q=gospodarczego")
    results = page.get_by_role("region", name="Wyniki")
    results.get_by_role("link", name="Projekt decyzji WZ").click()
    page.wait_for_url(detail)
    expect(page.locator("h1")).to_contain_text("Projekt decyzji WZ")
    expect(page.get_by_role("link", name=document["case"].sign, exact=True)).to_be_visible()
    assert version.sha256 in page.locator("table.versions").inner_text()

    thumbs = page.get_by_role("img", name=re.compile(r"^Strona \d z 2$"))
    expect(thumbs).to_have_count(2)
    thumbs.first.scroll_into_view_if_needed()
    page.wait_for_function("[...document.querySelectorAll('ul.thumbnails img')].every(i => i.complete)")
    assert all(_image_loaded(thumbs.nth(i)) for i in range(2))

    text = page.locator("pre.extracted-text")
    assert not text.is_visible()  # folded
    page.get_by_text(re.compile(r"Pokaż odczytany tekst")).click()
    expect(text).to_be_visible()
    expect(text).to_contain_text("<b>nie pogrubione</b>")  # shown as text, not markup
    page.screenshot(path=str(tmp_path / "document.png"), full_page=True)

    page.get_by_role("link", name="Strona 2 z 2").click()
    page.wait_for_url(live_server.url + reverse("registry:document-page", args=[version.pk, 2]))
    big = page.get_by_role("img", name=re.compile("Strona 2 z 2 dokumentu"))
    page.wait_for_function("document.querySelector('.page-view img').complete")
    assert _image_loaded(big)
    assert big.evaluate("img => img.naturalWidth") > 400  # the larger view, not the thumbnail

    page.goto(live_server.url + reverse("registry:case-detail", args=[document["case"].pk]))
    page.get_by_role("link", name="Projekt decyzji WZ").click()
    page.wait_for_url(detail)
    expect(page.locator("h1")).to_contain_text("Projekt decyzji WZ")
