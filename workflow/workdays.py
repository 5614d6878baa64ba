"""Due times in working days. The one switch point: when `deadlines.calendar` (the KPA calendar) lands on main,
`add_working_days` delegates to it; until then a local version skips Saturdays, Sundays and Polish public holidays."""

import datetime as dt
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=16)
def _polish_holidays(year: int):
    return holidays.Poland(years=[year, year + 1])


def _local_add_working_days(start: dt.date, days: int) -> dt.date:
    day = start
    added = 0
    while added < days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in _polish_holidays(day.year):
            added += 1
    return day


def add_working_days(start: dt.date, days: int) -> dt.date:
    try:  # pragma: no cover - depends on the deadlines branch
        from deadlines.calendar import add_working_days as kpa_add
    except ImportError:
        return _local_add_working_days(start, days)
    return kpa_add(start, days)


def due_at(days: int, now=None) -> dt.datetime:
    """The end of the working day `days` working days after today (Europe/Warsaw)."""
    now = timezone.localtime(now or timezone.now())
    day = add_working_days(now.date(), days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))
