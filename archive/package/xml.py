"""The package's XML files: one per document (the NES elements from `archive.nes`, the one mapping), one per case
(with its metryka) and the spis zdawczo-odbiorczy. Each is built as a small tree and serialised on its own, so the
memory used does not grow with the number of documents."""

from __future__ import annotations

from django.utils import timezone
from lxml import etree

from archive import nes
from archive.package.schema import NS, q
from registry.models import Action

NSMAP = {None: NS}
# NES key → (XML attribute, key in the value dict) for qualified elements.
QUALIFIERS = {
    "identyfikator": [("typ", "type")], "tworca": [("rola", "role")], "data": [("typ", "type")],
    "format": [("rozmiar", "size"), ("nazwaPliku", "file")], "typ": [("rodzaj", "kind")],
    "relacja": [("typ", "type")], "grupowanie": [("typ", "type")], "kwalifikacja": [("wersjaJrwa", "jrwa_version")],
}
SINGLE = {"tytul", "format", "dostep", "typ", "kwalifikacja", "opis"}


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def document_tree(document, *, category: str, file_ref: dict | None) -> etree._Element:
    """`file_ref`: {"path", "sha256", "size"} of the content in the package, or None (paper only)."""
    root = etree.Element(q("dokument"), nsmap=NSMAP)
    for element in nes.elements(document):
        values = element.values
        if element.key == "kwalifikacja":
            # The category in force (a BE file requalified by the state archive is A), not only the class's own.
            values = [{"value": category, "jrwa_version": v.get("jrwa_version", "")} for v in values[:1]] or \
                [{"value": category}]
        if element.key in SINGLE:
            values = values[:1]
        for value in values:
            text = _text(value.get("value"))
            if not text:
                continue  # an empty value is a missing one: the schema then names the mandatory element
            node = etree.SubElement(root, q(element.key))
            node.text = text
            for attr, key in QUALIFIERS.get(element.key, ()):
                if _text(value.get(key)):
                    node.set(attr, _text(value.get(key)))
    if file_ref is not None:
        etree.SubElement(root, q("plik"), sciezka=file_ref["path"], sha256=file_ref["sha256"],
                         rozmiar=str(file_ref["size"]))
    return root


def case_tree(case, *, category: str, documents: list[dict], history) -> etree._Element:
    """`documents`: [{"id", "title", "metadata"}]; `history`: the case's HistoryEntry rows in order."""
    root = etree.Element(q("sprawa"), nsmap=NSMAP)
    _sub(root, "znak", case.sign)
    _sub(root, "tytul", case.title)
    jrwa = case.jrwa_class
    _sub(root, "klasaJrwa", jrwa.title, symbol=jrwa.symbol, wersja=jrwa.version.name)
    _sub(root, "kategoria", category)
    _sub(root, "komorka", case.unit.name, typ=case.unit.symbol)
    if case.case_worker_id:
        _sub(root, "prowadzacy", case.case_worker.get_full_name() or case.case_worker.username)
    _sub(root, "dataRozpoczecia", case.started_on.isoformat())
    _sub(root, "dataZakonczenia", case.closed_on.isoformat())
    docs = etree.SubElement(root, q("dokumenty"))
    for doc in documents:
        etree.SubElement(docs, q("dokument"), identyfikator=f"obieg:dokument:{doc['id']}", tytul=doc["title"],
                         metadane=doc["metadata"])
    metryka = etree.SubElement(root, q("metryka"))
    # One translation of each action per case, not per entry (get_FOO_display hashes the lazy choices each time).
    labels = {value: str(label) for value, label in Action.choices}
    for entry in history:
        wpis = etree.SubElement(metryka, q("wpis"))
        _sub(wpis, "data", timezone.localtime(entry.at).isoformat(timespec="seconds"))
        _sub(wpis, "wykonujacy", entry.actor_name or "?")
        if entry.actor_position:
            _sub(wpis, "stanowisko", entry.actor_position)
        _sub(wpis, "czynnosc", labels.get(entry.action, entry.action), typ=entry.action)
        _sub(wpis, "opis", entry.description)
        if entry.document_id:
            _sub(wpis, "dokument", f"obieg:dokument:{entry.document_id}")
    return root


def spis_tree(*, package_sign: str, office: str, day, rows: list[dict]) -> etree._Element:
    root = etree.Element(q("spisZdawczoOdbiorczy"), nsmap=NSMAP)
    _sub(root, "paczka", package_sign)
    _sub(root, "przekazujacy", office)
    _sub(root, "dataSporzadzenia", day.isoformat())
    for row in rows:
        pozycja = etree.SubElement(root, q("pozycja"))
        for key in ("lp", "znak", "tytulKlasyJrwa", "tytul", "dataRozpoczecia", "dataZakonczenia",
                    "liczbaDokumentow", "kategoria", "opisSprawy", "uwagi"):
            if key in row:
                value = row[key]
                _sub(pozycja, key, value.isoformat() if hasattr(value, "isoformat") else str(value))
    return root


def serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _sub(parent, tag, text, **attrs):
    node = etree.SubElement(parent, q(tag), **attrs)
    node.text = _text(text)
    return node
