"""NES metadata (Rozporządzenie MSWiA z 30.10.2006, Dz.U. nr 206 poz. 1517): the 14 elements of a document, 1–7
mandatory. Derived from what the registry knows; what cannot be derived comes from `DocumentMetadata`, filled in
by people. One mapping, used by the document panel (`{% nes_metadata document %}`), the archive's pages, the API
and (later) the archival package."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registry.models import Document, DocumentKind

ELEMENTS = [
    # number, key (NES 2.0 name), label, mandatory
    (1, "identyfikator", gettext_lazy("identifier"), True),
    (2, "tworca", gettext_lazy("creator"), True),
    (3, "tytul", gettext_lazy("title"), True),
    (4, "data", gettext_lazy("date"), True),
    (5, "format", gettext_lazy("format"), True),
    (6, "dostep", gettext_lazy("access"), True),
    (7, "typ", gettext_lazy("type"), True),
    (8, "relacja", gettext_lazy("relation"), False),
    (9, "odbiorca", gettext_lazy("addressee"), False),
    (10, "grupowanie", gettext_lazy("grouping"), False),
    (11, "kwalifikacja", gettext_lazy("archival category"), False),
    (12, "jezyk", gettext_lazy("language"), False),
    (13, "opis", gettext_lazy("description"), False),
    (14, "uprawnienia", gettext_lazy("rights"), False),
]
FILLABLE = {"odbiorca": "addressee", "jezyk": "language", "opis": "description", "dostep": "access",
            "uprawnienia": "rights"}

# Dublin Core type vocabulary (DCMI Type), by the MIME type's main part.
DCMI_BY_MIME = {"image": "StillImage", "audio": "Sound", "video": "MovingImage", "text": "Text"}
TEXT_MIME = {"application/pdf", "application/msword", "application/rtf", "application/xml",
             "application/vnd.oasis.opendocument.text",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
# The refinement of the type (NES "rodzaj"), in Polish archival terms, by the registry's kind of document.
KIND_REFINEMENT = {
    DocumentKind.INCOMING: "pismo", DocumentKind.ATTACHMENT: "załącznik", DocumentKind.DRAFT: "projekt pisma",
    DocumentKind.LETTER: "pismo", DocumentKind.DECISION: "decyzja", DocumentKind.ORDER: "postanowienie",
    DocumentKind.NOTICE: "zawiadomienie", DocumentKind.NOTE: "notatka", DocumentKind.EVIDENCE: "dowód doręczenia",
    DocumentKind.OTHER: "dokument",
}


@dataclass
class Element:
    number: int
    key: str
    label: str
    mandatory: bool
    values: list[dict] = field(default_factory=list)  # each {"value": …, plus "type"/"role"/… qualifiers}
    filled_by_person: bool = False

    @property
    def missing(self) -> bool:
        return not self.values


def documents_for_nes(queryset):
    """The related rows `elements` reads, in a fixed number of queries for any number of documents."""
    return queryset.select_related(
        "created_by", "case__unit", "case__jrwa_class__version", "delivery__sender", "delivery__registered_by",
        "delivery__addressed_unit", "nes",
    ).prefetch_related("versions", "outgoing_items__recipient")


def _iso(value) -> str:
    if hasattr(value, "tzinfo"):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def metadata_of(document):
    try:
        return document.nes
    except Document.nes.RelatedObjectDoesNotExist:
        return None


def elements(document) -> list[Element]:
    """The 14 NES elements of `document`, in order."""
    case, delivery, meta = document.case, document.delivery, metadata_of(document)
    versions = sorted(document.versions.all(), key=lambda v: v.number)
    current = versions[-1] if versions else None
    out = {key: Element(number, key, str(label), mandatory) for number, key, label, mandatory in ELEMENTS}

    out["identyfikator"].values.append({"type": "system", "value": f"obieg:dokument:{document.pk}"})
    if case is not None:
        out["identyfikator"].values.append({"type": _("case sign and document number"),
                                            "value": f"{case.sign}/{document.pk}"})
    if delivery is not None:
        out["identyfikator"].values.append({"type": _("incoming register"), "value": delivery.rpw})
    if current is not None:
        out["identyfikator"].values.append({"type": "SHA-256", "value": current.sha256})

    if delivery is not None and document.kind in (DocumentKind.INCOMING, DocumentKind.ATTACHMENT) and delivery.sender:
        out["tworca"].values.append({"role": _("author"), "value": str(delivery.sender)})
        out["tworca"].values.append({"role": _("registered by"), "value": _person(delivery.registered_by)})
    else:
        out["tworca"].values.append({"role": _("author"), "value": _person(document.created_by)})

    out["tytul"].values.append({"value": document.title})

    out["data"].values.append({"type": _("created"), "value": _iso(document.created_at)})
    if delivery is not None:
        out["data"].values.append({"type": _("received"), "value": _iso(delivery.received_at)})
    if len(versions) > 1:
        out["data"].values.append({"type": _("modified"), "value": _iso(current.created_at)})
    for item in document.outgoing_items.all():
        if item.sent_at:
            out["data"].values.append({"type": _("sent"), "value": _iso(item.sent_at)})
        if item.delivered_at:
            out["data"].values.append({"type": _("delivered"), "value": _iso(item.delivered_at)})

    if current is not None:
        out["format"].values.append({"value": current.mime_type, "size": current.size,
                                     "file": current.original_name})
    elif delivery is not None and delivery.form == "paper":
        out["format"].values.append({"value": _("paper")})

    if meta and meta.access:
        out["dostep"].values.append({"value": meta.access})
        out["dostep"].filled_by_person = True
    elif case is not None and case.confidential:
        out["dostep"].values.append({"value": _("restricted: confidential case, only its case worker and named "
                                                "participants")})
    else:
        out["dostep"].values.append({"value": _("restricted: staff of the office under their access rights")})

    main_mime = (current.mime_type if current else "").split("/")[0]
    dcmi = "Text" if current is None or current.mime_type in TEXT_MIME else DCMI_BY_MIME.get(main_mime, "Text")
    out["typ"].values.append({"value": dcmi, "kind": KIND_REFINEMENT.get(document.kind, "dokument")})

    for version in versions[:-1]:
        out["relacja"].values.append({"type": _("has an earlier version"),
                                      "value": f"obieg:dokument:{document.pk}:v{version.number}"})
    if delivery is not None and document.kind == DocumentKind.ATTACHMENT:
        out["relacja"].values.append({"type": _("is an attachment of the delivery"), "value": delivery.rpw})
    for item in document.outgoing_items.all():
        out["relacja"].values.append({"type": _("dispatched as"), "value": item.register_number})

    if meta and meta.addressee:
        out["odbiorca"].values.append({"value": meta.addressee})
        out["odbiorca"].filled_by_person = True
    else:
        for item in document.outgoing_items.all():
            out["odbiorca"].values.append({"value": str(item.recipient)})
        if delivery is not None and delivery.addressed_unit_id:
            out["odbiorca"].values.append({"value": str(delivery.addressed_unit)})

    if case is not None:
        out["grupowanie"].values.append({"type": _("case"), "value": case.sign})
        out["grupowanie"].values.append({"type": "JRWA", "value": f"{case.jrwa_class.symbol} {case.jrwa_class.title}"})
    if delivery is not None:
        out["grupowanie"].values.append({"type": _("incoming register"), "value": f"RPW {delivery.year}"})

    if case is not None and case.jrwa_class.category_own:
        out["kwalifikacja"].values.append({"value": case.jrwa_class.category_own,
                                           "jrwa_version": case.jrwa_class.version.name})

    out["jezyk"].values.append({"value": (meta.language if meta and meta.language else "pol")})
    out["jezyk"].filled_by_person = bool(meta and meta.language)

    if meta and meta.description:
        out["opis"].values.append({"value": meta.description})
        out["opis"].filled_by_person = True

    if meta and meta.rights:
        out["uprawnienia"].values.append({"value": meta.rights})
        out["uprawnienia"].filled_by_person = True
    elif case is not None:
        out["uprawnienia"].values.append({"value": str(case.unit)})
    return list(out.values())


def as_dict(document) -> dict:
    """The mapping for the API and packages: {key: [values]} plus which mandatory elements are missing."""
    items = elements(document)
    return {
        "document": document.pk,
        "elements": {e.key: e.values for e in items},
        "missing_mandatory": [e.key for e in items if e.mandatory and e.missing],
        "missing_optional": [e.key for e in items if not e.mandatory and e.missing],
    }


def _person(user) -> str:
    if user is None:
        return ""
    name = user.get_full_name() or user.username
    return f"{name}, {user.position_title}" if getattr(user, "position_title", "") else name
