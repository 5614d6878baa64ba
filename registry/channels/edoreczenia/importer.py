"""Importing the office's e-Doręczenia mailbox into the incoming register (COI UC006).

For each message id in the INBOX (format=minimal): skip it if it waits for a later attempt; if it is already
registered, do not register it again but delete it from the mailbox; otherwise read it (fullExtended), map it
(attachments downloaded and hash-checked), register it, and delete it from the mailbox as the last step.
Every outcome is kept in `ChannelImport` (one row per message). One message failing never stops the others.

Back-off: a message still being transferred (HTTP 202) is `pending` and read again after 1, 2, 4 … minutes (at most
an hour); a failed message is retried after 5, 10, 20 … minutes (at most 6 hours) and, after MAX_ATTEMPTS, left
`failed` for a person to look at (reset `next_attempt_at`/`attempts` in the admin to try again). Messages that are
not deliveries (messageType Evidence, Stub, massMessageGrouped) are `skipped` and stay in the mailbox."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisation.models import User
from registry.channels.edoreczenia.client import Client, ClientError, Config, StillTransferring
from registry.channels.edoreczenia.mapping import MappingError, map_message
from registry.models import Channel, ChannelImport, DocumentKind, Form
from registry.services import correspondents
from registry.services.deliveries import find_existing, register_delivery
from registry.services.documents import add_document
from registry.services.files import removing_files_on_error

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
SCAN_FACTOR = 5
MAX_SCAN = 2000  # the most ids the UA API lists in one call
NOT_DELIVERIES = {"Evidence", "Stub", "massMessageGrouped"}


def import_user() -> User:
    """The account the automatic import registers as (inactive: it cannot log in)."""
    user, created = User.objects.get_or_create(
        username=settings.EDORECZENIA_IMPORT_USER,
        defaults={"first_name": "e-Doręczenia", "last_name": "import", "is_active": False,
                  "position_title": "import automatyczny"},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _pending_delay(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=1))


def _failure_delay(attempts: int) -> timedelta:
    return min(timedelta(minutes=5 * 2 ** max(attempts - 1, 0)), timedelta(hours=6))


def _text(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or exc.__class__.__name__


def import_mailbox(limit: int = 50, *, client: Client | None = None, heartbeat=None) -> Counter:
    """Import up to `limit` messages of the INBOX. Returns how many ended in each status. `heartbeat` is called
    after each message (the poll task extends its mailbox lock with it)."""
    own_client = client is None
    client = client or Client(Config.from_settings())
    try:
        user = import_user()
        outcome: Counter = Counter()
        # Look further than `limit`, so messages waiting for a later attempt never starve the new ones behind them.
        for message_id in client.list_inbox_ids(min(limit * SCAN_FACTOR, MAX_SCAN)):
            if outcome.total() - outcome["waiting"] >= limit:
                break
            try:
                status = import_message(client, message_id, user=user)
            except Exception as exc:  # one message never stops the others
                log.exception("e-Doręczenia message %s: unexpected error", message_id)
                _record_failure(client.config.ade, message_id, exc)
                status = ChannelImport.Status.FAILED
            outcome[status] += 1
            if heartbeat is not None:
                heartbeat()
        return outcome
    finally:
        if own_client:
            client.close()


def _record_failure(mailbox: str, message_id: str, exc: BaseException) -> None:
    row, _created = ChannelImport.objects.get_or_create(
        channel=Channel.EDORECZENIA, mailbox=mailbox, message_id=message_id[:200]
    )
    if row.status == ChannelImport.Status.IMPORTED:
        return
    row.attempts += 1  # counted here too, so an unexpected error cannot be retried for ever
    _failed(row, exc)


def _delete(client: Client, row: ChannelImport) -> None:
    try:
        client.delete_message(row.message_id)
    except ClientError as exc:
        # Registered but still in the mailbox: the next run sees it, finds the delivery and deletes it then.
        row.error = _("Registered, but deleting it from the mailbox failed: %(error)s") % {"error": exc}
    else:
        row.deleted_from_mailbox_at = timezone.now()
        row.error = ""


def import_message(client: Client, message_id: str, *, user) -> str:
    now = timezone.now()
    row, _created = ChannelImport.objects.get_or_create(
        channel=Channel.EDORECZENIA, mailbox=client.config.ade, message_id=message_id[:200]
    )
    if row.status == ChannelImport.Status.SKIPPED:
        return "waiting"

    # Registered already (by an earlier run whose delete failed, or by hand): never again; delete it now.
    existing = find_existing(channel=Channel.EDORECZENIA, external_id=message_id[:200])
    if existing is not None:
        if row.status != ChannelImport.Status.IMPORTED:
            row.status = ChannelImport.Status.DUPLICATE
        row.delivery = existing
        row.next_attempt_at = None
        _delete(client, row)
        row.save()
        return row.status

    if row.status in (ChannelImport.Status.PENDING, ChannelImport.Status.FAILED):
        if row.status == ChannelImport.Status.FAILED and row.attempts >= MAX_ATTEMPTS:
            return "waiting"
        if row.next_attempt_at and row.next_attempt_at > now:
            return "waiting"

    row.attempts += 1
    try:
        message = client.get_message(message_id)
    except StillTransferring:
        row.status = ChannelImport.Status.PENDING
        row.error = ""
        row.next_attempt_at = now + _pending_delay(row.attempts)
        row.save()
        return row.status
    except ClientError as exc:
        return _failed(row, exc)

    message_type = (message.get("messageControlData") or {}).get("messageType")
    if message_type in NOT_DELIVERIES:
        row.status = ChannelImport.Status.SKIPPED
        row.error = _("Not a delivery (message type %(type)s); left in the mailbox.") % {"type": message_type}
        row.next_attempt_at = None
        row.save()
        return row.status

    try:
        mapped = map_message(message, client)
    except (MappingError, ClientError, ValidationError) as exc:
        return _failed(row, exc)
    try:
        with removing_files_on_error(), transaction.atomic():
            sender = correspondents.get_or_create(mapped.sender_data)
            delivery, created = register_delivery(
                registered_by=user,
                channel=Channel.EDORECZENIA,
                form=Form.ELECTRONIC,
                received_at=mapped.received_at,
                subject=mapped.subject,
                sender=sender,
                sender_reference=mapped.sender_reference,
                remarks=mapped.remarks_text(),
                external_id=mapped.external_id,
                receipt_evidence=mapped.receipt_evidence,
                files=mapped.files,
            )
            if created and mapped.evidence_file is not None:
                add_document(
                    actor=user, title=_("Evidence of receipt E.1"), kind=DocumentKind.EVIDENCE,
                    upload=mapped.evidence_file, delivery=delivery,
                )
    except ValidationError as exc:
        return _failed(row, exc)
    finally:
        mapped.close()
    row.status = ChannelImport.Status.IMPORTED if created else ChannelImport.Status.DUPLICATE
    row.delivery = delivery
    row.next_attempt_at = None
    _delete(client, row)
    row.save()
    return row.status


def _failed(row: ChannelImport, exc: BaseException) -> str:
    row.status = ChannelImport.Status.FAILED
    row.error = _text(exc)[:5000]
    row.next_attempt_at = (
        timezone.now() + _failure_delay(row.attempts) if row.attempts < MAX_ATTEMPTS else None
    )
    row.save()
    log.warning("e-Doręczenia message %s not imported: %s", row.message_id, row.error)
    return row.status
