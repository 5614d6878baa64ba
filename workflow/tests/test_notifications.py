"""E-mail on a new task, a return and a step past its due time; daily digest instead when the user chose it."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from organisation.models import Substitution
from workflow import services
from workflow.models import NotificationPreference, PendingNotification, WorkTask
from workflow.tasks import fire_timers, notify_overdue, send_digests, send_task_notification
from workflow.tests.helpers import case_with_draft, open_tasks

pytestmark = pytest.mark.django_db


def test_new_task_mail_goes_to_owner_and_substitute(people, two_stage_route, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    Substitution.objects.create(principal=people["radca"], substitute=people["worker_or"], starts_on=today,
                                ends_on=today)
    _case, draft = case_with_draft(people)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.start_route(draft, actor=people["worker_rb"])
    assert len(callbacks) >= 2
    recipients = {r for m in mail.outbox for r in m.to}
    assert {people["head_rb"].email, people["radca"].email, people["worker_or"].email} <= recipients
    assert all("/obieg/zadanie/" in m.body for m in mail.outbox)


def test_digest_instead_of_immediate_mail(people, two_stage_route):
    NotificationPreference.objects.create(user=people["radca"], mode=NotificationPreference.Mode.DIGEST)
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    task = next(t for t in open_tasks("decide", process_id=process.pk) if t.owner == people["radca"])
    mail.outbox.clear()
    assert send_task_notification(task.pk, "new") == 0
    assert not mail.outbox and PendingNotification.objects.filter(user=people["radca"]).count() == 1
    assert send_digests("2026-12-04") == 1  # a Friday
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [people["radca"].email]
    assert not PendingNotification.objects.exists()
    assert send_digests("2026-12-04") == 0


@pytest.mark.parametrize("day", ["2026-12-05", "2026-12-06", "2026-12-24", "2026-11-11"])
def test_digest_waits_on_saturdays_sundays_and_holidays(people, day):
    """Saturday, Sunday, Wigilia (a holiday from 2025) and Independence Day: nothing goes out, nothing is lost;
    the next working day sends it all."""
    NotificationPreference.objects.create(user=people["radca"], mode=NotificationPreference.Mode.DIGEST)
    PendingNotification.objects.create(user=people["radca"], subject="Nowe zadanie", body="…")
    mail.outbox.clear()
    assert send_digests(day) == 0
    assert not mail.outbox and PendingNotification.objects.count() == 1
    assert send_digests("2026-12-28") == 1  # Monday after Christmas
    assert len(mail.outbox) == 1 and "Nowe zadanie" in mail.outbox[0].body


def test_overdue_step_is_announced_once(people, two_stage_route):
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    task = open_tasks("decide", process_id=process.pk)[0]
    WorkTask.objects.filter(pk=task.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    mail.outbox.clear()
    assert notify_overdue() == 1
    assert len(mail.outbox) == 1 and task.owner.email in mail.outbox[0].to
    assert notify_overdue() == 0


def test_finished_task_sends_nothing(people, two_stage_route):
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    task = open_tasks("decide", process_id=process.pk)[0]
    services.decide(task.pk, user=task.owner, decision="approve")
    assert send_task_notification(task.pk, "new") == 0
    assert send_task_notification(10**9, "new") == 0


def test_no_mail_when_switched_off(people, two_stage_route):
    NotificationPreference.objects.create(user=people["head_rb"], mode=NotificationPreference.Mode.OFF)
    _case, draft = case_with_draft(people)
    process = services.start_route(draft, actor=people["worker_rb"])
    task = next(t for t in open_tasks("decide", process_id=process.pk) if t.owner == people["head_rb"])
    mail.outbox.clear()
    assert send_task_notification(task.pk, "new") == 0 and not mail.outbox


def test_timer_sweep_runs():
    fire_timers()


def test_beat_schedule_is_merged():
    from obieg.celery import app

    app.loader.import_default_modules()
    from workflow.schedule import BEAT_SCHEDULE

    assert {"workflow-fire-timers", "workflow-notify-overdue", "workflow-digests"} <= set(BEAT_SCHEDULE)
