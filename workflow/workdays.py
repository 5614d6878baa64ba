"""Due times of workflow steps in working days, on the KPA calendar of `deadlines.calendar` (Saturdays, Sundays and
Polish public holidays are not working days)."""

import datetime as dt

from django.utils import timezone

from deadlines.calendar import add_working_days

__all__ = ["add_working_days", "due_at"]


def due_at(days: int, now=None) -> dt.datetime:
    """The end of the working day `days` working days after today (Europe/Warsaw)."""
    now = timezone.localtime(now or timezone.now())
    day = add_working_days(now.date(), days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))
