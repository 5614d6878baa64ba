"""Celery tasks of the registry (found by autodiscovery)."""

from registry.channels.tasks import poll_edoreczenia

__all__ = ["poll_edoreczenia"]
