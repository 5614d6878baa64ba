"""The untidy part of the demo office: what a real office has besides tidy, assigned deliveries in cases.

Deliveries nobody has assigned yet (one per channel, no unit), substitutions in force, a confidential case with
named participants, an overdue and a suspended case, a case with a scanned letter (an image-only PDF, read by OCR),
a note with text, and outgoing letters prepared and sent. Everything goes through the services, so the metryka, the
workflow and the deadlines agree. Called by `load_demo` (once: a loaded demo is left as it is)."""

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from organisation.models import Substitution
from registry.demo import data
from registry.models import CaseStatus, DocumentKind, OutgoingChannel
from registry.services.cases import change_status, open_case
from registry.services.deliveries import record_outgoing, register_delivery
from registry.services.documents import add_document


def load(context) -> None:
    with transaction.atomic():
        _substitutions(context["users"])
        _unassigned(context)
        context["confidential_case"] = _confidential(context)
        context["overdue_case"] = _overdue(context)
        context["suspended_case"] = _suspended(context)


def _substitutions(users):
    today = timezone.localdate()
    for principal, substitute, first, last, reason, can_sign in data.SUBSTITUTIONS:
        substitution = Substitution(
            principal=users[principal], substitute=users[substitute], starts_on=today + dt.timedelta(days=first),
            ends_on=today + dt.timedelta(days=last), reason=reason, can_sign=can_sign, created_by=users["admin"],
        )
        substitution.full_clean()
        substitution.save()


def _register(context, subject, channel, form, sender_i, *, days_ago, unit=None, external_id="", text=None):
    received = timezone.now() - dt.timedelta(days=days_ago, hours=2)
    sender = context["correspondents"][sender_i]
    body = text or data.LETTER_TEXT.format(subject=subject, sender=sender.display_name)
    delivery, _created = register_delivery(
        registered_by=context["users"]["kancelaria"], channel=channel, form=form, received_at=received,
        subject=subject, sender=sender, addressed_unit=context["units"][unit] if unit else None,
        letter_date=(received - dt.timedelta(days=1)).date(), external_id=external_id,
        paper_location="SCH/2026/NOWE" if form == "paper" else "",
        files=[ContentFile(body.encode("utf-8"), name="pismo.txt")],
    )
    return delivery


def _unassigned(context):
    for n, (subject, channel, form, sender_i) in enumerate(data.UNASSIGNED):
        external = f"demo-unassigned-{n}" if channel in ("epuap", "edoreczenia") else ""
        _register(context, subject, channel, form, sender_i, days_ago=n, external_id=external)


def _confidential(context):
    users = context["users"]
    delivery = _register(
        context, "Zawiadomienie o samowoli budowlanej – dane zgłaszającego do wyłącznej wiadomości organu",
        "post", "paper", 6, days_ago=9, unit="RB",
    )
    return open_case(
        actor=users["referent_rb"], unit=context["units"]["RB"], jrwa_class=context["jrwa"]["6730"],
        title="Samowola budowlana przy ul. Kwiatowej (zgłoszenie poufne)", case_worker=users["referent_rb"],
        delivery=delivery, confidential=True, participants=[users["kierownik_rb"], users["radca"]],
    )


def _overdue(context):
    users = context["users"]
    delivery = _register(
        context, "Wniosek o wydanie zezwolenia na usunięcie drzew z działki nr 45/2", "post", "paper", 0,
        days_ago=75, unit="OŚ",
    )
    case = open_case(
        actor=users["referent_os"], unit=context["units"]["OŚ"], jrwa_class=context["jrwa"]["6131"],
        title="Zezwolenie na usunięcie trzech lip, dz. 45/2", case_worker=users["referent_os"], delivery=delivery,
    )
    add_document(actor=users["kancelaria"], title="Skan wniosku z podpisem", kind=DocumentKind.INCOMING,
                 upload=ContentFile(scanned_pdf(data.SCAN_LINES), name="skan-wniosku.pdf"), case=case)
    add_document(actor=users["referent_os"], title="Notatka z oględzin drzew", kind=DocumentKind.NOTE,
                 upload=ContentFile("Oględziny 12.11.2026: trzy lipy obumarłe, pnie spróchniałe, "
                                    "zagrożenie dla przechodniów. Potrzebna opinia dendrologa.".encode(),
                                    name="notatka-ogledziny.txt"), case=case)
    # A letter recorded in the outgoing register and not yet sent: the clerks' "prepared" pile.
    record_outgoing(actor=users["kancelaria"], recipient=delivery.sender, channel=OutgoingChannel.POST_REGISTERED,
                    subject="Wezwanie do uzupełnienia wniosku o opinię dendrologiczną", case=case)
    return case


def _suspended(context):
    users = context["users"]
    delivery = _register(
        context, "Wniosek o rozgraniczenie nieruchomości – działki 101/1 i 101/2", "edoreczenia", "electronic", 3,
        days_ago=30, unit="GN", external_id="demo-suspended-0",
    )
    case = open_case(
        actor=users["referent_gn"], unit=context["units"]["GN"], jrwa_class=context["jrwa"]["6831"],
        title="Rozgraniczenie działek 101/1 i 101/2", case_worker=users["referent_gn"], delivery=delivery,
    )
    record_outgoing(actor=users["kancelaria"], recipient=delivery.sender, channel=OutgoingChannel.EDORECZENIA,
                    subject="Zawiadomienie o wszczęciu postępowania rozgraniczeniowego", case=case,
                    sent_at=timezone.now() - dt.timedelta(days=25))
    return change_status(
        case, actor=users["referent_gn"], status=CaseStatus.SUSPENDED,
        remarks="Postępowanie zawieszone do czasu rozstrzygnięcia sprawy spadkowej (art. 97 § 1 pkt 4 KPA).",
        on_day=timezone.localdate() - dt.timedelta(days=12),
    )


def scanned_pdf(lines) -> bytes:
    """An A4 page at 150 dpi with the text drawn as pixels and no text layer, as a scanner makes it."""
    from PIL import Image, ImageDraw, ImageFont

    page = Image.new("L", (1240, 1754), 250)
    draw = ImageDraw.Draw(page)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 30)
    except OSError:  # no DejaVu on this machine: Pillow's own scalable font
        font = ImageFont.load_default(size=30)
    y = 160
    for line in lines:
        draw.text((140, y), line, fill=20, font=font)
        y += 48
    out = io.BytesIO()
    page.save(out, "PDF", resolution=150)
    return out.getvalue()
