"""The archivist's journey in a real headless Chromium: a unit prepares and submits a spis zdawczo-odbiorczy, the
archivist accepts it with the storage location, lends a file and finds it on the list eligible for disposal."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from archive.models import CaseCustody, DisposalList, DisposalStatus, HandoverStatus, Loan, LoanStatus
from archive.tests.conftest import closed_case
from registry.models import Action, HistoryEntry
from registry.services.documents import add_document
from registry.tests.factories import pdf_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = dt.date


def axe_violations(page) -> list[str]:
    """Serious and critical WCAG 2.1 A/AA violations on the current page (axe-core, shipped with the package)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a",
                                                                             "wcag21aa"]}})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def shot(page, name):
    target = os.environ.get("SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)


def test_accept_a_spis_lend_a_file_and_list_it_for_disposal(page, live_server, browser_login, office):
    cases = [closed_case(office, "2110", started_on=D(2012, 3, i + 1), closed_on=D(2012, 5, 1),
                         title=f"Nabór na stanowisko {i + 1}") for i in range(2)]
    for case in cases:
        add_document(actor=office["worker"], title="Protokół naboru", kind="note", upload=pdf_upload(), case=case)

    # The unit sees the file due and prepares its list.
    browser_login(page, office["worker"], live_server)
    page.goto(f"{live_server.url}/archiwum/do-przekazania/")
    row = page.get_by_role("row", name=re.compile(r"RB\.2110\.2012"))
    row.get_by_role("button", name="Sporządź spis").click()
    page.wait_for_url(re.compile(r"/archiwum/spisy/\d+/$"))
    assert "RB.2110.2012" in page.locator("h1").inner_text()
    assert page.get_by_role("table", name="Sprawy w spisie").get_by_role("row").count() == 3  # header + 2
    page.get_by_role("button", name="Przekaż do archiwum").click()
    page.get_by_role("status").filter(has_text="Spis przekazano do archiwum").wait_for()
    shot(page, "archive-01-submitted")
    assert axe_violations(page) == []
    list_url = page.url

    # The archivist checks and accepts it.
    page.context.clear_cookies()
    browser_login(page, office["archivist"], live_server)
    page.goto(list_url)
    assert page.get_by_text("Nie znaleziono problemów").is_visible()
    page.get_by_label("Miejsce przechowywania oryginałów papierowych").fill("pok. 12, regał 3, półka 2")
    page.get_by_role("button", name="Przyjmij spis").click()
    page.get_by_role("status").filter(has_text="Przyjęto pod numerem").wait_for()
    shot(page, "archive-02-accepted")
    assert axe_violations(page) == []
    assert CaseCustody.objects.filter(case__in=cases, storage_location="pok. 12, regał 3, półka 2").count() == 2
    page.goto(f"{live_server.url}/archiwum/przyjecia/")
    assert page.get_by_role("row", name=re.compile(r"RB\.2110\.2012")).is_visible()

    # The archivist lends one file to the case worker.
    page.goto(f"{live_server.url}/archiwum/szukaj/?q=stanowisko+1")
    page.get_by_role("link", name=cases[0].sign).click()
    page.get_by_label("Cel").fill("kontrola RIO")
    page.get_by_label("Termin zwrotu").fill("2099-01-31")
    page.get_by_label("Dla kogo").select_option(label=str(office["worker"]))
    page.get_by_role("button", name="Udostępnij", exact=True).click()
    page.get_by_role("status").filter(has_text="Akta udostępniono").wait_for()
    loan = Loan.objects.get()
    assert (loan.status, loan.borrower, loan.decided_by) == (LoanStatus.LENT, office["worker"], office["archivist"])
    page.goto(f"{live_server.url}/archiwum/wypozyczenia/")
    assert page.get_by_role("row", name=re.compile(re.escape(cases[0].sign))).is_visible()
    shot(page, "archive-03-loans")
    assert axe_violations(page) == []

    # The disposal list shows the file that is not lent, not the one out on loan.
    page.goto(f"{live_server.url}/archiwum/brakowanie/")
    table = page.get_by_role("table", name=re.compile("do brakowania"))
    assert table.get_by_role("link", name=cases[1].sign).is_visible()
    assert table.get_by_role("link", name=cases[0].sign).count() == 0
    shot(page, "archive-04-disposal")
    assert axe_violations(page) == []

    # The archivist prepares a disposal list of them and sends it to the units for review.
    page.get_by_role("button", name="Sporządź spis akt do brakowania").click()
    page.wait_for_url(re.compile(r"/archiwum/brakowanie/spisy/\d+/$"))
    files = page.get_by_role("table", name="Akta w spisie")
    assert files.get_by_role("row", name=re.compile(re.escape(cases[1].sign))).is_visible()
    assert files.get_by_role("row", name=re.compile(re.escape(cases[0].sign))).count() == 0
    page.get_by_role("button", name="Przekaż komórkom do oceny").click()
    page.get_by_role("status").filter(has_text="Spis przekazano komórkom do oceny").wait_for()
    shot(page, "archive-05-disposal-list")
    assert axe_violations(page) == []
    for path in ("/archiwum/", "/archiwum/do-przekazania/", "/archiwum/kalendarz/", "/archiwum/zasob/",
                 f"/archiwum/sprawy/{cases[0].pk}/"):
        page.goto(f"{live_server.url}{path}")
        assert axe_violations(page) == [], path
    assert DisposalList.objects.get().status == DisposalStatus.IN_REVIEW
    assert HistoryEntry.objects.filter(case=cases[0], action=Action.ARCHIVE_TRANSFER).count() == 1
    assert cases[0].handover_items.get().handover.status == HandoverStatus.ACCEPTED
