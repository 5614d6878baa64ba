"""In headless Chromium: the case worker accepts, at dekretacja, the case proposed for a letter quoting its sign."""

import re

import pytest

from registry.tests.factories import make_case, make_delivery
from replies.models import CaseProposal
from workflow import services as wf
from workflow.models import DeliveryProcess
from workflow.tests.helpers import open_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_proposed_case_accepted_at_dekretacja(page, live_server, browser_login, people):
    from obieg.celery import app

    app.conf.task_always_eager, eager = True, app.conf.task_always_eager  # the proposal task runs on commit here
    try:
        case = make_case(people["worker_rb"], unit=people["RB"], jrwa_class=people["wz"],
                         case_worker=people["worker_rb"], title="Warunki zabudowy")
        delivery = make_delivery(people["clerk"], subject=f"Uzupełnienie wniosku, znak {case.sign}")
    finally:
        app.conf.task_always_eager = eager
    proposal = CaseProposal.objects.get(delivery=delivery)
    process_id = DeliveryProcess.objects.get(delivery=delivery).pk
    [choose] = open_tasks("choose_unit", process_id=process_id)
    wf.choose_unit(choose.pk, user=people["clerk"], unit=people["RB"])
    [decree] = open_tasks("decree", process_id=process_id)
    wf.decree(decree.pk, user=people["head_rb"], worker=people["worker_rb"])
    [handle] = open_tasks("handle", process_id=process_id)
    browser_login(page, people["worker_rb"], live_server)
    page.goto(f"{live_server.url}/obieg/zadanie/{handle.pk}/")
    region = page.get_by_role("region", name="Proponowana sprawa")
    assert case.sign in region.inner_text() and "nasz znak sprawy przywołany w piśmie" in region.inner_text()
    region.get_by_role("button", name=f"Dołącz do {case.sign}").click()
    page.wait_for_url(re.compile(r"/obieg/$"))
    delivery.refresh_from_db()
    proposal.refresh_from_db()
    assert delivery.case == case and proposal.state == CaseProposal.State.ACCEPTED
