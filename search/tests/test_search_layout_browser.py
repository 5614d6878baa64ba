"""The search page layout in a real headless Chromium: on a wide screen the facets sit in a narrow side column and
the first result is near the top; on a narrow screen the facets fold away behind a toggle. Screenshots of both are
written to the test's temporary folder (look at them when changing the page)."""

import pytest

from search.index.backends import get_backend, reset_backends
from search.tests.corpus import build_corpus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("search_media")]


@pytest.fixture
def corpus(office, settings):
    settings.SEARCH_BACKEND = "postgres"
    reset_backends()
    yield build_corpus(office, get_backend())
    reset_backends()


def _open_results(page, live_server, browser_login, user, width, height):
    page.set_viewport_size({"width": width, "height": height})
    browser_login(page, user, live_server)
    page.goto(f"{live_server.url}/szukaj/?q=zabudowy")
    page.wait_for_selector(".result-list li")


def test_wide_screen_has_facets_beside_the_results(page, live_server, browser_login, office, corpus, tmp_path):
    _open_results(page, live_server, browser_login, office["secretary"], 1280, 800)
    page.screenshot(path=str(tmp_path / "search-1280.png"), full_page=True)

    first = page.locator(".result-list li").first.bounding_box()
    assert first["y"] < 600, first  # it used to start ≈ 2,500 px down
    facets = page.locator("#facets").bounding_box()
    results = page.locator("section.results").bounding_box()
    assert facets["x"] + facets["width"] <= results["x"]  # a side column, left of the results
    assert facets["width"] < 0.35 * 1280
    assert page.locator("#facets details").get_attribute("open") is not None

    # a checkbox sits on the same line as its label
    box = page.get_by_role("group", name="Rodzaj").get_by_role("checkbox").first
    label = page.locator(f"label[for='{box.get_attribute('id')}']")
    box_box, label_box = box.bounding_box(), label.bounding_box()
    assert box_box["x"] + box_box["width"] <= label_box["x"]
    assert abs((box_box["y"] + box_box["height"] / 2) - (label_box["y"] + label_box["height"] / 2)) < 12

    # the facets still narrow the results (inputs outside the <form> element belong to it)
    page.get_by_role("group", name="Rodzaj").get_by_label("sprawy (1)").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Zastosuj filtry").click()
    assert "kind=case" in page.url and "q=zabudowy" in page.url
    assert page.get_by_role("status").inner_text() == "1 wynik"


def test_narrow_screen_folds_the_facets(page, live_server, browser_login, office, corpus, tmp_path):
    _open_results(page, live_server, browser_login, office["secretary"], 390, 800)
    page.screenshot(path=str(tmp_path / "search-390.png"), full_page=True)

    toggle = page.locator("#facets summary")
    assert toggle.is_visible()
    assert not page.get_by_role("button", name="Zastosuj filtry").is_visible()
    folded = page.locator("#facets").bounding_box()
    first = page.locator(".result-list li").first.bounding_box()
    assert folded["height"] < 80 and first["y"] - (folded["y"] + folded["height"]) < 150, (folded, first)
    toggle.click()
    assert page.get_by_role("button", name="Zastosuj filtry").is_visible()
