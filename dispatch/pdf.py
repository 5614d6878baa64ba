"""Paper dispatch: envelopes/address labels (DL window position), the KPA return receipt (ZPO) per addressee and the
postal dispatch book (pocztowa książka nadawcza) of a day, as PDF (reportlab, DejaVu fonts for Polish letters);
the book also as a CSV file.

The ZPO follows the content of the KPA form (addressee, sender, case sign, the receipt with date and signature, the
two notices of art. 44, the return); the postal operator's own printed form and its layout are not reproduced.
The CSV has the columns of the printed book; Poczta Polska's import format for its sending software (Elektroniczny
Nadawca, an XML described in "Opis interfejsu wymiany danych o przesyłkach", POSTDATA) could not be verified here
(docs/channels.md)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils import timezone
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from dispatch.models import Shipment, State
from registry.models import OutgoingChannel

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
PAPER = (OutgoingChannel.POST_REGISTERED, OutgoingChannel.POST_ORDINARY, OutgoingChannel.COURIER)


@cache
def _fonts() -> tuple[str, str]:
    pdfmetrics.registerFont(TTFont("DejaVuSans", FONT_DIR + "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", FONT_DIR + "DejaVuSans-Bold.ttf"))
    return "DejaVuSans", "DejaVuSans-Bold"


def address_lines(shipment: Shipment) -> list[str]:
    a = shipment.postal_address or {}
    street = " ".join(p for p in [a.get("street"), a.get("building")] if p)
    if a.get("flat"):
        street += f"/{a['flat']}"
    town = " ".join(p for p in [a.get("postal_code"), a.get("city")] if p)
    lines = [a.get("name") or str(shipment.item.recipient), street, town]
    if (a.get("country") or "PL") != "PL":
        lines.append(a["country"])
    return [line for line in lines if line]


def sender_lines() -> list[str]:
    return [settings.OFFICE_NAME, *[p.strip() for p in settings.OFFICE_ADDRESS.split(",") if p.strip()]]


def _doc(pagesize=A4):
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=pagesize, pageCompression=1)
    c.setTitle("Obieg")
    c.setAuthor(settings.OFFICE_NAME)
    return buffer, c


def envelopes(shipments) -> bytes:
    """One DL envelope (220 × 110 mm) per addressee: sender top left, addressee in the window, sign and number."""
    regular, bold = _fonts()
    buffer, c = _doc((220 * mm, 110 * mm))
    for s in shipments:
        c.setFont(regular, 8)
        y = 100 * mm
        for line in sender_lines():
            c.drawString(10 * mm, y, line)
            y -= 4 * mm
        c.setFont(regular, 7)
        c.drawString(10 * mm, 12 * mm, f"{s.item.register_number}  {s.item.case.sign if s.item.case_id else ''}")
        if s.item.channel == OutgoingChannel.POST_REGISTERED:
            c.setFont(bold, 9)
            c.drawString(10 * mm, 70 * mm, "POLECONY ZA ZWROTNYM POTWIERDZENIEM ODBIORU (KPA)")
            if s.item.tracking_number:
                c.setFont(regular, 9)
                c.drawString(10 * mm, 64 * mm, s.item.tracking_number)
        c.setFont(bold, 11)
        y = 50 * mm
        for line in address_lines(s):
            c.drawString(110 * mm, y, line)
            y -= 6 * mm
        c.showPage()
    c.save()
    return buffer.getvalue()


def _box(c, x, y, w, h, title, regular, lines=()):
    c.rect(x, y, w, h)
    c.setFont(regular, 7)
    c.drawString(x + 2 * mm, y + h - 4 * mm, title)
    c.setFont(regular, 9)
    yy = y + h - 9 * mm
    for line in lines:
        c.drawString(x + 3 * mm, yy, line)
        yy -= 4.5 * mm


def return_receipts(shipments) -> bytes:
    """The return receipt (ZPO) for letters in administrative proceedings: one A4 page with two copies' content."""
    regular, bold = _fonts()
    buffer, c = _doc()
    width, height = A4
    for s in shipments:
        top = height - 15 * mm
        c.setFont(bold, 12)
        c.drawString(15 * mm, top, "POTWIERDZENIE ODBIORU")
        c.setFont(regular, 8)
        c.drawString(15 * mm, top - 5 * mm, "przesyłki w postępowaniu administracyjnym (art. 39, 44 i 46 KPA)")
        if s.item.tracking_number:
            c.setFont(bold, 10)
            c.drawRightString(width - 15 * mm, top, s.item.tracking_number)
        w = (width - 35 * mm) / 2
        _box(c, 15 * mm, top - 45 * mm, w, 35 * mm, "Adresat", regular, address_lines(s))
        _box(c, 20 * mm + w, top - 45 * mm, w, 35 * mm, "Nadawca (zwrot do)", regular, sender_lines())
        case_lines = [f"Znak sprawy: {s.item.case.sign if s.item.case_id else '—'}",
                      f"Nr w rejestrze przesyłek wychodzących: {s.item.register_number}"]
        _box(c, 15 * mm, top - 65 * mm, width - 30 * mm, 17 * mm, "Przesyłka", regular, case_lines)
        _box(c, 15 * mm, top - 110 * mm, width - 30 * mm, 42 * mm, "Potwierdzam odbiór przesyłki (art. 46 KPA)",
             regular, ["Data doręczenia: ...........................",
                       "Czytelny podpis odbiorcy: .............................................",
                       "[ ] adresat   [ ] pełnoletni domownik / sąsiad / dozorca (art. 43 KPA)",
                       "Podpis doręczającego: ............................."])
        _box(c, 15 * mm, top - 150 * mm, width - 30 * mm, 37 * mm, "Awizowanie (art. 44 KPA)", regular,
             ["Przesyłkę pozostawiono w placówce pocztowej na 14 dni.",
              "Pierwsze zawiadomienie: data ....................... podpis .....................",
              "Powtórne zawiadomienie: data ....................... podpis .....................",
              "Zwrot do nadawcy po upływie terminu odbioru: data ......................."])
        _box(c, 15 * mm, top - 175 * mm, width - 30 * mm, 22 * mm, "Inne przyczyny niedoręczenia", regular,
             ["[ ] adresat odmówił przyjęcia (art. 47 KPA)   [ ] adresat nieznany   [ ] inne: ................"])
        c.showPage()
    c.save()
    return buffer.getvalue()


@dataclass
class BookRow:
    number: int
    shipment: Shipment
    addressee: str
    address: str
    tracking_number: str
    kind: str
    remarks: str


def book_rows(day: dt.date) -> list[BookRow]:
    """Paper items handed to the post on `day` (by the time they were handed over)."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    end = start + dt.timedelta(days=1)
    shipments = (
        Shipment.objects.filter(item__channel__in=PAPER, submitted_at__gte=start, submitted_at__lt=end)
        .exclude(state__in=[State.WAITING, State.FAILED, State.QUEUED])
        .select_related("item__recipient", "item__case").order_by("submitted_at", "pk")
    )
    rows = []
    for n, s in enumerate(shipments, start=1):
        lines = address_lines(s)
        kind = "polecony ZPO" if s.item.channel == OutgoingChannel.POST_REGISTERED else s.item.get_channel_display()
        rows.append(BookRow(n, s, lines[0], ", ".join(lines[1:]), s.item.tracking_number, kind,
                            f"{s.item.register_number} {s.item.case.sign if s.item.case_id else ''}".strip()))
    return rows


def book_pdf(day: dt.date, rows: list[BookRow]) -> bytes:
    regular, bold = _fonts()
    buffer, c = _doc(landscape(A4))
    width, height = landscape(A4)
    cols = [("Lp.", 12), ("Adresat", 70), ("Dokładne miejsce doręczenia", 90), ("Nr nadawczy", 45),
            ("Rodzaj", 28), ("Uwagi (nr w rejestrze, znak sprawy)", 0)]
    cols[-1] = (cols[-1][0], (width / mm) - 30 - sum(w for _n, w in cols[:-1]))

    def header(page):
        c.setFont(bold, 12)
        c.drawString(15 * mm, height - 15 * mm, f"Książka nadawcza – {day.strftime('%d.%m.%Y')}")
        c.setFont(regular, 8)
        c.drawString(15 * mm, height - 20 * mm, "Nadawca: " + ", ".join(sender_lines()))
        c.drawRightString(width - 15 * mm, height - 15 * mm, f"strona {page}")
        x = 15 * mm
        c.setFont(bold, 8)
        for name, w in cols:
            c.drawString(x + 1 * mm, height - 28 * mm, name)
            x += w * mm
        c.line(15 * mm, height - 30 * mm, width - 15 * mm, height - 30 * mm)
        return height - 35 * mm

    page = 1
    y = header(page)
    c.setFont(regular, 8)
    for row in rows:
        if y < 25 * mm:
            c.showPage()
            page += 1
            y = header(page)
            c.setFont(regular, 8)
        x = 15 * mm
        for value, (_n, w) in zip([str(row.number), row.addressee, row.address, row.tracking_number, row.kind,
                                   row.remarks], cols, strict=True):
            text = value
            while text and pdfmetrics.stringWidth(text, regular, 8) > (w - 2) * mm:
                text = text[:-1]
            c.drawString(x + 1 * mm, y, text)
            x += w * mm
        y -= 6 * mm
    c.setFont(regular, 8)
    c.drawString(15 * mm, 15 * mm, f"Liczba przesyłek: {len(rows)}    Przyjęto (podpis i stempel placówki): "
                                   "...........................")
    c.showPage()
    c.save()
    return buffer.getvalue()


def book_csv(rows: list[BookRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Lp", "Adresat", "Ulica i numer", "Kod pocztowy", "Miejscowosc", "Kraj", "Numer nadawczy",
                     "Rodzaj", "Uwagi"])
    for row in rows:
        a = row.shipment.postal_address or {}
        street = " ".join(p for p in [a.get("street"), a.get("building")] if p)
        if a.get("flat"):
            street += f"/{a['flat']}"
        writer.writerow([row.number, row.addressee, street, a.get("postal_code", ""), a.get("city", ""),
                         a.get("country", "PL"), row.tracking_number, row.kind, row.remarks])
    # Windows-1250: what Polish office software and Excel open without an import wizard.
    return out.getvalue().encode("cp1250", errors="replace")
