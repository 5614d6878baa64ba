"""Benchmark of the deadlines module: 100,000 open cases (plus closed ones and 90 days of snapshots) in a database
of its own, then the time to compute the dashboard and to run the daily job.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/obieg_bench_deadlines \\
        .venv/bin/python bench/deadlines.py [--cases 100000] [--keep]

The database named in BENCH_DATABASE_URL is dropped and created again (never point it at real data). Rows are
written with COPY; due dates come from the real calendar (deadlines.calendar).
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/obieg_bench_deadlines"


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.startswith(("obieg_bench", "bench_")):
        raise SystemExit(f"Refusing to drop {name!r}: the bench database name must start with obieg_bench or bench_")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def timed(label, function, repeat=1):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    best, median = min(times), statistics.median(times)
    print(f"  {label:<58} best {best * 1000:8.1f} ms   median {median * 1000:8.1f} ms   (n={repeat})")
    return result


def fill(n_open: int, n_closed: int, today: dt.date, seed: int = 4) -> dict:
    from django.db import connection

    from deadlines import calendar as cal
    from deadlines.models import DeadlineKind
    from organisation.models import Membership, OrgUnit, Role, User
    from registry.models import JrwaClass, JrwaVersion

    rng = random.Random(seed)
    units = [OrgUnit.objects.create(symbol=f"U{i:02d}", name=f"Wydział {i}") for i in range(20)]
    secretary = User.objects.create(username="sekretarz", email="sekretarz@urzad.example", first_name="Sekretarz")
    Membership.objects.create(user=secretary, unit=units[0], role=Role.SECRETARY)
    workers, heads = [], []
    for u, unit in enumerate(units):
        head = User.objects.create(username=f"kierownik{u}", email=f"kierownik{u}@urzad.example")
        Membership.objects.create(user=head, unit=unit, role=Role.HEAD)
        heads.append(head)
        for w in range(10):
            worker = User.objects.create(username=f"referent{u}_{w}", email=f"referent{u}_{w}@urzad.example",
                                         first_name="Jan", last_name=f"Referent {u}/{w}")
            Membership.objects.create(user=worker, unit=unit, role=Role.CASE_WORKER)
            workers.append((unit, worker))
    version = JrwaVersion.objects.create(name="JRWA", valid_from=dt.date(2011, 1, 1))
    classes = [
        JrwaClass.objects.create(version=version, symbol=s, title=s, is_leaf=True, category_own="A")
        for s in ("6730", "1431", "152", "1510", "6131", "3100")
    ]
    kinds = {k.code: k for k in DeadlineKind.objects.all()}
    kind_of = {"6730": "KPA-1M", "1431": "UDIP-14D", "152": "PET-3M", "1510": "SKARGA-1M", "6131": "KPA-2M",
               "3100": "KPA-1M"}
    weights = [40, 10, 3, 7, 15, 25]

    counters: dict = {}
    case_rows, deadline_rows = [], []
    now = dt.datetime.now(dt.UTC)
    total = n_open + n_closed
    for i in range(total):
        unit, worker = workers[rng.randrange(len(workers))]
        jrwa = rng.choices(classes, weights)[0]
        kind = kinds[kind_of[jrwa.symbol]]
        closed = i >= n_open
        if closed:
            start = today - dt.timedelta(days=rng.randint(30, 400))
        else:
            # started within the last ~7 weeks (petitions: 4 months): about a quarter end up overdue
            span = 120 if kind.unit == "months" and kind.amount >= 3 else 50
            start = today - dt.timedelta(days=rng.randint(0, span))
        raw = cal.term_end(start, kind.amount, kind.unit)
        due = cal.next_working_day(raw)
        year = start.year
        key = (unit.pk, jrwa.pk, year)
        counters[key] = number = counters.get(key, 0) + 1
        suspended = not closed and rng.random() < 0.02
        confidential = rng.random() < 0.01
        status = "closed" if closed else ("suspended" if suspended else "open")
        completed = None
        if closed:
            completed = min(today, due + dt.timedelta(days=rng.randint(-25, 8)))
            completed = max(completed, start)
        case_rows.append((
            unit.pk, jrwa.pk, year, number, f"{unit.symbol}.{jrwa.symbol}.{number}.{year}", f"Sprawa {i}", status,
            start, completed, "", worker.pk, worker.pk, now, confidential,
        ))
        deadline_rows.append([
            kind.pk, start, "bench", raw, 0, due, "closed" if closed else ("suspended" if suspended else "running"),
            completed, (completed <= due) if completed else None, now,
        ])

    with connection.cursor() as cursor:
        raw_cursor = cursor.cursor
        with raw_cursor.copy(
            "COPY registry_case (unit_id, jrwa_class_id, year, number, sign, title, status, started_on, closed_on, "
            "closing_remarks, case_worker_id, created_by_id, created_at, confidential) FROM STDIN"
        ) as copy:
            for row in case_rows:
                copy.write_row(row)
        cursor.execute("SELECT id FROM registry_case ORDER BY id")
        ids = [r[0] for r in cursor.fetchall()]
        with raw_cursor.copy(
            "COPY deadlines_casedeadline (case_id, kind_id, start_date, start_source, raw_due_date, excluded_days, "
            "due_date, state, completed_on, completed_on_time, updated_at) FROM STDIN"
        ) as copy:
            for case_id, row in zip(ids, deadline_rows, strict=True):
                copy.write_row([case_id, *row])
        # 90 days of history for the overdue chart
        with raw_cursor.copy(
            "COPY deadlines_deadlinesnapshot (day, unit_id, case_worker_id, overdue, due_today, within_3, within_7, "
            "on_time, suspended) FROM STDIN"
        ) as copy:
            for back in range(1, 91):
                day = today - dt.timedelta(days=back)
                for unit, worker in workers:
                    copy.write_row([day, unit.pk, worker.pk, rng.randint(0, 30), rng.randint(0, 3), rng.randint(0, 8),
                                    rng.randint(0, 10), rng.randint(10, 40), rng.randint(0, 2)])
        cursor.execute("ANALYZE")
    return {"secretary": secretary, "head": heads[3], "worker": workers[57][1], "units": units}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="open cases (default 100,000)")
    parser.add_argument("--closed", type=int, default=20_000, help="closed cases for the on-time rate")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ["EMAIL_URL"] = "memorymail://"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")
    import django

    django.setup()
    from django.core import mail
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from deadlines import selectors
    from deadlines.tasks import run_daily, send_weekly_summaries

    print(f"Database: {urlparse(url).path.lstrip('/')}  (PostgreSQL {connection.pg_version // 10000})")
    t = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"Migrations: {time.perf_counter() - t:.1f} s")
    today = timezone.localdate()
    t = time.perf_counter()
    people = fill(args.cases, args.closed, today)
    print(f"Filled {args.cases:,} open + {args.closed:,} closed cases with COPY: {time.perf_counter() - t:.1f} s")

    from deadlines.models import CaseDeadline

    counts = selectors.totals(CaseDeadline.objects.filter(state__in=selectors.ACTIVE_STATES), today)
    print("Open cases by state:", {k: counts[k] for k in [*selectors.BUCKETS, "total"]})

    print("\nDashboard (selectors: totals, by unit, by case worker, first page, 90-day history, on-time rate):")
    for who in ("secretary", "head", "worker"):
        user = people[who]

        def compute(user=user):
            filters = selectors.Filters()
            data = selectors.dashboard(user, filters, today=today)
            list(data["cases"][:50])
            selectors.overdue_history(data["audience"], filters, today=today)
            selectors.on_time_rate(user, filters, today=today, audience=data["audience"])
            return data

        timed(f"{who} ({data_total(compute())} open cases visible)", compute, args.repeat)
    client = Client()
    for who in ("secretary", "head", "worker"):
        client.force_login(people[who])
        timed(f"page /terminy/ for the {who} (HTTP, rendered)", lambda: client.get("/terminy/"), args.repeat)
    client.force_login(people["secretary"])
    timed("page /terminy/?bucket=overdue&unit=… (secretary, filtered)",
          lambda: client.get("/terminy/", {"bucket": "overdue", "unit": people["units"][5].pk}), args.repeat)

    def export_csv():
        response = client.get("/terminy/eksport.csv")
        return sum(len(chunk) for chunk in response.streaming_content)

    size = timed("CSV export of every visible open case (secretary)", export_csv, 1)
    print(f"    ({size / 1e6:.1f} MB)")

    print("\nDaily job (refresh suspended, snapshot, reminders, overdue notices, weekly summary if Monday):")
    mail.outbox = []
    report = timed("first run", lambda: run_daily(today))
    print(f"    {report}; e-mails: {len(mail.outbox)}")
    sent = len(mail.outbox)
    report = timed("second run the same day (nothing to send)", lambda: run_daily(today))
    print(f"    {report}; new e-mails: {len(mail.outbox) - sent}")
    sent = len(mail.outbox)
    timed("weekly summary to the secretary (forced, any weekday)", lambda: send_weekly_summaries(today))
    print(f"    e-mails: {len(mail.outbox) - sent}")


def data_total(data) -> str:
    return f"{data['totals']['total']:,}"


if __name__ == "__main__":
    main()
