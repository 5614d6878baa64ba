"""Infrastructure tasks: a liveness probe for the Celery worker, used by the demo and the test fixtures."""

from celery import shared_task
from django.apps import apps


@shared_task(name="obieg.ping")
def ping() -> str:
    """Answer "pong": proves a worker consumes our queue and the result backend works."""
    return "pong"


@shared_task(name="obieg.count_rows")
def count_rows(model_label: str) -> int:
    """Count the rows of a model (e.g. "organisation.User"): proves the worker reads the same, committed database."""
    return apps.get_model(model_label).objects.count()
