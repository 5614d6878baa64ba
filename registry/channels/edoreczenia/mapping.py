"""From a UA API `Message` (format=fullExtended) to the arguments of `register_delivery`.

Rules (see also the module docs of the importer):
- `external_id` = messageMetadata.messageId; channel e-Doręczenia; form electronic.
- `received_at` (the legal time of receipt) is taken from the first source present, in this order:
  1. the **E.1** evidence (code `E.1` or its alias `E1`): its `eventDate` (or `createDate` if it has none) –
     for public-entity mailboxes E.1 is issued when the message is moved into the mailbox, so this is the receipt;
  2. messageMetadata.`receiptDate` ("data doręczenia z biznesowego potwierdzenia otrzymania lub dowodu H.EPO");
  3. messageMetadata.`timestamp` (created in the mailbox by the ADE system – the message was in our mailbox then);
  4. messageMetadata.`eventDate` (Event Time of A.1 – the sender's submission; earlier than receipt, last resort).
  The source used is stored in `receipt_evidence["received_at_source"]`; when it is not E.1 the remarks say so.
  If none is present the message is not registered (it stays in the mailbox and is retried).
- `receipt_evidence` = the metadata of the E.1 evidence at the top level (see `receipt_evidence()`), plus the
  message's own times and every evidence of the message;
  the E.1 evidence file itself (GET /{ade}/evidences/purde|puh/{evidenceId}) is kept as an evidence document.
- sender: `correspondents.get_or_create` by ADE (`from.eDeliveryAddress`), named from `from.contributor`.
- `threadId`, `caseId`, `refToMessageId` kept under receipt_evidence["message"] (replies/ proposes the case);
- subject; `caseId` → sender's reference; `textBody` → a `.txt` document first; then the attachments in their order,
  under their original names when `validate_file_name` accepts them, otherwise under a safe replacement name with
  the original recorded in the remarks (the file is never dropped).
- every attachment is checked against fileMetadata.hash (alg "SHA-3": SHA3-256 or SHA3-512 chosen by the length of
  the value, hex or base64 – the yaml does not fix the variant or the encoding); a mismatch stops the registration.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from registry.channels.edoreczenia.client import LARGE_FILE, Client, decode_inline, iter_chunks
from registry.models import Correspondent
from registry.validators import validate_ade, validate_file_name

RECEIPT_CODES = ("E.1", "E1")
SAFE_EXT_RE = re.compile(r"^[a-z0-9]{1,10}$")


class MappingError(Exception):
    """The message cannot be registered as it is (hash mismatch, unreadable attachment, no receipt time)."""


@dataclass
class Mapped:
    external_id: str
    subject: str
    received_at: datetime
    sender_data: dict
    sender_reference: str = ""
    receipt_evidence: dict = field(default_factory=dict)
    files: list = field(default_factory=list)
    evidence_file: ContentFile | None = None  # the E.1 evidence itself (signed XML or PDF), kept as a document
    remarks: list[str] = field(default_factory=list)

    def remarks_text(self) -> str:
        text = " ".join(self.remarks)
        return text if len(text) <= 500 else text[:499] + "…"

    def close(self) -> None:
        for f in self.files:
            f.close()
        if self.evidence_file is not None:
            self.evidence_file.close()


def _when(value) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else value
    except ValueError:  # well formed but impossible (month 13)
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.utc)
    return parsed


def _evidence_summary(evidence: dict) -> dict:
    keys = ("evidenceId", "messageId", "type", "eventDate", "createDate", "reasonId", "externalData")
    return {k: evidence[k] for k in keys if evidence.get(k) not in (None, "")}


def receipt_evidence(message_id: str, source: str, evidence: dict, metadata: dict, evidences: list[dict]) -> dict:
    """Delivery.receipt_evidence. Top level: the evidence of receipt itself – for E.1 `code` "E.1", `evidenceId`,
    `eventDate` (= received_at), `createDate` – as deadlines.services reads it; with no E.1 only `receiptDate` when
    that was the source. The message's own times (`eventDate` there is the sender's A.1 submission, *not* receipt)
    stay under "message", every evidence of the message under "evidences"."""
    data = {"channel": "edoreczenia", "messageId": message_id, "received_at_source": source}
    if evidence:
        data.update(_evidence_summary(evidence))
        data["code"] = "E.1"
    elif source == "receiptDate":
        data["receiptDate"] = metadata["receiptDate"]
    data["message"] = {
        k: metadata[k]
        for k in ("submissionDate", "eventDate", "receiptDate", "timestamp", "threadId", "caseId", "refToMessageId")
        if metadata.get(k)
    }
    data["evidences"] = [_evidence_summary(e) for e in evidences]
    return data


def receipt_time(metadata: dict, evidences: list[dict]) -> tuple[datetime, str, dict]:
    """(received_at, source, evidence used) by the rule in the module docs."""
    for evidence in evidences:
        if evidence.get("type") in RECEIPT_CODES:
            when = _when(evidence.get("eventDate")) or _when(evidence.get("createDate"))
            if when:
                return when, "E.1", evidence
    for key in ("receiptDate", "timestamp", "eventDate"):
        when = _when(metadata.get(key))
        if when:
            return when, key, {}
    raise MappingError(_("The message carries no time of receipt (no E.1 evidence, receiptDate or timestamp)."))


def sender_data(address: dict) -> tuple[dict, list[str]]:
    """Correspondent fields for get_or_create from MessageAddressData (`from`)."""
    remarks = []
    ade = (address.get("eDeliveryAddress") or "").strip()
    cross = address.get("crossborderInformation") or {}
    if not ade and cross.get("crossborderInternalAddress"):
        ade = cross["crossborderInternalAddress"].strip()
    try:
        validate_ade(ade)
    except ValidationError:
        if ade:
            remarks.append(_("Sender's address for electronic deliveries as received: %(ade)s.") % {"ade": ade[:60]})
        ade = ""
    contributor = address.get("contributor") or {}
    company = " ".join(
        p for p in (contributor.get("companyName"), contributor.get("companyNameContinued")) if p
    ).strip()
    data: dict = {"ade": ade} if ade else {}
    if company:
        data.update(kind=Correspondent.Kind.INSTITUTION, name=company[:300])
    elif contributor.get("lastName"):
        data.update(
            kind=Correspondent.Kind.PERSON,
            first_name=(contributor.get("firstName") or "")[:100],
            last_name=contributor["lastName"][:150],
        )
    else:
        # No name in the message: an institution named by its address, so the clerk can find and correct it.
        data.update(kind=Correspondent.Kind.INSTITUTION, name=ade or _("unknown sender"))
    postal = address.get("address") or {}
    if postal:
        data.update(
            street=(postal.get("street") or "")[:200],
            building_number=(postal.get("buildingNumber") or "")[:20],
            flat_number=(postal.get("houseNumber") or "")[:20],
            city=(postal.get("city") or "")[:150],
        )
        code = (postal.get("postalCode") or "").strip()
        if re.match(r"^\d{2}-\d{3}$", code):
            data["postal_code"] = code
    return data, remarks


def hash_matches(data_chunks, expected: str) -> bool:
    """`expected` is the fileMetadata.hash; SHA3-256 or SHA3-512 by its length, hex or base64."""
    expected = (expected or "").strip()
    raw = None
    if re.fullmatch(r"[0-9a-fA-F]+", expected) and len(expected) in (64, 128):
        raw = bytes.fromhex(expected)
    else:
        try:
            raw = base64.b64decode(expected, validate=True)
        except (binascii.Error, ValueError):
            return False
    algorithm = {32: hashlib.sha3_256, 64: hashlib.sha3_512}.get(len(raw))
    if algorithm is None:
        return False
    digest = algorithm()
    for chunk in data_chunks:
        digest.update(chunk)
    return digest.digest() == raw


def safe_name(original: str | None, order: int) -> tuple[str, str | None]:
    """(name to store, refused original or None)."""
    try:
        return validate_file_name(original), None
    except ValidationError:
        ext = (original or "").rsplit(".", 1)[-1].lower() if "." in (original or "") else ""
        replacement = f"zalacznik-{order}" + (f".{ext}" if SAFE_EXT_RE.match(ext) else ".bin")
        return replacement, original or ""


def _attachment_content(client: Client, message_id: str, attachment: dict, max_size: int):
    """The content as a file object at position 0: inline base64, by id, or the large-file download."""
    file_data = attachment.get("file") or {}
    meta = file_data.get("fileMetadata") or {}
    attachment_id = attachment.get("attachmentId") or meta.get("fileId") or ""
    declared = meta.get("size") or 0
    if declared and declared > max_size:
        raise MappingError(
            _("Attachment “%(name)s” is larger than the limit of %(limit)d MB.")
            % {"name": meta.get("filename", attachment_id), "limit": max_size // (1024 * 1024)}
        )
    content = file_data.get("file")
    if not content and attachment_id and declared <= LARGE_FILE:
        content = ((client.get_attachment_json(message_id, attachment_id).get("file")) or {}).get("file")
    if content:
        try:
            return ContentFile(decode_inline(content, max_size=max_size))
        except (ValueError, binascii.Error) as exc:
            raise MappingError(
                _("Attachment “%(name)s” could not be decoded.") % {"name": meta.get("filename", attachment_id)}
            ) from exc
    if not attachment_id:
        raise MappingError(_("An attachment has neither content nor an identifier."))
    return File(client.download_attachment(message_id, attachment_id, max_size=max_size))


def map_message(message: dict, client: Client) -> Mapped:
    """Everything register_delivery needs. Attachments are downloaded and checked here, before any write."""
    metadata = message.get("messageMetadata") or {}
    message_id = metadata.get("messageId") or ""
    if not message_id:
        raise MappingError(_("The message has no identifier."))
    evidences = message.get("evidences") or []
    if not any(e.get("type") in RECEIPT_CODES for e in evidences):
        evidences = evidences + [e for e in client.get_evidences(message_id) if e not in evidences]
    received_at, source, evidence = receipt_time(metadata, evidences)
    data, remarks = sender_data(metadata.get("from") or {})
    subject = (metadata.get("subject") or "").strip() or "brak danych"
    mapped = Mapped(
        external_id=message_id[:200],
        subject=subject[:500],
        received_at=received_at,
        sender_data=data,
        sender_reference=(metadata.get("caseId") or "").strip()[:100],
        remarks=remarks,
        receipt_evidence=receipt_evidence(message_id, source, evidence, metadata, evidences),
    )
    if source != "E.1":
        mapped.remarks.append(
            _("No E.1 evidence: the time of receipt was taken from %(source)s.") % {"source": source}
        )
    max_size = settings.MAX_ATTACHMENT_SIZE
    try:
        if evidence.get("evidenceId"):
            kind = "puh" if metadata.get("shippingService") == "hybrid" else "purde"
            data = client.get_evidence_file(evidence["evidenceId"], kind)
            ext = "xml" if data.lstrip()[:1] == b"<" else "pdf" if data[:4] == b"%PDF" else "bin"
            mapped.evidence_file = ContentFile(data, name=f"dowod-E1.{ext}")
        body = (message.get("textBody") or "").strip()
        if body:
            mapped.files.append(ContentFile(body.encode("utf-8"), name="tresc-wiadomosci.txt"))
        attachments = sorted(message.get("attachments") or [], key=lambda a: a.get("order") or 0)
        for index, attachment in enumerate(attachments, start=1):
            meta = (attachment.get("file") or {}).get("fileMetadata") or {}
            original = meta.get("filename")
            name, refused = safe_name(original, attachment.get("order") or index)
            content = _attachment_content(client, message_id, attachment, max_size)
            content.name = name
            mapped.files.append(content)
            if meta.get("hash"):
                content.seek(0)
                if not hash_matches(iter_chunks(content), meta["hash"]):
                    raise MappingError(
                        _("Attachment “%(name)s” does not match its hash from the mailbox (%(alg)s).")
                        % {"name": original or name, "alg": meta.get("alg") or "SHA-3"}
                    )
                content.seek(0)
            else:
                mapped.remarks.append(_("Attachment “%(name)s” came without a hash.") % {"name": name})
            if refused is not None:
                mapped.remarks.append(
                    _("Attachment %(number)d was saved as “%(name)s”; its original name was refused: “%(original)s”.")
                    % {"number": index, "name": name, "original": refused.encode("unicode_escape").decode("ascii")}
                )
    except BaseException:
        mapped.close()
        raise
    return mapped
