"""The real Celery worker fixture: tasks round-trip through Redis and the worker sees rows the test committed."""

import pytest
from django.contrib.auth import get_user_model

from obieg.tasks import count_rows, ping

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_ping_round_trip(celery_worker_proc):
    assert ping.delay().get(timeout=30) == "pong"


def test_worker_reads_committed_rows_of_the_test_database(celery_worker_proc):
    User = get_user_model()
    label = User._meta.label
    assert count_rows.delay(label).get(timeout=30) == 0

    User.objects.create_user(username="kancelaria", password="x")
    User.objects.create_user(username="sekretarz", password="x")

    assert count_rows.delay(label).get(timeout=30) == 2
