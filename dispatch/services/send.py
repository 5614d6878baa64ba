"""Sending once. A clerk queues items (one or many); each moves waiting/failed → queued by a conditional UPDATE,
so of two clerks, a double click or a retried request exactly one queues it. A worker then claims it (queued →
sending, with a lease) — again one claim wins — and carries the send as far as it goes. A worker that dies leaves
the lease to run out; the periodic `resume` picks the item up and the channel's own reconciliation (e-Doręczenia:
the send key) makes sure nothing is sent twice. Server errors are retried with back-off, a bounded number of
times, then the item is left as failed for a person, with the reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch import edoreczenia
from dispatch.models import SENDABLE, Shipment, State
from dispatch.services.checks import preflight
from registry.models import Action, OutgoingChannel, OutgoingItem
from registry.services.history import record

LEASE = dt.timedelta(minutes=10)
ELECTRONIC = (OutgoingChannel.EDORECZENIA, OutgoingChannel.HYBRID)


@dataclass
class Queued:
    queued: list[int] = field(default_factory=list)
    already: list[int] = field(default_factory=list)
    refused: dict[int, list[str]] = field(default_factory=dict)


def retry_delay(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def queue(item_ids, *, actor) -> Queued:
    """Queue the items for sending. Paper items are handed to the post: they go into today's dispatch book."""
    result = Queued()
    for item_id in item_ids:
        shipment = (
            Shipment.objects.select_related("item__recipient", "item__case", "item__document")
            .filter(item_id=item_id).first()
        )
        if shipment is None:
            result.refused[item_id] = [_("This item is not waiting for dispatch.")]
            continue
        if shipment.state not in SENDABLE:
            result.already.append(item_id)
            continue
        problems = preflight(shipment)
        if problems:
            result.refused[item_id] = problems
            continue
        if _queue_one(shipment, actor):
            result.queued.append(item_id)
        else:
            result.already.append(item_id)
    return result


def _queue_one(shipment: Shipment, actor) -> bool:
    item = shipment.item
    now = timezone.now()
    paper = item.channel not in ELECTRONIC
    with transaction.atomic():
        won = Shipment.objects.filter(pk=shipment.pk, state__in=SENDABLE).update(
            state=State.SUBMITTED if paper else State.QUEUED, queued_by=actor, next_attempt_at=now,
            attempts=0, last_error="", submitted_at=now if paper else None,
        )
        if not won:
            return False
        if paper:
            OutgoingItem.objects.filter(pk=item.pk).update(status=OutgoingItem.Status.SENT, sent_at=now)
            text = _("%(number)s handed to the post (%(channel)s), in the dispatch book of %(day)s.") % {
                "number": item.register_number, "channel": item.get_channel_display(),
                "day": timezone.localdate(now).isoformat()}
        else:
            text = _("%(number)s queued for sending by %(channel)s to %(who)s.") % {
                "number": item.register_number, "channel": item.get_channel_display(), "who": item.recipient}
        if item.case_id:
            record(actor, Action.DISPATCHED, text, case=item.case, document=item.document,
                   data={"outgoing": item.pk, "channel": item.channel})
        if not paper:
            from dispatch.tasks import send_shipment

            send_shipment.delay_on_commit(shipment.pk)
    return True


def claim(shipment_id) -> Shipment | None:
    """queued (and due) → sending, or a sending item whose worker's lease ran out; None when someone else has it."""
    now = timezone.now()
    won = Shipment.objects.filter(
        Q(state=State.QUEUED, next_attempt_at__lte=now) | Q(state=State.SENDING, lease_until__lt=now),
        pk=shipment_id,
    ).update(state=State.SENDING, lease_until=now + LEASE, attempts=F("attempts") + 1)
    if not won:
        return None
    return Shipment.objects.select_related("item__recipient", "item__case", "item__document", "queued_by").get(
        pk=shipment_id)


def run(shipment_id, *, api=None) -> str:
    """One attempt of the worker. Returns the new state (or "skipped")."""
    shipment = claim(shipment_id)
    if shipment is None:
        return "skipped"
    problems = preflight(shipment)
    if problems:
        return _fail(shipment, " ".join(problems))

    def save(**fields):
        for name, value in fields.items():
            setattr(shipment, name, value)
        Shipment.objects.filter(pk=shipment.pk).update(**fields)

    own_client = api is None
    api = api or edoreczenia.client()
    try:
        edoreczenia.send(shipment, api, save)
    except edoreczenia.Permanent as exc:
        return _fail(shipment, str(exc))
    except edoreczenia.Transient as exc:
        if shipment.attempts >= settings.DISPATCH_SEND_ATTEMPTS:
            return _fail(shipment, _("The service did not accept the message after %(n)s attempts: %(error)s")
                         % {"n": shipment.attempts, "error": exc})
        Shipment.objects.filter(pk=shipment.pk, state=State.SENDING).update(
            state=State.QUEUED, next_attempt_at=timezone.now() + retry_delay(shipment.attempts),
            last_error=str(exc)[:2000], lease_until=None,
        )
        return State.QUEUED
    finally:
        if own_client:
            api.close()
    return _sent(shipment)


def _sent(shipment: Shipment) -> str:
    item = shipment.item
    now = timezone.now()
    with transaction.atomic():
        Shipment.objects.filter(pk=shipment.pk).update(
            state=State.SUBMITTED, lease_until=None, last_error="", next_poll_at=now, polls=0,
            submitted_at=now,
        )
        OutgoingItem.objects.filter(pk=item.pk).update(
            status=OutgoingItem.Status.SENT, sent_at=now, tracking_number=shipment.message_id or shipment.task_id,
        )
        if item.case_id:
            record(shipment.queued_by or item.registered_by, Action.DISPATCHED,
                   _("%(number)s sent by %(channel)s to %(who)s (message %(id)s).") % {
                       "number": item.register_number, "channel": item.get_channel_display(), "who": item.recipient,
                       "id": shipment.message_id or shipment.task_id},
                   case=item.case, document=item.document,
                   data={"outgoing": item.pk, "message_id": shipment.message_id, "task_id": shipment.task_id})
    return State.SUBMITTED


def _fail(shipment: Shipment, reason: str) -> str:
    item = shipment.item
    with transaction.atomic():
        Shipment.objects.filter(pk=shipment.pk).update(state=State.FAILED, last_error=reason[:2000], lease_until=None)
        if item.case_id:
            record(shipment.queued_by or item.registered_by, Action.DISPATCHED,
                   _("%(number)s was not sent: %(reason)s") % {"number": item.register_number, "reason": reason},
                   case=item.case, document=item.document, data={"outgoing": item.pk, "failed": True})
    return State.FAILED


def due_for_sending(limit: int = 200) -> list[int]:
    now = timezone.now()
    return list(
        Shipment.objects.filter(
            Q(state=State.QUEUED, next_attempt_at__lte=now) | Q(state=State.SENDING, lease_until__lt=now)
        ).order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    )
