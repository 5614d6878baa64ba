"""The KPA calendar: computing the end of a time limit (termin) the way art. 57 KPA does.

Pure functions over `datetime.date`; no database, no clock. Everything that depends on "today" takes it as an
argument.

Rules (Kodeks postępowania administracyjnego, art. 57, text in force since 1 June 2017):

- § 1 **days** – when the term is counted from an event, the day of the event is not counted; the term ends at
  the end of the last day. ``add_days(2018-11-19, 7) == 2018-11-26``.
- § 2 **weeks** – the term ends on the day of the last week with the same weekday name as the start day.
  ``add_weeks(2021-11-03 (Wed), 2) == 2021-11-17 (Wed)``.
- § 3 **months** – the term ends on the day of the last month with the same number as the start day; if that day
  does not exist in that month, on the last day of the month. ``add_months(2025-01-31, 1) == 2025-02-28``.
- § 3a **years** – the term ends on the same day of the last year; if that day does not exist (29 February), on
  the day immediately before it. ``add_years(2024-02-29, 1) == 2025-02-28``.
- § 4 – if the end of a term falls on a statutory public holiday or on a Saturday, the term ends on the next day
  that is neither (``next_working_day``). Sundays are statutory holidays (ustawa o dniach wolnych od pracy,
  art. 1). Whether § 4 binds the organ's own deadlines (art. 35) is disputed; the caller decides
  (`DeadlineKind.shift_to_working_day`, on by default – the shifted date is never earlier than the raw one).

Statutory holidays come from the `holidays` library (``holidays.Poland``), which versions the list by year:
24 December (Wigilia) is a holiday from 2025 on (ustawa z 6 grudnia 2024 r.), not before.

A *working day* here is a day that is neither a Saturday, nor a Sunday, nor a statutory holiday.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
from enum import StrEnum
from functools import lru_cache

import holidays as _holidays

__all__ = [
    "TermUnit",
    "add_days",
    "add_months",
    "add_weeks",
    "add_working_days",
    "add_years",
    "holiday_name",
    "is_holiday",
    "is_working_day",
    "next_working_day",
    "term_due",
    "term_end",
    "working_days_between",
]


class TermUnit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


@lru_cache(maxsize=1)
def _poland() -> _holidays.HolidayBase:
    # One instance; it fills in years lazily the first time a date of that year is looked up.
    return _holidays.Poland(language="pl")


@lru_cache(maxsize=4096)
def holiday_name(day: dt.date) -> str | None:
    """The Polish name of the statutory holiday on `day` ("niedziela" for a plain Sunday), or None."""
    name = _poland().get(day)
    if name:
        return name
    if day.weekday() == 6:
        return "niedziela"
    return None


def is_holiday(day: dt.date) -> bool:
    """A statutory non-working day: every Sunday and every holiday of art. 1 of the 1951 act."""
    return holiday_name(day) is not None


def is_working_day(day: dt.date) -> bool:
    """Neither a Saturday nor a statutory holiday (Sundays included)."""
    return day.weekday() != 5 and not is_holiday(day)


def next_working_day(day: dt.date) -> dt.date:
    """Art. 57 § 4: `day` itself if it is a working day, else the next day that is neither a Saturday nor a
    holiday. Runs of holidays are skipped whole (e.g. 24–28 December 2025 → 29 December)."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


# --- art. 57 § 1–3a ---------------------------------------------------------------------------------------------


def add_days(event: dt.date, days: int) -> dt.date:
    """§ 1: the day of the event is not counted, so a term of N days ends N days after it."""
    return event + dt.timedelta(days=days)


def add_weeks(event: dt.date, weeks: int) -> dt.date:
    """§ 2: the day of the last week with the same weekday name as the start day."""
    return event + dt.timedelta(weeks=weeks)


def add_months(event: dt.date, months: int) -> dt.date:
    """§ 3: the same day number in the last month, or that month's last day if the number does not exist."""
    index = event.year * 12 + (event.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = _stdcal.monthrange(year, month)[1]
    return dt.date(year, month, min(event.day, last))


def add_years(event: dt.date, years: int) -> dt.date:
    """§ 3a: the same day of the last year; 29 February → 28 February (the day immediately before)."""
    try:
        return event.replace(year=event.year + years)
    except ValueError:  # 29 February in a common year
        return dt.date(event.year + years, 2, 28)


_ADDERS = {
    TermUnit.DAYS: add_days,
    TermUnit.WEEKS: add_weeks,
    TermUnit.MONTHS: add_months,
    TermUnit.YEARS: add_years,
}


def term_end(event: dt.date, amount: int, unit: TermUnit | str) -> dt.date:
    """The last day of a term of `amount` `unit`s counted from `event` (§ 1–3a), before any § 4 shift."""
    if amount < 0:
        raise ValueError("A term cannot be negative.")
    return _ADDERS[TermUnit(unit)](event, amount)


def term_due(
    event: dt.date,
    amount: int,
    unit: TermUnit | str,
    *,
    excluded_days: int = 0,
    shift_to_working_day: bool = True,
) -> dt.date:
    """The day a term ends, with everything applied in the order of the law:

    1. § 1–3a from the event (`term_end`);
    2. plus `excluded_days` – days that do not count into the term (art. 35 § 5: suspension, mediation,
       delays caused by the party, statutory periods for specific acts);
    3. § 4: moved off a Saturday or a statutory holiday to the next working day (if `shift_to_working_day`).
    """
    if excluded_days < 0:
        raise ValueError("Excluded days cannot be negative.")
    end = term_end(event, amount, unit) + dt.timedelta(days=excluded_days)
    return next_working_day(end) if shift_to_working_day else end


# --- working days -------------------------------------------------------------------------------------------------


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (n > 0), or before it (n < 0); `day` itself is not counted.
    ``add_working_days(d, 0)`` is `d`."""
    step = dt.timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in the half-open interval (start, end] – like a term, the start day is not counted.
    Negative when `end` is before `start`."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
