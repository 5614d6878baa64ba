"""The daily deadlines job (Celery beat, see `schedule.py`).

Every run, for `today`:

1. recomputes the due dates of suspended cases (an open suspension counts up to today);
2. writes today's `DeadlineSnapshot` rows (upsert – a second run overwrites the same rows);
3. reminds each case worker of their running cases due within `DEADLINE_REMINDER_WORKING_DAYS` working days
   (default 3) – one e-mail per person listing the cases;
4. tells the head of the unit about cases that became overdue (due date passed within the last
   `DEADLINE_OVERDUE_CATCH_UP_DAYS` days, default 7, so a missed night is caught up, but years-old cases are not
   mailed on the first run);
5. on `DEADLINE_WEEKLY_SUMMARY_WEEKDAY` (default 0 = Monday) sends each secretary a summary.

Idempotency: every (event, case, due date or week, recipient) is claimed in `ReminderSent` with
INSERT … ON CONFLICT DO NOTHING RETURNING before the mail is sent; only the claims this run inserted are mailed.
Two runs at the same time block on the unique index and the second inserts nothing. If sending fails the claims
are removed, so the next run tries again (at most once, retried on failure).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections import defaultdict
from dataclasses import dataclass

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from deadlines import calendar as cal
from deadlines import selectors, services
from deadlines.models import CaseDeadline, DeadlineSnapshot, DeadlineState, ReminderSent
from organisation.models import Membership, OrgUnit, Role, User
from registry.access import scope_for
from registry.models import Case

logger = logging.getLogger(__name__)

SNAPSHOT_LOCK = 0x0B1E6_D3AD  # advisory lock id of the snapshot writer
MAX_LISTED = 50  # cases listed in one e-mail; the rest are counted, with a link to the dashboard


def _setting(name, default):
    return getattr(settings, name, default)


@shared_task(name="deadlines.daily")
def daily(today: str | None = None) -> dict:
    day = dt.date.fromisoformat(today) if today else timezone.localdate()
    return run_daily(day)


def run_daily(today: dt.date) -> dict:
    report = {"recomputed": refresh_suspended(today), "snapshot_rows": write_snapshot(today)}
    report["reminders"] = send_reminders(today)
    report["overdue_notices"] = send_overdue_notices(today)
    if today.weekday() == _setting("DEADLINE_WEEKLY_SUMMARY_WEEKDAY", 0):
        report["weekly"] = send_weekly_summaries(today)
    return report


def refresh_suspended(today: dt.date) -> int:
    """An open suspension counts up to today, so those due dates move every day (no history entry: the change
    of the period itself was recorded when the suspension started)."""
    deadlines = (
        CaseDeadline.objects.filter(state=DeadlineState.SUSPENDED, excluded_periods__ends_on__isnull=True)
        .distinct()
        .select_related("kind")
        .prefetch_related("excluded_periods", "extensions")
    )
    changed = []
    for deadline in deadlines:
        raw, skipped, due = services.compute(deadline, today=today)
        if (skipped, due) != (deadline.excluded_days, deadline.due_date):
            deadline.raw_due_date, deadline.excluded_days, deadline.due_date = raw, skipped, due
            changed.append(deadline)
    CaseDeadline.objects.bulk_update(changed, ["raw_due_date", "excluded_days", "due_date"], batch_size=1000)
    return len(changed)


def write_snapshot(today: dt.date) -> int:
    rows = selectors.snapshot_rows(today)
    with transaction.atomic():
        # Two runs at once take turns here (transaction-scoped advisory lock).
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SNAPSHOT_LOCK])
        # Units or people with no open cases any more: their count for today is zero.
        DeadlineSnapshot.objects.filter(day=today).delete()
        DeadlineSnapshot.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# --- claims -------------------------------------------------------------------------------------------------------


def _claim(event: str, items: list[tuple[str, int | None, dt.date, int]]) -> set[str]:
    """Insert (key, case_id, on_date, recipient_id) claims; return the keys this call inserted."""
    if not items:
        return set()
    keys, cases, dates, recipients = zip(*items, strict=True)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {ReminderSent._meta.db_table} (key, event, case_id, on_date, recipient_id, sent_at)
            SELECT k, %s, c, d, r, %s FROM unnest(%s::text[], %s::bigint[], %s::date[], %s::bigint[]) AS t(k, c, d, r)
            ON CONFLICT (key) DO NOTHING
            RETURNING key
            """,
            [event, now, list(keys), list(cases), list(dates), list(recipients)],
        )
        return {row[0] for row in cursor.fetchall()}


def _send(messages: list[tuple[list[str], EmailMessage]]) -> None:
    """Send; on failure drop the claims of the message that failed so the next run retries it."""
    if not messages:
        return
    with get_connection() as conn:
        for keys, message in messages:
            message.connection = conn
            try:
                message.send()
            except Exception:
                logger.exception("Deadline notification to %s failed; will retry", message.to)
                ReminderSent.objects.filter(key__in=keys).delete()


@functools.lru_cache(maxsize=1024)
def _day_text(day: dt.date, fmt: str) -> str:
    """Dates in the office language, formatted once per day (a run may list thousands of cases)."""
    with translation.override(settings.LANGUAGE_CODE):
        return date_format(day, fmt)


def _message(template: str, context: dict, recipient: User) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(f"deadlines/email/{template}.txt", {**context, "recipient": recipient,
                                                                     "site_url": settings.SITE_URL})
    subject, _sep, text = body.strip().partition("\n")
    return EmailMessage(subject.strip(), text.strip() + "\n", to=[recipient.email])


@dataclass
class Row:
    """What a notification needs of one case – plain values, no model instances (the first run of the day may
    handle tens of thousands of cases)."""

    case_id: int
    sign: str
    title: str
    unit_id: int
    worker_id: int
    worker: str
    kind: str
    due_date: dt.date


def _running(qs_filter: Q) -> list[Row]:
    rows = (
        CaseDeadline.objects.filter(qs_filter, state=DeadlineState.RUNNING)
        .values_list(
            "case_id", "case__sign", "case__title", "case__unit_id", "case__case_worker_id",
            "case__case_worker__first_name", "case__case_worker__last_name", "case__case_worker__username",
            "kind__name", "due_date",
        )
    )
    return [
        Row(case_id, sign, title, unit_id, worker_id, f"{first} {last}".strip() or username, kind, due)
        for case_id, sign, title, unit_id, worker_id, first, last, username, kind, due in rows.iterator(chunk_size=5000)
    ]


# --- reminders to case workers ------------------------------------------------------------------------------------


def send_reminders(today: dt.date) -> int:
    days = _setting("DEADLINE_REMINDER_WORKING_DAYS", 3)
    horizon = cal.add_working_days(today, days)
    by_worker: dict[int, list[Row]] = defaultdict(list)
    already = ReminderSent.objects.filter(
        event=ReminderSent.Event.REMINDER, case_id=OuterRef("case_id"), on_date=OuterRef("due_date"),
        recipient_id=OuterRef("case__case_worker_id"),
    )
    rows = _running(
        Q(due_date__gte=today, due_date__lte=horizon) & ~Q(case__case_worker__email="") & ~Exists(already)
    )
    for row in rows:
        by_worker[row.worker_id].append(row)
    return _notify(ReminderSent.Event.REMINDER, "reminder", by_worker, today, {"working_days": days})


def send_overdue_notices(today: dt.date) -> int:
    catch_up = _setting("DEADLINE_OVERDUE_CATCH_UP_DAYS", 7)
    # Cases already notified for this due date are left out in SQL (the claims below still decide who gets what).
    already = ReminderSent.objects.filter(
        event=ReminderSent.Event.OVERDUE, case_id=OuterRef("case_id"), on_date=OuterRef("due_date")
    )
    overdue = _running(
        Q(due_date__lt=today, due_date__gte=today - dt.timedelta(days=catch_up)) & ~Exists(already)
    )
    if not overdue:
        return 0
    heads = _heads_by_unit()
    parents = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    by_head: dict[int, list[Row]] = defaultdict(list)
    for deadline in overdue:
        unit_id = deadline.unit_id
        while unit_id is not None and not heads.get(unit_id):
            unit_id = parents.get(unit_id)  # no head in the unit: the head of the unit above
        for head_id in heads.get(unit_id, ()):
            by_head[head_id].append(deadline)
    # A head is told only of the cases the access rule lets them see (never of someone else's confidential case).
    head_users = User.objects.in_bulk(list(by_head))
    for head_id, deadlines in list(by_head.items()):
        case_ids = [d.case_id for d in deadlines]
        visible = set(scope_for(head_users[head_id]).cases(Case.objects.filter(pk__in=case_ids)).values_list(
            "pk", flat=True
        ))
        by_head[head_id] = [d for d in deadlines if d.case_id in visible]
        if not by_head[head_id]:
            del by_head[head_id]
    return _notify(ReminderSent.Event.OVERDUE, "overdue", by_head, today, {})


def _heads_by_unit() -> dict[int, list[int]]:
    heads: dict[int, list[int]] = defaultdict(list)
    for unit_id, user_id in Membership.objects.filter(role=Role.HEAD, user__is_active=True).exclude(
        user__email=""
    ).values_list("unit_id", "user_id"):
        heads[unit_id].append(user_id)
    return heads


def _notify(event, template, by_recipient: dict[int, list[Row]], today, extra) -> int:
    users = User.objects.in_bulk(list(by_recipient))
    messages = []
    for user_id, deadlines in by_recipient.items():
        items = [(f"{event}:{d.case_id}:{d.due_date.isoformat()}:{user_id}", d.case_id, d.due_date, user_id)
                 for d in deadlines]
        with transaction.atomic():
            claimed = _claim(event, items)
        if not claimed:
            continue
        fresh = [d for d, item in zip(deadlines, items, strict=True) if item[0] in claimed]
        fresh.sort(key=lambda d: (d.due_date, d.sign))
        rows = [
            {"row": d, "days_left": (d.due_date - today).days, "due_long": _day_text(d.due_date, "l, j E Y"),
             "due_short": _day_text(d.due_date, "j E Y")}
            for d in fresh[:MAX_LISTED]
        ]
        context = {"rows": rows, "count": len(fresh), "more": max(len(fresh) - MAX_LISTED, 0), "today": today, **extra}
        messages.append((sorted(claimed), _message(template, context, users[user_id])))
    _send(messages)
    return len(messages)


# --- weekly summary to the secretary ------------------------------------------------------------------------------


def send_weekly_summaries(today: dt.date) -> int:
    monday = today - dt.timedelta(days=today.weekday())
    secretaries = User.objects.filter(
        is_active=True, memberships__role=Role.SECRETARY
    ).exclude(email="").distinct()
    messages = []
    for user in secretaries:
        key = f"weekly:{monday.isoformat()}:{user.pk}"
        with transaction.atomic():
            if not _claim(ReminderSent.Event.WEEKLY, [(key, None, monday, user.pk)]):
                continue
        data = selectors.dashboard(user, selectors.Filters(), today=today)
        overdue = list(data["cases"].filter(selectors.bucket_q("overdue", today))[:50])
        context = {
            "today": today, "monday": monday,
            "totals": [(selectors.BUCKET_LABELS[b], data["totals"][b]) for b in selectors.BUCKETS],
            "total": data["totals"]["total"], "by_unit": data["by_unit"],
            "overdue": [{"case": d.case, "deadline": d, "days": (today - d.due_date).days} for d in overdue],
        }
        messages.append(([key], _message("weekly", context, user)))
    _send(messages)
    return len(messages)
