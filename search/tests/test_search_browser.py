"""In a real headless Chromium: a secretary searches by keyboard without Polish letters, narrows the results with a
facet, saves the search, comes back to it and opens a result; a case worker of another unit never sees the case."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from search.index.backends import get_backend, reset_backends
from search.tests.corpus import build_corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("search_media")]


@pytest.fixture
def corpus(office, settings):
    settings.SEARCH_BACKEND = "postgres"
    reset_backends()
    yield build_corpus(office, get_backend())
    reset_backends()


def search_for(page, text):
    box = page.get_by_role("searchbox", name="Szukaj")
    box.fill("")
    box.focus()
    page.keyboard.type(text)
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the form submits from the box


def test_search_facet_save_and_open_a_result(page, live_server, browser_login, office, corpus):
    c1 = corpus["objects"]["c1"]
    browser_login(page, office["secretary"], live_server)
    page.goto(f"{live_server.url}/szukaj/")
    assert page.locator("h1").inner_text() == "Wyszukiwanie w rejestrach, sprawach i dokumentach"

    search_for(page, "doreczenia")  # typed without Polish letters
    expect(page.get_by_role("status")).to_have_text("1 wynik")
    assert page.locator(".snippet mark").first.inner_text() == "doręczenia"

    search_for(page, "zabudowy")
    expect(page.get_by_role("status")).to_have_text("4 wyniki")
    kinds = page.get_by_role("group", name="Rodzaj")
    kinds.get_by_label(re.compile(r"^sprawy \(1\)")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Zastosuj filtry").click()
    expect(page.get_by_role("status")).to_have_text("1 wynik")
    assert "kind=case" in page.url

    page.get_by_label("Zapisz to wyszukiwanie jako").fill("Sprawy WZ")
    with page.expect_navigation():
        page.get_by_role("button", name="Zapisz", exact=True).click()
    page.goto(f"{live_server.url}/szukaj/")
    saved = page.get_by_role("region", name="Twoje zapisane wyszukiwania")
    with page.expect_navigation():
        saved.get_by_role("link", name="Sprawy WZ").click()
    expect(page.get_by_role("status")).to_have_text("1 wynik")

    results = page.get_by_role("region", name="Wyniki")
    results.get_by_role("link", name=re.compile("Warunki zabudowy")).click()
    page.wait_for_url(live_server.url + reverse("registry:case-detail", args=[c1.pk]))
    assert c1.sign in page.content()


def test_other_units_case_worker_finds_nothing_of_it(page, live_server, browser_login, office, corpus):
    browser_login(page, office["worker_or"], live_server)
    page.goto(f"{live_server.url}/szukaj/")
    search_for(page, "zabudowy")
    expect(page.get_by_role("status")).to_have_text("0 wyników")
    assert page.get_by_role("region", name="Wyniki").get_by_role("link").count() == 0
