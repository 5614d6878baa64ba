"""Reads a package back before it is offered: the layout, every checksum, every XML against the XSD, a metadata
file for every document and a case file for every line of the spis. Streams, like the writer."""

from __future__ import annotations

import hashlib
import zipfile

from lxml import etree

from archive.package.schema import InvalidPackage, q, validate
from archive.package.writer import CHUNK, FOLDERS, SPIS, SUMS


def verify(path) -> dict:
    """Returns {"files", "documents", "cases", "bytes"}; raises InvalidPackage naming what is wrong."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        present = set(names)
        for folder in FOLDERS:
            if folder not in present:
                raise InvalidPackage(f"{folder}: missing folder")
        if SUMS not in present or SPIS not in present:
            raise InvalidPackage(f"{SUMS} / {SPIS}: missing")
        sums = {}
        for line in zf.read(SUMS).decode("utf-8").splitlines():
            sha, _, name = line.partition("  ")
            sums[name] = sha
        files = [n for n in names if not n.endswith("/") and n != SUMS]
        mismatch = sorted(set(files) ^ set(sums))
        if mismatch:
            raise InvalidPackage(f"{SUMS}: does not match the files ({mismatch[0]})")
        total = 0
        for name in files:
            digest = hashlib.sha256()
            with zf.open(name) as source:
                while block := source.read(CHUNK):
                    digest.update(block)
                    total += len(block)
            if digest.hexdigest() != sums[name]:
                raise InvalidPackage(f"{name}: SHA-256 does not match")
        metadata = [n for n in files if n.startswith("metadane/")]
        for name in files:
            if name.startswith("dokumenty/") and f"metadane/{name[len('dokumenty/'):]}.xml" not in present:
                raise InvalidPackage(f"{name}: no metadata file")
        for name in metadata:
            root = _parse(zf, name)
            plik = root.find(q("plik"))
            if plik is not None and sums.get(plik.get("sciezka")) != plik.get("sha256"):
                raise InvalidPackage(f"{name}: the file it describes is missing or differs")
        cases = [n for n in files if n.startswith("sprawy/")]
        for name in cases:
            for doc in _parse(zf, name).iterfind(f"{q('dokumenty')}/{q('dokument')}"):
                if doc.get("metadane") not in present:
                    raise InvalidPackage(f"{name}: {doc.get('metadane')} is missing")
        listed = [p.findtext(q("opisSprawy")) for p in _parse(zf, SPIS).iter(q("pozycja"))]
        if sorted(listed) != sorted(cases):
            raise InvalidPackage(f"{SPIS}: the list does not match the case files")
    return {"files": len(files) + 1, "documents": len(metadata), "cases": len(cases), "bytes": total}


def _parse(zf, name):
    try:
        with zf.open(name) as source:
            root = etree.parse(source).getroot()
    except etree.XMLSyntaxError as exc:
        raise InvalidPackage(f"{name}: {exc}") from exc
    validate(root, name)
    return root
