"""Pages of the deadlines module: the dashboard, exports and the deadline of one case. Thin: reads come from
`selectors`, writes from `services`."""

from __future__ import annotations

import csv
import functools
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deadlines import charts, selectors, services
from deadlines.forms import EndPeriodForm, ExcludedPeriodForm, ExtensionForm, FilterForm, KindForm
from deadlines.models import CaseDeadline, DeadlineState, ExcludedPeriod, Extension
from organisation.models import OrgUnit, Role, User
from registry.access import scope_for


def case_url(pk: int) -> str:
    """The case page: the registry's `registry:case-detail` once it exists, else /sprawy/<pk>/."""
    return _case_url_pattern() % pk


@functools.cache
def _case_url_pattern() -> str:
    try:
        return reverse("registry:case-detail", args=[987654321]).replace("987654321", "%d")
    except NoReverseMatch:
        return "/sprawy/%d/"


def _filter_form(request, audience):
    # Choices from the organisation, not from a scan of the deadlines: units the user may see and their people.
    if audience.all_units:
        units = OrgUnit.objects.filter(active=True)
        workers = User.objects.filter(is_active=True, memberships__role__in=[Role.CASE_WORKER, Role.HEAD])
    elif audience.own_only:
        units = OrgUnit.objects.filter(memberships__user_id__in=audience.user_ids)
        workers = User.objects.filter(pk__in=audience.user_ids)
    else:
        units = OrgUnit.objects.filter(pk__in=audience.unit_ids)
        workers = User.objects.filter(
            memberships__unit_id__in=audience.unit_ids, memberships__role__in=[Role.CASE_WORKER, Role.HEAD]
        )
    units = units.distinct().order_by("symbol").values("id", "symbol", "name")
    workers = workers.distinct().order_by("last_name", "first_name")
    form = FilterForm(
        request.GET or None, units=units, case_workers=[(u.pk, str(u)) for u in workers],
    )
    filters = selectors.Filters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.Filters(
            unit=data["unit"], case_worker=data["case_worker"], kind=data["kind"].pk if data["kind"] else None,
            bucket=data["bucket"] or None, q=data["q"].strip(),
        )
    return form, filters


def _worker_name(row) -> str:
    name = f'{row["case__case_worker__first_name"]} {row["case__case_worker__last_name"]}'.strip()
    return name or row["case__case_worker__username"]


@login_required
def dashboard(request):
    audience = selectors.audience_for(request.user)
    form, filters = _filter_form(request, audience)
    data = selectors.dashboard(request.user, filters)
    today = data["today"]
    paginator = Paginator(data["cases"], 50)
    paginator.count = data["totals"]["total"]  # known already: no COUNT(*) over the same rows again
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        {
            "deadline": d, "case": d.case, "url": case_url(d.case_id), "bucket": selectors.bucket_of(d, today),
            "days_left": (d.due_date - today).days,
        }
        for d in page
    ]
    for row in rows:
        row["bucket_label"] = selectors.BUCKET_LABELS[row["bucket"]]
    for row in data["by_case_worker"]:
        row["name"] = _worker_name(row)

    history = selectors.overdue_history(audience, filters, today=today)
    history_chart = charts.line_chart(
        [(date_format(day, "d.m"), value) for day, value in history],
        title=_("Overdue cases over the last 90 days"),
        desc=_("Number of overdue cases at the end of each day; the same data is in the table below the chart."),
    )
    months, rate_rows = selectors.on_time_rate(request.user, filters, today=today, audience=audience)
    rate_charts = [
        {
            **row,
            "chart": charts.bar_chart(
                [
                    (date_format(m, "m.y"), cell[2] if cell else None)
                    for m, cell in zip(months, row["cells"], strict=True)
                ],
                title=_("Cases closed on time in %(unit)s, by month") % {"unit": row["symbol"]},
                desc=_("Percentage of cases closed by their due date in each of the last 12 months; months with no "
                       "closed cases are marked with a dash. The table below gives the numbers."),
            ),
        }
        for row in rate_rows
    ]
    query = request.GET.copy()
    query.pop("page", None)
    summary_query = query.copy()
    summary_query.pop("bucket", None)
    return render(request, "deadlines/dashboard.html", {
        "form": form,
        "today": today,
        "audience": audience,
        "totals": data["totals"],
        "by_unit": data["by_unit"],
        "by_case_worker": data["by_case_worker"],
        "buckets": [(b, selectors.BUCKET_LABELS[b]) for b in selectors.BUCKETS],
        "summary": [(b, selectors.BUCKET_LABELS[b], data["totals"][b]) for b in selectors.BUCKETS],
        "page": page,
        "rows": rows,
        "history": history,
        "history_chart": history_chart,
        "months": months,
        "rate_rows": rate_charts,
        "query": query.urlencode(),
        "summary_query": summary_query.urlencode(),
    })


# --- export -------------------------------------------------------------------------------------------------------


def _export_rows(request):
    audience = selectors.audience_for(request.user)
    _form, filters = _filter_form(request, audience)
    today = timezone.localdate()
    visible = selectors.visible_deadlines(request.user, audience)
    qs = selectors.apply_filters(visible, filters, today).order_by("due_date", "case_id")
    header = [
        _("Case sign"), _("Title"), _("Unit"), _("Case worker"), _("Kind of deadline"), _("Start of the term"),
        _("Due date"), _("Days left"), _("Deadline state"), _("Link"),
    ]
    yield header
    base = request.build_absolute_uri("/").rstrip("/")
    labels = {b: str(label) for b, label in selectors.BUCKET_LABELS.items()}
    # Plain tuples, not model instances: ten times faster for 100,000 rows.
    rows = qs.values_list(
        "case_id", "case__sign", "case__title", "case__unit__symbol", "case__case_worker__first_name",
        "case__case_worker__last_name", "case__case_worker__username", "kind__name", "start_date", "due_date", "state",
    )
    for case_id, sign, title, unit, first, last, username, kind, start, due, state in rows.iterator(chunk_size=5000):
        bucket = selectors.bucket_for(due, state, today)
        yield [
            sign, title, unit, f"{first} {last}".strip() or username, kind, start, due, (due - today).days,
            labels[bucket], base + case_url(case_id),
        ]


class _Echo:
    def write(self, value):
        return value


def _safe_cell(value):
    # Spreadsheet formula injection: a text cell must not start with =, +, - or @.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


@login_required
def export(request, fmt):
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        writer = csv.writer(_Echo(), delimiter=";")

        def stream():
            yield "\ufeff"  # BOM: spreadsheet programs then read UTF-8
            for row in _export_rows(request):
                yield writer.writerow([_safe_cell(v) for v in row])

        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="terminy-{stamp}.csv"'
        return response
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Deadlines"))
        for row in _export_rows(request):
            sheet.append([_safe_cell(v) for v in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="terminy-{stamp}.xlsx"'
        return response
    raise PermissionDenied


# --- one case -----------------------------------------------------------------------------------------------------


def _deadline_for(request, case_pk) -> tuple[CaseDeadline, bool]:
    deadline = get_object_or_404(
        CaseDeadline.objects.select_related("case", "case__unit", "case__case_worker", "kind"), case_id=case_pk
    )
    scope = scope_for(request.user)
    if not scope.can_see_case(deadline.case):
        raise Http404  # as for a case that does not exist: a 403 would confirm that it does
    user = request.user
    can_edit = (
        user.is_superuser
        or deadline.case.case_worker_id in scope.user_ids
        or (user.has_role(Role.HEAD) and deadline.case.unit_id in scope.unit_ids)
        or user.has_role(Role.SECRETARY)
    )
    return deadline, can_edit


@login_required
def case_deadline(request, case_pk):
    deadline, can_edit = _deadline_for(request, case_pk)
    case = deadline.case
    forms = {"kind": KindForm(prefix="kind", initial={"kind": deadline.kind_id}),
             "period": ExcludedPeriodForm(prefix="period"),
             "end": EndPeriodForm(prefix="end", initial={"ends_on": timezone.localdate()}),
             "extension": ExtensionForm(prefix="ext", initial={"decided_on": timezone.localdate()})}
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        action = request.POST.get("action")
        prefix = {"kind": "kind", "period": "period", "end": "end", "extension": "ext"}.get(action)
        if prefix is None:
            raise PermissionDenied
        form_class = {"kind": KindForm, "period": ExcludedPeriodForm, "end": EndPeriodForm,
                      "extension": ExtensionForm}[action]
        form = form_class(request.POST, prefix=prefix)
        forms[action] = form
        if form.is_valid():
            data = form.cleaned_data
            try:
                if action == "kind":
                    services.change_kind(case, data["kind"], actor=request.user, reason=data["reason"])
                elif action == "period":
                    services.add_excluded_period(
                        case, actor=request.user, reason=data["reason"], starts_on=data["starts_on"],
                        ends_on=data["ends_on"], description=data["description"],
                    )
                elif action == "end":
                    period = get_object_or_404(ExcludedPeriod, pk=data["period"], deadline=deadline)
                    services.end_excluded_period(period, actor=request.user, ends_on=data["ends_on"])
                else:
                    extension = services.extend(
                        case, actor=request.user, new_date=data["new_date"], reason=data["reason"],
                        decided_on=data["decided_on"],
                    )
                    messages.success(request, _("The new date is recorded. Download the draft notice to the party "
                                                "below, check it and send it."))
                    return redirect(reverse("deadlines:case", args=[case.pk]) + f"#extension-{extension.pk}")
            except ValidationError as error:
                for field, errors in getattr(error, "message_dict", {"__all__": error.messages}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("The deadline is updated."))
                return redirect("deadlines:case", case_pk=case.pk)
    deadline.refresh_from_db()
    return render(request, "deadlines/case.html", {
        "deadline": deadline,
        "case": case,
        "case_url": case_url(case.pk),
        "can_edit": can_edit,
        "periods": deadline.excluded_periods.select_related("created_by"),
        "extensions": deadline.extensions.select_related("created_by", "notice_document"),
        "max_extended": services.max_extended_date(deadline),
        "bucket": selectors.BUCKET_LABELS[selectors.bucket_of(deadline, timezone.localdate())]
        if deadline.state != DeadlineState.CLOSED else None,
        "forms": forms,
        "history": case.history.filter(Q(action="deadline_set") | Q(action="deadline_changed")).order_by("at"),
    })


def _extension_for(request, pk) -> Extension:
    extension = get_object_or_404(Extension.objects.select_related("deadline__case", "deadline__kind"), pk=pk)
    _deadline, _can_edit = _deadline_for(request, extension.deadline.case_id)
    return extension


@login_required
def notice(request, pk):
    extension = _extension_for(request, pk)
    response = HttpResponse(
        services.notice_docx(extension),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{services.notice_filename(extension)}"'
    return response


@login_required
def notice_text(request, pk):
    extension = _extension_for(request, pk)
    response = HttpResponse(services.notice_text(extension), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{services.notice_filename(extension)[:-5]}.txt"'
    return response


@login_required
@require_POST
def save_notice(request, pk):
    extension = _extension_for(request, pk)
    _deadline, can_edit = _deadline_for(request, extension.deadline.case_id)
    if not can_edit:
        raise PermissionDenied
    services.save_notice_as_document(extension, actor=request.user)
    messages.success(request, _("The draft notice is saved in the case file."))
    return redirect(reverse("deadlines:case", args=[extension.deadline.case_id]) + f"#extension-{extension.pk}")


@login_required
def proposal(request):
    """JSON for the case-opening form: the kind of deadline proposed for a JRWA class and the letter's words.
    Reads only the JRWA in force and the kinds (neither is confidential); the words come from the page."""
    from deadlines.proposal import describe, propose
    from registry.forms.common import jrwa_from_text
    from registry.models import JrwaVersion

    jrwa_class = jrwa_from_text(request.GET.get("jrwa", "")[:300], JrwaVersion.in_force())
    texts = [request.GET.get("subject", "")[:500], request.GET.get("title", "")[:500]]
    found = propose(jrwa_class=jrwa_class if jrwa_class is not None and jrwa_class.is_leaf else None, texts=texts)
    return JsonResponse({
        "kind": found.kind.pk, "name": found.kind.name, "term": found.kind.term_label,
        "basis": found.kind.legal_basis, "source": found.source, "reason": found.reason,
        "text": describe(found),
    })
