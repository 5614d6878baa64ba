"""Archival package (paczka archiwalna) of category A files: built, validated against our XSD and read back;
refused for files that are not A; the transfer recorded only with the state archive's confirmation."""

import datetime as dt
import hashlib
import os
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from lxml import etree

from archive.package import verify, writer
from archive.package.schema import NS, InvalidPackage, schema
from archive.package_models import PackageStatus
from archive.services import handover as hs
from archive.services import packages as ps
from archive.tests.conftest import closed_case
from archive.tests.test_disposal import archived
from registry.models import Action, HistoryEntry
from registry.services.documents import add_document, store_version
from registry.tests.factories import pdf_upload

D = dt.date
N = {"p": NS}


def a_files(office, n=2, year=2011):
    """Closed category A cases with a letter each (the first in two versions), taken into the archive."""
    cases = [closed_case(office, "0002", started_on=D(year, 2, i + 1), closed_on=D(year, 3, 1),
                         title=f"Sesja rady {i}") for i in range(n)]
    for case in cases:
        doc = add_document(actor=office["worker"], title="Pismo", kind="letter", upload=pdf_upload(), case=case)
        if case is cases[0]:
            store_version(doc, pdf_upload("pismo-v2.pdf", text="Druga wersja"), actor=office["worker"])
    handover = hs.prepare(actor=office["worker"], unit=office["RB"], jrwa_class=office["0002"], year=year,
                          group="A")
    hs.submit(actor=office["worker"], handover=handover)
    hs.accept(actor=office["archivist"], handover=handover)
    return cases


def built(office, cases):
    """Create and build in this process (the Celery task runs the same `build`; see test_package_worker.py)."""
    package = ps.create_package(actor=office["archivist"], cases=cases)
    return ps.build(package)


def test_package_is_validated_and_reads_back(office, django_capture_on_commit_callbacks):
    cases = a_files(office)
    with django_capture_on_commit_callbacks(execute=False):
        package = ps.create_package(actor=office["archivist"], cases=cases)
    ps.build(package)
    package.refresh_from_db()
    assert package.status == PackageStatus.READY, package.error
    assert package.documents_done == package.documents_total == 2
    path = package.file.path
    with open(path, "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == package.sha256
    assert package.size == os.path.getsize(path)
    report = verify.verify(path)
    assert report["cases"] == 2 and report["documents"] == 2

    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        assert {"dokumenty/", "metadane/", "sprawy/", "inne/", writer.SUMS, writer.SPIS} <= names
        # every file has its checksum, and the checksums are right
        sums = dict(reversed(line.split("  ", 1)) for line in zf.read(writer.SUMS).decode().splitlines())
        files = [n for n in names if not n.endswith("/") and n != writer.SUMS]
        assert sorted(sums) == sorted(files)
        for name in files:
            assert hashlib.sha256(zf.read(name)).hexdigest() == sums[name]
        # the earlier version goes to inne/, the current one to dokumenty/ with its NES metadata
        assert any(n.startswith("inne/wersje/") for n in names)
        doc = cases[0].documents.first()
        content = next(n for n in names if n.startswith("dokumenty/") and f"/{doc.pk}-" in n)
        assert zf.read(content).endswith(b"Druga wersja")
        meta = etree.fromstring(zf.read(f"metadane/{content[len('dokumenty/'):]}.xml"))
        assert schema().validate(meta)
        assert meta.findtext("p:tytul", namespaces=N) == "Pismo"
        assert meta.find("p:kwalifikacja", namespaces=N).text == "A"
        assert meta.find("p:plik", namespaces=N).get("sha256") == sums[content]
        assert [e.get("typ") for e in meta.findall("p:relacja", namespaces=N)] == ["ma wcześniejszą wersję"]
        # the case with its metryka, and the spis with one line per case
        case_xml = etree.fromstring(zf.read(f"sprawy/{writer.safe(cases[0].sign)}.xml"))
        assert case_xml.findtext("p:znak", namespaces=N) == cases[0].sign
        entries = case_xml.findall("p:metryka/p:wpis", namespaces=N)
        assert len(entries) == HistoryEntry.objects.filter(case=cases[0]).count()
        assert "PA/" in entries[-1].findtext("p:opis", namespaces=N)
        spis = etree.fromstring(zf.read(writer.SPIS))
        assert [p.findtext("p:znak", namespaces=N) for p in spis.findall("p:pozycja", namespaces=N)] == \
            [c.sign for c in sorted(cases, key=lambda c: c.number)]


def test_a_broken_package_is_never_offered(office, tmp_path):
    cases = a_files(office, n=1)
    package = built(office, cases)
    assert package.status == PackageStatus.READY
    path = package.file.path
    # tamper with one document: the read-back check names it
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.startswith("dokumenty/") and not info.filename.endswith("/"):
                data += b"x"
            dst.writestr(info, data)
    with pytest.raises(InvalidPackage, match="SHA-256"):
        verify.verify(broken)


def test_metadata_breaking_the_schema_fails_the_package(office):
    cases = a_files(office, n=1)
    doc = cases[0].documents.first()
    type(doc).objects.filter(pk=doc.pk).update(title="")  # tytuł is mandatory (NES 3)
    package = built(office, cases)
    assert package.status == PackageStatus.FAILED
    assert "metadane/" in package.error and "tytul" in package.error
    assert not package.file
    type(doc).objects.filter(pk=doc.pk).update(title="Pismo")
    package = ps.build(ps.rebuild(actor=office["archivist"], package=package))
    assert package.status == PackageStatus.READY


def test_only_category_a_held_by_the_archive_and_not_twice(office):
    b_case = archived(office, "2110", 2012)[0]
    with pytest.raises(ValidationError, match=r"kategorii A|category A"):
        ps.create_package(actor=office["archivist"], cases=[b_case])
    with pytest.raises(PermissionDenied):
        ps.create_package(actor=office["worker"], cases=a_files(office, n=1))
    cases = list(ps.candidates(office["archivist"]))
    assert len(cases) == 1
    ps.create_package(actor=office["archivist"], cases=cases)
    assert not ps.candidates(office["archivist"]).exists()
    with pytest.raises(ValidationError):
        ps.create_package(actor=office["archivist"], cases=cases)


def test_transfer_needs_the_confirmation_and_is_recorded_once(office):
    cases = a_files(office, n=1)
    package = built(office, cases)
    with pytest.raises(ValidationError):
        ps.record_transfer(actor=office["archivist"], package=package, reference=" ", confirmed_on=D(2026, 1, 5))
    for _ in range(2):  # a second submission changes nothing
        ps.record_transfer(actor=office["archivist"], package=package, reference="AP.4321.7.2026",
                           confirmed_on=D(2026, 1, 5))
    package.refresh_from_db()
    assert package.status == PackageStatus.TRANSFERRED
    entries = HistoryEntry.objects.filter(case=cases[0], action=Action.OTHER, description__contains="AP.4321.7.2026")
    assert entries.count() == 1


def test_the_writer_reads_a_fixed_number_of_queries_per_case(office, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registry.models import Document, DocumentVersion

    def queries(cases):
        package = ps.create_package(actor=office["archivist"], cases=cases)
        with CaptureQueriesContext(connection) as ctx:
            writer.write(package, tmp_path / f"{package.pk}.zip")
        return len(ctx.captured_queries)

    small = a_files(office, n=1, year=2011)
    big = a_files(office, n=1, year=2012)
    case = big[0]
    for i in range(6):  # more documents in the same number of cases
        source = DocumentVersion.objects.filter(document__case=case).first()
        doc = Document.objects.create(title=f"Załącznik {i}", kind="attachment", case=case,
                                      created_by=office["worker"])
        DocumentVersion.objects.create(document=doc, number=1, file=source.file.name, original_name="z.pdf",
                                       size=source.size, sha256=source.sha256, mime_type="application/pdf",
                                       created_by=office["worker"], created_at=source.created_at)
    assert queries(big) == queries(small)


def test_a_build_killed_midway_is_stalled_and_built_again_from_the_start(office, monkeypatch):
    """The builder dies after writing some documents (here: SystemExit, which nothing catches, as a killed worker):
    the package stays `building`, its lock is free, so it is stalled; built again it is complete, counted once."""
    import psycopg
    from django.db import connection

    from tests.fixtures import database_url

    cases = a_files(office, n=2)
    package = ps.create_package(actor=office["archivist"], cases=cases)
    real = writer._document
    calls = []

    def dies_on_the_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise SystemExit("killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(writer, "_document", dies_on_the_second)
    with pytest.raises(SystemExit):
        ps.build(package)
    package.refresh_from_db()
    assert package.status == PackageStatus.BUILDING and not package.file
    assert ps.is_stalled(package)

    # While another process builds it (holds the lock), it is not stalled and a second build leaves it alone.
    with psycopg.connect(database_url(connection.settings_dict), autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [ps.LOCK_SPACE, package.pk])
        assert not ps.is_stalled(package)
        with pytest.raises(ValidationError):
            ps.rebuild(actor=office["archivist"], package=package)
        assert ps.build(package).status == PackageStatus.BUILDING
    monkeypatch.setattr(writer, "_document", real)
    package = ps.build(ps.rebuild(actor=office["archivist"], package=package))
    assert package.status == PackageStatus.READY
    assert package.documents_done == package.documents_total == 2
    assert verify.verify(package.file.path)["documents"] == 2
