"""Workflow figures with 100,000 tasks in the database: the time to complete one approval step (lock, checks,
metryka entry, the flow advancing to the next stage) and the time to load a user's task list page (the list, its
filters and the counts of all tabs, through the whole Django stack and the access rule).

    python bench/workflow.py [--tasks 100000] [--steps 50] [--loads 30]

Runs on its own database (obieg_bench_workflow). Real processes are created through the services; the bulk of the
100,000 task rows is then inserted with SQL (finished, open and queued tasks spread over 300 users and 10 units) so
the lists and indexes are exercised at that size.
"""

import argparse
import datetime as dt
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import Timer, percentile, setup_django


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--loads", type=int, default=30)
    args = parser.parse_args()
    setup_django("obieg_bench_workflow")

    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from organisation.models import Membership, OrgUnit, Position, Role, User
    from registry.models import DocumentKind, JrwaClass, JrwaVersion
    from registry.services.cases import open_case
    from registry.services.documents import add_document
    from workflow import services
    from workflow.models import ApprovalProcess, Route, RouteVersion, Stage, Step, WorkTask

    settings.MEDIA_ROOT = str(Path(settings.BASE_DIR) / "var" / "bench-media")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.WORKFLOW_AUTOSTART_DEKRETACJA = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    rng = random.Random(7)

    # --- the office -------------------------------------------------------------------------------------------------
    units = [OrgUnit.objects.create(symbol=f"U{i}", name=f"Wydział {i}") for i in range(10)]
    users = []
    for i in range(300):
        user = User.objects.create_user(f"u{i}", password="x", email=f"u{i}@bench.example", first_name="Jan",
                                        last_name=f"Nowak{i}")
        unit = units[i % 10]
        Membership.objects.create(user=user, unit=unit, role=Role.HEAD if i < 10 else Role.CASE_WORKER)
        users.append(user)
    heads, workers = users[:10], users[10:]
    mayor = User.objects.create_user("wojt", password="x", email="wojt@bench.example")
    Position.objects.create(code="wojt", name="Wójt", holder=mayor)
    version = JrwaVersion.objects.create(name="JRWA", valid_from=dt.date(2011, 1, 1))
    jrwa = JrwaClass.objects.create(version=version, symbol="6730", title="Warunki zabudowy", is_leaf=True)
    route = Route.objects.create(name="Bench", is_default=True)
    rv = RouteVersion.objects.create(route=route, number=1, status=RouteVersion.Status.PUBLISHED, dispatch=False)
    s1 = Stage.objects.create(version=rv, order=1, name="Kierownik", kind=Stage.Kind.APPROVAL)
    Step.objects.create(stage=s1, assignee=Step.Assignee.UNIT_HEAD, due_days=2)
    s2 = Stage.objects.create(version=rv, order=2, name="Podpis", kind=Stage.Kind.SIGNATURE)
    Step.objects.create(stage=s2, assignee=Step.Assignee.POSITION, position=Position.objects.get(code="wojt"))

    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n" + b"x" * 500
    print(f"Creating {args.steps} real approvals and 300 cases …", flush=True)
    cases, drafts = [], []
    for i in range(max(300, args.steps)):
        worker = workers[i % len(workers)]
        unit = units[(i % len(workers) + 10) % 10]
        with transaction.atomic():
            case = open_case(actor=worker, unit=unit, jrwa_class=jrwa, title=f"Sprawa {i}", case_worker=worker)
            draft = add_document(actor=worker, title=f"Projekt {i}", kind=DocumentKind.DRAFT, case=case,
                                 upload=SimpleUploadedFile("p.pdf", pdf, content_type="application/pdf"))
        cases.append(case)
        drafts.append(draft)
    processes = [services.start_route(drafts[i], actor=drafts[i].created_by) for i in range(args.steps)]

    # --- bulk: the rest of the 100,000 tasks -------------------------------------------------------------------------
    existing = WorkTask.objects.count()
    bulk = max(0, args.tasks - existing)
    print(f"Inserting {bulk} task rows with SQL …", flush=True)
    template = WorkTask.objects.filter(flow_task_type="HUMAN").first()
    flow_task = WorkTask._meta.get_field("flow_task").get_prep_value(template.flow_task)
    user_ids = [u.pk for u in users]
    now = timezone.now()
    with connection.cursor() as cur:
        # One finished-or-running approval process per 5 bulk tasks, on the benchmark's cases and drafts.
        n_processes = max(1, bulk // 5)
        flow_class = ApprovalProcess._meta.get_field("flow_class").get_prep_value(type(processes[0].flow_class))
        cur.execute("CREATE TEMP TABLE bench_proc (k int, case_id bigint, document_id bigint, author bigint)")
        with cur.copy("COPY bench_proc FROM STDIN") as copy:
            for k in range(n_processes):
                draft = drafts[k % len(drafts)]
                copy.write_row((k, draft.case_id, draft.pk, draft.created_by_id))
        cur.execute(
            """
            WITH ins AS (
              INSERT INTO viewflow_process (flow_class, status, created, data)
              SELECT %s, 'NEW', now() - interval '10 days', jsonb_build_object('bench', k) FROM bench_proc ORDER BY k
              RETURNING id, (data->>'bench')::int AS k
            )
            INSERT INTO workflow_approvalprocess (process_ptr_id, case_id, document_id, author_id, route, flags,
                                                  attachments, stage_index, stage_seq, outcome)
            SELECT ins.id, p.case_id, p.document_id, p.author, '{}'::jsonb, '[]'::jsonb, '[]'::jsonb, 0, 1, ''
            FROM ins JOIN bench_proc p ON p.k = ins.k
            """,
            [flow_class],
        )
        cur.execute("SELECT p.process_ptr_id, c.id, c.unit_id FROM workflow_approvalprocess p "
                    "JOIN registry_case c ON c.id = p.case_id WHERE p.outcome = '' AND p.route = '{}'::jsonb")
        bulk_processes = cur.fetchall()
        cur.execute("CREATE TEMP TABLE bench_rows (n int, owner bigint, status text, process bigint, case_id bigint,"
                    " unit bigint, due timestamptz)")
        rows = []
        for n in range(bulk):
            r = rng.random()
            status = "DONE" if r < 0.85 else ("ASSIGNED" if r < 0.95 else "NEW")
            process_id, case_id, unit_id = bulk_processes[n // 5 % len(bulk_processes)]
            rows.append((n, None if status == "NEW" else rng.choice(user_ids), status, process_id, case_id, unit_id,
                         now + dt.timedelta(days=rng.randint(-5, 20))))
        with cur.copy("COPY bench_rows FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute(
            """
            WITH ins AS (
              INSERT INTO viewflow_task (flow_task, flow_task_type, status, created, finished, token, owner_id,
                                         process_id, data)
              SELECT %s, 'HUMAN', status, now() - interval '10 days', CASE WHEN status = 'DONE' THEN now() END,
                     'start', owner, process, jsonb_build_object('bench', n)
              FROM bench_rows ORDER BY n
              RETURNING id, (data->>'bench')::int AS n
            )
            INSERT INTO workflow_worktask (task_ptr_id, queue_role, label, due_at, decision, comment,
                                           overdue_notified, case_id, unit_id, done_by_id)
            SELECT ins.id, CASE WHEN r.status = 'NEW' THEN 'worker' ELSE '' END, 'Akceptacja – zadanie ' || r.n,
                   r.due, CASE WHEN r.status = 'DONE' THEN 'approve' ELSE '' END, '', false, r.case_id, r.unit,
                   CASE WHEN r.status = 'DONE' THEN r.owner END
            FROM ins JOIN bench_rows r ON r.n = ins.n
            """,
            [flow_task],
        )
        cur.execute("ANALYZE viewflow_task; ANALYZE workflow_worktask; ANALYZE viewflow_process; ANALYZE registry_case")
    total = WorkTask.objects.count()
    print(f"Tasks in the database: {total}")

    # --- completing a step ------------------------------------------------------------------------------------------
    from django.test.utils import CaptureQueriesContext

    step_times, step_queries = [], []
    for process in processes:
        task = next(t for t in WorkTask.objects.filter(process_id=process.pk, status="ASSIGNED")
                    if t.flow_task.name == "decide")
        with CaptureQueriesContext(connection) as queries, Timer() as t:
            services.decide(task.pk, user=task.owner, decision="approve")
        step_times.append(t.seconds * 1000)
        step_queries.append(len(queries))

    # --- loading a task list ------------------------------------------------------------------------------------------
    client = Client()
    sample_user = max(workers[:50], key=lambda u: WorkTask.objects.filter(owner=u, status="ASSIGNED").count())
    mine = WorkTask.objects.filter(owner=sample_user, status="ASSIGNED").count()
    head = heads[0]
    figures, query_figures = {}, {}
    for label, user, url in (
        ("my tasks (case worker)", sample_user, "/obieg/"),
        ("unit queue (case worker)", sample_user, "/obieg/zadania/queue/"),
        ("done by me (case worker)", sample_user, "/obieg/zadania/done/"),
        ("unit tasks (head)", head, "/obieg/zadania/unit/"),
        ("my tasks filtered: overdue, decide", sample_user, "/obieg/?kind=decide&overdue=1"),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        sql_time = sum(float(q["time"]) for q in queries.captured_queries) * 1000
        query_figures[label] = (len(queries), sql_time)
        times = []
        for _ in range(args.loads):
            with Timer() as t:
                response = client.get(url)
            assert response.status_code == 200
            times.append(t.seconds * 1000)
        figures[label] = times

    print()
    print(f"PostgreSQL, {total} tasks ({mine} open tasks of the sampled case worker, 300 users, 10 units)")
    print(f"Complete an approval step (decide → next stage), n={len(step_times)}: "
          f"median {statistics.median(step_times):.1f} ms, p95 {percentile(step_times, 95):.1f} ms, "
          f"{statistics.median(step_queries):.0f} SQL queries")
    for label, times in figures.items():
        print(f"Load task list page – {label}, n={len(times)}: median {statistics.median(times):.1f} ms, "
              f"p95 {percentile(times, 95):.1f} ms; {query_figures[label][0]} SQL queries taking "
              f"{query_figures[label][1]:.1f} ms")


if __name__ == "__main__":
    main()
