"""Celery tasks of the workflow: ids only, re-read the row, idempotent."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


@shared_task(name="workflow.send_task_notification")
def send_task_notification(task_id: int, kind: str) -> int:
    from viewflow.workflow.status import STATUS

    from workflow import notifications
    from workflow.models import WorkTask

    task = WorkTask.objects.filter(pk=task_id).select_related("owner").first()
    if task is None or task.status not in (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED):
        return 0
    subject, body = notifications.compose(task, kind)
    return sum(notifications.deliver(user, subject, body) for user in notifications.recipients(task))


@shared_task(name="workflow.notify_overdue")
def notify_overdue() -> int:
    """Every open human task past its due time is announced once to its owner (and their substitutes)."""
    from viewflow.workflow.status import STATUS

    from workflow import notifications
    from workflow.models import WorkTask

    sent = 0
    due = WorkTask.objects.filter(
        overdue_notified=False, due_at__lt=timezone.now(), status__in=[STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED],
    ).values_list("pk", flat=True)[:500]
    for pk in list(due):
        with transaction.atomic():
            task = WorkTask.objects.select_for_update(skip_locked=True, of=("self",)).filter(
                pk=pk, overdue_notified=False).first()
            if task is None:
                continue
            task.overdue_notified = True
            task.save(update_fields=["overdue_notified"])
            subject, body = notifications.compose(task, notifications.OVERDUE)
            for user in notifications.recipients(task):
                sent += notifications.deliver(user, subject, body)
    return sent


@shared_task(name="workflow.send_digests")
def send_digests(on_day: str | None = None) -> int:
    """One e-mail per user with everything queued for their digest – on working days only: beat fires every
    day, and on a Saturday, Sunday or holiday the queue waits for the next working morning (nobody reads it)."""
    import datetime as dt

    from deadlines.calendar import is_working_day
    from organisation.models import User
    from workflow.models import PendingNotification

    day = dt.date.fromisoformat(on_day) if on_day else timezone.localdate()
    if not is_working_day(day):
        log.info("Digest skipped on %s: not a working day.", day)
        return 0
    sent = 0
    for user_id in PendingNotification.objects.values_list("user_id", flat=True).distinct():
        with transaction.atomic():
            items = list(PendingNotification.objects.select_for_update(skip_locked=True)
                         .filter(user_id=user_id).order_by("created_at"))
            if not items:
                continue
            user = User.objects.get(pk=user_id)
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("Your tasks today: %(count)d notifications") % {"count": len(items)}
            body = "\n\n".join(f"{i.subject}\n{i.body}" for i in items)
            if user.email:
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
                sent += 1
            PendingNotification.objects.filter(pk__in=[i.pk for i in items]).delete()
    return sent


@shared_task(name="workflow.fire_timers")
def fire_timers() -> None:
    """viewflow OSS ships no beat task: fire due Timer nodes and boundary timers, start timers, conditions."""
    from viewflow.workflow.timers import fire_due_conditions, fire_due_start_timers, fire_due_timers

    fire_due_timers()
    fire_due_start_timers()
    fire_due_conditions()
