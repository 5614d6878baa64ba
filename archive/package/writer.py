"""Writes an archival package as one ZIP (stored, not compressed: the package is defined as an uncompressed set of
files; the ZIP only carries it) with the layout of domain.md § 6.5:

    dokumenty/<case>/<document>-<file name>      the current content of each document
    metadane/<case>/<document file name>.xml     NES elements of each document (one per document)
    sprawy/<case>.xml                            the case with its documents and its metryka
    inne/wersje/<case>/<document>-v<n>-<name>    earlier versions
    spis-zdawczo-odbiorczy.xml                   the electronic handover list of the transfer
    sumy-kontrolne.sha256                        SHA-256 of every file (`sha256sum -c` format)

Contents are copied in 1 MiB chunks, documents are read in batches, each XML is validated against the XSD as it
is written, and the checksums go to a spill file: memory stays flat however many documents there are."""

from __future__ import annotations

import hashlib
import re
import tempfile
import time
import zipfile

from django.conf import settings
from django.utils import timezone

from archive.nes import documents_for_nes
from archive.package import xml
from archive.package.schema import validate

CHUNK = 1024 * 1024
BATCH = 200
SUMS = "sumy-kontrolne.sha256"
SPIS = "spis-zdawczo-odbiorczy.xml"
FOLDERS = ("dokumenty/", "metadane/", "sprawy/", "inne/")


def safe(name: str) -> str:
    """A file name every file system and the ADE validator accept: ASCII letters, digits, dot, dash, underscore."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")
    return cleaned[:120] or "plik"


class _Zip:
    def __init__(self, path):
        self.zf = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED, allowZip64=True)
        self.sums = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 (closed in close())
        self.files = 0
        self.stamp = timezone.localtime().timetuple()[:6]

    def folder(self, name):
        self.zf.writestr(zipfile.ZipInfo(name, self.stamp), b"")

    def _info(self, name):
        info = zipfile.ZipInfo(name, self.stamp)
        info.compress_type = zipfile.ZIP_STORED
        return info

    def add_bytes(self, name, data: bytes) -> dict:
        self.zf.writestr(self._info(name), data)
        return self._sum(name, hashlib.sha256(data).hexdigest(), len(data))

    def add_stream(self, name, source) -> dict:
        digest, size = hashlib.sha256(), 0
        with self.zf.open(self._info(name), "w", force_zip64=True) as out:
            while block := source.read(CHUNK):
                digest.update(block)
                out.write(block)
                size += len(block)
        return self._sum(name, digest.hexdigest(), size)

    def _sum(self, name, sha, size) -> dict:
        self.sums.write(f"{sha}  {name}\n")
        self.files += 1
        return {"path": name, "sha256": sha, "size": size}

    def close(self):
        self.sums.seek(0)
        with self.zf.open(self._info(SUMS), "w", force_zip64=True) as out:
            while block := self.sums.read(CHUNK):
                out.write(block.encode("utf-8"))
        self.sums.close()
        self.zf.close()


class Progress:
    """Calls `report(done)` at most once a second (and at the end), so progress costs no query per document."""

    def __init__(self, report, every=1.0):
        self.report, self.every, self.done, self.last = report, every, 0, 0.0

    def step(self, n=1):
        self.done += n
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            self.report(self.done)

    def finish(self):
        self.report(self.done)


def write(package, path, report=lambda done: None) -> dict:
    """Write `package` to `path`; returns {"files", "documents", "cases"}. Raises InvalidPackage on the first file
    that breaks the schema (the half-written file is then the caller's to remove)."""
    from archive.models import CaseRetention
    from registry.models import Document

    items = list(package.items.select_related("case__unit", "case__jrwa_class__version", "case__case_worker")
                 .order_by("position"))
    categories = dict(CaseRetention.objects.filter(case__in=[i.case_id for i in items])
                      .values_list("case_id", "category"))
    out, progress, documents, rows = _Zip(path), Progress(report), 0, []
    try:
        for folder in FOLDERS:
            out.folder(folder)
        for item in items:
            case, category = item.case, categories[item.case_id]
            folder = safe(case.sign)
            refs = []
            docs = documents_for_nes(Document.objects.filter(case=case)).order_by("pk")
            for document in docs.iterator(chunk_size=BATCH):
                refs.append(_document(out, document, folder, category))
                documents += 1
                progress.step()
            history = case.history.order_by("at", "pk")
            case_path = f"sprawy/{folder}.xml"
            tree = xml.case_tree(case, category=category, documents=refs, history=history.iterator(chunk_size=500))
            validate(tree, case_path)
            out.add_bytes(case_path, xml.serialise(tree))
            rows.append({"lp": item.position, "znak": case.sign, "tytulKlasyJrwa": case.jrwa_class.title,
                         "tytul": case.title, "dataRozpoczecia": case.started_on, "dataZakonczenia": case.closed_on,
                         "liczbaDokumentow": len(refs), "kategoria": category, "opisSprawy": case_path})
        spis = xml.spis_tree(package_sign=package.sign, office=settings.OFFICE_NAME, day=timezone.localdate(),
                             rows=rows)
        validate(spis, SPIS)
        out.add_bytes(SPIS, xml.serialise(spis))
    finally:
        out.close()
    progress.finish()
    return {"files": out.files + 1, "documents": documents, "cases": len(items)}


def _document(out, document, folder, category) -> dict:
    versions = sorted(document.versions.all(), key=lambda v: v.number)
    current = versions[-1] if versions and versions[-1].file else None
    file_ref = None
    if current is not None:
        name = f"{document.pk}-{safe(current.original_name)}"
        with current.file.open("rb") as source:
            file_ref = out.add_stream(f"dokumenty/{folder}/{name}", source)
        metadata_path = f"metadane/{folder}/{name}.xml"
    else:
        metadata_path = f"metadane/{folder}/{document.pk}.xml"
    for version in versions[:-1]:
        if version.file:
            with version.file.open("rb") as source:
                out.add_stream(f"inne/wersje/{folder}/{document.pk}-v{version.number}-"
                               f"{safe(version.original_name)}", source)
    tree = xml.document_tree(document, category=category, file_ref=file_ref)
    validate(tree, metadata_path)
    out.add_bytes(metadata_path, xml.serialise(tree))
    return {"id": document.pk, "title": document.title, "metadata": metadata_path}
