"""Benchmark of the archival package (paczka archiwalna): category A cases with 10,000 documents (one PDF-like
file each, every tenth in two versions) in a database of its own, then the package written (streamed ZIP, every
XML validated against the XSD), read back and checked (checksums, schema, layout), with time and peak memory.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/obieg_bench_package \\
        .venv/bin/python bench/archive_package.py [--documents 10000] [--per-case 50] [--size 8192]

The database named in BENCH_DATABASE_URL is dropped and created again (never point it at real data). Files go to
a temporary MEDIA_ROOT that is removed at the end. The build runs in a forked child, so its peak RSS
(`ru_maxrss` of the child) is the package's own, not the set-up's.
"""

import argparse
import datetime as dt
import hashlib
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.archive import recreate_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/obieg_bench_package"
PDF_HEAD = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def fill(documents: int, per_case: int, size: int, media: Path) -> dict:
    from django.db import connection
    from django.utils import timezone

    from archive.models import CaseCustody, HandoverList
    from archive.services.retention import bulk_recompute
    from organisation.models import Membership, OrgUnit, Role, User
    from registry.models import Case, Document, DocumentVersion, HistoryEntry, JrwaClass, JrwaVersion

    unit = OrgUnit.objects.create(symbol="OR", name="Wydział Organizacyjny")
    archivist = User.objects.create(username="archiwista", first_name="Jan", last_name="Archiwalny")
    Membership.objects.create(user=archivist, unit=unit, role=Role.ARCHIVIST)
    worker = User.objects.create(username="referent", first_name="Anna", last_name="Nowak")
    Membership.objects.create(user=worker, unit=unit, role=Role.CASE_WORKER)
    version = JrwaVersion.objects.create(name="JRWA 2011", valid_from=dt.date(2011, 1, 1))
    jrwa = JrwaClass.objects.create(version=version, symbol="0002", title="Sesje rady gminy", is_leaf=True,
                                    category_own="A")
    n_cases = -(-documents // per_case)
    cases = Case.objects.bulk_create(
        Case(unit=unit, jrwa_class=jrwa, year=2012, number=i + 1, sign=f"OR.0002.{i + 1}.2012",
             title=f"Sesja rady gminy nr {i + 1}", status="closed", started_on=dt.date(2012, 1, 2),
             closed_on=dt.date(2012, 12, 20), case_worker=worker, created_by=worker)
        for i in range(n_cases))
    now = timezone.now()
    docs = Document.objects.bulk_create(
        Document(title=f"Protokół z sesji, część {d + 1}", kind="note", case=cases[d // per_case], created_by=worker)
        for d in range(documents))
    folder = media / "documents" / "bench"
    folder.mkdir(parents=True)
    versions, body = [], PDF_HEAD + b"x" * max(0, size - len(PDF_HEAD))
    for d, doc in enumerate(docs):
        for number in (1, 2) if d % 10 == 0 else (1,):
            content = body + f"{doc.pk}/{number}".encode()
            name = f"documents/bench/{doc.pk}-{number}"
            (media / name).write_bytes(content)
            versions.append(DocumentVersion(document=doc, number=number, file=name, original_name="protokol.pdf",
                                            size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                                            mime_type="application/pdf", created_by=worker, created_at=now,
                                            text_status="done"))
    DocumentVersion.objects.bulk_create(versions, batch_size=2000)
    HistoryEntry.objects.bulk_create(
        (HistoryEntry(actor=worker, actor_name="Anna Nowak", actor_position="inspektor", action="document_added",
                      description=f"Dodano dokument {doc.title}", case_id=doc.case_id, document=doc)
         for doc in docs), batch_size=2000)
    bulk_recompute(actor=archivist, only_missing=True)
    handover = HandoverList.objects.create(unit=unit, jrwa_class=jrwa, year=2012, group="A", status="accepted",
                                           prepared_by=worker, decided_by=archivist, decided_at=now,
                                           accession_year=2013, accession_number=1)
    CaseCustody.objects.bulk_create(CaseCustody(case=c, handover=handover, accepted_at=now, accepted_by=archivist)
                                    for c in cases)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"archivist": archivist, "cases": cases, "versions": len(versions)}


def build_in_child(package_pk: int, out: Path, trace: bool = False) -> None:
    """Fork; the child writes and verifies the package and reports its own timings and peak RSS."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        from django.db import connections

        connections.close_all()  # the child opens its own connection
        import tracemalloc

        from django.utils import translation

        from archive.package import verify, writer
        from archive.package_models import ArchivalPackage

        package = ArchivalPackage.objects.get(pk=package_pk)
        if trace:
            tracemalloc.start()  # slows the build down about threefold: a separate run
        t = time.perf_counter()
        with translation.override("pl"):
            counts = writer.write(package, out)
        t_write = time.perf_counter() - t
        t = time.perf_counter()
        report = verify.verify(out)
        t_verify = time.perf_counter() - t
        py_peak = tracemalloc.get_traced_memory()[1] if trace else 0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        os.write(write, repr((counts, report, t_write, t_verify, py_peak, rss)).encode())
        os._exit(0)
    os.close(write)
    data = b""
    while chunk := os.read(read, 65536):
        data += chunk
    os.waitpid(pid, 0)
    counts, report, t_write, t_verify, py_peak, rss = eval(data.decode())  # our own child's repr
    size = out.stat().st_size
    print(f"  write (stream, XSD per XML): {t_write:7.1f} s  {counts['documents'] / t_write:8,.0f} documents/s  "
          f"{size / t_write / 2**20:6.1f} MiB/s")
    print(f"  read back and verify:        {t_verify:7.1f} s  {report['documents'] / t_verify:8,.0f} documents/s")
    print(f"  package: {size / 2**20:,.1f} MiB, {report['files']:,} files, {report['documents']:,} documents, "
          f"{report['cases']:,} cases")
    print(f"  peak RSS of the build process: {rss / 1024:,.0f} MiB" +
          (f"; Python heap peak (tracemalloc) {py_peak / 2**20:,.1f} MiB" if trace else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--per-case", type=int, default=50)
    parser.add_argument("--size", type=int, default=8192, help="bytes per file")
    args = parser.parse_args()

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    recreate_database(url)
    media = Path(tempfile.mkdtemp(prefix="obieg-bench-package-"))
    os.environ.update(DATABASE_URL=url, MEDIA_ROOT=str(media), CONN_MAX_AGE="0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from archive.services import packages as ps

    try:
        print(f"Database: {urlparse(url).path.lstrip('/')}  (PostgreSQL {connection.pg_version // 10000})")
        call_command("migrate", verbosity=0)
        t = time.perf_counter()
        data = fill(args.documents, args.per_case, args.size, media)
        print(f"Filled {len(data['cases']):,} category A cases, {args.documents:,} documents, "
              f"{data['versions']:,} files of ~{args.size:,} B in {time.perf_counter() - t:.1f} s")
        package = _create(ps, data)
        connections.close_all()
        print(f"Package {package.sign}:")
        build_in_child(package.pk, media / "paczka.zip")
        print("Again with tracemalloc (slower; for the Python heap peak):")
        build_in_child(package.pk, media / "paczka-2.zip", trace=True)
    finally:
        shutil.rmtree(media, ignore_errors=True)


def _create(ps, data):
    from unittest import mock

    # create_package publishes the Celery build on commit; here the child process builds it instead.
    with mock.patch("archive.tasks.build_package.delay_on_commit"):
        return ps.create_package(actor=data["archivist"], cases=data["cases"])


if __name__ == "__main__":
    main()
