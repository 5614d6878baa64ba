"""Headless Debian Chromium renders our pages in Polish, and a user can be logged in by cookie."""

import re

import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_login_page_is_polish(page, live_server):
    response = page.goto(f"{live_server.url}/admin/login/")
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "pl"
    assert page.get_by_role("button", name=re.compile("Zaloguj się")).is_visible()


def test_browser_login_injects_a_session(page, live_server, browser_login):
    admin = get_user_model().objects.create_superuser(username="admin", email="admin@example.org", password="x")
    browser_login(page, admin, live_server)
    page.goto(f"{live_server.url}/admin/")
    assert "/admin/login/" not in page.url
    assert page.locator("#user-tools").is_visible()
