"""Registering incoming deliveries (RPW) and the outgoing register."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from registry import signals
from registry.models import Action, Delivery, DocumentKind, OutgoingItem
from registry.services import numbering
from registry.services.documents import add_document
from registry.services.files import check_upload, removing_files_on_error
from registry.services.history import record
from registry.services.titles import delivery_document_title

# Clocks of scanners and clerks' PCs drift; a few minutes ahead is not "in the future".
CLOCK_SKEW = timedelta(minutes=5)


def find_existing(*, channel: str, external_id: str = "", idempotency_key: str = "") -> Delivery | None:
    if external_id:
        found = Delivery.objects.filter(channel=channel, external_id=external_id).first()
        if found:
            return found
    if idempotency_key:
        return Delivery.objects.filter(idempotency_key=idempotency_key).first()
    return None


def validate_delivery_dates(*, received_at, letter_date=None, posted_on=None) -> None:
    errors = {}
    if received_at is None:
        errors["received_at"] = _("Enter the date and time of receipt.")
    elif timezone.is_naive(received_at):
        # Guessing the zone would put a delivery received around a DST change, or sent by a system in UTC, an hour
        # off, and the KPA deadline counts from that moment.
        errors["received_at"] = _("Give the date and time of receipt with its time zone (e.g. 2025-03-14T09:30+01:00).")
    else:
        if received_at > timezone.now() + CLOCK_SKEW:
            errors["received_at"] = _("The date of receipt cannot be in the future.")
        received_day = timezone.localtime(received_at).date()
        if letter_date and letter_date > received_day:
            errors["letter_date"] = _("The letter cannot be dated after it was received.")
        if posted_on and posted_on > received_day:
            errors["posted_on"] = _("The postmark date cannot be after the date of receipt.")
    if errors:
        raise ValidationError(errors)


def register_delivery(
    *,
    registered_by,
    channel,
    form,
    received_at,
    subject,
    sender=None,
    addressed_unit=None,
    sender_reference="",
    letter_date=None,
    posted_on=None,
    paper_attachments=0,
    paper_location="",
    remarks="",
    external_id="",
    idempotency_key="",
    receipt_evidence=None,
    files=(),
) -> tuple[Delivery, bool]:
    """Register a delivery with its files. Returns (delivery, created).

    The same channel message (`external_id`) or the same client request (`idempotency_key`) registered twice
    gives the first delivery back, also when both requests race each other."""
    existing = find_existing(channel=channel, external_id=external_id, idempotency_key=idempotency_key)
    if existing:
        return existing, False
    if not (subject or "").strip():
        raise ValidationError({"subject": _("Enter the subject (write “brak danych” if it is unknown).")})
    validate_delivery_dates(received_at=received_at, letter_date=letter_date, posted_on=posted_on)
    if addressed_unit is not None and not addressed_unit.active:
        raise ValidationError({"addressed_unit": _("This unit is no longer active.")})
    # Read and check every file before anything is written.
    checked = [check_upload(f) for f in files]
    try:
        with removing_files_on_error(), transaction.atomic():
            year = timezone.localtime(received_at).year
            delivery = Delivery.objects.create(
                year=year,
                number=numbering.next_register_number(numbering.INCOMING, year),
                channel=channel,
                form=form,
                received_at=received_at,
                posted_on=posted_on,
                sender=sender,
                addressed_unit=addressed_unit,
                subject=subject.strip(),
                sender_reference=sender_reference,
                letter_date=letter_date,
                paper_attachments=paper_attachments,
                paper_location=paper_location,
                remarks=remarks,
                external_id=external_id,
                idempotency_key=idempotency_key,
                receipt_evidence=receipt_evidence or {},
                registered_by=registered_by,
            )
            record(
                registered_by, Action.DELIVERY_REGISTERED,
                _("Registered delivery %(rpw)s (%(channel)s) from %(sender)s: %(subject)s")
                % {
                    "rpw": delivery.rpw, "channel": delivery.get_channel_display(),
                    "sender": sender or _("unknown sender"), "subject": delivery.subject,
                },
                delivery=delivery,
            )
            for index, item in enumerate(checked):
                add_document(
                    actor=registered_by,
                    title=delivery_document_title(delivery, index),
                    kind=DocumentKind.INCOMING if index == 0 else DocumentKind.ATTACHMENT,
                    upload=None,
                    checked=item,
                    delivery=delivery,
                )
            signals.delivery_registered.send(sender=Delivery, delivery=delivery, actor=registered_by)
    except IntegrityError:
        # A concurrent request registered the same message first; ours rolled back with its number.
        existing = find_existing(channel=channel, external_id=external_id, idempotency_key=idempotency_key)
        if existing:
            return existing, False
        raise
    return delivery, True


def assign_delivery(delivery, *, actor, unit, assignee=None, note="", on_behalf_of=None, forwarded=False):
    """Record where a delivery goes (dekretacja): a unit, optionally a person in it."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        previous = delivery.assigned_unit
        delivery.assigned_unit = unit
        delivery.assigned_to = assignee
        if delivery.status == Delivery.Status.REGISTERED:
            delivery.status = Delivery.Status.ASSIGNED
        delivery.save(update_fields=["assigned_unit", "assigned_to", "status"])
        if forwarded:
            text = _("Forwarded from %(old)s to %(new)s. Reason: %(note)s") % {
                "old": previous.symbol if previous else "—", "new": unit.symbol, "note": note or "—"
            }
        else:
            text = _("Assigned to %(unit)s%(person)s. %(note)s") % {
                "unit": unit.symbol,
                "person": f" – {assignee}" if assignee else "",
                "note": note,
            }
        record(
            actor, Action.DELIVERY_FORWARDED if forwarded else Action.DELIVERY_ASSIGNED, text.strip(),
            delivery=delivery, on_behalf_of=on_behalf_of,
            data={"unit": unit.pk, "assignee": assignee.pk if assignee else None, "note": note},
        )
    return delivery


def record_outgoing(
    *, actor, recipient, channel, subject, case=None, document=None, sent_at=None, tracking_number="",
    on_behalf_of=None,
) -> OutgoingItem:
    """Register an outgoing item. Every action on it goes into the metryka: of its case, and through the entry's
    `outgoing_item` link also when it belongs to no case."""
    with transaction.atomic():
        when = sent_at or timezone.now()
        year = timezone.localtime(when).year
        item = OutgoingItem.objects.create(
            year=year,
            number=numbering.next_register_number(numbering.OUTGOING, year),
            case=case,
            document=document,
            recipient=recipient,
            channel=channel,
            subject=subject,
            status=OutgoingItem.Status.SENT if sent_at else OutgoingItem.Status.PREPARED,
            sent_at=sent_at,
            tracking_number=tracking_number,
            registered_by=actor,
        )
        record(
            actor, Action.DISPATCHED,
            _("Dispatch %(number)s to %(recipient)s by %(channel)s: %(subject)s")
            % {
                "number": item.register_number, "recipient": recipient,
                "channel": item.get_channel_display(), "subject": subject,
            },
            case=case, document=document, outgoing_item=item, on_behalf_of=on_behalf_of,
        )
    return item


def mark_sent(item: OutgoingItem, *, actor, sent_at=None, tracking_number="") -> OutgoingItem:
    """Only an item prepared for dispatch is sent. The same request twice (same or no tracking number) gives the
    item back unchanged; anything else on an item already sent or delivered is refused, never overwritten."""
    with transaction.atomic():
        item = OutgoingItem.objects.select_for_update().get(pk=item.pk)
        if item.status == OutgoingItem.Status.SENT and tracking_number in ("", item.tracking_number):
            return item
        if item.status != OutgoingItem.Status.PREPARED:
            raise ValidationError(
                _("%(number)s is already %(status)s; only an item prepared for dispatch can be marked as sent.")
                % {"number": item.register_number, "status": item.get_status_display()}
            )
        item.status = OutgoingItem.Status.SENT
        item.sent_at = sent_at or timezone.now()
        item.tracking_number = tracking_number or item.tracking_number
        item.save(update_fields=["status", "sent_at", "tracking_number"])
        record(
            actor, Action.DISPATCHED,
            _("Sent %(number)s (%(tracking)s).")
            % {"number": item.register_number, "tracking": item.tracking_number},
            case=item.case, document=item.document, outgoing_item=item,
        )
    return item


def record_delivery_evidence(
    item: OutgoingItem, *, actor, delivered_at, evidence_kind, evidence_file=None, deemed=False, returned=False
) -> OutgoingItem:
    """Evidence of delivery: e-Doręczenia evidence (e.g. E.1, or deemed delivery after D.1 + 14 days),
    the paper return receipt (zwrotka), or a return to sender."""
    with removing_files_on_error(), transaction.atomic():
        item = OutgoingItem.objects.select_for_update().get(pk=item.pk)
        if evidence_file is not None:
            if not item.case_id:
                # A document belongs to a case or a delivery; refused rather than dropped without a word.
                raise ValidationError({"evidence_file": _(
                    "%(number)s belongs to no case, so the scan cannot be kept with it. Record the evidence "
                    "without the file and keep the paper receipt, or register the item in its case."
                ) % {"number": item.register_number}})
            item.evidence = add_document(
                actor=actor, title=_("Evidence of delivery %(number)s") % {"number": item.register_number},
                kind=DocumentKind.EVIDENCE, upload=evidence_file, case=item.case,
            )
        item.delivered_at = delivered_at
        item.evidence_kind = evidence_kind
        if returned:
            item.status = OutgoingItem.Status.RETURNED
        else:
            item.status = OutgoingItem.Status.DEEMED if deemed else OutgoingItem.Status.DELIVERED
        item.save(update_fields=["delivered_at", "evidence_kind", "status", "evidence"])
        record(
            actor, Action.DELIVERY_EVIDENCE,
            _("Evidence for %(number)s: %(kind)s, %(status)s on %(date)s.")
            % {
                "number": item.register_number, "kind": evidence_kind, "status": item.get_status_display(),
                "date": timezone.localtime(delivered_at).strftime("%Y-%m-%d %H:%M") if delivered_at else "—",
            },
            case=item.case, document=item.evidence, outgoing_item=item,
        )
    return item
