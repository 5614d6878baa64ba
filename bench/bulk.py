"""Bulk dekretacja figures: how long one request takes to send N registered deliveries to a unit (the clerks'
"choose the unit" tasks) and then to assign them all to a case worker (the head's tasks), each task in its own
transaction through the single-task services (lock, checks, metryka, the flow advancing), and how long the clerk's
task list page with its bulk form takes to load with N tasks waiting.

    python bench/bulk.py [--deliveries 100] [--loads 20]

Runs on its own database (obieg_bench_bulk); prints figures.
"""

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import Timer, percentile, setup_django


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deliveries", type=int, default=100)
    parser.add_argument("--loads", type=int, default=20)
    args = parser.parse_args()
    setup_django("obieg_bench_bulk")

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from organisation.models import Membership, OrgUnit, Role, User
    from registry.models import Channel, Form
    from registry.services.deliveries import register_delivery
    from workflow import bulk
    from workflow.models import WorkTask

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = ["*"]
    kancelaria = OrgUnit.objects.create(symbol="OR", name="Wydział Organizacyjny")
    unit = OrgUnit.objects.create(symbol="RB", name="Wydział Rozwoju")
    clerk = User.objects.create_user("kancelaria", password="x")
    head = User.objects.create_user("kierownik", password="x")
    worker = User.objects.create_user("referent", password="x")
    Membership.objects.create(user=clerk, unit=kancelaria, role=Role.REGISTRY_CLERK)
    Membership.objects.create(user=head, unit=unit, role=Role.HEAD)
    Membership.objects.create(user=worker, unit=unit, role=Role.CASE_WORKER)

    n = args.deliveries
    for i in range(n):
        register_delivery(registered_by=clerk, channel=Channel.POST, form=Form.PAPER, received_at=timezone.now(),
                          subject=f"Wniosek {i}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    def open_of(node):
        return [t.pk for t in WorkTask.objects.filter(status="NEW").order_by("pk") if t.flow_task.name == node]

    client = Client()
    client.force_login(clerk)
    loads = []
    for _ in range(args.loads):
        with Timer() as t:
            assert client.get("/obieg/").status_code == 200
        loads.append(t.seconds * 1000)

    choose = open_of("choose_unit")
    with Timer() as t_choose:
        result = bulk.choose_unit(choose, clerk, unit=unit)
    assert len(result.done) == n, (len(result.done), result.skipped[:3])
    decrees = [t.pk for t in WorkTask.objects.filter(status="ASSIGNED", owner=head).order_by("pk")]
    with Timer() as t_decree:
        result = bulk.decree(decrees, head, worker=worker, instruction="Proszę o załatwienie")
    assert len(result.done) == n, (len(result.done), result.skipped[:3])
    with Timer() as t_again:
        again = bulk.choose_unit(choose, clerk, unit=unit)
    assert not again.done

    print(f"deliveries: {n}")
    print(f"task list /obieg/ with {n} tasks waiting and the bulk form: median {statistics.median(loads):.1f} ms, "
          f"p95 {percentile(loads, 95):.1f} ms ({args.loads} loads)")
    print(f"bulk choose unit: {t_choose.seconds:.2f} s for {n} tasks ({t_choose.seconds / n * 1000:.1f} ms a task)")
    print(f"bulk assign case worker: {t_decree.seconds:.2f} s for {n} tasks "
          f"({t_decree.seconds / n * 1000:.1f} ms a task)")
    print(f"the same bulk choice submitted again: {t_again.seconds:.2f} s, {len(again.skipped)} skipped, 0 done")


if __name__ == "__main__":
    main()
