"""In headless Chromium: the mayor signs a decision outside the system and uploads it at the signature stage (first
without a file: refused with the reason), then the case page shows the verified signature."""

import re

import pytest

from registry.models import DocumentKind
from signatures.tests import pki
from signatures.tests.test_stage import signature_route
from workflow import services as wf
from workflow.tests.helpers import case_with_draft, open_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_signature_stage_in_the_browser(page, live_server, browser_login, people, trusted, test_pki, tmp_path):
    signature_route()
    case, draft = case_with_draft(people, kind=DocumentKind.DECISION)
    process = wf.start_route(draft, actor=people["worker_rb"])
    [task] = open_tasks("decide", process_id=process.pk)
    browser_login(page, people["wojt"], live_server)
    page.goto(f"{live_server.url}/obieg/zadanie/{task.pk}/")
    page.get_by_label("akceptuję").check()
    page.get_by_role("button", name="Zapisz").click()
    page.get_by_text(re.compile("Nie można zakończyć etapu.*Plik nie ma podpisu elektronicznego")).wait_for()
    signed = tmp_path / "decyzja-podpisana.pdf"
    signed.write_bytes(pki.sign_pades(test_pki["signer"]))
    page.get_by_label("akceptuję").check()
    page.get_by_label("Dokument podpisany").set_input_files(str(signed))
    page.get_by_role("button", name="Zapisz").click()
    page.wait_for_url(re.compile(r"/obieg/$"))
    browser_login(page, people["worker_rb"], live_server)
    page.goto(f"{live_server.url}/sprawy/{case.pk}/")
    status = page.locator(".signature-valid")
    assert "podpis ważny" in status.inner_text() and "Jan Kowalski" in status.inner_text()
