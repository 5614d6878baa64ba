"""Notifications through a real Celery worker on Redis (the worker's console e-mail backend writes to its log)."""

import time

import pytest

from workflow import services
from workflow.tests.helpers import case_with_draft


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_new_task_mail_is_sent_by_the_worker_after_commit(people, two_stage_route, celery_worker_proc):
    _case, draft = case_with_draft(people)
    services.start_route(draft, actor=people["worker_rb"])  # commits; delay_on_commit publishes to the worker
    expected = {f"To: {people['radca'].email}", f"To: {people['head_rb'].email}"}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        log = celery_worker_proc.log()
        if all(line in log for line in expected):
            break
        time.sleep(0.3)
    log = celery_worker_proc.log()
    assert all(line in log for line in expected), log[-3000:]
    assert "workflow.send_task_notification" in log
