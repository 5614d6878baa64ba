"""Demo content for `manage.py load_demo`: six weeks of deadline history for the charts and one art. 36 extension
with its draft notice, so every part of the deadlines pages has something to show."""

import contextlib
import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone


def load(context) -> None:
    from deadlines import services
    from deadlines.models import CaseDeadline, DeadlineState
    from deadlines.tasks import write_snapshot

    today = timezone.localdate()
    for back in range(42, -1, -1):
        write_snapshot(today - dt.timedelta(days=back))
    deadline = (
        CaseDeadline.objects.filter(state=DeadlineState.RUNNING, extensions__isnull=True, kind__kpa_procedure=True)
        .select_related("case", "case__case_worker")
        .order_by("due_date")
        .first()
    )
    if deadline is None:
        return
    with contextlib.suppress(ValidationError):
        services.extend(
            deadline.case, actor=deadline.case.case_worker,
            new_date=max(deadline.due_date, today) + dt.timedelta(days=30),
            reason="Konieczność uzyskania opinii innego organu (uzgodnienie w trybie art. 106 KPA).",
        )
