"""From the approved letter to outgoing items: the registry clerk completes the "Wysyłka" task by choosing the
addressees (proposed: the case's parties and the senders of its deliveries), the channel of each (proposed by
`dispatch.channels.choose`; a different one needs a reason) and the documents to send. One outgoing register entry
and one shipment per addressee, in one transaction with the task."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from dispatch import channels
from dispatch.models import Shipment
from registry.models import Action, Correspondent, Delivery, Document
from registry.services.deliveries import record_outgoing
from registry.services.history import record
from workflow.services import acting


@dataclass
class Addressee:
    correspondent: Correspondent
    channel: str = ""  # empty: the proposed one
    reason: str = ""  # required when the channel is not the proposed one
    public: bool = False  # a public entity: no deemed delivery (its mailbox confirms receipt at once)


def proposed_addressees(case) -> list[Correspondent]:
    """The case's parties, then the senders of its deliveries, without duplicates (merged ones followed)."""
    found: dict[int, Correspondent] = {}
    for party in case.party_links.select_related("correspondent").order_by("pk"):
        found.setdefault(party.correspondent_id, party.correspondent)
    for delivery in Delivery.objects.filter(case=case, sender__isnull=False).select_related("sender"):
        found.setdefault(delivery.sender_id, delivery.sender)
    result = []
    for c in found.values():
        while c.merged_into_id:
            c = c.merged_into
        if c not in result:
            result.append(c)
    return result


def documents_to_send(process) -> list[Document]:
    """The approved document and the attachments sent on the route with it."""
    docs = [process.document]
    docs += list(Document.objects.filter(pk__in=process.attachments or [], case=process.case).order_by("pk"))
    return docs


def reply_to(case) -> tuple[str, str]:
    """(refToMessageId, threadId) when the case began with an e-Doręczenia letter: the answer joins its thread."""
    delivery = (
        Delivery.objects.filter(case=case, channel="edoreczenia").exclude(external_id="").order_by("received_at")
        .first()
    )
    if delivery is None:
        return "", ""
    thread = ((delivery.receipt_evidence or {}).get("message") or {}).get("threadId", "")
    return delivery.external_id, thread


def prepare(task_id, *, user, addressees: list[Addressee], documents: list[Document] | None = None) -> list[Shipment]:
    if not addressees:
        raise ValidationError({"addressees": _("Choose at least one addressee.")})
    with acting(task_id, user, "dispatch") as (activation, principal):
        process = activation.process
        case, document = process.case, process.document
        docs = documents or documents_to_send(process)
        if any(d.case_id != case.pk for d in docs):
            raise ValidationError({"documents": _("Only documents of this case can be sent.")})
        ref, thread = reply_to(case)
        shipments = []
        for a in addressees:
            proposal = channels.choose(a.correspondent)
            channel = a.channel or proposal.channel
            reason = a.reason.strip()
            if channel not in channels.SUPPORTED:
                raise ValidationError({"channel": _("Dispatch does not send through this channel.")})
            if channel != proposal.channel and not reason:
                raise ValidationError({"reason": _(
                    "%(who)s should get it by %(proposed)s; give the reason for another channel."
                ) % {"who": a.correspondent, "proposed": _channel_label(proposal.channel)}})
            problem = channels.address_problem(channel, a.correspondent, proposal.ade)
            if problem:
                raise ValidationError({"addressees": problem})
            item = record_outgoing(
                actor=user, recipient=a.correspondent, channel=channel, subject=document.title, case=case,
                document=document, on_behalf_of=principal,
            )
            shipment = Shipment.objects.create(
                item=item, channel_reason=reason or proposal.reason, ade=proposal.ade or a.correspondent.ade,
                postal_address=channels.postal_address(a.correspondent),
                public_addressee=a.public,
                ref_to_message_id=ref, thread_id=thread,
            )
            shipment.documents.set(docs)
            if reason:
                record(user, Action.DISPATCHED,
                       _("%(number)s: channel %(channel)s instead of %(proposed)s. Reason: %(reason)s")
                       % {"number": item.register_number, "channel": _channel_label(channel),
                          "proposed": _channel_label(proposal.channel), "reason": reason},
                       case=case, document=document, on_behalf_of=principal)
            shipments.append(shipment)
        activation.task.document_version = document.current_version
    return shipments


def _channel_label(channel: str) -> str:
    from registry.models import OutgoingChannel

    return str(OutgoingChannel(channel).label)


def change_channel(shipment: Shipment, *, user, channel: str, reason: str) -> Shipment:
    """A failed or waiting item switched to another channel, with the reason in the metryka."""
    from dispatch.models import SENDABLE

    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the change of channel.")})
    if channel not in channels.SUPPORTED:
        raise ValidationError({"channel": _("Dispatch does not send through this channel.")})
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update(of=("self",)).select_related("item__recipient", "item__case").get(
            pk=shipment.pk)
        item = shipment.item
        if shipment.state not in SENDABLE:
            raise ValidationError(_("Only an item waiting for dispatch or one that failed can change its channel."))
        if channel == item.channel:
            raise ValidationError({"channel": _("This is already the item's channel.")})
        ade = channels.lookup_ade(item.recipient) if channel in channels.ELECTRONIC else ""
        problem = channels.address_problem(channel, item.recipient, ade)
        if problem:
            raise ValidationError({"channel": problem})
        old = item.channel
        item.channel = channel
        item.save(update_fields=["channel"])
        shipment.ade = ade or shipment.ade
        shipment.channel_reason = reason
        shipment.postal_address = channels.postal_address(item.recipient)
        # A new channel is a new send: new key, nothing of the old attempt carried over.
        import uuid

        shipment.send_key = uuid.uuid4()
        shipment.draft_id = shipment.task_id = shipment.message_id = ""
        shipment.attempts = 0
        shipment.save()
        record(user, Action.DISPATCHED,
               _("%(number)s: channel changed from %(old)s to %(new)s. Reason: %(reason)s")
               % {"number": item.register_number, "old": _channel_label(old), "new": _channel_label(channel),
                  "reason": reason},
               case=item.case, document=item.document)
    return shipment
