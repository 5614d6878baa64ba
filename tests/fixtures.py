"""Shared pytest fixtures for every app's tests: a plugin loaded for the whole suite by the top-level `conftest.py`.

- Transactional tests (`django_db(transaction=True)`, `live_server`) get `serialized_rollback=True` unless they set it,
  so the rows seeded by data migrations survive the flush after them.
- Markers: `es` tests are skipped unless ELASTICSEARCH_URL is set; `browser` tests are skipped when no Chromium is
  installed (CI installs it, so there they always run).
- `celery_worker_proc`: a real Celery worker subprocess on Redis and on the *test* database. Use it from tests
  marked `@pytest.mark.celery_worker` and `@pytest.mark.django_db(transaction=True)` (the worker only sees
  committed rows). Each xdist worker gets its own queue, so parallel runs never steal each other's tasks.
- `browser` / `page`: headless Debian Chromium driven by Playwright (never `playwright install`), and
  `browser_login(page, user, live_server)` which logs a user in by injecting a session cookie.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_executable() -> str | None:
    """The Debian Chromium (or CHROMIUM_PATH); Playwright's own downloaded browsers are never used."""
    candidates = [os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium", shutil.which("chromium")]
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def _keep_migration_data(item) -> None:
    """Transactional tests flush every table afterwards, which also wipes the rows data migrations seed (kinds of
    deadline, …) for the tests that follow on the same database. Make them serialized_rollback=True (restore the
    post-migration contents at the start of each) unless the test chose explicitly."""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker is None:
        if {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)
        return
    transaction, reset_sequences, databases, _serialized, available_apps = validate_django_db(marker)
    if transaction and "serialized_rollback" not in marker.kwargs and len(marker.args) < 4:
        item.add_marker(
            pytest.mark.django_db(
                transaction=True, reset_sequences=reset_sequences, databases=databases, serialized_rollback=True,
                available_apps=available_apps,
            ),
            append=False,
        )


def pytest_collection_modifyitems(config, items):
    for item in items:
        _keep_migration_data(item)
    skip_es = pytest.mark.skip(reason="needs a real Elasticsearch: set ELASTICSEARCH_URL")
    skip_browser = pytest.mark.skip(reason="no Chromium: apt-get install chromium, or set CHROMIUM_PATH")
    has_es = bool(os.environ.get("ELASTICSEARCH_URL"))
    has_chromium = chromium_executable() is not None
    for item in items:
        if "es" in item.keywords and not has_es:
            item.add_marker(skip_es)
        if "browser" in item.keywords and not has_chromium:
            item.add_marker(skip_browser)


# --------------------------------------------------------------------------------------------------------------------
# A real Celery worker
# --------------------------------------------------------------------------------------------------------------------


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for django-environ pointing at the given connection settings (TCP host or unix socket dir)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or ""
    port = settings_dict.get("PORT") or ""
    options = dict(settings_dict.get("OPTIONS") or {})
    if host.startswith("/"):  # unix socket directory: django-environ takes it from ?host=
        options["host"], host = host, ""
    netloc = f"{auth}{host}" + (f":{port}" if port and host else "")
    query = "&".join(f"{k}={quote(str(v), safe='/')}" for k, v in options.items() if isinstance(v, str | int))
    url = f"postgres://{netloc}/{quote(settings_dict['NAME'], safe='')}"
    return f"{url}?{query}" if query else url


@dataclass
class CeleryWorker:
    process: subprocess.Popen
    queue: str
    hostname: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _stop(process: subprocess.Popen, timeout: float = 15) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)  # warm shutdown: finish the current task, then exit
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="session")
def celery_worker_proc(django_db_setup, tmp_path_factory):
    """Start `celery -A obieg worker -P solo` on the test database and a queue of its own; yield a CeleryWorker.

    The subprocess gets DATABASE_URL pointing at the test database (pytest-django's `test_…` name, one per xdist
    worker), the broker/result backend of the test settings, and `-Q <unique queue>`; while the fixture is active this
    process's Celery app sends to that queue by default, so `task.delay()` / `delay_on_commit` reach the worker.
    The worker is started once per test session (per xdist worker) and stopped at the end of it.
    """
    from django.conf import settings
    from django.db import connection

    from obieg.celery import app
    from obieg.tasks import ping

    worker_id = os.environ.get("PYTEST_XDIST_WORKER", "main")
    queue = f"test-{worker_id}-{uuid.uuid4().hex[:8]}"
    hostname = f"{queue}@localhost"
    log_path = tmp_path_factory.mktemp("celery") / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "obieg.settings"),
        "DATABASE_URL": database_url(connection.settings_dict),
        "CONN_MAX_AGE": "0",  # hold no connection that would keep the test database from being dropped
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PYTHONUNBUFFERED": "1",
    }
    cmd = [
        sys.executable, "-m", "celery", "-A", "obieg", "worker", "-P", "solo",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        "-Q", f"{queue},{queue}-extraction", "-n", hostname, "-l", "info",
    ]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            cmd, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    worker = CeleryWorker(process=process, queue=queue, hostname=hostname, log_path=log_path)

    saved = {k: app.conf[k] for k in ("task_default_queue", "task_always_eager")}
    saved_extraction_queue = settings.CELERY_EXTRACTION_QUEUE
    settings.CELERY_EXTRACTION_QUEUE = f"{queue}-extraction"  # routed there by obieg.celery.route_task
    app.conf.task_default_queue = queue
    app.conf.task_always_eager = False
    try:
        result = ping.apply_async(queue=queue)
        deadline = time.monotonic() + 60
        while not result.ready():
            if process.poll() is not None:
                pytest.fail(f"Celery worker exited with {process.returncode}:\n{worker.log()}")
            if time.monotonic() > deadline:
                pytest.fail(f"Celery worker did not answer a ping within 60 s:\n{worker.log()}")
            time.sleep(0.1)
        assert result.get(timeout=5) == "pong"
        yield worker
    finally:
        app.conf.update(saved)
        settings.CELERY_EXTRACTION_QUEUE = saved_extraction_queue
        _stop(process)


# --------------------------------------------------------------------------------------------------------------------
# Playwright + Debian Chromium
# --------------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test session (per xdist worker)."""
    executable = chromium_executable()
    if executable is None:
        pytest.skip("no Chromium installed")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls made by tests around it are ordinary
    # synchronous code, so Django's async-safety guard would only get in the way.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (own cookies) and page per test, in Polish, failing fast on a hung page."""
    context = browser.new_context(locale="pl-PL", timezone_id="Europe/Warsaw", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def browser_login():
    """`browser_login(page, user, live_server)`: log `user` in for `live_server` by injecting a session cookie."""

    def login(page, user, live_server):
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(user)
        page.context.add_cookies(
            [{
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
                "httpOnly": True,
                "sameSite": "Lax",
            }]
        )
        return page

    return login


# --------------------------------------------------------------------------------------------------------------------
# Duration of the browser journeys (tests/journeys), printed at the end of the run
# --------------------------------------------------------------------------------------------------------------------

_journey_seconds: dict[str, float] = {}


def pytest_runtest_logreport(report):
    # Runs in the xdist controller too (reports are forwarded), so the sum covers every worker.
    if "tests/journeys/" in report.nodeid.replace("\\", "/"):
        _journey_seconds[report.nodeid] = _journey_seconds.get(report.nodeid, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    if not _journey_seconds:
        return
    total = sum(_journey_seconds.values())
    slowest = max(_journey_seconds, key=_journey_seconds.get)
    terminalreporter.write_sep("-", "browser journeys")
    terminalreporter.write_line(
        f"{len(_journey_seconds)} tests in tests/journeys took {total:.1f} s in all (setup + call + teardown, summed "
        f"over workers); slowest {_journey_seconds[slowest]:.1f} s: {slowest.split('::')[-1]}"
    )
