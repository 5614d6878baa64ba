"""The archivist's pages (and the units' view of their transfers and loans). Thin: selectors read, services write.
Every record goes through `scope_for`; a record the user may not see answers 404, like a missing one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive import charts, exports, nes, selectors
from archive import forms as f
from archive import retention as rules
from archive.models import (
    ArchivePolicy,
    CaseRetention,
    DisposalList,
    HandoverList,
    HandoverStatus,
    Loan,
    LoanStatus,
)
from archive.permissions import is_archivist
from archive.services import handover as handover_services
from archive.services import loans as loan_services
from archive.services import metadata as metadata_services
from archive.services.custody import note_read
from archive.views_disposal import HoldForm
from registry.access import scope_for
from registry.exports import csv_response, xlsx_response
from registry.models import Document
from registry.views.common import paginate


def _errors(request, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)


def _visible_handovers(user):
    qs = HandoverList.objects.select_related("unit", "jrwa_class", "prepared_by", "decided_by")
    if is_archivist(user):
        return qs
    return qs.filter(unit_id__in=scope_for(user).unit_ids)


def _handover(request, pk) -> HandoverList:
    return get_object_or_404(_visible_handovers(request.user), pk=pk)


def _archived_case(request, pk):
    return get_object_or_404(selectors.archived_cases(request.user).select_related("unit", "jrwa_class__version",
                                                                                   "case_worker"), pk=pk)


@login_required
def dashboard(request):
    user = request.user
    today = timezone.localdate()
    holdings = selectors.holdings_by_category_and_year(user)
    due = selectors.due_for_transfer(user, today)
    context = {
        "today": today,
        "is_archivist": is_archivist(user),
        "held": selectors.archived_cases(user).count(),
        "due_files": len(due),
        "due_cases": sum(d["due"] for d in due),
        "awaiting_check": _visible_handovers(user).filter(status=HandoverStatus.SUBMITTED).count(),
        "loans_open": selectors.loans(user, status=LoanStatus.LENT).count(),
        "loans_requested": selectors.loans(user, status=LoanStatus.REQUESTED).count(),
        "loans_overdue": selectors.overdue_count(user, today),
        "eligible": selectors.eligible_for_disposal(user, today).count(),
        "holdings": holdings,
        "holdings_rows": [
            (year, [holdings["counts"].get((kind, year), 0) for kind in holdings["kinds"]])
            for year in holdings["years"]
        ],
        "chart": charts.holdings_chart(holdings),
    }
    return render(request, "archive/dashboard.html", context)


@login_required
def due(request):
    rows = selectors.due_for_transfer(request.user)
    unit_ids = scope_for(request.user).unit_ids
    for row in rows:
        row["may_prepare"] = request.user.is_superuser or row["unit_id"] in unit_ids
    return render(request, "archive/due.html", {"rows": rows, "policy": ArchivePolicy.current()})


@login_required
@require_POST
def handover_prepare(request):
    form = f.PrepareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The file to list was not recognised."))
        return redirect("archive:due")
    d = form.cleaned_data
    try:
        handover = handover_services.prepare(actor=request.user, unit=d["unit"], jrwa_class=d["jrwa_class"],
                                             year=d["year"], group=d["group"])
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("archive:due")
    messages.success(request, _("Handover list of file %(file)s prepared.") % {"file": handover.file_sign})
    return redirect("archive:handover-detail", pk=handover.pk)


@login_required
def handover_list(request):
    status = request.GET.get("status", "")
    qs = _visible_handovers(request.user).annotate(n=Count("items"))
    if status in HandoverStatus.values:
        qs = qs.filter(status=status)
    page, query = paginate(request, qs.order_by("-prepared_at", "-pk"))
    return render(request, "archive/handover_list.html", {
        "page": page, "query": query, "status": status, "statuses": HandoverStatus.choices,
    })


@login_required
def accessions(request):
    qs = _visible_handovers(request.user).filter(status=HandoverStatus.ACCEPTED).annotate(n=Count("items"))
    page, query = paginate(request, qs.order_by("-accession_year", "-accession_number"))
    return render(request, "archive/accessions.html", {"page": page, "query": query})


@login_required
def handover_detail(request, pk):
    handover = _handover(request, pk)
    scope = scope_for(request.user)
    archivist = is_archivist(request.user)
    flags = handover_services.check(handover)
    flags_by_case: dict[int, list] = {}
    for flag in flags:
        flags_by_case.setdefault(flag.case_id, []).append(flag)
    items = []
    for row, item in zip(exports.rows(handover, scope), handover.items.order_by("position"), strict=True):
        items.append({"row": row, "case_id": item.case_id, "flags": flags_by_case.get(item.case_id, [])})
    listed = {i["case_id"] for i in items}
    return render(request, "archive/handover_detail.html", {
        "handover": handover, "items": items, "columns": exports.columns(),
        "flags": flags, "other_flags": [fl for fl in flags if fl.case_id not in listed],
        "blocking": any(fl.blocking for fl in flags),
        "is_archivist": archivist,
        "may_prepare": handover_services.may_prepare(request.user, handover.unit),
        "accept_form": f.AcceptForm(), "return_form": f.ReturnForm(),
    })


@login_required
@require_POST
def handover_action(request, pk, action):
    handover = _handover(request, pk)
    try:
        if action == "refresh":
            handover_services.refresh(actor=request.user, handover=handover)
            messages.success(request, _("The list was brought up to date."))
        elif action == "submit":
            handover_services.submit(actor=request.user, handover=handover)
            messages.success(request, _("The list was submitted to the archive."))
        elif action == "accept":
            form = f.AcceptForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Check the storage location and the remarks."))
            handover = handover_services.accept(actor=request.user, handover=handover, **form.cleaned_data)
            messages.success(request, _("Accepted as accession %(number)s.") % {"number": handover.accession_sign})
        elif action == "return":
            form = f.ReturnForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Say what must be corrected."))
            handover_services.return_list(actor=request.user, handover=handover, **form.cleaned_data)
            messages.success(request, _("The list was returned to the unit."))
        else:
            raise Http404
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not do this."))
    return redirect("archive:handover-detail", pk=handover.pk)


@login_required
def handover_export(request, pk, fmt):
    handover = _handover(request, pk)
    scope = scope_for(request.user)
    if fmt == "pdf":
        return exports.as_pdf(handover, scope)
    if fmt == "xlsx":
        return exports.as_xlsx(handover, scope)
    return exports.as_csv(handover, scope)


@login_required
def archived_case(request, pk):
    case = _archived_case(request, pk)
    note_read(request.user, case)
    archivist = is_archivist(request.user)
    retention = CaseRetention.objects.filter(case=case).select_related("jrwa_class__version").first()
    documents = list(nes.documents_for_nes(Document.objects.filter(case=case)).order_by("created_at", "pk"))
    custody = selectors.custody_of(case)
    # Someone who sees the case (a participant, the secretary) may not see its unit's handover list: no dead link.
    handover_visible = bool(custody) and _visible_handovers(request.user).filter(pk=custody.handover_id).exists()
    return render(request, "archive/case.html", {
        "case": case, "custody": custody, "handover_visible": handover_visible, "retention": retention,
        "why": rules.explain(retention, retention.jrwa_class) if retention else [],
        "summary": rules.summary(retention) if retention else "",
        "loans": case.loans.select_related("borrower", "decided_by").order_by("-requested_at"),
        "documents": [(d, nes.elements(d)) for d in documents],
        "loan_form": f.LoanRequestForm(archivist=archivist), "storage_form": f.StorageForm(),
        "hold_form": HoldForm(initial={"reason": getattr(custody, "legal_hold", "")}),
        "is_archivist": archivist,
    })


@login_required
@require_POST
def storage(request, pk):
    case = _archived_case(request, pk)
    form = f.StorageForm(request.POST)
    if form.is_valid():
        try:
            handover_services.set_storage_location(actor=request.user, case=case,
                                                   location=form.cleaned_data["location"])
        except PermissionDenied:
            messages.error(request, _("Only the archivist manages the storage locations."))
        else:
            messages.success(request, _("Storage location saved."))
    return redirect("archive:case", pk=case.pk)


@login_required
@require_POST
def loan_request(request, pk):
    case = _archived_case(request, pk)
    form = f.LoanRequestForm(request.POST, archivist=is_archivist(request.user))
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                messages.error(request, f"{form.fields[field].label}: {error}" if field in form.fields else error)
        return redirect("archive:case", pk=case.pk)
    d = form.cleaned_data
    try:
        loan = loan_services.request_loan(actor=request.user, case=case, purpose=d["purpose"], due_on=d["due_on"],
                                          borrower=d.get("borrower"))
        if is_archivist(request.user) and loan.status == LoanStatus.REQUESTED:
            loan_services.approve(actor=request.user, loan=loan)
            messages.success(request, _("The file was lent."))
        else:
            messages.success(request, _("Your request was sent to the archive."))
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("archive:case", pk=case.pk)


@login_required
def loan_list(request):
    form = f.LoanFilterForm(request.GET or None)
    status, overdue = "", False
    if form.is_valid():
        status, overdue = form.cleaned_data["status"], form.cleaned_data["overdue"]
    today = timezone.localdate()
    qs = selectors.loans(request.user, status=status, overdue=overdue, today=today)
    if not is_archivist(request.user):
        qs = qs.filter(Q(borrower=request.user) | Q(case__unit_id__in=scope_for(request.user).unit_ids))
    page, query = paginate(request, qs)
    return render(request, "archive/loans.html", {
        "form": form, "page": page, "query": query, "today": today, "is_archivist": is_archivist(request.user),
        "refuse_form": f.RefuseForm(), "return_form": f.ReturnLoanForm(initial={"on_day": today}),
        "overdue_count": selectors.overdue_count(request.user, today),
    })


@login_required
@require_POST
def loan_action(request, pk, action):
    loan = get_object_or_404(Loan.objects.filter(case__in=selectors.visible_cases(request.user)), pk=pk)
    try:
        if action == "approve":
            loan_services.approve(actor=request.user, loan=loan)
            messages.success(request, _("The file was lent."))
        elif action == "refuse":
            form = f.RefuseForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give the reason for the refusal."))
            loan_services.refuse(actor=request.user, loan=loan, remarks=form.cleaned_data["remarks"])
            messages.success(request, _("The request was refused."))
        elif action == "return":
            form = f.ReturnLoanForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Enter the date of the return."))
            loan_services.mark_returned(actor=request.user, loan=loan, on_day=form.cleaned_data["on_day"])
            messages.success(request, _("The return was recorded."))
        else:
            raise Http404
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    return redirect("archive:loans")


@login_required
def inventory(request):
    form = f.InventoryFilterForm(request.GET or None)
    params = form.cleaned_data if form.is_valid() else {}
    rows = selectors.inventory(request.user, unit=params.get("unit") and params["unit"].pk,
                               symbol=params.get("symbol") or "", year=params.get("year"))
    return render(request, "archive/inventory.html", {"form": form, "rows": rows,
                                                      "total": sum(r["n"] for r in rows)})


@login_required
def calendar(request):
    archived_only = request.GET.get("zasob") == "1"
    rows = selectors.retention_calendar(request.user, archived_only=archived_only)
    return render(request, "archive/calendar.html", {
        "rows": rows, "archived_only": archived_only, "today": timezone.localdate(),
        "chart": charts.calendar_chart(rows),
    })


def _disposal_columns():
    return [_("Case sign"), _("Title"), _("JRWA class"), _("Category"), _("Completion date"),
            _("Eligible for disposal from"), _("Accession")]


@login_required
def disposal(request, fmt=None):
    today = timezone.localdate()
    eligible = selectors.eligible_for_disposal(request.user, today)
    if fmt:
        # Plain tuples: the export may hold tens of thousands of files.
        rows = [[sign, title, f"{symbol} {jrwa}", category, closed, eligible_from,
                 f"{number}/{year}" if number else ""]
                for sign, title, symbol, jrwa, category, closed, eligible_from, number, year in eligible.values_list(
                    "sign", "title", "jrwa_class__symbol", "jrwa_class__title", "retention__category", "closed_on",
                    "retention__eligible_from", "custody__handover__accession_number",
                    "custody__handover__accession_year")]
        header = [[_("Files eligible for disposal"), today]]
        if fmt == "xlsx":
            return xlsx_response("brakowanie.xlsx", _("Eligible for disposal"), header, _disposal_columns(), rows)
        return csv_response("brakowanie.csv", header, _disposal_columns(), rows)
    page, query = paginate(request, eligible)
    return render(request, "archive/disposal.html", {
        "page": page, "query": query, "today": today, "is_archivist": is_archivist(request.user),
        "review": selectors.due_for_review(request.user, today)[:200],
        "lists": DisposalList.objects.annotate(n=Count("items")).order_by("-year", "-number")[:20],
    })


@login_required
def search(request):
    form = f.ArchiveSearchForm(request.GET or None)
    page = query = None
    if form.is_valid() and any(form.cleaned_data.values()):
        d = form.cleaned_data
        qs = selectors.search_archive(request.user, q=d["q"], unit=d["unit"] and d["unit"].pk, symbol=d["symbol"],
                                      year=d["year"], category=d["category"])
        page, query = paginate(request, qs)
    return render(request, "archive/search.html", {"form": form, "page": page, "query": query})


def _document(request, pk):
    scope = scope_for(request.user)
    qs = scope.documents(nes.documents_for_nes(Document.objects.all()))
    return get_object_or_404(qs, pk=pk)


def _may_edit_metadata(user, document) -> bool:
    from registry.views.common import can_work_on_case

    if is_archivist(user):
        return True
    if document.case is None:
        return document.delivery is not None and (user.is_superuser or document.delivery.registered_by_id == user.pk)
    return can_work_on_case(user, scope_for(user), document.case)


@login_required
def document_metadata(request, pk):
    document = _document(request, pk)
    may_edit = _may_edit_metadata(request.user, document)
    meta = nes.metadata_of(document)
    if request.method == "POST":
        form = f.MetadataForm(request.POST)
        if form.is_valid():
            try:
                metadata_services.update_metadata(actor=request.user, document=document, may_edit=may_edit,
                                                  **form.cleaned_data)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            except PermissionDenied as exc:
                raise PermissionDenied(str(exc)) from exc
            else:
                messages.success(request, _("Metadata saved."))
                return redirect("archive:document-metadata", pk=document.pk)
    else:
        initial = {k: getattr(meta, k) for k in metadata_services.FIELDS} if meta else {}
        form = f.MetadataForm(initial=initial)
    if document.case is not None:
        note_read(request.user, document.case, what=document.title)
    return render(request, "archive/document_metadata.html", {
        "document": document, "elements": nes.elements(document), "form": form, "may_edit": may_edit,
    })
