"""`{% load archive_tags %}`: `{% case_retention case %}` (retention and custody panel for the case page) and
`{% nes_metadata document %}` (the 14 NES elements, for the document page)."""

from django import template

from archive import nes
from archive import retention as rules
from archive.models import CaseCustody, CaseRetention

register = template.Library()


@register.inclusion_tag("archive/_case_panel.html")
def case_retention(case):
    row = CaseRetention.objects.filter(case_id=case.pk).select_related("jrwa_class__version").first()
    custody = CaseCustody.objects.filter(case_id=case.pk).select_related("handover").first()
    return {
        "case": case, "retention": row, "custody": custody,
        "summary": rules.summary(row) if row else "", "why": rules.explain(row, row.jrwa_class) if row else [],
    }


@register.inclusion_tag("archive/_nes_metadata.html")
def nes_metadata(document, edit_link=True):
    return {"document": document, "elements": nes.elements(document), "edit_link": edit_link}
