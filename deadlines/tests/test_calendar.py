"""The KPA calendar against a table of real cases. Every expected date here was worked out by hand from the
calendar (weekday noted) – users check these against the law, so keep the comments."""

import datetime as dt

import pytest

from deadlines import calendar as cal
from deadlines.calendar import TermUnit as U

D = dt.date


# (event, amount, unit, excluded days, raw end (§1–3a, before exclusions), due (after exclusions and §4))
TERMS = [
    # --- domain.md § 3.4 (art. 57 examples) ---
    (D(2018, 11, 19), 7, U.DAYS, 0, D(2018, 11, 26), D(2018, 11, 26)),  # Mon → Mon, event day not counted
    (D(2021, 11, 3), 14, U.DAYS, 0, D(2021, 11, 17), D(2021, 11, 17)),  # Wed 3 Nov 2021, 14-day appeal → Wed
    (D(2021, 11, 3), 2, U.WEEKS, 0, D(2021, 11, 17), D(2021, 11, 17)),  # § 2: same weekday name
    (D(2021, 6, 30), 3, U.MONTHS, 0, D(2021, 9, 30), D(2021, 9, 30)),  # § 3: 30 Jun → 30 Sep (Thu)
    (D(2025, 1, 31), 1, U.MONTHS, 0, D(2025, 2, 28), D(2025, 2, 28)),  # § 3: no 31 Feb → last day (Fri)
    # --- domain.md § 8 worked examples ---
    (D(2025, 1, 31), 2, U.MONTHS, 0, D(2025, 3, 31), D(2025, 3, 31)),  # ex. 1: 2 months → Mon 31 Mar
    (D(2025, 12, 10), 14, U.DAYS, 0, D(2025, 12, 24), D(2025, 12, 29)),  # ex. 2: Wigilia 2025 → Mon 29 Dec
    (D(2024, 12, 10), 14, U.DAYS, 0, D(2024, 12, 24), D(2024, 12, 24)),  # ex. 2: 24 Dec 2024 was a working day
    (D(2025, 5, 31), 1, U.MONTHS, 0, D(2025, 6, 30), D(2025, 6, 30)),  # ex. 3: → Mon 30 Jun
    (D(2024, 1, 31), 1, U.MONTHS, 0, D(2024, 2, 29), D(2024, 2, 29)),  # ex. 3: leap year → Thu 29 Feb
    (D(2025, 3, 3), 1, U.MONTHS, 15, D(2025, 4, 3), D(2025, 4, 18)),  # ex. 4: suspended 10–24 Mar → Fri 18 Apr
    (D(2025, 4, 14), 14, U.DAYS, 0, D(2025, 4, 28), D(2025, 4, 28)),  # ex. 5: UDIP 14 days → Mon 28 Apr
    (D(2025, 4, 14), 2, U.MONTHS, 0, D(2025, 6, 14), D(2025, 6, 16)),  # ex. 5: UDIP max 2 months, Sat → Mon
    (D(2025, 12, 12), 14, U.DAYS, 0, D(2025, 12, 26), D(2025, 12, 29)),  # ex. 6: fikcja: 26 Dec → Mon 29 Dec
    (D(2025, 12, 29), 14, U.DAYS, 0, D(2026, 1, 12), D(2026, 1, 12)),  # ex. 6: then the appeal → Mon 12 Jan
    # --- month ends and leap years ---
    (D(2024, 2, 29), 1, U.MONTHS, 0, D(2024, 3, 29), D(2024, 3, 29)),  # Good Friday 2024 is a working day
    (D(2024, 2, 29), 1, U.YEARS, 0, D(2025, 2, 28), D(2025, 2, 28)),  # § 3a: no 29 Feb 2025 → the day before
    (D(2024, 2, 29), 4, U.YEARS, 0, D(2028, 2, 29), D(2028, 2, 29)),  # leap to leap (Tue)
    (D(2023, 2, 28), 1, U.MONTHS, 0, D(2023, 3, 28), D(2023, 3, 28)),  # 28 Feb is not "the last day" rule
    (D(2023, 12, 31), 2, U.MONTHS, 0, D(2024, 2, 29), D(2024, 2, 29)),  # into a leap February (Thu)
    (D(2025, 12, 31), 2, U.MONTHS, 0, D(2026, 2, 28), D(2026, 3, 2)),  # Sat 28 Feb 2026 → Mon 2 Mar
    (D(2025, 8, 31), 1, U.MONTHS, 0, D(2025, 9, 30), D(2025, 9, 30)),  # 31 → 30 (Tue)
    (D(2025, 10, 31), 1, U.MONTHS, 0, D(2025, 11, 30), D(2025, 12, 1)),  # Sun 30 Nov → Mon 1 Dec
    (D(2025, 3, 31), 1, U.MONTHS, 0, D(2025, 4, 30), D(2025, 4, 30)),  # Wed
    (D(2025, 1, 30), 1, U.MONTHS, 0, D(2025, 2, 28), D(2025, 2, 28)),  # 30 Jan → 28 Feb too
    (D(2025, 11, 30), 3, U.MONTHS, 0, D(2026, 2, 28), D(2026, 3, 2)),  # petition: Sat → Mon
    (D(2025, 12, 15), 1, U.MONTHS, 0, D(2026, 1, 15), D(2026, 1, 15)),  # across the year (Thu)
    (D(2025, 1, 31), 12, U.MONTHS, 0, D(2026, 1, 31), D(2026, 2, 2)),  # Sat 31 Jan 2026 → Mon 2 Feb
    (D(2025, 12, 10), 2, U.WEEKS, 0, D(2025, 12, 24), D(2025, 12, 29)),  # weeks land on Wigilia too
    (D(2025, 6, 13), 7, U.DAYS, 0, D(2025, 6, 20), D(2025, 6, 20)),  # Fri after Corpus Christi is working
    (D(2025, 6, 12), 7, U.DAYS, 0, D(2025, 6, 19), D(2025, 6, 20)),  # Corpus Christi (Thu) → Fri
    # --- runs of holidays ---
    (D(2025, 4, 24), 7, U.DAYS, 0, D(2025, 5, 1), D(2025, 5, 2)),  # 1 May 2025 Thu → Fri 2 May (working)
    (D(2026, 4, 24), 7, U.DAYS, 0, D(2026, 5, 1), D(2026, 5, 4)),  # Fri 1 May, Sat 2, Sun 3 May → Mon 4 May
    (D(2027, 4, 24), 7, U.DAYS, 0, D(2027, 5, 1), D(2027, 5, 4)),  # Sat 1, Sun 2, Mon 3 May → Tue 4 May
    (D(2021, 4, 26), 7, U.DAYS, 0, D(2021, 5, 3), D(2021, 5, 4)),  # Mon 3 May 2021 → Tue 4 May
    (D(2026, 12, 10), 14, U.DAYS, 0, D(2026, 12, 24), D(2026, 12, 28)),  # Thu 24, Fri 25, Sat, Sun → Mon 28
    (D(2024, 12, 11), 14, U.DAYS, 0, D(2024, 12, 25), D(2024, 12, 27)),  # 2024: 25, 26 Dec → Fri 27 Dec
    (D(2025, 12, 18), 14, U.DAYS, 0, D(2026, 1, 1), D(2026, 1, 2)),  # New Year (Thu) → Fri 2 Jan 2026
    (D(2026, 12, 18), 14, U.DAYS, 0, D(2027, 1, 1), D(2027, 1, 4)),  # Fri 1 Jan 2027, weekend → Mon 4 Jan
    (D(2026, 12, 23), 14, U.DAYS, 0, D(2027, 1, 6), D(2027, 1, 7)),  # Trzech Króli (Wed) → Thu 7 Jan 2027
    (D(2025, 10, 18), 14, U.DAYS, 0, D(2025, 11, 1), D(2025, 11, 3)),  # Sat 1 Nov 2025 → Mon 3 Nov
    (D(2028, 10, 28), 14, U.DAYS, 0, D(2028, 11, 11), D(2028, 11, 13)),  # Sat 11 Nov 2028 → Mon 13 Nov
    (D(2026, 8, 1), 14, U.DAYS, 0, D(2026, 8, 15), D(2026, 8, 17)),  # Sat 15 Aug 2026 → Mon 17 Aug
    # --- Easter-dependent ends ---
    (D(2024, 3, 16), 14, U.DAYS, 0, D(2024, 3, 30), D(2024, 4, 2)),  # Sat, Easter Sun 31 Mar, Mon 1 Apr → Tue
    (D(2025, 4, 7), 14, U.DAYS, 0, D(2025, 4, 21), D(2025, 4, 22)),  # Easter Monday 2025 → Tue 22 Apr
    (D(2026, 3, 23), 14, U.DAYS, 0, D(2026, 4, 6), D(2026, 4, 7)),  # Easter Monday 2026 → Tue 7 Apr
    (D(2026, 5, 21), 14, U.DAYS, 0, D(2026, 6, 4), D(2026, 6, 5)),  # Corpus Christi 2026 → Fri 5 Jun
    (D(2032, 3, 15), 14, U.DAYS, 0, D(2032, 3, 29), D(2032, 3, 30)),  # Easter Monday 2032 → Tue 30 Mar
    # --- no shift when the end is a working day; zero-length term ---
    (D(2025, 4, 14), 0, U.DAYS, 0, D(2025, 4, 14), D(2025, 4, 14)),
    (D(2025, 4, 19), 0, U.DAYS, 0, D(2025, 4, 19), D(2025, 4, 22)),  # "immediately" on Holy Saturday → Tue
]


@pytest.mark.parametrize(("event", "amount", "unit", "excluded", "raw", "due"), TERMS)
def test_term_table(event, amount, unit, excluded, raw, due):
    assert cal.term_end(event, amount, unit) == raw
    unshifted = cal.term_due(event, amount, unit, excluded_days=excluded, shift_to_working_day=False)
    assert unshifted == raw + dt.timedelta(days=excluded)
    assert cal.term_due(event, amount, unit, excluded_days=excluded) == due
    assert cal.is_working_day(due)


# year: (Easter Sunday, Easter Monday, Pentecost, Corpus Christi) – domain.md § 3.6
EASTER = {
    2024: (D(2024, 3, 31), D(2024, 4, 1), D(2024, 5, 19), D(2024, 5, 30)),
    2025: (D(2025, 4, 20), D(2025, 4, 21), D(2025, 6, 8), D(2025, 6, 19)),
    2026: (D(2026, 4, 5), D(2026, 4, 6), D(2026, 5, 24), D(2026, 6, 4)),
    2027: (D(2027, 3, 28), D(2027, 3, 29), D(2027, 5, 16), D(2027, 5, 27)),
    2028: (D(2028, 4, 16), D(2028, 4, 17), D(2028, 6, 4), D(2028, 6, 15)),
    2029: (D(2029, 4, 1), D(2029, 4, 2), D(2029, 5, 20), D(2029, 5, 31)),
    2030: (D(2030, 4, 21), D(2030, 4, 22), D(2030, 6, 9), D(2030, 6, 20)),
    2031: (D(2031, 4, 13), D(2031, 4, 14), D(2031, 6, 1), D(2031, 6, 12)),
    2032: (D(2032, 3, 28), D(2032, 3, 29), D(2032, 5, 16), D(2032, 5, 27)),
}


@pytest.mark.parametrize("year", sorted(EASTER))
def test_easter_dependent_holidays(year):
    sunday, monday, pentecost, corpus = EASTER[year]
    assert sunday.weekday() == 6 and monday.weekday() == 0 and pentecost.weekday() == 6 and corpus.weekday() == 3
    for day in (sunday, monday, pentecost, corpus):
        assert cal.is_holiday(day), day
        assert not cal.is_working_day(day)
    # Good Friday and Holy Saturday are not holidays; Saturday is still not a working day.
    assert not cal.is_holiday(sunday - dt.timedelta(days=2))
    assert cal.is_working_day(sunday - dt.timedelta(days=2))
    assert not cal.is_holiday(sunday - dt.timedelta(days=1))
    # A term ending on Holy Saturday moves over Easter Sunday and Monday to Tuesday.
    assert cal.next_working_day(sunday - dt.timedelta(days=1)) == monday + dt.timedelta(days=1)
    # A term ending on Corpus Christi moves to Friday.
    assert cal.next_working_day(corpus) == corpus + dt.timedelta(days=1)


FIXED = [(1, 1), (1, 6), (5, 1), (5, 3), (8, 15), (11, 1), (11, 11), (12, 25), (12, 26)]


@pytest.mark.parametrize("year", range(2020, 2033))
def test_fixed_holidays_and_wigilia(year):
    for month, day in FIXED:
        assert cal.is_holiday(D(year, month, day)), (year, month, day)
    assert (cal.holiday_name(D(year, 12, 24)) == "Wigilia Bożego Narodzenia") is (year >= 2025)
    # 14 statutory holidays from 2025 (13 before), counting the two that always fall on a Sunday.
    days = [D(year, 1, 1) + dt.timedelta(days=i) for i in range(366 if year % 4 == 0 else 365)]
    named = [d for d in days if cal.holiday_name(d) not in (None, "niedziela")]
    assert len(named) == (14 if year >= 2025 else 13)


def test_holiday_names_are_polish():
    assert cal.holiday_name(D(2025, 12, 24)) == "Wigilia Bożego Narodzenia"
    assert cal.holiday_name(D(2025, 12, 28)) == "niedziela"
    assert cal.holiday_name(D(2025, 12, 27)) is None  # Saturday: not a holiday, yet not a working day
    assert not cal.is_working_day(D(2025, 12, 27))


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (D(2025, 12, 23), 1, D(2025, 12, 29)),  # over Wigilia, Christmas and the weekend
        (D(2025, 12, 29), -1, D(2025, 12, 23)),
        (D(2025, 4, 18), -3, D(2025, 4, 15)),  # Fri → Tue
        (D(2025, 4, 18), 1, D(2025, 4, 22)),  # over Easter
        (D(2025, 4, 18), 0, D(2025, 4, 18)),
        (D(2026, 4, 30), 1, D(2026, 5, 4)),  # over 1–3 May 2026
        (D(2024, 12, 23), 1, D(2024, 12, 24)),  # 24 Dec 2024 still a working day
        (D(2025, 11, 10), 1, D(2025, 11, 12)),  # over 11 Nov
        (D(2025, 1, 3), 5, D(2025, 1, 13)),  # 6 Jan (Mon) skipped: 7, 8, 9, 10, 13
    ],
)
def test_add_working_days(day, n, expected):
    assert cal.add_working_days(day, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2025, 12, 23), D(2025, 12, 29), 1),
        (D(2025, 4, 14), D(2025, 4, 28), 9),  # Easter Monday 21 Apr not counted
        (D(2026, 4, 30), D(2026, 5, 4), 1),
        (D(2025, 1, 1), D(2025, 1, 1), 0),
        (D(2025, 12, 29), D(2025, 12, 23), -1),
    ],
)
def test_working_days_between(start, end, expected):
    assert cal.working_days_between(start, end) == expected


def test_working_days_in_a_year():
    # 2025: 365 days − 104 weekend days − 10 holidays on weekdays (1 Jan, 6 Jan, 21 Apr, 1 May, 19 Jun, 15 Aug,
    # 11 Nov, 24, 25, 26 Dec; 3 May and 1 Nov are Saturdays, Easter and Pentecost Sundays) = 251.
    assert cal.working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 251


def test_properties_over_nine_years():
    day = D(2024, 1, 1)
    while day < D(2033, 1, 1):
        shifted = cal.next_working_day(day)
        assert shifted >= day and cal.is_working_day(shifted)
        assert cal.next_working_day(shifted) == shifted
        assert (shifted - day).days <= 5  # the longest run: Wed 24 Dec 2025 → Mon 29 Dec
        if day.weekday() == 5:
            assert not cal.is_working_day(day)
        day += dt.timedelta(days=1)


def test_negative_terms_refused():
    with pytest.raises(ValueError):
        cal.term_end(D(2025, 1, 1), -1, U.DAYS)
    with pytest.raises(ValueError):
        cal.term_due(D(2025, 1, 1), 1, U.DAYS, excluded_days=-2)
