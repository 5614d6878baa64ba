"""Metryka of a case (its history of actions) exported as CSV or XLSX."""

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _

from registry.exports import csv_response, xlsx_response
from registry.views.common import case_history, document_identifier, visible_case


def _metryka(case):
    header = [
        [_("Case metryka")],
        [_("Case sign"), case.sign],
        [_("Case title"), case.title],
        [_("Start date"), case.started_on],
    ]
    columns = [_("No."), _("Date of action"), _("Person"), _("Position"), _("Action"), _("Description"),
               _("Document identifier")]
    entries = case_history(case)
    rows = [
        [i, e.at, e.actor_name, e.actor_position, e.get_action_display(), e.description, document_identifier(e)]
        for i, e in enumerate(entries, start=1)
    ]
    return header, columns, rows


@login_required
def case_metryka_export(request, pk, fmt):
    _scope, case = visible_case(request, pk)
    header, columns, rows = _metryka(case)
    name = "metryka-" + case.sign.replace("/", "-")
    if fmt == "csv":
        return csv_response(f"{name}.csv", header, columns, rows)
    return xlsx_response(f"{name}.xlsx", _("Metryka"), header, columns, rows)
