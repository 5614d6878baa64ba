"""Keeping the index true: every change reaches the index through the outbox, and nothing is lost when the
backend or the worker is down."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from registry.models import Correspondent, Delivery, DocumentVersion
from registry.services.cases import change_status
from search.index import outbox
from search.index.backends import SearchRequest
from search.index.service import search
from search.models import SearchOutbox
from search.tests.corpus import build_corpus

pytestmark = pytest.mark.usefixtures("search_media")


def found(office, backend, q, user="secretary", **kw):
    return {(h.kind, h.object_id) for h in search(office[user], SearchRequest(q=q, size=100, **kw), backend).hits}


def test_triggers_write_the_outbox_in_the_same_transaction(office, backend):
    corpus = build_corpus(office, backend)
    assert SearchOutbox.objects.count() == 0
    with transaction.atomic():
        Delivery.objects.filter(pk=corpus["d2"][1]).update(subject="Zmieniony temat")
        assert SearchOutbox.objects.filter(kind="delivery_tree", object_id=corpus["d2"][1]).exists()
        transaction.set_rollback(True)
    assert SearchOutbox.objects.count() == 0  # rolled back with the change
    Delivery.objects.filter(pk=corpus["d2"][1]).update(subject=Delivery.objects.get(pk=corpus["d2"][1]).subject)
    assert SearchOutbox.objects.count() == 0  # a no-op update enqueues nothing


def test_extracted_text_becomes_searchable(office, backend):
    corpus = build_corpus(office, backend)
    assert found(office, backend, "ankieta") == set()
    DocumentVersion.objects.filter(document_id=corpus["doc3"][1]).update(text="Ankieta mieszkańców w sprawie parku")
    outbox.drain_all(backend)
    assert found(office, backend, "ankiety") == {corpus["doc3"]}
    assert found(office, backend, "chodnika") == set()  # the old text is gone


def test_service_changes_and_bulk_updates_reach_the_index(office, backend):
    corpus = build_corpus(office, backend)
    change_status(corpus["objects"]["c1"], actor=office["worker_rb"], status="closed")
    Correspondent.objects.filter(pk=corpus["objects"]["kowalski"].pk).update(last_name="Wiśniewski")
    outbox.drain_all(backend)
    assert corpus["c1"] in found(office, backend, "", statuses=["closed"])
    assert found(office, backend, "Wisniewski") >= {corpus["d1"], corpus["c1"]}
    assert found(office, backend, "Kowalski") == set()


def test_deleted_records_leave_the_index(office, backend):
    corpus = build_corpus(office, backend)
    SearchOutbox.objects.create(kind="delivery", object_id=999_999)
    backend.upsert([{**_entry_like(backend, corpus["d3"]), "object_id": 999_999}])
    assert ("delivery", 999_999) in found(office, backend, "hałas", user="clerk")
    outbox.drain_all(backend)
    assert ("delivery", 999_999) not in found(office, backend, "hałas", user="clerk")


def _entry_like(backend, key):
    from search.index import documents

    return documents.build(key[0], [key[1]])[key[1]]


class Down(Exception):
    pass


class BrokenBackend:
    def __init__(self, real):
        self.real = real
        self.representations = real.representations

    def upsert(self, docs):
        raise Down("elasticsearch is down")

    def delete(self, keys):
        raise Down("elasticsearch is down")


def test_backend_down_loses_nothing(office, backend):
    corpus = build_corpus(office, backend)
    Delivery.objects.filter(pk=corpus["d3"][1]).update(subject="Skarga na hałas z budowy – ponowna")
    DocumentVersion.objects.filter(document_id=corpus["doc3"][1]).update(text="Ankieta o parku")
    pending = SearchOutbox.objects.count()
    with pytest.raises(Down):
        outbox.drain(backend=BrokenBackend(backend))
    assert SearchOutbox.objects.count() == pending  # rolled back: the rows wait
    assert found(office, backend, "ponowna", user="clerk") == set()
    outbox.drain_all(backend)  # it is back
    assert SearchOutbox.objects.count() == 0
    assert found(office, backend, "ponowna", user="clerk") == {corpus["d3"]}
    assert found(office, backend, "parku", user="clerk") == {corpus["doc3"]}


def test_drain_task_requeues_itself_while_rows_remain(office, backend, settings):
    from search.index.tasks import drain_outbox

    build_corpus(office, backend)
    Delivery.objects.update(remarks="x")
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from obieg.celery import app

    app.conf.task_always_eager = True
    try:
        drain_outbox.run(batch=1)
    finally:
        app.conf.task_always_eager = False
    assert SearchOutbox.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_one_drainer_at_a_time(office, backend):
    build_corpus(office, backend)
    Delivery.objects.update(remarks="y")
    with connection.cursor() as cur:
        # another session holding the drainer's lock: this drain does nothing and says so
        import psycopg
        from django.conf import settings as dj

        db = dj.DATABASES["default"]
        other = psycopg.connect(
            host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname=db["NAME"], password=db["PASSWORD"],
            autocommit=False,
        )
        assert other.execute("SELECT pg_try_advisory_xact_lock(%s)", [outbox.LOCK_KEY]).fetchone()[0]
        try:
            assert outbox.drain(backend=backend)[0] == 0
        finally:
            other.rollback()
            other.close()
        cur.execute("SELECT 1")
    assert outbox.drain(backend=backend)[0] > 0


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_outbox_survives_a_stopped_worker(office, settings, tmp_path):
    """Changes made while no worker runs wait in the outbox; a real worker with beat, started later, catches up."""
    from search.index.backends import get_backend

    backend = get_backend("postgres")
    corpus = build_corpus(office, backend)
    Delivery.objects.filter(pk=corpus["d3"][1]).update(subject="Skarga na hałas – zaległa zmiana")
    assert SearchOutbox.objects.count() > 0
    assert found(office, backend, "zaległa", user="clerk") == set()

    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    root = Path(__file__).resolve().parents[2]
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "obieg", "worker", "-B", "--pool=solo", "--concurrency=1",
         "-s", str(tmp_path / "beat-schedule"), "--loglevel=WARNING", "-n", f"search-test-{os.getpid()}@%h"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and SearchOutbox.objects.exists():
            time.sleep(0.5)
        assert not SearchOutbox.objects.exists(), "the worker did not drain the outbox"
        assert found(office, backend, "zaległa", user="clerk") == {corpus["d3"]}
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
