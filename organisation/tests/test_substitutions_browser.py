"""In headless Chromium: a case worker names a substitute from the keyboard; a past date is refused with the
error summary focused; the head sees it in the units table and revokes it."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from organisation.models import Substitution

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_name_a_substitute_then_the_head_revokes(page, live_server, browser_login, office, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    today = timezone.localdate()
    browser_login(page, office["worker_rb"], live_server)
    page.goto(f"{live_server.url}/zastepstwa/")
    assert page.locator("h1").inner_text() == "Zastępstwa"
    page.get_by_label("Zastępca").select_option(str(office["worker_rb_a"].pk))
    page.get_by_label("Od").fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Do (włącznie)").fill((today + dt.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Zapisz zastępstwo").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert "Zastępstwo nie może zaczynać się w przeszłości" in summary.inner_text()
    assert Substitution.objects.count() == 0

    page.get_by_label("Od").fill(today.isoformat())
    page.get_by_label("Powód", exact=True).fill("szkolenie")
    page.get_by_label("Powód", exact=True).press("Enter")  # submit from the keyboard
    page.get_by_role("status").filter(has_text="zastępuje Cię").wait_for()
    substitution = Substitution.objects.get()
    assert substitution.reason == "szkolenie"
    assert page.get_by_role("table", name=re.compile("Twoje zastępstwa")).get_by_text("trwa").is_visible()

    page.context.clear_cookies()
    browser_login(page, office["head_rb"], live_server)
    page.goto(f"{live_server.url}/zastepstwa/")
    units = page.get_by_role("table", name=re.compile("osób, których jesteś przełożonym"))
    units.get_by_label("Powód odwołania").fill("pilne sprawy")
    units.get_by_role("button", name=re.compile("Odwołaj zastępstwo")).click()
    page.get_by_role("status").filter(has_text="odwołane").wait_for()
    substitution.refresh_from_db()
    assert substitution.revoked_by == office["head_rb"] and substitution.revoke_reason == "pilne sprawy"
