"""Spis spraw (§ 27 IK): the register of cases of a unit and JRWA class, on screen, CSV or XLSX."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from registry import forms as f
from registry.access import scope_for
from registry.exports import csv_response, xlsx_response
from registry.models import Case, JrwaClass, JrwaVersion


def _case_register(request, form):
    d = form.cleaned_data
    qs = Case.objects.filter(unit=d["unit"]).select_related(
        "jrwa_class", "case_worker", "initiating_delivery__sender"
    )
    if d["jrwa"]:
        qs = qs.filter(jrwa_class__symbol__startswith=d["jrwa"])
    if d["year"]:
        qs = qs.filter(year=d["year"])
    if d["date_from"]:
        qs = qs.filter(started_on__gte=d["date_from"])
    if d["date_to"]:
        qs = qs.filter(started_on__lte=d["date_to"])
    qs = scope_for(request.user).cases(qs).order_by("jrwa_class__symbol", "year", "number")
    jrwa_class = None
    if d["jrwa"]:
        version = JrwaVersion.in_force(d["date_to"] or (timezone.datetime(d["year"], 12, 31).date()
                                                        if d["year"] else None)) or JrwaVersion.in_force()
        jrwa_class = JrwaClass.objects.filter(version=version, symbol=d["jrwa"]).first()
    rows = []
    for lp, case in enumerate(qs, start=1):
        letter = case.initiating_delivery
        rows.append({
            "lp": lp, "case": case, "number": case.number,
            "sender": letter.sender.display_name if letter and letter.sender else "",
            "sender_reference": letter.sender_reference if letter else "",
            "letter_date": letter.letter_date if letter else None,
        })
    period = str(d["year"]) if d["year"] else f"{d['date_from'] or '…'} – {d['date_to'] or '…'}"
    header = {"period": period, "generated": timezone.localtime(), "unit": d["unit"], "jrwa": d["jrwa"],
              "jrwa_class": jrwa_class}
    return header, rows


@login_required
def case_register(request):
    form = f.CaseRegisterForm(request.GET or None)
    header = rows = None
    if form.is_bound and form.is_valid():
        header, rows = _case_register(request, form)
        fmt = request.GET.get("format")
        if fmt in ("csv", "xlsx"):
            lines = [
                [_("Case list (spis spraw)")],
                [_("Year / period"), header["period"]],
                [_("Generated on"), header["generated"]],
                [_("Unit"), str(header["unit"])],
                [_("JRWA class symbol"), header["jrwa"] or _("all")],
                [_("JRWA class title"), header["jrwa_class"].title if header["jrwa_class"] else ""],
            ]
            columns = [_("No."), _("Case number"), _("Case sign"), _("Case title"), _("Sender"),
                       _("Sender's reference"), _("Letter date"), _("Start date"), _("Completion date"),
                       _("Case worker"), _("Remarks")]
            data = [
                [r["lp"], r["number"], r["case"].sign, r["case"].title, r["sender"], r["sender_reference"],
                 r["letter_date"], r["case"].started_on, r["case"].closed_on, str(r["case"].case_worker),
                 r["case"].closing_remarks]
                for r in rows
            ]
            name = f"spis-spraw-{header['unit'].symbol}-{header['jrwa'] or 'all'}-{header['period']}"
            name = "".join(c if c.isalnum() or c in "-_." else "-" for c in name)
            if fmt == "csv":
                return csv_response(f"{name}.csv", lines, columns, data)
            return xlsx_response(f"{name}.xlsx", _("Case list"), lines, columns, data)
    query = request.GET.copy()
    query.pop("format", None)
    return render(request, "registry/case_register.html", {
        "form": form, "header": header, "rows": rows, "query": query.urlencode(),
    })
