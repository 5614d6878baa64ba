"""Periodic jobs of the workflow, merged into the beat schedule by obieg/celery.py."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "workflow-fire-timers": {"task": "workflow.fire_timers", "schedule": 30.0, "options": {"expires": 25}},
    "workflow-notify-overdue": {"task": "workflow.notify_overdue", "schedule": 300.0, "options": {"expires": 240}},
    "workflow-digests": {"task": "workflow.send_digests", "schedule": crontab(hour=7, minute=0)},
}
