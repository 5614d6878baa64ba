"""Periodic jobs of search, merged into CELERY beat_schedule by obieg/celery.py."""

from datetime import timedelta

BEAT_SCHEDULE = {
    "search-requeue-pending-texts": {
        "task": "search.tasks.requeue_pending_texts",
        "schedule": timedelta(minutes=10),
        "options": {"expires": 9 * 60},
    },
    # The index outbox: every few seconds; the task re-queues itself while rows remain.
    "search-drain-outbox": {"task": "search.drain_outbox", "schedule": 5.0, "options": {"expires": 30}},
}
