"""The search page (/szukaj/), saved searches and the export of a result list."""

import csv
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from search.forms import KIND_CHOICES, SearchForm
from search.index.query import QuerySyntaxError
from search.index.service import facet_labels, search
from search.models import SavedSearch

EXPORT_LIMIT = 10_000
PARAMS = ("q", "kind", "unit", "jrwa", "date_from", "date_to", "channel", "sender", "case_worker", "status",
          "category", "year", "sort", "size")
OPTION_PARAMS = ("jrwa", "date_from", "date_to", "sort")
FACET_TITLES = {
    "kind": gettext_lazy("Record type"), "unit": gettext_lazy("Unit"), "jrwa": gettext_lazy("JRWA class"),
    "year": gettext_lazy("Year"), "channel": gettext_lazy("Channel"), "status": gettext_lazy("Status"),
    "category": gettext_lazy("Archival category"), "sender": gettext_lazy("Sender"),
    "case_worker": gettext_lazy("Case worker"),
}
FACET_PARAM = {"kind": "kind", "unit": "unit", "jrwa": "jrwa", "year": "year", "channel": "channel",
               "status": "status", "category": "category", "sender": "sender", "case_worker": "case_worker"}


def _query_string(data: QueryDict, drop=("cursor",)) -> str:
    pairs = [(k, v) for k in PARAMS if k not in drop for v in data.getlist(k) if v != ""]
    return urlencode(pairs)


def _facet_blocks(facets, data: QueryDict):
    blocks = []
    for name, values in facet_labels(facets).items():
        if not values:
            continue
        param = FACET_PARAM[name]
        selected = set(data.getlist(param))
        for v in values:
            v["selected"] = v["value"] in selected
        blocks.append({"name": name, "param": param, "title": FACET_TITLES[name], "values": values})
    return blocks


@login_required
def search_page(request):
    form = SearchForm(request.GET or None)
    context = {"form": form, "saved": request.user.saved_searches.all(), "kinds": dict(KIND_CHOICES),
               # the filter fields stay folded unless one is in use (or has an error), so results start higher
               "options_open": any(request.GET.get(k) for k in OPTION_PARAMS)
               or any(k in form.errors for k in OPTION_PARAMS)}
    if request.GET and form.is_valid():
        try:
            result = search(request.user, form.to_request())
        except QuerySyntaxError:
            form.add_error("q", _("The query is too long or has too many words."))
        else:
            qs = _query_string(request.GET)
            context.update(
                result=result,
                facets=_facet_blocks(result.facets, request.GET),
                query_string=qs,
                next_url=f"?{qs}&{urlencode({'cursor': result.next_cursor})}" if result.next_cursor else "",
                first_url=f"?{qs}" if request.GET.get("cursor") else "",
            )
    return render(request, "search/search.html", context)


@login_required
@require_POST
def save_search(request):
    name = (request.POST.get("name") or "").strip()[:200]
    query_string = (request.POST.get("query_string") or "")[:2000]
    if not name:
        messages.error(request, _("Give the saved search a name."))
    else:
        try:
            SavedSearch.objects.update_or_create(
                user=request.user, name=name, defaults={"query_string": query_string}
            )
            messages.success(request, _("Search “%(name)s” saved.") % {"name": name})
        except IntegrityError:
            messages.error(request, _("Could not save the search."))
    return redirect(reverse("search:page") + "?" + query_string)


@login_required
@require_POST
def delete_saved_search(request, pk):
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    saved.delete()
    messages.success(request, _("Saved search “%(name)s” deleted.") % {"name": saved.name})
    return redirect("search:page")


EXPORT_COLUMNS = [
    ("kind", gettext_lazy("Record type")),
    ("display_id", gettext_lazy("Number / sign")),
    ("title", gettext_lazy("Title / subject")),
    ("subtitle", gettext_lazy("Details")),
    ("date", gettext_lazy("Date")),
    ("status", gettext_lazy("Status")),
    ("url", gettext_lazy("Link")),
]


def export_rows(user, form):
    """All hits the user may see, newest first, up to EXPORT_LIMIT (keyset pages of 200)."""
    from registry.access import scope_for
    from search.index.backends import get_backend
    from search.index.service import record_url

    backend, scope = get_backend(), scope_for(user)
    req = form.to_request(sort=form.cleaned_data.get("sort") or "date", size=200, facets=False, cursor="")
    if req.sort == "relevance":
        req.sort = "date"
    kinds = dict(KIND_CHOICES)
    n = 0
    while n < EXPORT_LIMIT:
        result = backend.search(req, scope)
        for h in result.hits:
            yield [str(kinds.get(h.kind, h.kind)), h.display_id, h.title, h.subtitle, h.date.isoformat(),
                   h.fields.get("status", ""), user_url(record_url(h.kind, h.object_id))]
            n += 1
        if not result.next_cursor:
            return
        req.cursor = result.next_cursor


def user_url(path: str) -> str:
    from django.conf import settings

    return settings.SITE_URL.rstrip("/") + path if path else ""


@login_required
def export(request, fmt):
    form = SearchForm(request.GET)
    if not form.is_valid():
        return HttpResponse(_("Invalid search parameters."), status=400)
    header = [str(label) for _key, label in EXPORT_COLUMNS]
    rows = export_rows(request.user, form)
    if fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet(_("Results")[:31])
        ws.append(header)
        for row in rows:
            ws.append([_safe_cell(c) for c in row])
        response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = 'attachment; filename="wyniki-wyszukiwania.xlsx"'
        wb.save(response)
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="wyniki-wyszukiwania.csv"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe_cell(c) for c in row])
    return response


def _safe_cell(value):
    """No formula injection: a cell that starts like a formula is prefixed with an apostrophe."""
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
