"""Celery application. Tasks take ids only and are published after commit (delay_on_commit)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")

app = Celery("obieg", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["obieg"])  # obieg/tasks.py: ping and count_rows (worker liveness)


@app.on_after_configure.connect
def _collect_beat_schedules(sender, **kwargs):
    """Each app may keep its periodic jobs in `<app>/schedule.py` as BEAT_SCHEDULE; merge them here."""
    import importlib

    for module in ("registry.schedule", "workflow.schedule", "deadlines.schedule", "search.schedule"):
        try:
            schedule = importlib.import_module(module)
        except ModuleNotFoundError:
            continue
        sender.conf.beat_schedule.update(schedule.BEAT_SCHEDULE)
