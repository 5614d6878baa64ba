"""Benchmark of the archive: 100,000 closed cases (mixed categories A, B5, B10, B25, BE5, Bc over 15 years of
closing) in a database of its own; then the retention backfill over all of them, the retention report (calendar,
due for transfer, eligible for disposal, holdings) and the archive's pages.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/obieg_bench_archive \\
        .venv/bin/python bench/archive.py [--cases 100000] [--repeat 5]

The database named in BENCH_DATABASE_URL is dropped and created again (never point it at real data).
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

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/obieg_bench_archive"
CATEGORIES = [("0002", "A", 10), ("6730", "B10", 30), ("2110", "B5", 15), ("6840", "B25", 10), ("0033", "BE5", 5),
              ("1431", "Bc", 30)]


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
    print(f"  {label:<62} best {min(times) * 1000:9.1f} ms   median {statistics.median(times) * 1000:9.1f} ms"
          f"   (n={repeat})")
    return result


def fill(n: int, today: dt.date, seed: int = 11) -> dict:
    from django.db import connection

    from organisation.models import Membership, OrgUnit, Role, User
    from registry.models import JrwaClass, JrwaVersion

    rng = random.Random(seed)
    units = [OrgUnit.objects.create(symbol=f"U{i:02d}", name=f"Wydział {i}") for i in range(20)]
    archivist = User.objects.create(username="archiwista", first_name="Jan", last_name="Archiwalny")
    Membership.objects.create(user=archivist, unit=units[0], role=Role.ARCHIVIST)
    workers = []
    for u, unit in enumerate(units):
        for w in range(5):
            worker = User.objects.create(username=f"referent{u}_{w}", first_name="Jan", last_name=f"R {u}/{w}")
            Membership.objects.create(user=worker, unit=unit, role=Role.CASE_WORKER)
            workers.append((unit, worker))
    version = JrwaVersion.objects.create(name="JRWA 2011", valid_from=dt.date(2011, 1, 1))
    classes = [JrwaClass.objects.create(version=version, symbol=s, title=f"Klasa {s}", is_leaf=True,
                                        category_own=c) for s, c, _w in CATEGORIES]
    weights = [w for _s, _c, w in CATEGORIES]
    counters: dict = {}
    now = dt.datetime.now(dt.UTC)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            "COPY registry_case (unit_id, jrwa_class_id, year, number, sign, title, status, started_on, closed_on, "
            "closing_remarks, case_worker_id, created_by_id, created_at, confidential) FROM STDIN"
        ) as copy:
            for i in range(n):
                unit, worker = workers[rng.randrange(len(workers))]
                jrwa = rng.choices(classes, weights)[0]
                start = dt.date(2011, 1, 1) + dt.timedelta(days=rng.randint(0, (today - dt.date(2011, 1, 1)).days - 60))
                closed = min(today, start + dt.timedelta(days=rng.randint(1, 120)))
                key = (unit.pk, jrwa.pk, start.year)
                counters[key] = number = counters.get(key, 0) + 1
                copy.write_row((unit.pk, jrwa.pk, start.year, number, f"{unit.symbol}.{jrwa.symbol}.{number}."
                                f"{start.year}", f"Sprawa {i}", "closed", start, closed, "", worker.pk, worker.pk,
                                now, rng.random() < 0.01))
        cursor.execute("ANALYZE")
    return {"archivist": archivist, "worker": workers[7][1], "units": units}


def archive_some(archivist, today, share: float) -> int:
    """Move `share` of the due files into the archive's custody (as accepted lists do), with COPY-free bulk SQL."""
    from django.db import connection

    from archive.models import HandoverList

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.unit_id, c.jrwa_class_id, c.year, CASE WHEN r.kind = 'A' THEN 'A' ELSE 'B' END AS grp
               FROM registry_case c JOIN archive_caseretention r ON r.case_id = c.id
               WHERE r.office_archive_from <= %s GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4""", [today])
        files = cursor.fetchall()
    files = files[: int(len(files) * share)]
    now = dt.datetime.now(dt.UTC)
    lists = HandoverList.objects.bulk_create(
        HandoverList(unit_id=u, jrwa_class_id=j, year=y, group=g, status="accepted", prepared_by=archivist,
                     decided_by=archivist, decided_at=now, accession_year=today.year, accession_number=i + 1)
        for i, (u, j, y, g) in enumerate(files)
    )
    with connection.cursor() as cursor:
        for handover in lists:
            kinds = "('A')" if handover.group == "A" else "('B','BE','Bc')"
            cursor.execute(
                f"""INSERT INTO archive_handoveritem (handover_id, case_id, position, documents_count, remarks)
                    SELECT %s, c.id, row_number() OVER (ORDER BY c.number), 0, '' FROM registry_case c
                    JOIN archive_caseretention r ON r.case_id = c.id
                    WHERE c.unit_id = %s AND c.jrwa_class_id = %s AND c.year = %s AND r.kind IN {kinds}""",
                [handover.pk, handover.unit_id, handover.jrwa_class_id, handover.year])
        cursor.execute(
            """INSERT INTO archive_casecustody (case_id, handover_id, accepted_at, accepted_by_id, storage_location,
                                               legal_hold)
               SELECT case_id, handover_id, now(), %s, '', '' FROM archive_handoveritem""", [archivist.pk])
        cursor.execute("SELECT count(*) FROM archive_casecustody")
        held = cursor.fetchone()[0]
        cursor.execute("ANALYZE")
    return held


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    recreate_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from archive import retention as rules
    from archive import selectors
    from archive.models import ArchivePolicy, CaseRetention
    from archive.services.retention import bulk_recompute
    from registry.models import Case

    print(f"Database: {urlparse(url).path.lstrip('/')}  (PostgreSQL {connection.pg_version // 10000})")
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    t = time.perf_counter()
    people = fill(args.cases, today)
    print(f"Filled {args.cases:,} closed cases with COPY: {time.perf_counter() - t:.1f} s")

    policy = ArchivePolicy.current()
    closings = list(Case.objects.values_list("jrwa_class__category_own", "closed_on"))
    timed(f"retention function alone over {len(closings):,} cases (pure Python)",
          lambda: [rules.compute(c, d, policy) for c, d in closings], 3)

    t = time.perf_counter()
    stats = bulk_recompute(actor=people["archivist"], only_missing=True)
    elapsed = time.perf_counter() - t
    print(f"  backfill: {stats['written']:,} retentions + metryka entries written in {elapsed:.1f} s "
          f"({stats['written'] / elapsed:,.0f} cases/s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    t = time.perf_counter()
    again = bulk_recompute(actor=people["archivist"])
    print(f"  recompute everything again, nothing changed: {again['written']} written in "
          f"{time.perf_counter() - t:.1f} s")
    print(f"  retention rows: {CaseRetention.objects.count():,}")
    held = archive_some(people["archivist"], today, share=0.6)
    print(f"  files moved into the archive's custody for the report: {held:,} cases")

    print("\nRetention report (selectors, archivist = every non-confidential case):")
    archivist = people["archivist"]
    calendar = timed("retention calendar, all closed cases", lambda: selectors.retention_calendar(archivist),
                     args.repeat)
    print(f"    {len(calendar)} years; eligible for disposal in total "
          f"{sum(r['disposal'] for r in calendar):,}, BE reviews {sum(r['review'] for r in calendar):,}, "
          f"to the AP {sum(r['state'] for r in calendar):,}")
    timed("retention calendar, archive only",
          lambda: selectors.retention_calendar(archivist, archived_only=True), args.repeat)
    due = timed("due for transfer (files)", lambda: selectors.due_for_transfer(archivist, today), args.repeat)
    print(f"    {len(due):,} files, {sum(d['due'] for d in due):,} cases")
    n = timed("eligible for disposal: count", lambda: selectors.eligible_for_disposal(archivist, today).count(),
              args.repeat)
    print(f"    {n:,} cases")
    timed("eligible for disposal: first page of 50",
          lambda: list(selectors.eligible_for_disposal(archivist, today)[:50]), args.repeat)
    timed("holdings by category and year", lambda: selectors.holdings_by_category_and_year(archivist), args.repeat)
    rows = timed("inventory by unit, class and year", lambda: selectors.inventory(archivist), args.repeat)
    print(f"    {len(rows):,} rows")
    worker = people["worker"]
    timed("retention calendar for a case worker (own unit)", lambda: selectors.retention_calendar(worker),
          args.repeat)

    print("\nPages (HTTP, rendered, archivist):")
    client = Client()
    client.force_login(archivist)
    for path in ["/archiwum/", "/archiwum/kalendarz/", "/archiwum/do-przekazania/", "/archiwum/brakowanie/",
                 "/archiwum/zasob/", "/archiwum/szukaj/?q=Sprawa+99"]:
        response = timed(path, lambda path=path: client.get(path), args.repeat)
        assert response.status_code == 200, (path, response.status_code)
    timed("/archiwum/brakowanie.csv (every eligible file)", lambda: client.get("/archiwum/brakowanie.csv"), 1)


if __name__ == "__main__":
    main()
