"""Celery application. Tasks take ids only and are published after commit (delay_on_commit)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")

app = Celery("obieg", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["obieg"])  # obieg/tasks.py: ping and count_rows (worker liveness)


# Text extraction (OCR of a scan takes minutes) has a queue of its own, served by its own worker, so it never holds
# up the index outbox, notifications or the channel intake queued behind it. Page previews (pdftoppm, Pillow in a
# subprocess) run there too: they are the same kind of work on the same hostile files.
EXTRACTION_TASKS = frozenset({"search.tasks.extract_version_text", "search.tasks.render_version_preview"})


def route_task(name, args, kwargs, options, task=None, **kw):
    """Celery router (settings.CELERY_TASK_ROUTES); the queue name is read at send time, so tests can change it."""
    if name in EXTRACTION_TASKS:
        from django.conf import settings

        return {"queue": settings.CELERY_EXTRACTION_QUEUE}
    return None


@app.on_after_configure.connect
def _collect_beat_schedules(sender, **kwargs):
    """Each app may keep its periodic jobs in `<app>/schedule.py` as BEAT_SCHEDULE; merge them here."""
    import importlib

    for module in ("registry.schedule", "workflow.schedule", "deadlines.schedule", "search.schedule",
                   "dispatch.schedule"):
        try:
            schedule = importlib.import_module(module)
        except ModuleNotFoundError:
            continue
        sender.conf.beat_schedule.update(schedule.BEAT_SCHEDULE)
