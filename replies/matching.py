"""Which existing cases an incoming delivery points at. Reads only; `services.propose` stores the result.

Evidence, strongest first: the e-Doręczenia `refToMessageId` equal to the messageId of one of our shipments, the
`threadId` of one of our shipments, the message's `caseId` equal to one of our case signs, and our case signs
quoted in the subject, the sender's reference or the text of the letter (the znak sprawy format of the instrukcja
kancelaryjna, domain.md §1.5). Only cases that exist are proposed; access plays no part here (it does when the
proposal is shown)."""

import re
from dataclasses import dataclass

from registry.models import Case, DocumentVersion
from replies.models import Basis

L = "A-ZĄĆĘŁŃÓŚŹŻ"
# unit[-section] . JRWA [. sub-file] . number . year [. initials]; not inside a longer token.
SIGN_RE = re.compile(
    rf"(?<![\w.-])([{L}0-9]+(?:-[{L}0-9]+)?\.\d{{1,4}}(?:\.\d+)?\.\d+\.\d{{4}})(\.[{L}]{{1,4}})?(?![\w-])",
    re.IGNORECASE,
)
TEXT_LIMIT = 200_000  # characters of a letter's text read for signs
PLAIN_LIMIT = 1_000_000  # bytes of a text/plain file (the e-Doręczenia message body) read when not extracted yet


@dataclass(frozen=True)
class Match:
    case: Case
    basis: str
    detail: str


def cited_signs(text: str) -> list[str]:
    found = []
    for m in SIGN_RE.finditer(text or ""):
        for candidate in (m.group(0), m.group(1)):
            candidate = candidate.upper()
            if candidate not in found:
                found.append(candidate)
    return found


def delivery_text(delivery) -> str:
    parts = [delivery.subject, delivery.sender_reference]
    versions = DocumentVersion.objects.filter(document__delivery=delivery).only("text", "mime_type", "file", "size")
    for version in versions:
        if version.text:
            parts.append(version.text[:TEXT_LIMIT])
        elif version.mime_type == "text/plain" and version.size <= PLAIN_LIMIT:
            with version.file.open("rb") as fh:
                parts.append(fh.read().decode("utf-8", "replace")[:TEXT_LIMIT])
    return "\n".join(p for p in parts if p)


def _message(delivery) -> dict:
    evidence = delivery.receipt_evidence or {}
    return evidence.get("message") or {}


def our_shipment_matches(message: dict) -> list[Match]:
    """Hook to dispatch: its Shipment keeps the messageId/threadId of what we sent (dispatch.models.Shipment)."""
    from dispatch.models import Shipment

    found = []
    ref, thread = (message.get("refToMessageId") or "").strip(), (message.get("threadId") or "").strip()
    if ref:
        for s in Shipment.objects.filter(message_id=ref).select_related("item__case"):
            if s.item.case_id:
                found.append(Match(s.item.case, Basis.REF_TO_MESSAGE, ref))
    if thread:
        for s in Shipment.objects.filter(thread_id=thread).select_related("item__case"):
            if s.item.case_id:
                found.append(Match(s.item.case, Basis.THREAD, thread))
    return found


def find_cases(delivery) -> list[Match]:
    """One Match per case, with the strongest evidence; the delivery's own case (if any) is never proposed."""
    message = _message(delivery)
    matches = our_shipment_matches(message)
    case_id = (message.get("caseId") or "").strip()
    if case_id:
        matches += [Match(c, Basis.CASE_ID, case_id) for c in Case.objects.filter(sign=case_id.upper())]
    signs = cited_signs(delivery_text(delivery))
    if signs:
        by_sign = {c.sign: c for c in Case.objects.filter(sign__in=signs)}
        matches += [Match(by_sign[s], Basis.CITED_SIGN, s) for s in signs if s in by_sign]
    result, seen = [], {delivery.case_id}
    for match in matches:
        if match.case.pk not in seen:
            seen.add(match.case.pk)
            result.append(match)
    return result
