"""Reads for the deadlines dashboard. Each view is one aggregate query over `CaseDeadline` joined to the case,
filtered by the access rule (`registry.access.scope_for`):

- the secretary (and archivists, superusers) see every case that is not confidential, plus their own;
- heads see the cases of their units and the units below them;
- case workers see the cases they handle (and those of the people they stand in for).

Deadline states of running cases (calendar days): overdue (due date passed), due today, within 3 days, within
7 days, on time (later); suspended cases are counted apart – their term does not run.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deadlines.models import CaseDeadline, DeadlineSnapshot, DeadlineState
from organisation.models import Membership, Role
from registry.access import scope_for
from registry.models import Case

BUCKETS = ["overdue", "due_today", "within_3", "within_7", "on_time", "suspended"]
BUCKET_LABELS = {
    "overdue": _("overdue"),
    "due_today": _("due today"),
    "within_3": _("due within 3 days"),
    "within_7": _("due within 7 days"),
    "on_time": _("on time"),
    "suspended": _("suspended"),
}
ACTIVE_STATES = (DeadlineState.RUNNING, DeadlineState.SUSPENDED)


def bucket_q(bucket: str, today: dt.date) -> Q:
    running = Q(state=DeadlineState.RUNNING)
    return {
        "overdue": running & Q(due_date__lt=today),
        "due_today": running & Q(due_date=today),
        "within_3": running & Q(due_date__gt=today, due_date__lte=today + dt.timedelta(days=3)),
        "within_7": running & Q(due_date__gt=today + dt.timedelta(days=3), due_date__lte=today + dt.timedelta(days=7)),
        "on_time": running & Q(due_date__gt=today + dt.timedelta(days=7)),
        "suspended": Q(state=DeadlineState.SUSPENDED),
    }[bucket]


def bucket_of(deadline: CaseDeadline, today: dt.date) -> str:
    return bucket_for(deadline.due_date, deadline.state, today)


def bucket_for(due_date: dt.date, state: str, today: dt.date) -> str:
    if state == DeadlineState.SUSPENDED:
        return "suspended"
    days = (due_date - today).days
    if days < 0:
        return "overdue"
    if days == 0:
        return "due_today"
    if days <= 3:
        return "within_3"
    if days <= 7:
        return "within_7"
    return "on_time"


def bucket_counts(today: dt.date) -> dict:
    return {bucket: Count("pk", filter=bucket_q(bucket, today)) for bucket in BUCKETS}


@dataclass
class Audience:
    """Who is looking: decides which deadlines and which snapshots are visible."""

    user_ids: frozenset[int]
    unit_ids: frozenset[int]
    all_units: bool
    own_only: bool
    scope: object = field(repr=False, default=None)


def audience_for(user) -> Audience:
    scope = scope_for(user)
    # A substitute for a head sees what the head sees (scope.user_ids holds the people stood in for).
    is_head = Membership.objects.filter(user_id__in=scope.user_ids, role=Role.HEAD).exists()
    own_only = not (scope.all_units or is_head)
    return Audience(scope.user_ids, scope.unit_ids, scope.all_units, own_only, scope)


def visible_deadlines(user, audience: Audience | None = None) -> QuerySet[CaseDeadline]:
    audience = audience or audience_for(user)
    if audience.own_only:
        return CaseDeadline.objects.filter(case__case_worker_id__in=audience.user_ids)
    scope = audience.scope
    if hasattr(scope, "_case_q"):
        # The access rule's own filter, applied through the join to the case (one join instead of IN (subquery)).
        return CaseDeadline.objects.filter(scope._case_q(prefix="case__"))
    return CaseDeadline.objects.filter(case__in=scope.cases(Case.objects.all()))


@dataclass
class Filters:
    unit: int | None = None
    case_worker: int | None = None
    kind: int | None = None
    bucket: str | None = None
    q: str = ""


def apply_filters(qs: QuerySet[CaseDeadline], filters: Filters, today: dt.date) -> QuerySet[CaseDeadline]:
    qs = qs.filter(state__in=ACTIVE_STATES)
    if filters.unit:
        qs = qs.filter(case__unit_id=filters.unit)
    if filters.case_worker:
        qs = qs.filter(case__case_worker_id=filters.case_worker)
    if filters.kind:
        qs = qs.filter(kind_id=filters.kind)
    if filters.bucket in BUCKETS:
        qs = qs.filter(bucket_q(filters.bucket, today))
    if filters.q:
        qs = qs.filter(Q(case__sign__icontains=filters.q) | Q(case__title__icontains=filters.q))
    return qs


def totals(qs: QuerySet[CaseDeadline], today: dt.date) -> dict:
    """Counts of open cases by deadline state (one query)."""
    row = qs.aggregate(**bucket_counts(today), total=Count("pk"))
    return row


def by_unit(qs: QuerySet[CaseDeadline], today: dt.date) -> list[dict]:
    return list(
        qs.values("case__unit_id", "case__unit__symbol", "case__unit__name")
        .annotate(**bucket_counts(today), total=Count("pk"))
        .order_by("case__unit__symbol")
    )


def by_case_worker(qs: QuerySet[CaseDeadline], today: dt.date) -> list[dict]:
    return list(
        qs.values(
            "case__case_worker_id", "case__case_worker__first_name", "case__case_worker__last_name",
            "case__case_worker__username",
        )
        .annotate(**bucket_counts(today), total=Count("pk"))
        .order_by("-overdue", "case__case_worker__last_name", "case__case_worker__first_name")
    )


def case_list(qs: QuerySet[CaseDeadline]) -> QuerySet[CaseDeadline]:
    return qs.select_related("case", "case__unit", "case__case_worker", "kind").order_by("due_date", "case_id")


def dashboard(user, filters: Filters, *, today: dt.date | None = None) -> dict:
    """The counts (by unit – summed for the totals – and by case worker: two aggregate queries) and the ordered
    queryset of cases."""
    today = today or timezone.localdate()
    audience = audience_for(user)
    qs = apply_filters(visible_deadlines(user, audience), filters, today)
    units = by_unit(qs, today)
    # The totals are the sum of the unit rows: one scan fewer than a separate aggregate.
    summed = {key: sum(row[key] for row in units) for key in [*BUCKETS, "total"]}
    return {
        "today": today,
        "audience": audience,
        "totals": summed,
        "by_unit": units,
        "by_case_worker": by_case_worker(qs, today),
        "cases": case_list(qs),
    }


# --- history ------------------------------------------------------------------------------------------------------


def visible_snapshots(audience: Audience) -> QuerySet[DeadlineSnapshot]:
    qs = DeadlineSnapshot.objects.all()
    if audience.own_only:
        return qs.filter(case_worker_id__in=audience.user_ids)
    if not audience.all_units:
        return qs.filter(unit_id__in=audience.unit_ids)
    return qs


def overdue_history(audience: Audience, filters: Filters, *, days: int = 90, today: dt.date | None = None):
    """[(day, overdue count)] from the daily snapshots, oldest first."""
    today = today or timezone.localdate()
    qs = visible_snapshots(audience).filter(day__gt=today - dt.timedelta(days=days), day__lte=today)
    if filters.unit:
        qs = qs.filter(unit_id=filters.unit)
    if filters.case_worker:
        qs = qs.filter(case_worker_id=filters.case_worker)
    return [(row["day"], row["overdue"]) for row in qs.values("day").annotate(overdue=Sum("overdue")).order_by("day")]


def on_time_rate(user, filters: Filters, *, months: int = 12, today: dt.date | None = None, audience=None):
    """Cases closed per unit and month, with how many were closed by their due date (one query).
    Returns (months, rows) where rows are {unit, symbol, name, cells: [(total, on_time, rate %) or None]}."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    for _i in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    qs = visible_deadlines(user, audience).filter(state=DeadlineState.CLOSED, completed_on__gte=first)
    if filters.unit:
        qs = qs.filter(case__unit_id=filters.unit)
    if filters.case_worker:
        qs = qs.filter(case__case_worker_id=filters.case_worker)
    if filters.kind:
        qs = qs.filter(kind_id=filters.kind)
    data = (
        qs.annotate(month=TruncMonth("completed_on"))
        .values("case__unit_id", "case__unit__symbol", "case__unit__name", "month")
        .annotate(total=Count("pk"), on_time=Count("pk", filter=Q(completed_on_time=True)))
        .order_by("case__unit__symbol", "month")
    )
    month_list, day = [], first
    while day <= today:
        month_list.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    units: dict[int, dict] = {}
    for row in data:
        unit = units.setdefault(
            row["case__unit_id"],
            {"unit": row["case__unit_id"], "symbol": row["case__unit__symbol"], "name": row["case__unit__name"],
             "cells": {}},
        )
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        unit["cells"][month] = (row["total"], row["on_time"], round(100 * row["on_time"] / row["total"]))
    rows = [
        {**unit, "cells": [unit["cells"].get(month) for month in month_list]} for unit in units.values()
    ]
    return month_list, rows


# --- the daily snapshot -------------------------------------------------------------------------------------------


def snapshot_rows(today: dt.date) -> list[DeadlineSnapshot]:
    """Counts per unit and case worker for `today`, not counting confidential cases (one query)."""
    qs = CaseDeadline.objects.filter(state__in=ACTIVE_STATES, case__confidential=False)
    rows = (
        qs.values("case__unit_id", "case__case_worker_id")
        .annotate(**{b: Count("pk", filter=bucket_q(b, today)) for b in BUCKETS})
        .order_by()
    )
    return [
        DeadlineSnapshot(
            day=today, unit_id=row["case__unit_id"], case_worker_id=row["case__case_worker_id"],
            **{b: row[b] for b in BUCKETS},
        )
        for row in rows
    ]
