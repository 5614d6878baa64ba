"""Registering an ePUAP document (XML of a CRWDE template, root `wnio:Dokument`; docs/domain.md § 4.5).

The XML is parsed with defusedxml with DTDs, entities and external references forbidden, after a size check, so
XXE, "billion laughs" and external DTDs fail with a ValidationError before anything is read or saved. From it:
the sender (a person: Imię, Nazwisko, PESEL; an institution: NazwaInstytucji, REGON, NIP), address and e-mail,
the document name (subject), its date, and the attachments (`str:Zalacznik kodowanie="base64"` decoded within the
attachment size limit; `kodowanie="URI"` recorded in the remarks). The original XML is kept as the first document.
`external_id` = `meta:Identyfikator/meta:Wartosc` of the header, or the SHA-256 of the XML when there is none."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from registry.channels.edoreczenia.client import decode_inline
from registry.channels.edoreczenia.mapping import safe_name
from registry.models import Channel, Correspondent, Form
from registry.services import correspondents
from registry.services.deliveries import register_delivery
from registry.validators import validate_nip, validate_pesel, validate_postal_code, validate_regon

STR = "http://crd.gov.pl/xml/schematy/struktura/2009/11/16/"
META = "http://crd.gov.pl/xml/schematy/meta/2009/11/16/"
OSO = "http://crd.gov.pl/xml/schematy/osoba/2009/11/16/"
INST = "http://crd.gov.pl/xml/schematy/instytucja/2009/11/16/"
ADR = "http://crd.gov.pl/xml/schematy/adres/2009/11/09/"
DS = "http://www.w3.org/2000/09/xmldsig#"
ORIGINAL_NAME = "dokument-epuap.xml"


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def _text(element: Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _local(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


@dataclass
class ParsedDocument:
    subject: str
    external_id: str
    sender_data: dict | None
    letter_date: dt.date | None
    files: list = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


def parse(xml_bytes: bytes) -> Element:
    """The root element, or a ValidationError for anything that is not a safe, well-formed ePUAP document."""
    if not xml_bytes:
        raise ValidationError(_("The ePUAP document is empty."), code="epuap_xml")
    if len(xml_bytes) > settings.EPUAP_MAX_DOCUMENT_SIZE:
        raise ValidationError(
            _("The ePUAP document is larger than the limit of %(limit)d MB.")
            % {"limit": settings.EPUAP_MAX_DOCUMENT_SIZE // (1024 * 1024)},
            code="epuap_xml",
        )
    try:
        root = fromstring(xml_bytes, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise ValidationError(
            _("The ePUAP document was refused: it declares a DTD or entities, which are not allowed."),
            code="epuap_xml_unsafe",
        ) from exc
    except (ParseError, ValueError) as exc:
        raise ValidationError(
            _("The ePUAP document is not well-formed XML (%(error)s).") % {"error": str(exc)[:200]},
            code="epuap_xml",
        ) from exc
    if _local(root) == "Signature" and root.tag.startswith(f"{{{DS}}}"):
        # An enveloping XAdES signature: the document is inside ds:Object (the original XML is kept as received).
        inner = next((e for e in root.iter() if e is not root and _local(e) == "Dokument"), None)
        root = inner if inner is not None else root
    if _local(root) != "Dokument":
        raise ValidationError(
            _("This is not an ePUAP document: the root element must be Dokument, not %(name)s.")
            % {"name": _local(root)[:50]},
            code="epuap_xml",
        )
    return root


def _address(element: Element, data: dict, remarks: list[str]) -> None:
    adres = element.find(_q(ADR, "Adres"))
    if adres is None:
        return
    street = _text(adres.find(_q(ADR, "Ulica")))
    data["street"] = street[:200]
    data["building_number"] = _text(adres.find(_q(ADR, "Budynek")))[:20]
    data["flat_number"] = _text(adres.find(_q(ADR, "Lokal")))[:20]
    data["city"] = (_text(adres.find(_q(ADR, "Miejscowosc"))) or _text(adres.find(_q(ADR, "Poczta"))))[:150]
    code = _text(adres.find(_q(ADR, "KodPocztowy")))
    if re.fullmatch(r"\d{5}", code):
        code = f"{code[:2]}-{code[2:]}"
    if code:
        try:
            validate_postal_code(code)
            data["postal_code"] = code
        except ValidationError:
            remarks.append(_("Postal code as written by the sender: %(value)s.") % {"value": code[:20]})


def _email(element: Element) -> str:
    for email in element.iter(_q(ADR, "Email")):
        value = _text(email)
        try:
            validate_email(value)
        except ValidationError:
            continue
        return value
    return ""


def _checked(value: str, validator, label: str, remarks: list[str]) -> str:
    if not value:
        return ""
    try:
        validator(value)
    except ValidationError:
        remarks.append(_("%(label)s given by the sender is not valid and was not kept: %(value)s.")
                       % {"label": label, "value": value[:20]})
        return ""
    return value


def sender(root: Element, remarks: list[str]) -> dict | None:
    podmiot = root.find(f".//{_q(STR, 'Nadawcy')}/{_q(META, 'Podmiot')}")
    if podmiot is None:
        return None
    person = podmiot.find(_q(OSO, "Osoba"))
    institution = podmiot.find(_q(INST, "Instytucja"))
    data: dict
    if person is not None:
        surname = " ".join(_text(n) for n in person.findall(_q(OSO, "Nazwisko")) if _text(n))
        pesel = _text(person.find(f"{_q(OSO, 'IdOsoby')}/{_q(OSO, 'PESEL')}")) or _text(person.find(_q(OSO, "PESEL")))
        data = {
            "kind": Correspondent.Kind.PERSON,
            "first_name": _text(person.find(_q(OSO, "Imie")))[:100],
            "last_name": surname[:150],
            "pesel": _checked(pesel, validate_pesel, "PESEL", remarks),
        }
        if not data["last_name"]:
            return None
        source = person
    elif institution is not None:
        name = _text(institution.find(_q(INST, "NazwaInstytucji")))
        if not name:
            return None
        regon = next((_text(e) for e in institution.iter(_q(INST, "REGON")) if _text(e)), "")
        nip = next((_text(e) for e in institution.iter(_q(INST, "NIP")) if _text(e)), "")
        data = {
            "kind": Correspondent.Kind.INSTITUTION,
            "name": name[:300],
            "regon": _checked(regon, validate_regon, "REGON", remarks),
            "nip": _checked(nip, validate_nip, "NIP", remarks),
        }
        source = institution
    else:
        return None
    _address(source, data, remarks)
    data["email"] = _email(source)
    return {k: v for k, v in data.items() if v}


def _letter_date(root: Element) -> dt.date | None:
    for element in root.iter(_q(META, "Data")):
        if element.get("typDaty") in ("stworzony", "utworzony", None):
            value = _text(element.find(_q(META, "Czas")))
            try:
                parsed = parse_date(value[:10]) if value else None
            except ValueError:  # well formed but impossible (month 13): the letter is registered without it
                parsed = None
            if parsed:
                return parsed
    return None


def _attachments(root: Element, remarks: list[str]) -> list:
    files = []
    limit = settings.MAX_ATTACHMENT_SIZE
    for index, element in enumerate(root.iter(_q(STR, "Zalacznik")), start=1):
        encoding = (element.get("kodowanie") or "").strip()
        original = element.get("nazwaPliku") or ""
        content = element.find(_q(STR, "DaneZalacznika"))
        if encoding.upper() == "URI":
            remarks.append(
                _("Attachment “%(name)s” was sent as a link, not included: %(uri)s")
                % {"name": original[:100], "uri": _text(content)[:200]}
            )
            continue
        if encoding.lower() != "base64":
            raise ValidationError(
                _("Attachment “%(name)s” has an unknown encoding “%(encoding)s”.")
                % {"name": original[:100], "encoding": encoding[:20]},
                code="epuap_attachment",
            )
        name, refused = safe_name(original, index)
        try:
            data = decode_inline((content.text or "") if content is not None else "", max_size=limit)
        except ValueError as exc:
            if str(exc) == "too large":
                raise ValidationError(
                    _("Attachment “%(name)s” is larger than the limit of %(limit)d MB.")
                    % {"name": original[:100], "limit": limit // (1024 * 1024)},
                    code="too_large",
                ) from exc
            raise ValidationError(
                _("Attachment “%(name)s” could not be decoded.") % {"name": original[:100]}, code="epuap_attachment"
            ) from exc
        if len(data) > limit:
            raise ValidationError(
                _("Attachment “%(name)s” is larger than the limit of %(limit)d MB.")
                % {"name": original[:100], "limit": limit // (1024 * 1024)},
                code="too_large",
            )
        files.append(ContentFile(data, name=name))
        if refused is not None:
            remarks.append(
                _("Attachment %(number)d was saved as “%(name)s”; its original name was refused: “%(original)s”.")
                % {"number": index, "name": name, "original": refused.encode("unicode_escape").decode("ascii")}
            )
    return files


def read_document(xml_bytes: bytes) -> ParsedDocument:
    root = parse(xml_bytes)
    remarks: list[str] = []
    header = root.find(f".//{_q(STR, 'Naglowek')}")
    subject = _text(header.find(_q(STR, "NazwaDokumentu"))) if header is not None else ""
    identifier = ""
    if header is not None:
        identifier = _text(header.find(f"{_q(META, 'Identyfikator')}/{_q(META, 'Wartosc')}"))
    if not identifier:
        identifier = _text(root.find(f".//{_q(META, 'Identyfikator')}/{_q(META, 'Wartosc')}"))
    parsed = ParsedDocument(
        subject=(subject or "brak danych")[:500],
        external_id=identifier[:200] or "sha256:" + hashlib.sha256(xml_bytes).hexdigest(),
        sender_data=sender(root, remarks),
        letter_date=_letter_date(root),
        remarks=remarks,
    )
    parsed.files = [ContentFile(xml_bytes, name=ORIGINAL_NAME), *_attachments(root, remarks)]
    return parsed


def _submitted_at(upp: dict | None):
    if not upp:
        return None
    value = upp.get("submitted_at") or upp.get("timestamp")
    try:
        when = parse_datetime(value) if isinstance(value, str) else value
    except ValueError:  # well formed but impossible: the time of registration is the time of receipt
        when = None
    if when is None:
        return None
    return timezone.make_aware(when) if timezone.is_naive(when) else when


def register_document(xml_bytes: bytes, *, registered_by, upp: dict | None = None, addressed_unit=None):
    """Register an ePUAP document. `upp` is the urzędowe poświadczenie przedłożenia as a mapping (at least
    `submitted_at`, a datetime or ISO string – its time is the filing time, KPA art. 57 § 5; e.g. also `id`);
    without it the time of this registration is the time of receipt. Returns (delivery, created).

    Raises ValidationError (translated) for malformed or unsafe XML, oversized or undecodable attachments;
    nothing is saved then."""
    parsed = read_document(xml_bytes)
    received_at = _submitted_at(upp) or timezone.now()
    evidence = {"channel": "epuap", "document_id": parsed.external_id,
                "received_at_source": "UPP" if _submitted_at(upp) else "registration"}
    if upp:
        evidence["code"] = "UPP"
        evidence["upp"] = {k: (v.isoformat() if hasattr(v, "isoformat") else str(v)) for k, v in upp.items()}
    letter_date = parsed.letter_date
    if letter_date and letter_date > timezone.localtime(received_at).date():
        parsed.remarks.append(_("Letter date as written by the sender: %(date)s.") % {"date": letter_date})
        letter_date = None
    remarks = " ".join(parsed.remarks)
    if len(remarks) > 500:
        remarks = remarks[:499] + "…"
    with transaction.atomic():
        sender_obj = correspondents.get_or_create(parsed.sender_data) if parsed.sender_data else None
        return register_delivery(
            registered_by=registered_by,
            channel=Channel.EPUAP,
            form=Form.ELECTRONIC,
            received_at=received_at,
            subject=parsed.subject,
            sender=sender_obj,
            addressed_unit=addressed_unit,
            letter_date=letter_date,
            remarks=remarks,
            external_id=parsed.external_id,
            receipt_evidence=evidence,
            files=parsed.files,
        )
