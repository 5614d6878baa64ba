"""The workflow pages in headless Chromium: the chart is Polish, the document being sent is not offered as its own
attachment, and a clerk sends several deliveries to a unit in one go from the task list."""

import re

import pytest
from django.db import transaction

from registry.models import Delivery, DocumentKind
from registry.services.documents import add_document
from registry.tests.factories import make_delivery, pdf_upload
from workflow.tests.helpers import case_with_draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_own_attachment_is_hidden_when_the_document_changes(page, live_server, browser_login, people,
                                                            two_stage_route):
    case, draft = case_with_draft(people)
    with transaction.atomic():
        second = add_document(actor=people["worker_rb"], title="Drugi projekt", kind=DocumentKind.DRAFT,
                              upload=pdf_upload("drugi.pdf"), case=case)
    browser_login(page, people["worker_rb"], live_server)
    page.goto(f"{live_server.url}/obieg/sprawa/{case.pk}/akceptacja/")
    own = page.locator(f'input[name="attachments"][value="{second.pk}"]')
    other = page.locator(f'input[name="attachments"][value="{draft.pk}"]')
    assert own.is_visible() and other.is_visible()  # nothing chosen yet: both can be attachments
    page.select_option("#id_document", str(second.pk))
    assert not own.is_visible() and other.is_visible()
    other.check()
    page.select_option("#id_document", str(draft.pk))
    assert own.is_visible() and not other.is_visible() and not other.is_checked()
    page.get_by_role("button", name="Pokaż ścieżkę dla tych wyborów").click()
    assert page.locator("#route-preview").inner_text().startswith("Ścieżka: Pisma wychodzące")
    assert page.get_by_text("Opinie").first.is_visible()


def test_bulk_choose_unit_from_the_task_list(page, live_server, browser_login, people):
    deliveries = [make_delivery(people["clerk"], subject=f"Pismo zbiorcze {i}") for i in range(3)]
    browser_login(page, people["clerk"], live_server)
    page.goto(f"{live_server.url}/obieg/")
    assert page.locator("h1").inner_text() == "Dla mnie i mojej komórki"
    for d in deliveries[:2]:
        page.get_by_role("row", name=re.compile(re.escape(d.subject))).get_by_role("checkbox").check()
    page.get_by_label("Skieruj je do komórki").check()
    page.get_by_label("Komórka").select_option(label=str(people["RB"]))
    page.get_by_role("button", name="Wykonaj").click()
    assert page.get_by_role("status").first.inner_text().strip() == "Wykonano: 2. Pominięto: 0."
    for d in deliveries:
        d.refresh_from_db()
    assert [d.assigned_unit_id for d in deliveries] == [people["RB"].pk, people["RB"].pk, None]
    assert deliveries[2].status == Delivery.Status.REGISTERED
    page.goto(f"{live_server.url}/obieg/")
    page.screenshot(path="/tmp/wfux_tasks.png", full_page=True)
