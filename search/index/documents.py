"""Flat search documents built from the registry. Both backends store exactly these fields.

Access fields follow `registry.access.AccessScope.allows_record` (the one rule):
- a case: its unit, `confidential`, users = case worker + participants; not a register entry;
- a delivery in a case: the case's fields, and it is a register entry (registry clerks see the whole register);
- a delivery in a confidential case: the access fields of the case (so only its participants and the registry
  clerks see it), but none of the case's data – no sign, title, JRWA class, unit or case worker in the text,
  identifiers, subtitle or facets. Clerks find it by what they registered and never learn that it belongs to a
  confidential case (one entry serves every reader, so it cannot carry what only some of them may see);
- a delivery without a case: unit = responsible unit, else the addressed unit; users = assigned person and the
  clerk who registered it; never confidential; a register entry;
- a document: the fields of its case, else of its delivery (then also a register entry).
"""

import hashlib
import json
from collections.abc import Iterable
from functools import cache

from django.db.models import Prefetch
from django.utils import timezone, translation

from registry.models import Case, CaseParty, Delivery, Document, DocumentVersion, OutgoingItem
from search.index.terms import Field, es_terms, tsvector_literal

KINDS = ("delivery", "case", "document")
BODY_LIMIT = 20_000  # characters of text kept for snippets
TEXT_LIMIT = 1_000_000  # characters of extracted text analysed per document


@cache
def _labels(field: str) -> dict[str, str]:
    """Choice labels in Polish, computed once (get_FOO_display() costs a lazy translation per call)."""
    choices = {
        "channel": Delivery._meta.get_field("channel").choices,
        "doc_kind": Document._meta.get_field("kind").choices,
        "case_status": Case._meta.get_field("status").choices,
    }[field]
    with translation.override("pl"):
        return {value: str(label) for value, label in choices}


def _meta(parts) -> list[Field]:
    """Each metadata value is its own field, so a phrase never runs from one value into the next."""
    return [Field(p, "B") for p in parts if p]


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _case_access(case) -> dict:
    users = {case.case_worker_id, *(p.pk for p in case.participants.all())}
    return {"unit_id": case.unit_id, "confidential": case.confidential, "user_ids": sorted(users)}


def _delivery_access(d) -> dict:
    if d.case_id:
        return {**_case_access(d.case), "register_entry": True}
    unit = d.assigned_unit_id or d.addressed_unit_id
    users = {u for u in (d.assigned_to_id, d.registered_by_id) if u}
    return {"unit_id": unit, "confidential": False, "user_ids": sorted(users), "register_entry": True}


def _case_fields(case) -> dict:
    return {
        "jrwa_symbol": case.jrwa_class.symbol,
        "archival_category": case.jrwa_class.category_own,
        "case_id": case.pk,
    }


def _unit_text(unit) -> str:
    return f"{unit.symbol} {unit.name}" if unit else ""


def _local_date(value):
    return timezone.localtime(value).date() if value else None


def _delivery_doc(d: Delivery) -> dict:
    case = d.case if d.case_id and not d.case.confidential else None  # the case it may show (module docstring)
    unit = case.unit if case else (d.assigned_unit or d.addressed_unit)
    sender = d.sender.display_name if d.sender else ""
    meta = [
        d.rpw, sender, d.sender.city if d.sender else "", d.sender_reference,
        _labels("channel").get(d.channel, d.channel), d.remarks,
        _unit_text(unit), _name(d.assigned_to),
    ]
    if case:
        meta += [case.sign, case.jrwa_class.symbol, case.jrwa_class.title, case.title]
    identifiers = [d.rpw] + ([d.sender_reference] if d.sender_reference else []) + ([case.sign] if case else [])
    doc = {
        "kind": "delivery",
        "object_id": d.pk,
        "display_id": d.rpw,
        "identifiers": identifiers,
        "title": d.subject,
        "subtitle": " · ".join(p for p in [sender, d.sender_reference, case.sign if case else ""] if p),
        "body": "",
        "date": _local_date(d.received_at),
        "year": d.year,
        **_delivery_access(d),
        **({"unit_id": unit.pk if unit else None} if d.case_id and not case else {}),
        "jrwa_symbol": "", "archival_category": "", "case_id": None,
        "channel": d.channel,
        "sender_id": d.sender_id,
        "sender_name": sender,
        "case_worker_id": case.case_worker_id if case else d.assigned_to_id,
        "status": d.status,
        "doc_kind": "",
        "_fields": [Field(d.subject, "A"), *(Field(i, "A") for i in identifiers), *_meta(meta)],
    }
    if case:
        doc.update(_case_fields(case))
    return doc


def _case_doc(case: Case) -> dict:
    parties = [link.correspondent for link in case.party_links.all()]
    applicant = next((p for p in case.party_links.all() if p.role == CaseParty.Role.APPLICANT), None)
    applicant = applicant.correspondent if applicant else (parties[0] if parties else None)
    outgoing = list(case.outgoing_items.all())
    meta = [
        " ".join(f"{o.register_number} {o.recipient.display_name} {o.tracking_number}" for o in outgoing),
        case.sign, case.jrwa_class.symbol, case.jrwa_class.title, _unit_text(case.unit), _name(case.case_worker),
        " ".join(p.display_name for p in parties), case.closing_remarks,
        _labels("case_status").get(case.status, case.status),
    ]
    return {
        "kind": "case",
        "object_id": case.pk,
        "display_id": case.sign,
        "identifiers": [case.sign, *(o.register_number for o in outgoing)],
        "title": case.title,
        "subtitle": f"{case.jrwa_class.symbol} {case.jrwa_class.title} · {_name(case.case_worker)}",
        "body": "",
        "date": case.started_on,
        "year": case.year,
        **_case_access(case),
        "register_entry": False,
        **_case_fields(case),
        "channel": case.initiating_delivery.channel if case.initiating_delivery_id else "",
        "sender_id": applicant.pk if applicant else None,
        "sender_name": applicant.display_name if applicant else "",
        "case_worker_id": case.case_worker_id,
        "status": case.status,
        "doc_kind": "",
        "_fields": [Field(case.title, "A"), Field(case.sign, "A"), *_meta(meta)],
    }


def _document_doc(doc: Document) -> dict:
    versions = sorted(doc.versions.all(), key=lambda v: v.number, reverse=True)
    case, delivery = doc.case, doc.delivery
    texts, size = [], 0
    for v in versions:
        if v.text and size < TEXT_LIMIT:
            texts.append(v.text[: TEXT_LIMIT - size])
            size += len(texts[-1])
    names = " ".join(sorted({v.original_name for v in versions}))
    if case:
        access = {**_case_access(case), "register_entry": False}
        unit = case.unit
    else:
        access = _delivery_access(delivery)
        unit = delivery.assigned_unit or delivery.addressed_unit
    sender = delivery.sender if delivery else None
    meta = [names, _labels("doc_kind").get(doc.kind, doc.kind), _unit_text(unit)]
    if case:
        meta += [case.sign, case.jrwa_class.symbol, case.jrwa_class.title, case.title]
    if delivery:
        meta += [delivery.rpw, delivery.subject, sender.display_name if sender else "", delivery.sender_reference]
    body = versions[0].text[:BODY_LIMIT] if versions and versions[0].text else ""
    flat = {
        "kind": "document",
        "object_id": doc.pk,
        "display_id": case.sign if case else (delivery.rpw if delivery else ""),
        "identifiers": [],
        "title": doc.title,
        "subtitle": " · ".join(
            p for p in [_labels("doc_kind").get(doc.kind, doc.kind), versions[0].original_name if versions else ""] if p
        ),
        "body": body,
        "date": _local_date(doc.created_at),
        "year": _local_date(doc.created_at).year,
        **access,
        "jrwa_symbol": "", "archival_category": "", "case_id": None,
        "channel": delivery.channel if delivery else "",
        "sender_id": sender.pk if sender else None,
        "sender_name": sender.display_name if sender else "",
        "case_worker_id": case.case_worker_id if case else (delivery.assigned_to_id if delivery else None),
        "status": case.status if case else (delivery.status if delivery else ""),
        "doc_kind": doc.kind,
        "_fields": [Field(doc.title, "A"), *_meta(meta), Field("\n".join(texts), "D")],
    }
    if case:
        flat.update(_case_fields(case))
    return flat


def _case_related(prefix: str = "") -> list[str]:
    p = prefix
    return [f"{p}unit", f"{p}jrwa_class", f"{p}case_worker"]


def querysets():
    """The registry querysets the builders need, with everything fetched in a fixed number of queries."""
    participants = Prefetch("participants", to_attr=None)
    return {
        "delivery": Delivery.objects.select_related(
            "sender", "assigned_unit", "addressed_unit", "assigned_to", *_case_related("case__")
        ).prefetch_related("case__participants"),
        "case": Case.objects.select_related(*_case_related(), "initiating_delivery").prefetch_related(
            participants,
            Prefetch("party_links", queryset=CaseParty.objects.select_related("correspondent")),
            Prefetch("outgoing_items", queryset=OutgoingItem.objects.select_related("recipient")),
        ),
        "document": Document.objects.select_related(
            *_case_related("case__"), "delivery__sender", "delivery__assigned_unit", "delivery__addressed_unit",
            "delivery__case",
        ).prefetch_related(
            "case__participants",
            Prefetch(
                "versions",
                queryset=DocumentVersion.objects.only(
                    "id", "document_id", "number", "original_name", "text", "text_status"
                ),
            ),
        ),
    }


BUILDERS = {"delivery": _delivery_doc, "case": _case_doc, "document": _document_doc}


REPRESENTATIONS = ("tsv", "terms")  # PostgreSQL's tsvector literal, Elasticsearch's pre-analysed terms


def build(kind: str, ids: Iterable[int], representations=REPRESENTATIONS) -> dict[int, dict]:
    """Flat documents for the given ids that still exist (missing ids are simply absent). `representations`: the
    analysed forms to compute (a backend asks only for its own: `SearchBackend.representations`)."""
    ids = list(ids)
    if not ids:
        return {}
    objects = querysets()[kind].filter(pk__in=ids)
    return {obj.pk: finish(BUILDERS[kind](obj), representations) for obj in objects}


def finish(doc: dict, representations=REPRESENTATIONS) -> dict:
    fields = doc.pop("_fields")
    doc["identifiers"] = list(dict.fromkeys(_norm_id(i) for i in doc["identifiers"] if i))  # primary first
    doc["title"] = doc["title"][:500]
    doc["subtitle"] = doc["subtitle"][:500]
    doc["sender_name"] = doc["sender_name"][:300]
    doc["doc_hash"] = content_hash(doc, fields)
    if "tsv" in representations:
        doc["tsv"] = tsvector_literal(fields)
    if "terms" in representations:
        doc["title_terms"] = es_terms(fields[0].text)
        doc["terms"] = [es_terms(f.text) for f in fields]
    return doc


def content_hash(doc: dict, fields: list[Field]) -> str:
    """Of the stored values and the analysed fields' texts and weights: the same for every backend, so
    `search_check` compares like with like (a change of analysis needs a rebuild, not a check)."""
    stable = {**doc, "_fields": [(f.text, f.weight) for f in fields]}  # before the analysed forms are added
    raw = json.dumps(stable, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.md5(raw.encode(), usedforsecurity=False).hexdigest()


def _norm_id(value: str) -> str:
    from obieg.text import fold

    return fold(value.strip())[:120]


def normalise_identifier(value: str) -> str:
    return _norm_id(value)


def all_ids(kind: str, chunk: int = 5000):
    """Every id of a kind, in chunks (for rebuild and check)."""
    model = {"delivery": Delivery, "case": Case, "document": Document}[kind]
    last = 0
    while True:
        ids = list(model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:chunk])
        if not ids:
            return
        yield ids
        last = ids[-1]
