"""Celery tasks of the electronic channels."""

import contextlib
import logging

import redis
from celery import shared_task
from django.conf import settings

log = logging.getLogger(__name__)

# Longer than one import run can take with the timeouts and bounded retries of the client.
LOCK_SECONDS = 30 * 60


def mailbox_lock(ade: str):
    """A Redis lock per mailbox, so two workers (or a beat tick during a slow run) never import it at once."""
    connection = redis.Redis.from_url(settings.REDIS_URL)
    return connection.lock(f"obieg:channels:edoreczenia:{ade}", timeout=LOCK_SECONDS, blocking=False)


@shared_task(name="registry.poll_edoreczenia", ignore_result=True)
def poll_edoreczenia(limit: int = 50) -> dict:
    """Import the e-Doręczenia mailbox (registry.channels.edoreczenia.importer.import_mailbox)."""
    if not settings.EDORECZENIA_URL:
        return {"skipped": "EDORECZENIA_URL is not set"}
    from registry.channels.edoreczenia.importer import import_mailbox

    lock = mailbox_lock(settings.EDORECZENIA_ADE)
    if not lock.acquire(blocking=False):
        log.info("e-Doręczenia import already running for %s", settings.EDORECZENIA_ADE)
        return {"skipped": "locked"}
    try:
        return dict(import_mailbox(limit=limit, heartbeat=lock.reacquire))
    finally:
        with contextlib.suppress(redis.exceptions.LockError):  # expired meanwhile: nothing to release
            lock.release()
