"""Every page asks for a favicon that exists, and the dashboard's state symbols are drawn (no empty boxes)."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_favicon_is_served_at_the_root_and_from_static(client):
    root = client.get("/favicon.ico")
    assert root.status_code == 200
    body = b"".join(root.streaming_content) if root.streaming else root.content
    assert body[:4] == b"\x00\x00\x01\x00"  # ICO header


def test_pages_load_without_a_failed_request_and_the_pause_symbol_is_drawn(page, live_server, browser_login):
    admin = get_user_model().objects.create_superuser(username="admin", email="admin@example.org", password="x")
    browser_login(page, admin, live_server)
    failed = []
    page.on("response", lambda r: failed.append((r.status, r.url)) if r.status >= 400 else None)
    for path in ("/", "/terminy/", "/admin/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert failed == []
    page.goto(f"{live_server.url}/terminy/")
    icon = page.locator(".state-suspended .sym svg")
    box = icon.bounding_box()
    assert box is not None and box["width"] >= 8 and box["height"] >= 8
    assert "\u23f8" not in page.content()
    favicon = page.evaluate("fetch('/favicon.ico').then(r => [r.status, r.headers.get('content-type')])")
    assert favicon[0] == 200 and "icon" in favicon[1]
