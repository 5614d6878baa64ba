"""Periodic jobs of the deadlines module, merged into CELERY_BEAT_SCHEDULE by obieg/celery.py."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "deadlines-daily": {
        "task": "deadlines.daily",
        # Early morning, Europe/Warsaw (CELERY_TIMEZONE): reminders are waiting when the office opens.
        "schedule": crontab(hour=5, minute=30),
    },
}
