"""Shared set-up for benchmarks: a separate database (never the one you work in), Django configured."""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def setup_django(db_name: str = "obieg_bench", fresh: bool = True):
    """Point Django at a benchmark database (recreated when `fresh`), migrate it, return nothing."""
    import environ

    base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/x"
    cfg = environ.Env.db_url_config(base)
    os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + db_name
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")
    import psycopg

    admin = psycopg.connect(
        host=cfg.get("HOST") or None, port=cfg.get("PORT") or None, user=cfg.get("USER") or None,
        password=cfg.get("PASSWORD") or None, dbname="postgres", autocommit=True,
    )
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db_name]).fetchone()
    if exists and fresh:
        admin.execute(f'DROP DATABASE "{db_name}" WITH (FORCE)')
    if not exists or fresh:
        admin.execute(f'CREATE DATABASE "{db_name}"')
    admin.close()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class Timer:
    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
