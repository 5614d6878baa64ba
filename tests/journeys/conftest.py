"""Fixtures of the journey, accessibility and translation tests: the demo office (`load_demo`) on the live server,
and staff members who each get a browser window of their own."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from organisation.models import OrgUnit, User
from tests.journeys.pages import Person


@pytest.fixture
def demo(request, settings, tmp_path):
    """The demo office, loaded once per test (the live server's tests run on a flushed database).

    Files go to a folder of the test's own, except with the real Celery worker, which reads them from the
    MEDIA_ROOT it was started with: then they are removed afterwards."""
    with_worker = "celery_worker_proc" in request.fixturenames
    if not with_worker:
        settings.MEDIA_ROOT = str(tmp_path / "media")
    media = Path(settings.MEDIA_ROOT)
    before = set(media.rglob("*")) if with_worker else set()
    # Sixteen demo users: the default PBKDF2 would spend seconds hashing passwords nobody types here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    call_command("load_demo", copies=1, stdout=io.StringIO())
    yield Demo()
    if with_worker:
        for path in set(media.rglob("*")) - before:
            if path.is_file():
                path.unlink()


class Demo:
    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    def unit(self, symbol: str) -> OrgUnit:
        return OrgUnit.objects.get(symbol=symbol, active=True)


@pytest.fixture
def person(browser, live_server, browser_login, demo):
    """`person("kierownik_rb")`: that demo user logged in, in a browser window (context) of their own."""
    opened = []

    def open_as(username: str) -> Person:
        context = browser.new_context(
            locale="pl-PL", timezone_id="Europe/Warsaw", viewport={"width": 1280, "height": 900}, accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        opened.append(context)
        page = context.new_page()
        browser_login(page, demo.user(username), live_server)
        return Person(page, live_server.url, username)

    yield open_as
    for context in opened:
        context.close()
