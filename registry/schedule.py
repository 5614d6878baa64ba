"""Periodic jobs of the registry, merged into the Celery beat schedule by obieg/celery.py."""

from datetime import timedelta

from django.conf import settings

BEAT_SCHEDULE: dict = {}

if settings.EDORECZENIA_URL:
    BEAT_SCHEDULE["registry.poll_edoreczenia"] = {
        "task": "registry.poll_edoreczenia",
        "schedule": timedelta(minutes=settings.EDORECZENIA_POLL_MINUTES),
        # A tick that finds the previous one still queued is dropped instead of piling up.
        "options": {"expires": settings.EDORECZENIA_POLL_MINUTES * 60},
    }
