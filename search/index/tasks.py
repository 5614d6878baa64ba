"""Celery tasks of the index (imported by search/tasks.py so autodiscovery finds them)."""

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(name="search.drain_outbox", ignore_result=True, acks_late=True)
def drain_outbox(batch: int = 500):
    """Beat runs this every few seconds; it re-queues itself while rows remain. Backend errors (Elasticsearch
    down) leave the rows in place and are logged; the next beat run retries."""
    from search.index.outbox import drain

    try:
        done, left = drain(batch)
    except Exception:  # the rows stay in the outbox; nothing is lost
        log.exception("search outbox: batch failed, will retry")
        return
    if done and left:
        drain_outbox.delay(batch)
