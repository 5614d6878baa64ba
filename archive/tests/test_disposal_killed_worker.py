"""Brakowanie resumes after a real Celery worker is killed (SIGKILL) in the middle of the destruction: a second
worker finishes it; every file's contents destroyed exactly once, nothing counted twice, one protocol."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection

from archive.models import DisposalItem, DisposalList, DisposalStatus
from archive.services import disposal as ds
from archive.tasks import destroy_disposal
from archive.tests.test_disposal import archived, through_review
from registry.models import DocumentVersion, HistoryEntry
from tests.fixtures import BASE_DIR, database_url

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_root(settings):
    """Overrides the package's temporary MEDIA_ROOT: the workers read the default one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def start_victim(tmp_path):
    queue = f"victim-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": database_url(connection.settings_dict), "CONN_MAX_AGE": "0",
           "CELERY_BROKER_URL": settings.CELERY_BROKER_URL, "CELERY_RESULT_BACKEND": settings.CELERY_RESULT_BACKEND,
           "CELERY_TASK_ALWAYS_EAGER": "false", "MEDIA_ROOT": str(settings.MEDIA_ROOT), "PYTHONUNBUFFERED": "1",
           "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "obieg.settings")}
    log = open(tmp_path / "victim.log", "wb")  # noqa: SIM115 (the worker writes to it until killed)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "obieg", "worker", "-P", "solo", "--without-gossip",
         "--without-mingle", "--without-heartbeat", "-Q", queue, "-n", f"{queue}@localhost", "-l", "info"],
        cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return process, queue, log


def test_destruction_resumes_after_the_worker_is_killed(celery_worker_proc, office, tmp_path):
    cases = archived(office, "2110", 2012, n=25)
    paths = [v.file.path for v in DocumentVersion.objects.all()]
    total = sum(DocumentVersion.objects.values_list("size", flat=True))
    disposal = through_review(office, cases)
    ds.record_decision(actor=office["archivist"], disposal=disposal, reference="AP.4252.9.2026",
                       decided_on=dt.date(2026, 1, 5), consent=True)
    victim, queue, log = start_victim(tmp_path)
    try:
        # chunks of one file: the worker commits file by file, so it can be caught in the middle
        destroy_disposal.apply_async((disposal.pk, office["archivist"].pk, 1), queue=queue)
        deadline = time.monotonic() + 90
        done = 0
        while time.monotonic() < deadline:
            done = DisposalItem.objects.filter(disposal=disposal, destroyed_at__isnull=False).count()
            if done >= 1:
                break
            time.sleep(0.005)
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(10)
    finally:
        if victim.poll() is None:
            os.killpg(victim.pid, signal.SIGKILL)
        log.close()
    done = DisposalItem.objects.filter(disposal=disposal, destroyed_at__isnull=False).count()
    assert 1 <= done < 25, f"the worker was not caught in the middle ({done} of 25 destroyed)"
    assert DisposalList.objects.get(pk=disposal.pk).status == DisposalStatus.DESTROYING

    # Another worker picks the list up again and finishes it.
    assert destroy_disposal.delay(disposal.pk, office["archivist"].pk, 10).get(timeout=120) == 25 - done
    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.DESTROYED
    items = DisposalItem.objects.filter(disposal=disposal)
    assert items.filter(destroyed_at__isnull=False).count() == 25
    assert sum(i.files_destroyed for i in items) == 25  # one letter per case, each counted once
    assert sum(i.bytes_destroyed for i in items) == total
    assert f"spraw: 25 (plików 25, bajtów {total})" in disposal.protocol, disposal.protocol
    for case in cases:
        assert HistoryEntry.objects.filter(case=case, description__contains="AP.4252.9.2026").exists()
        assert HistoryEntry.objects.filter(case=case, data__disposal=disposal.pk,
                                           description__contains=disposal.sign).count() >= 1
    assert not any(os.path.exists(p) for p in paths)
    assert DocumentVersion.objects.exclude(file="").count() == 0
    assert DocumentVersion.objects.count() == 25  # the metadata rows are kept
