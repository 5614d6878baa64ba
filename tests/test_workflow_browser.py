"""A head of unit approves a draft in Chromium, with the keyboard, in Polish; a missing comment is an error linked
to its field."""

import re

import pytest

from workflow import services
from workflow.models import ApprovalProcess
from workflow.tests.conftest import _mail, _media_root, office, people, two_stage_route  # noqa: F401
from workflow.tests.helpers import case_with_draft, open_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_head_returns_then_approves_with_the_keyboard(page, live_server, browser_login, people, two_stage_route):  # noqa: F811
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    task = next(t for t in open_tasks("decide", process_id=process.pk) if t.owner == people["head_rb"])
    browser_login(page, people["head_rb"], live_server)
    page.goto(f"{live_server.url}/obieg/")
    assert page.locator("html").get_attribute("lang") == "pl"
    page.get_by_role("link", name=re.compile("Projekt pisma")).click()
    assert page.get_by_role("heading", name="Twoja decyzja").is_visible()
    # Return without a comment: the error summary links to the comment field.
    page.get_by_label("zwracam do poprawy").check()
    page.get_by_role("button", name="Zapisz").click()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_comment"
    assert page.locator("#id_comment").get_attribute("aria-invalid") == "true"
    # Approve with the keyboard.
    page.get_by_label("akceptuję").focus()
    page.keyboard.press("Space")
    assert page.get_by_label("akceptuję").is_checked()
    with page.expect_navigation():
        page.get_by_role("button", name="Zapisz").press("Enter")
    assert re.search(r"/obieg/(#.*)?$", page.url), page.url  # back on the task list (a fragment may survive)
    assert page.get_by_role("status").first.is_visible()
    task.refresh_from_db()
    assert task.status == "DONE" and task.decision == "approve"
    assert ApprovalProcess.objects.get(pk=process.pk).status != "DONE"
