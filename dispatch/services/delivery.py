"""What comes back: the service's evidences (A.1 submitted, D.1 made available, E.1 received, failures, hybrid
H.*), kept as evidence documents of the item and the case; a returned paper ZPO; and the delivery date they give,
computed with its reasons (dispatch.dates), which then starts the party's terms and proposes the final date.

Polling is bounded: each shipment is asked again after 10 min, doubling up to 6 h, and not at all once its state is
final or DISPATCH_POLL_DAYS after it was sent (then a person is told in the reason)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from dispatch import dates
from dispatch.models import FINAL, Evidence, Shipment, State
from registry.channels.edoreczenia.client import Client, ClientError
from registry.models import Action, DocumentKind, OutgoingChannel, OutgoingItem
from registry.services.documents import add_document
from registry.services.files import removing_files_on_error
from registry.services.history import record

ORDER = [State.SUBMITTED, State.SENT, State.AWAITING, State.DELIVERED, State.DEEMED, State.UNDELIVERED]
FAILURE_CODES = {"A.2", "B.2", "B.3", "D.2", "D.3", "E.2"}
STATUS_STATES = {
    "Nadana": State.SUBMITTED, "Wysłana": State.SENT, "Czeka na doręczenie": State.AWAITING,
    "Doręczona": State.DELIVERED, "Uznana za doręczoną": State.DEEMED, "Niedoręczona": State.UNDELIVERED,
    "Odrzucona": State.UNDELIVERED,
}
CODE_NAMES = {
    "A.1": "dowód nadania (A.1)", "D.1": "udostępnienie w skrzynce (D.1)", "E.1": "dowód otrzymania (E.1)",
    "H.PN": "potwierdzenie nadania PUH (H.PN)", "H.EPO": "potwierdzenie odbioru PUH (H.EPO)", "ZPO": "zwrotka ZPO",
}


def normalise(code: str) -> str:
    """A1 → A.1, HEPO → H.EPO, BPWX → BP.WX (the yaml lists dot-less aliases)."""
    code = (code or "").upper()
    if "." in code:
        return code
    if code.startswith("BP"):
        return f"BP.{code[2:]}"
    if code.startswith("H"):
        return f"H.{code[1:]}"
    return f"{code[0]}.{code[1:]}" if len(code) == 2 else code


def _later(current: str, new: str) -> bool:
    if current in FINAL:
        return False
    if current not in ORDER:
        return True
    return ORDER.index(new) > ORDER.index(current)


def _local_day(when: dt.datetime) -> dt.date:
    return timezone.localtime(when).date()


def _actor(shipment):
    return shipment.queued_by or shipment.item.registered_by


# --- e-Doręczenia -----------------------------------------------------------------------------------------------
def poll(shipment_id: int, *, api: Client) -> str:
    """Ask the service about one sent message; store new evidences and move the state on."""
    with transaction.atomic():
        shipment = (
            Shipment.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("item__case", "item__document", "item__recipient", "queued_by", "item__registered_by")
            .filter(pk=shipment_id).first()
        )
        if shipment is None or shipment.state in FINAL:
            return "skipped"
        try:
            if not shipment.message_id and shipment.task_id:
                for row in api.get_send_task(shipment.task_id):
                    if row.get("messageId"):
                        shipment.message_id = row["messageId"]
                        OutgoingItem.objects.filter(pk=shipment.item_id).update(tracking_number=row["messageId"])
            if shipment.message_id:
                kind = "puh" if shipment.item.channel == OutgoingChannel.HYBRID else "purde"
                known = set(shipment.evidences.values_list("evidence_id", flat=True))
                for ev in sorted(api.get_evidences(shipment.message_id), key=lambda e: e.get("eventDate") or ""):
                    if ev.get("evidenceId") in known:
                        continue
                    data = api.get_evidence_file(ev["evidenceId"], kind)
                    _store_service_evidence(shipment, ev, data)
                for message in api.get_messages([shipment.message_id], fmt="metadata"):
                    status = (message.get("messageControlData") or {}).get("status")
                    _apply_status(shipment, status)
        except ClientError as exc:
            shipment.last_error = _("Asking the service failed: %(error)s") % {"error": exc}
        apply_deemed(shipment)
        _schedule(shipment)
        shipment.save()
    return shipment.state


def _schedule(shipment: Shipment) -> None:
    now = timezone.now()
    shipment.polls += 1
    if shipment.state in FINAL:
        shipment.next_poll_at = None
        return
    started = shipment.submitted_at or now
    if now - started > dt.timedelta(days=settings.DISPATCH_POLL_DAYS):
        shipment.next_poll_at = None
        shipment.last_error = _("No evidence of delivery after %(n)s days; the service is not asked any more. "
                                "Check the message in the mailbox.") % {"n": settings.DISPATCH_POLL_DAYS}
        return
    wait = dt.timedelta(minutes=min(10 * 2 ** min(shipment.polls - 1, 10), 360))
    if shipment.state == State.AWAITING and shipment.deemed_on:
        # No need to ask more often than daily while the 14 days run; once they end, the state moves by itself.
        wait = max(wait, dt.timedelta(hours=6))
    shipment.next_poll_at = now + wait


def _store_service_evidence(shipment: Shipment, ev: dict, data: bytes) -> Evidence:
    code = normalise(ev.get("type") or "")
    when = parse_datetime(ev.get("eventDate") or ev.get("createDate") or "") or timezone.now()
    item = shipment.item
    ext = "xml" if data.lstrip()[:1] == b"<" else "pdf" if data[:4] == b"%PDF" else "bin"
    document = None
    with removing_files_on_error():
        if item.case_id:
            document = add_document(
                actor=_actor(shipment), kind=DocumentKind.EVIDENCE, case=item.case,
                title=_("Evidence %(code)s of %(number)s") % {"code": code, "number": item.register_number},
                upload=ContentFile(data, name=f"dowod-{code.replace('.', '')}-{item.number}-{item.year}.{ext}"),
            )
    evidence = Evidence.objects.create(
        shipment=shipment, code=code, evidence_id=ev.get("evidenceId") or "", event_at=when, document=document,
        data={k: v for k, v in ev.items() if k in ("type", "eventDate", "createDate", "reasonId", "reasonDetails")},
    )
    _apply_evidence(shipment, evidence)
    return evidence


def _apply_evidence(shipment: Shipment, evidence: Evidence) -> None:
    code, when = evidence.code, evidence.event_at
    if code in ("A.1", "H.PN"):
        shipment.submitted_at = when
        _move(shipment, State.SUBMITTED, evidence)
    elif code == "B.1":
        _move(shipment, State.SENT, evidence)
    elif code == "D.1":
        shipment.available_at = when
        computed = dates.edoreczenia_deemed(_local_day(when), public_addressee=shipment.public_addressee)
        if computed:
            shipment.deemed_on = computed.day
            shipment.delivery_basis = computed.basis
        _move(shipment, State.AWAITING, evidence)
    elif code in ("E.1", "H.EPO"):
        shipment.received_at = when
        day = _local_day(when)
        if shipment.deemed_on and shipment.deemed_on < day:
            # Opened after the 14 days: the fiction already took effect (delivery on the deemed date).
            _delivered(shipment, shipment.deemed_on, State.DEEMED, evidence)
        else:
            basis = [{"rule": "receipt", "date": day.isoformat(), "what": CODE_NAMES.get(code, code)}]
            _delivered(shipment, day, State.DELIVERED, evidence, basis)
    elif code in FAILURE_CODES:
        reason = "; ".join(evidence.data.get("reasonDetails") or []) or code
        shipment.last_error = _("Not delivered (%(code)s): %(reason)s") % {"code": code, "reason": reason}
        _move(shipment, State.UNDELIVERED, evidence)


def _apply_status(shipment: Shipment, status: str | None) -> None:
    state = STATUS_STATES.get(status or "")
    if state is None:
        return
    if state == State.DEEMED:
        apply_deemed(shipment, force=True)
    elif state in (State.SUBMITTED, State.SENT, State.AWAITING) and _later(shipment.state, state):
        _move(shipment, state, None)
    elif state == State.UNDELIVERED and _later(shipment.state, state):
        shipment.last_error = shipment.last_error or _("The service reports the message as not delivered.")
        _move(shipment, state, None)


def apply_deemed(shipment: Shipment, *, force: bool = False, today: dt.date | None = None) -> bool:
    """After the 14 days from D.1 without E.1 the message is deemed delivered on the computed date."""
    today = today or timezone.localdate()
    if shipment.state != State.AWAITING or not shipment.deemed_on:
        return False
    if not force and today <= shipment.deemed_on:
        return False
    _delivered(shipment, shipment.deemed_on, State.DEEMED, None)
    return True


def _move(shipment: Shipment, state: str, evidence: Evidence | None) -> None:
    if not _later(shipment.state, state):
        return
    shipment.state = state
    item = shipment.item
    if state == State.UNDELIVERED:
        OutgoingItem.objects.filter(pk=item.pk).update(status=OutgoingItem.Status.RETURNED)
    if item.case_id:
        record(_actor(shipment), Action.DELIVERY_EVIDENCE,
               _("%(number)s: %(state)s%(evidence)s.") % {
                   "number": item.register_number, "state": State(state).label,
                   "evidence": f" ({CODE_NAMES.get(evidence.code, evidence.code)})" if evidence else ""},
               case=item.case, document=evidence.document if evidence else None,
               data={"outgoing": item.pk, "state": state})


def _delivered(shipment: Shipment, day: dt.date, state: str, evidence: Evidence | None, basis=None) -> None:
    if shipment.state in FINAL:
        return
    shipment.delivered_on = day
    if basis is not None:
        shipment.delivery_basis = basis
    shipment.state = state
    item = shipment.item
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59))) if state == State.DEEMED else (
        evidence.event_at if evidence and evidence.event_at else timezone.now())
    OutgoingItem.objects.filter(pk=item.pk).update(
        status=OutgoingItem.Status.DEEMED if state == State.DEEMED else OutgoingItem.Status.DELIVERED,
        delivered_at=at, evidence_kind=evidence.code if evidence else _("deemed delivery"),
        evidence=evidence.document if evidence and evidence.document_id else item.evidence,
    )
    if item.case_id:
        terms = dates.party_terms(day, item.document.kind if item.document_id else "")
        final_on = dates.proposed_final_on(terms)
        parts = [_("%(number)s: %(state)s on %(day)s.") % {
            "number": item.register_number, "state": State(state).label, "day": day.isoformat()}]
        parts += dates.explain(shipment.delivery_basis)
        for term in terms:
            parts.append(_("Term for the %(what)s (%(basis)s) ends on %(day)s.") % {
                "what": term.label, "basis": term.legal_basis, "day": term.ends_on.isoformat()})
        if final_on:
            parts.append(_("Proposed date the decision becomes final: %(day)s.") % {"day": final_on.isoformat()})
        record(_actor(shipment), Action.DELIVERY_EVIDENCE, " ".join(parts), case=item.case,
               document=evidence.document if evidence else None,
               data={"outgoing": item.pk, "state": state, "delivered_on": day.isoformat(),
                     "terms": {t.code: t.ends_on.isoformat() for t in terms},
                     "final_on": final_on.isoformat() if final_on else None})


# --- paper --------------------------------------------------------------------------------------------------------
def find_by_tracking(number: str) -> Shipment | None:
    number = "".join((number or "").split()).upper()
    if not number:
        return None
    return (Shipment.objects.select_related("item__case", "item__recipient", "item__document")
            .filter(item__tracking_number__iexact=number).first())


def set_tracking(shipment: Shipment, *, actor, number: str) -> Shipment:
    number = "".join((number or "").split()).upper()
    if not number:
        raise ValidationError({"tracking_number": _("Enter the tracking number.")})
    with transaction.atomic():
        taken = OutgoingItem.objects.filter(tracking_number__iexact=number).exclude(pk=shipment.item_id).first()
        if taken:
            raise ValidationError({"tracking_number": _("This tracking number is already on %(number)s.") % {
                "number": taken.register_number}})
        OutgoingItem.objects.filter(pk=shipment.item_id).update(tracking_number=number)
        shipment.item.tracking_number = number
        if shipment.item.case_id:
            record(actor, Action.DISPATCHED, _("%(number)s: tracking number %(tracking)s.") % {
                "number": shipment.item.register_number, "tracking": number},
                case=shipment.item.case, document=shipment.item.document)
    return shipment


RETURN_SIGNED, RETURN_NOTICES, RETURN_UNDELIVERED = "signed", "notices", "undelivered"


def record_return(shipment: Shipment, *, actor, outcome: str, signed_on=None, first_notice_on=None,
                  second_notice_on=None, scan=None, remarks="") -> Shipment:
    """A returned ZPO: signed by the addressee (art. 46), or two notices and not collected (art. 44: deemed
    delivered, date computed), or returned undelivered. The scan is kept as an evidence document."""
    with removing_files_on_error(), transaction.atomic():
        shipment = Shipment.objects.select_for_update(of=("self",)).select_related(
            "item__case", "item__document", "item__recipient", "queued_by", "item__registered_by").get(pk=shipment.pk)
        if shipment.state in FINAL:
            raise ValidationError(_("The return of this item is already recorded."))
        if shipment.item.channel in (OutgoingChannel.EDORECZENIA, OutgoingChannel.HYBRID):
            raise ValidationError(_("Electronic items get their evidences from the service."))
        sent_on = _local_day(shipment.submitted_at) if shipment.submitted_at else None
        today = timezone.localdate()
        for value in (signed_on, first_notice_on, second_notice_on):
            if value and ((sent_on and value < sent_on) or value > today):
                raise ValidationError(_("The dates must be between the day it was sent and today."))
        item = shipment.item
        document = None
        if scan is not None and item.case_id:
            document = add_document(actor=actor, kind=DocumentKind.EVIDENCE, case=item.case, upload=scan,
                                    title=_("Return receipt (ZPO) of %(number)s") % {"number": item.register_number})
        evidence = Evidence(shipment=shipment, code="ZPO", document=document, data={"outcome": outcome,
                                                                                     "remarks": remarks})
        if outcome == RETURN_SIGNED:
            if not signed_on:
                raise ValidationError({"signed_on": _("Enter the date of receipt written on the return receipt.")})
            evidence.event_at = timezone.make_aware(dt.datetime.combine(signed_on, dt.time(12)))
            evidence.save()
            basis = [{"rule": "receipt", "date": signed_on.isoformat(), "what": CODE_NAMES["ZPO"]}]
            _delivered(shipment, signed_on, State.DELIVERED, evidence, basis)
        elif outcome == RETURN_NOTICES:
            if not first_notice_on:
                raise ValidationError({"first_notice_on": _("Enter the date of the first notice.")})
            try:
                computed = dates.paper_deemed(first_notice_on, second_notice_on, shift=settings.DISPATCH_ART44_SHIFT)
            except dates.DeliveryDateError as exc:
                raise ValidationError({"second_notice_on": str(exc)}) from exc
            shipment.first_notice_on, shipment.second_notice_on = first_notice_on, second_notice_on
            shipment.deemed_on = computed.day
            shipment.delivery_basis = computed.basis
            evidence.event_at = timezone.make_aware(dt.datetime.combine(computed.day, dt.time(23, 59)))
            evidence.save()
            _delivered(shipment, computed.day, State.DEEMED, evidence)
        elif outcome == RETURN_UNDELIVERED:
            evidence.event_at = timezone.now()
            evidence.save()
            shipment.last_error = remarks or _("Returned undelivered.")
            _move(shipment, State.UNDELIVERED, evidence)
        else:
            raise ValidationError({"outcome": _("Choose what the return receipt says.")})
        shipment.save()
    return shipment


# --- the case -----------------------------------------------------------------------------------------------------
def case_summary(case) -> dict | None:
    """The latest delivery of the case's decision(s): date, party terms and the proposed final date."""
    shipments = list(
        Shipment.objects.filter(item__case=case, delivered_on__isnull=False).select_related("item__document")
    )
    if not shipments:
        return None
    # The decision becomes final after the last party's term: take the latest delivery.
    last = max(shipments, key=lambda s: s.delivered_on)
    terms = dates.party_terms(last.delivered_on, last.item.document.kind if last.item.document_id else "")
    return {"shipment": last, "delivered_on": last.delivered_on, "terms": terms,
            "final_on": dates.proposed_final_on(terms), "all_delivered": not Shipment.objects.filter(
                item__case=case, delivered_on__isnull=True).exclude(state=State.UNDELIVERED).exists()}


def close_case(case, *, actor, final_on: dt.date, remarks: str = ""):
    """Close the case once the decision is final, with the dates in the metryka."""
    from registry.models import CaseStatus
    from registry.services.cases import change_status

    summary = case_summary(case)
    if summary is None:
        raise ValidationError(_("Nothing of this case has been delivered yet."))
    if not summary["all_delivered"]:
        raise ValidationError(_("Some items of this case are still on their way."))
    if summary["final_on"] and final_on < summary["final_on"]:
        raise ValidationError({"final_on": _("The decision cannot be final before %(day)s.") % {
            "day": summary["final_on"].isoformat()}})
    if final_on > timezone.localdate():
        raise ValidationError({"final_on": _("The decision is not final yet.")})
    with transaction.atomic():
        record(actor, Action.OTHER,
               _("Decision final on %(final)s (delivered on %(delivered)s).") % {
                   "final": final_on.isoformat(), "delivered": summary["delivered_on"].isoformat()},
               case=case, data={"final_on": final_on.isoformat(),
                                "delivered_on": summary["delivered_on"].isoformat()})
        return change_status(case, actor=actor, status=CaseStatus.CLOSED, remarks=remarks, on_day=final_on)
