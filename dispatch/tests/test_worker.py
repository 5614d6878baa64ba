"""Through a real Celery worker (its own process) against the fake service over HTTP: two clerks dispatch the same
item at the same moment → one send; a timeout after the service sent → found by its key, sent once."""

import os
import subprocess
import sys
import threading
import time
import uuid

import pytest
from django.db import connections

from dispatch.models import Shipment, State
from dispatch.services import prepare, send
from dispatch.tests.conftest import approved_letter
from registry.tests.uaapi_fake import FakeMailbox
from registry.tests.uaapi_http import FakeServer
from tests.fixtures import BASE_DIR, _stop, database_url

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def service():
    mailbox = FakeMailbox()
    server = FakeServer(mailbox)
    yield mailbox, server
    server.stop()
    assert mailbox.violations == [], "requests or responses outside the UA API contract"


@pytest.fixture
def dispatch_worker(service, settings, tmp_path):
    """A worker of its own, started with the fake service's address in its environment."""
    from django.db import connection

    from obieg.celery import app
    from obieg.tasks import ping

    mailbox, server = service
    settings.EDORECZENIA_ADE = mailbox.ade
    queue = f"test-dispatch-{uuid.uuid4().hex[:8]}"
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ, "DATABASE_URL": database_url(connection.settings_dict), "CONN_MAX_AGE": "0",
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL, "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
        "CELERY_TASK_ALWAYS_EAGER": "false", "MEDIA_ROOT": str(settings.MEDIA_ROOT), "PYTHONUNBUFFERED": "1",
        "EDORECZENIA_URL": server.url, "EDORECZENIA_TOKEN_URL": server.token_url, "EDORECZENIA_ADE": mailbox.ade,
        "EDORECZENIA_TIMEOUT": "3",
    }
    cmd = [sys.executable, "-m", "celery", "-A", "obieg", "worker", "-P", "solo", "--without-gossip",
           "--without-mingle", "--without-heartbeat", "-Q", queue, "-n", f"{queue}@localhost", "-l", "info"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(cmd, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    saved = {k: app.conf[k] for k in ("task_default_queue", "task_always_eager")}
    app.conf.task_default_queue, app.conf.task_always_eager = queue, False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        result = ping.apply_async(queue=queue)
        result.get(timeout=60)
        yield process, log_path
    finally:
        app.conf.update(saved)
        _stop(process)


def _wait_for(shipment_id, states, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = Shipment.objects.get(pk=shipment_id).state
        if state in states:
            return state
        time.sleep(0.2)
    pytest.fail(f"shipment stayed {state}:\n{log_path.read_text()[-3000:]}")


def _prepared(people):
    _case, _doc, task, party = approved_letter(people)
    [shipment] = prepare.prepare(task.pk, user=people["clerk"], addressees=[prepare.Addressee(party)])
    return shipment


def test_two_clerks_dispatch_the_same_item_at_once_and_the_worker_sends_it_once(people, two_stage_route, service,
                                                                               dispatch_worker):
    mailbox, _server = service
    _process, log_path = dispatch_worker
    shipment = _prepared(people)
    results, barrier = [], threading.Barrier(2)

    def clerk():
        barrier.wait()
        try:
            results.append(send.queue([shipment.pk], actor=people["clerk"]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(len(r.queued) for r in results) == [0, 1]
    assert _wait_for(shipment.pk, {State.SUBMITTED, State.FAILED}, log_path) == State.SUBMITTED
    time.sleep(1)  # a second, stray task would have arrived by now
    assert mailbox.sends == 1
    assert Shipment.objects.get(pk=shipment.pk).message_id == "S-1"


def test_a_timeout_after_the_service_sent_is_reconciled_and_sent_once(people, two_stage_route, service,
                                                                     dispatch_worker):
    mailbox, _server = service
    _process, log_path = dispatch_worker
    shipment = _prepared(people)
    mailbox.send_faults = ["timeout-after"]
    assert send.queue([shipment.pk], actor=people["clerk"]).queued == [shipment.pk]
    assert _wait_for(shipment.pk, {State.SUBMITTED, State.FAILED}, log_path) == State.SUBMITTED
    assert mailbox.sends == 1
