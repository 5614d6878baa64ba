"""Sending one shipment through e-Doręczenia (UA API 3.0.8): draft → attachments → send → send task, so that a
message is sent once even when the worker dies or the service times out half-way.

Before the first call the shipment's `send_key` is committed; it travels in `additionalData.obiegKey`. Each step
stores its result (draft id, task id, message id) as soon as it has it. After a crash or a timeout the next attempt
asks the service what already exists — a draft with the key, a sent message with the key — and carries on from
there; the only call that sends (`POST /drafts/send`) is never repeated blindly, and when the state cannot be told
the item is left for a person rather than risk a second send."""

from __future__ import annotations

import base64
import hashlib

from django.conf import settings
from django.utils.translation import gettext as _

from dispatch.services.checks import versions_to_send
from registry.channels.edoreczenia.client import Client, ClientError, Config
from registry.models import OutgoingChannel


class Transient(Exception):
    """Try again later (network, 5xx, an unfinished step)."""


class Permanent(Exception):
    """The service refused: a person must look (the reason is in the message)."""


def client() -> Client:
    return Client(Config.from_settings())


def _key(shipment) -> str:
    return str(shipment.send_key)


def message_for(shipment, sender_ade: str) -> dict:
    item = shipment.item
    hybrid = item.channel == OutgoingChannel.HYBRID
    metadata: dict = {
        "from": {"eDeliveryAddress": sender_ade},
        "subject": item.subject[:255],
        "shippingService": "hybrid" if hybrid else "electronic",
        "additionalData": {"obiegKey": _key(shipment), "obiegNumber": item.register_number},
    }
    if item.case_id:
        metadata["caseId"] = item.case.sign
    if shipment.ref_to_message_id:
        metadata["refToMessageId"] = shipment.ref_to_message_id
    if shipment.thread_id:
        metadata["threadId"] = shipment.thread_id
    if hybrid:
        a = shipment.postal_address
        metadata["to"] = [{
            "address": {"country": a.get("country") or "PL", "postalCode": a.get("postal_code", ""),
                        "city": a.get("city", ""), "street": a.get("street") or a.get("city", ""),
                        "buildingNumber": a.get("building", ""), "houseNumber": a.get("flat", "")},
            "contributor": {"companyName": a.get("name", "")[:50]},
        }]
        metadata["hybridShipment"] = {
            "categoryService": "priority", "printingMode": "duplex", "overprintMode": "monochrome",
            "returnService": "returntosender", "procedingType": "administrative", "shippingMode": "registered",
            "proofOfDelivery": True, "sendersInformation": settings.OFFICE_NAME[:30],
            "caseContent": item.subject[:255],
        }
    else:
        metadata["to"] = [{"eDeliveryAddress": shipment.ade}]
    text = _("In attachment: %(subject)s.") % {"subject": item.subject}
    if item.case_id:
        text += " " + _("Case sign: %(sign)s.") % {"sign": item.case.sign}
    return {"messageMetadata": metadata, "textBody": text[:5000]}


def _file_data(version, order: int) -> dict:
    with version.file.open("rb") as fh:
        data = fh.read()
    return {
        "fileMetadata": {
            "fileId": f"{version.sha256[:32]}-{order}", "filename": version.original_name,
            "contentType": version.mime_type, "size": len(data), "alg": "SHA-3",
            "hash": hashlib.sha3_256(data).hexdigest(),
        },
        "file": base64.b64encode(data).decode("ascii"),
    }


def _has_key(message: dict, key: str) -> bool:
    return ((message.get("messageMetadata") or {}).get("additionalData") or {}).get("obiegKey") == key


def find_draft(api: Client, shipment) -> str:
    for listed in api.list_drafts(subject=shipment.item.subject[:255]):
        draft_id = (listed.get("messageMetadata") or {}).get("messageId")
        if draft_id:
            draft = api.get_draft(draft_id)
            if draft and _has_key(draft, _key(shipment)):
                return draft_id
    return ""


def find_sent(api: Client, shipment) -> str:
    recipient = shipment.ade if shipment.item.channel == OutgoingChannel.EDORECZENIA else ""
    ids = api.find_sent(subject=shipment.item.subject[:255], recipient=recipient)
    for message in api.get_messages(ids, fmt="full"):
        if _has_key(message, _key(shipment)):
            return (message.get("messageMetadata") or {}).get("messageId") or ""
    return ""


def _classify(exc: ClientError) -> Exception:
    if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
        return Permanent(_("The service refused the message: %(error)s") % {"error": exc})
    return Transient(str(exc))


def send(shipment, api: Client, save) -> None:
    """Carry the shipment as far as it goes. `save(**fields)` stores progress at once (committed). Raises
    Transient or Permanent; returns when the message was sent (its id may still be unknown: the send task)."""
    try:
        _send(shipment, api, save)
    except ClientError as exc:
        raise _classify(exc) from exc


def _send(shipment, api: Client, save) -> None:
    if shipment.message_id:
        return
    if shipment.task_id:
        _resolve_task(shipment, api, save)
        return
    if shipment.draft_id:
        draft = api.get_draft(shipment.draft_id)
        if draft is None:
            # The draft is gone: either our send went through before a crash, or the draft was removed.
            message_id = find_sent(api, shipment)
            if message_id:
                save(message_id=message_id)
                return
            raise Permanent(_("The draft %(draft)s disappeared from the mailbox and no sent message carries this "
                              "item's key; check the mailbox before sending again.") % {"draft": shipment.draft_id})
    else:
        # Only an earlier attempt (one that died before storing the draft id) can have left a draft behind.
        draft_id = find_draft(api, shipment) if getattr(shipment, "attempts", 2) > 1 else ""
        draft = (api.get_draft(draft_id) or {}) if draft_id else {}
        if not draft_id:
            draft_id = api.create_draft(message_for(shipment, api.config.ade))
        save(draft_id=draft_id)
    uploaded = {
        ((a.get("file") or {}).get("fileMetadata") or {}).get("filename") for a in draft.get("attachments") or []
    }
    for order, version in enumerate(versions_to_send(shipment), start=1):
        if version.original_name not in uploaded:
            api.add_draft_attachment(shipment.draft_id, _file_data(version, order))
    try:
        task_id = api.send_draft(shipment.draft_id)
    except ClientError as exc:
        if exc.status is not None and 400 <= exc.status < 500 and exc.status != 429:
            raise
        # A timeout or a 5xx: the send may have happened. Still a draft → it did not; otherwise find it.
        if api.get_draft(shipment.draft_id) is not None:
            raise Transient(str(exc)) from exc
        message_id = find_sent(api, shipment)
        if message_id:
            save(message_id=message_id)
            return
        raise Permanent(_("The service did not answer the send and the message cannot be found in the SENT "
                          "folder yet; check the mailbox before sending again.")) from exc
    save(task_id=task_id)
    _resolve_task(shipment, api, save)


def _resolve_task(shipment, api: Client, save) -> None:
    if not shipment.task_id:
        return
    for row in api.get_send_task(shipment.task_id):
        if row.get("error"):
            raise Permanent(_("The service refused the message: %(error)s") % {
                "error": f"{row.get('error')} {row.get('error_description', '')}".strip()})
        if row.get("messageId"):
            save(message_id=row["messageId"])
            return
