"""Periodic jobs of dispatch, merged into the Celery beat schedule by obieg/celery.py."""

from datetime import timedelta

from django.conf import settings

BEAT_SCHEDULE: dict = {
    "dispatch.resume": {"task": "dispatch.resume", "schedule": timedelta(minutes=2), "options": {"expires": 120}},
}

if settings.EDORECZENIA_URL:
    BEAT_SCHEDULE["dispatch.poll_evidences"] = {
        "task": "dispatch.poll_evidences", "schedule": timedelta(minutes=5), "options": {"expires": 300},
    }
