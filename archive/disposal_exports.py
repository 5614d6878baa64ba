"""The disposal list for the request to the state archive: PDF (reportlab, DejaVu) and XML (an own, documented
structure: there is no official schema for the spis dokumentacji niearchiwalnej)."""

import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from lxml import etree

from archive.exports import _esc, _register_fonts


def columns():
    return [_("No."), _("Case sign"), _("Title"), _("JRWA class"), _("Category"), _("Extreme dates"),
            _("Unit's review"), _("Decision")]


def rows(disposal):
    out = []
    for item in disposal.items.select_related("case__unit", "case__jrwa_class").order_by("position"):
        c = item.case
        out.append([item.position, c.sign, c.title, f"{c.jrwa_class.symbol} {c.jrwa_class.title}", item.category,
                    f"{c.started_on.isoformat()} – {c.closed_on.isoformat() if c.closed_on else ''}",
                    item.get_review_display(), item.get_decision_display()])
    return out


def as_xml(disposal) -> HttpResponse:
    root = etree.Element("spisDokumentacjiNiearchiwalnej", numer=disposal.sign,
                         sporzadzono=disposal.created_at.date().isoformat(), status=disposal.status)
    if disposal.ap_reference:
        etree.SubElement(root, "decyzjaArchiwum", znak=disposal.ap_reference,
                         data=disposal.ap_decided_on.isoformat() if disposal.ap_decided_on else "")
    for item in disposal.items.select_related("case__unit", "case__jrwa_class").order_by("position"):
        c = item.case
        pos = etree.SubElement(root, "pozycja", lp=str(item.position))
        for tag, value in [("znakSprawy", c.sign), ("tytul", c.title), ("komorka", c.unit.symbol),
                           ("symbolJrwa", c.jrwa_class.symbol), ("hasloJrwa", c.jrwa_class.title),
                           ("kategoria", item.category), ("dataWszczecia", c.started_on.isoformat()),
                           ("dataZakonczenia", c.closed_on.isoformat() if c.closed_on else ""),
                           ("ocenaKomorki", item.review), ("decyzja", item.decision)]:
            etree.SubElement(pos, tag).text = value
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    response = HttpResponse(body, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="brakowanie-{disposal.number}-{disposal.year}.xml"'
    return response


def as_pdf(disposal) -> HttpResponse:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _register_fonts()
    text = ParagraphStyle("text", fontName=regular, fontSize=8, leading=10)
    title = ParagraphStyle("title", fontName=bold, fontSize=13, leading=16, spaceAfter=4)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm,
                            topMargin=12 * mm, bottomMargin=12 * mm, lang="pl",
                            title=_("Disposal list %(sign)s") % {"sign": disposal.sign})
    story = [Paragraph(_("List of non-archival records for disposal no. %(sign)s") % {"sign": disposal.sign}, title)]
    if disposal.ap_reference:
        story.append(Paragraph(_esc(_("Decision of the state archive: %(ref)s of %(day)s") % {
            "ref": disposal.ap_reference, "day": disposal.ap_decided_on}), text))
    if disposal.protocol:
        story.append(Paragraph(_esc(disposal.protocol), text))
    story.append(Spacer(1, 4 * mm))
    data = [[Paragraph(f"<b>{_esc(c)}</b>", text) for c in columns()]]
    data += [[Paragraph(_esc(v), text) for v in row] for row in rows(disposal)]
    table = Table(data, repeatRows=1, colWidths=[10 * mm, 38 * mm, 70 * mm, 50 * mm, 18 * mm, 40 * mm, 25 * mm,
                                                 22 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6e6e6")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story.append(table)
    doc.build(story)
    response = HttpResponse(buffer.getvalue(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="brakowanie-{disposal.number}-{disposal.year}.pdf"'
    return response
