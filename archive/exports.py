"""The spis zdawczo-odbiorczy as CSV, XLSX (registry's exports, with the formula guard) and PDF (reportlab with
DejaVu fonts for the Polish letters). Columns as domain.md § 6.1: no., case sign, JRWA title, case title, start and
end dates, number of documents, remarks."""

from __future__ import annotations

import io
from pathlib import Path

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.exports import csv_response, xlsx_response

FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]


def columns() -> list[str]:
    return [_("No."), _("Case sign"), _("JRWA classification title"), _("Title (short content)"),
            _("Start date"), _("End date"), _("Number of documents"), _("Remarks")]


def rows(handover, viewer_scope) -> list[list]:
    from registry.models import Case

    items = list(handover.items.select_related("case__jrwa_class").order_by("position"))
    visible_ids = None
    if viewer_scope is not None:
        visible_ids = set(viewer_scope.cases(Case.objects.filter(handover_items__handover=handover))
                          .values_list("pk", flat=True))
    out = []
    for item in items:
        case = item.case
        # A confidential case keeps its sign on the list; its title only for those who may see the case.
        visible = visible_ids is None or case.pk in visible_ids
        out.append([
            item.position, case.sign, case.jrwa_class.title,
            case.title if visible else _("(confidential case)"), case.started_on, case.closed_on,
            item.documents_count, item.remarks,
        ])
    return out


def header(handover) -> list[list]:
    lines = [
        [_("Handover list (spis zdawczo-odbiorczy)")],
        [_("Unit"), str(handover.unit)],
        [_("File"), handover.file_sign, f"{handover.jrwa_class.symbol} {handover.jrwa_class.title}"],
        [_("Categories"), handover.get_group_display()],
        [_("Status"), handover.get_status_display()],
    ]
    if handover.accession_number:
        lines.append([_("Accession number"), handover.accession_sign])
    if handover.storage_location:
        lines.append([_("Storage location of paper originals"), handover.storage_location])
    return lines


def filename(handover, ext: str) -> str:
    return f"spis-{handover.unit.symbol}-{handover.jrwa_class.symbol}-{handover.year}-{handover.group}.{ext}"


def as_csv(handover, scope) -> HttpResponse:
    return csv_response(filename(handover, "csv"), header(handover), columns(), rows(handover, scope))


def as_xlsx(handover, scope) -> HttpResponse:
    return xlsx_response(filename(handover, "xlsx"), _("Handover list"), header(handover), columns(),
                         rows(handover, scope))


REGULAR, BOLD = "ObiegArchiveSans", "ObiegArchiveSans-Bold"


def _register_fonts() -> tuple[str, str]:
    """DejaVu under names of our own, with the family mapping, so <b> works whatever else registered fonts."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = set(pdfmetrics.getRegisteredFontNames())
    if {REGULAR, BOLD} <= registered:
        return REGULAR, BOLD
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdfmetrics.registerFont(TTFont(REGULAR, str(regular)))
            pdfmetrics.registerFont(TTFont(BOLD, str(bold)))
            for name in (REGULAR, BOLD):
                addMapping(name, 0, 0, REGULAR)
                addMapping(name, 1, 0, BOLD)
                addMapping(name, 0, 1, REGULAR)
                addMapping(name, 1, 1, BOLD)
            return REGULAR, BOLD
    raise RuntimeError("DejaVu fonts are missing: apt-get install fonts-dejavu-core")


def as_pdf(handover, scope) -> HttpResponse:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _register_fonts()
    text = ParagraphStyle("text", fontName=regular, fontSize=8, leading=10)
    title = ParagraphStyle("title", fontName=bold, fontSize=13, leading=16, spaceAfter=4)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
        bottomMargin=12 * mm, title=_("Handover list %(file)s") % {"file": handover.file_sign}, lang="pl",
    )
    story = [Paragraph(_("Handover list (spis zdawczo-odbiorczy)"), title)]
    for line in header(handover)[1:]:
        story.append(Paragraph(f"<b>{_esc(line[0])}:</b> {' – '.join(_esc(v) for v in line[1:])}", text))
    story.append(Spacer(1, 4 * mm))
    data = [[Paragraph(f"<b>{_esc(c)}</b>", text) for c in columns()]]
    for row in rows(handover, scope):
        data.append([Paragraph(_esc(_fmt(v)), text) for v in row])
    widths = [10 * mm, 38 * mm, 55 * mm, 70 * mm, 20 * mm, 20 * mm, 18 * mm, 40 * mm]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story.append(table)
    story.append(Spacer(1, 10 * mm))
    story.append(Paragraph(
        _("Handed over by: ........................................   Taken over by: "
          "........................................   Date: %(day)s") % {"day": timezone.localdate().isoformat()},
        text,
    ))
    doc.build(story)
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename(handover, "pdf")}"'
    return response


def _fmt(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _esc(value) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
