"""Printable registers: the RPW (incoming) and the outgoing register for a day or a month, as PDF.

Rows are drawn while the queryset is read in chunks, and every finished page is written out at once
(`registry.pdfstream.StreamingCanvas`), so a month of thousands of entries never sits in memory – neither as rows
nor as pages (bench/register_pdf.py measures it). The file goes to a spooled temporary file that the view
streams to the browser.

Polish letters need a TrueType font (reportlab's built-in Helvetica has no "ł", "ą" or "ę"): DejaVu Sans, from
fonts-dejavu-core (`PDF_FONT_DIR`), is embedded (subset) in every file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from registry.pdfstream import StreamingCanvas

FONT, BOLD = "ObiegSans", "ObiegSans-Bold"
FONT_FILES = {FONT: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
SIZE, LEADING = 7.5, 9.2
MAX_LINES = 6  # a cell longer than this ends with "…" (the full text is in the system)
MARGIN = 12 * mm
PADDING = 1.4 * mm


def register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(settings.PDF_FONT_DIR)
    for name, file in FONT_FILES.items():
        path = folder / file
        if not path.exists():
            raise ImproperlyConfigured(
                f"{path} is missing: install fonts-dejavu-core or set PDF_FONT_DIR to a folder with {file}."
            )
        pdfmetrics.registerFont(TTFont(name, str(path)))


@dataclass(frozen=True)
class Column:
    label: str
    width: float  # share of the printable width


class RegisterPdf:
    """A table over as many landscape A4 pages as needed: the title on the first page, the column headings on
    every page, page numbers at the foot."""

    def __init__(self, out, *, title: str, period: str, columns: list[Column], notes: list[str] = ()):
        register_fonts()
        self.canvas = StreamingCanvas(out, landscape(A4))
        self.canvas.setTitle(f"{title} – {period}")
        self.canvas.setAuthor("Obieg")
        self.canvas.setSubject(title)
        self.width, self.height = landscape(A4)
        usable = self.width - 2 * MARGIN
        total = sum(c.width for c in columns)
        self.columns = columns
        self.widths = [usable * c.width / total for c in columns]
        self.title, self.period, self.notes = title, period, list(notes)
        self.page = 0
        self.rows = 0
        self.printed_at = date_format(timezone.localtime(), "j E Y, H:i")
        self._new_page()

    # --- layout ---------------------------------------------------------------------------------------------
    def _new_page(self) -> None:
        if self.page:
            self._footer()
            self.canvas.showPage()
        self.page += 1
        self.y = self.height - MARGIN
        c = self.canvas
        if self.page == 1:
            c.setFont(BOLD, 13)
            c.drawString(MARGIN, self.y - 13, self.title)
            self.y -= 19
            c.setFont(FONT, 9.5)
            c.drawString(MARGIN, self.y - 9.5, self.period)
            self.y -= 13
            for note in self.notes:
                for line in simpleSplit(note, FONT, 8, self.width - 2 * MARGIN):
                    c.setFont(FONT, 8)
                    c.drawString(MARGIN, self.y - 8, line)
                    self.y -= 10
            self.y -= 4
        else:
            c.setFont(FONT, 8)
            c.drawString(MARGIN, self.y - 8, f"{self.title} – {self.period}")
            self.y -= 13
        self._row([col.label for col in self.columns], bold=True, shade=True)

    def _footer(self) -> None:
        c = self.canvas
        c.setFont(FONT, 7)
        c.drawString(MARGIN, MARGIN / 2, _("Printed %(when)s from Obieg") % {"when": self.printed_at})
        c.drawRightString(self.width - MARGIN, MARGIN / 2, _("Page %(number)d") % {"number": self.page})

    def _cell_lines(self, text: str, width: float, font: str) -> list[str]:
        lines: list[str] = []
        for paragraph in (text or "").splitlines() or [""]:
            lines += simpleSplit(paragraph, font, SIZE, width - 2 * PADDING) or [""]
        if len(lines) > MAX_LINES:
            lines = lines[:MAX_LINES]
            lines[-1] = lines[-1][: max(len(lines[-1]) - 1, 0)] + "…"
        return lines

    def _row(self, values, *, bold=False, shade=False) -> None:
        font = BOLD if bold else FONT
        cells = [self._cell_lines(str(v), w, font) for v, w in zip(values, self.widths, strict=True)]
        height = max(len(lines) for lines in cells) * LEADING + 2 * PADDING
        if self.y - height < MARGIN + 6 and not bold:
            self._new_page()
        c = self.canvas
        top, x = self.y, MARGIN
        if shade:
            c.setFillGray(0.9)
            c.rect(MARGIN, top - height, sum(self.widths), height, stroke=0, fill=1)
            c.setFillGray(0)
        c.setLineWidth(0.4)
        c.setFont(font, SIZE)
        for lines, width in zip(cells, self.widths, strict=True):
            c.rect(x, top - height, width, height, stroke=1, fill=0)
            for index, line in enumerate(lines):
                c.drawString(x + PADDING, top - PADDING - SIZE - index * LEADING + 1, line)
            x += width
        self.y = top - height

    # --- use ------------------------------------------------------------------------------------------------
    def add(self, values) -> None:
        self._row(values)
        self.rows += 1

    def finish(self) -> None:
        if self.rows == 0:
            self.canvas.setFont(FONT, 9)
            self.canvas.drawString(MARGIN, self.y - 14, _("No entries in this period."))
        else:
            self.canvas.setFont(FONT, 8)
            self.canvas.drawString(MARGIN, max(self.y - 12, MARGIN), _("Entries: %(count)d") % {"count": self.rows})
        self._footer()
        self.canvas.save()


# --- the two registers ----------------------------------------------------------------------------------------


def _when(value: dt.datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def incoming_columns() -> list[Column]:
    # IK: ordinal number, date received, sender, sender's reference, date of the letter, title, to whom assigned,
    # number of attachments, additional information.
    return [
        Column(_("RPW number"), 9), Column(_("Date of receipt"), 8.5), Column(_("Sender (name and address)"), 17),
        Column(_("Sender's reference"), 9), Column(_("Letter date"), 7), Column(_("Subject"), 21),
        Column(_("Assigned to"), 10), Column(_("Attachments"), 7), Column(_("Remarks"), 16),
    ]


def incoming_row(d) -> list[str]:
    no_data = "brak danych"  # IK: what the clerk writes when the letter does not say
    sender = f"{d.sender}\n{d.sender.address_line}".strip() if d.sender_id else no_data
    assigned = d.assigned_unit.symbol if d.assigned_unit_id else (d.addressed_unit.symbol if d.addressed_unit_id
                                                                   else "")
    if d.assigned_to_id:
        assigned = f"{assigned}\n{d.assigned_to}".strip()
    remarks = [f"{d.get_channel_display()} ({d.get_form_display()})"]
    if d.posted_on:
        remarks.append(_("postmark %(day)s") % {"day": d.posted_on.isoformat()})
    if d.case_id:
        remarks.append(_("case %(sign)s") % {"sign": d.case.sign})
    if d.paper_location:
        remarks.append(d.paper_location)
    if d.remarks:
        remarks.append(d.remarks)
    return [
        d.rpw, _when(d.received_at), sender, d.sender_reference or no_data, _day(d.letter_date) or no_data,
        d.subject, assigned, str(d.paper_attachments + d.file_count), "\n".join(remarks),
    ]


def outgoing_columns() -> list[Column]:
    return [
        Column(_("Number"), 10), Column(_("Registered"), 8.5), Column(_("Recipient (name and address)"), 18),
        Column(_("Title"), 21), Column(_("Case sign"), 11), Column(_("Dispatch channel"), 11),
        Column(_("Date sent"), 8.5), Column(_("Tracking number / message identifier"), 11),
        Column(_("Delivery"), 11),
    ]


def outgoing_row(item) -> list[str]:
    recipient = f"{item.recipient}\n{item.recipient.address_line}".strip()
    delivery = item.get_status_display()
    if item.delivered_at:
        delivery += f"\n{_when(item.delivered_at)}"
    if item.evidence_kind:
        delivery += f"\n{item.evidence_kind}"
    return [
        item.register_number, _when(item.registered_at), recipient, item.subject,
        item.case.sign if item.case_id else "", item.get_channel_display(), _when(item.sent_at),
        item.tracking_number, delivery,
    ]


def write_register(out, *, title: str, period: str, columns, rows, notes=()) -> int:
    """Write the register to the file `out`; `rows` is an iterator of lists of strings. Returns the count."""
    pdf = RegisterPdf(out, title=title, period=period, columns=columns, notes=notes)
    for row in rows:
        pdf.add(row)
    pdf.finish()
    return pdf.rows
