"""Cases: list, opening, detail and the actions on a case (status, case worker, parties, documents)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archive.services.custody import note_read
from registry import forms as f
from registry.access import scope_for
from registry.models import Case, CaseStatus, Delivery, DocumentKind, DocumentVersion
from registry.services import cases as case_services
from registry.services import documents as document_services
from registry.services.titles import case_document_title
from registry.views.common import (
    _case_for_action,
    _form_errors_to_messages,
    can_handle_delivery,
    can_work_on_case,
    case_history,
    document_identifier,
    is_clerk,
    is_pk,
    is_unit_staff,
    paginate,
    visible_case,
)


@login_required
def case_list(request):
    form = f.CaseFilterForm(request.GET or None, user=request.user)
    qs = Case.objects.select_related("unit", "jrwa_class", "case_worker")
    qs = form.filter(scope_for(request.user).cases(qs)).order_by("-year", "unit__symbol", "jrwa_class__symbol",
                                                                 "-number")
    page, query = paginate(request, qs)
    return render(request, "registry/case_list.html", {
        "form": form, "page": page, "query": query, "can_open": is_unit_staff(request.user),
    })


@login_required
def case_create(request):
    if not is_unit_staff(request.user):
        raise PermissionDenied(_("Only the staff of a unit open cases."))
    scope = scope_for(request.user)
    delivery = None
    delivery_pk = request.GET.get("przesylka") or request.POST.get("przesylka")
    if delivery_pk:
        if not is_pk(delivery_pk):
            raise Http404
        delivery = get_object_or_404(scope.deliveries(Delivery.objects.select_related("sender")), pk=delivery_pk)
        if not can_handle_delivery(request.user, scope, delivery):
            raise PermissionDenied
        if delivery.case_id:
            messages.info(request, _("Delivery %(rpw)s is already in a case.") % {"rpw": delivery.rpw})
            return redirect("registry:case-detail", pk=delivery.case_id)
    if request.method == "POST":
        form = f.CaseForm(request.POST, user=request.user, delivery=delivery)
        if form.is_valid():
            d = form.cleaned_data
            try:
                case = case_services.open_case(
                    actor=request.user, unit=d["unit"], jrwa_class=d["jrwa"], title=d["title"],
                    case_worker=d["case_worker"], delivery=delivery, confidential=d["confidential"],
                    participants=list(d["participants"]), deadline_kind=d["deadline_kind"],
                )
            except ValidationError as exc:
                f.apply_errors(form, exc, rename={"jrwa_class": "jrwa"})
            else:
                messages.success(request, _("Case %(sign)s opened.") % {"sign": case.sign})
                return redirect("registry:case-detail", pk=case.pk)
    else:
        initial = {"case_worker": request.user.pk}
        units = list(f.unit_choices(request.user)[:2])
        if delivery is not None:
            initial["title"] = delivery.subject
            unit_id = delivery.assigned_unit_id or delivery.addressed_unit_id
            if unit_id:
                initial["unit"] = unit_id
        if "unit" not in initial and len(units) == 1:
            initial["unit"] = units[0].pk
        form = f.CaseForm(initial=initial, user=request.user, delivery=delivery)
    return render(request, "registry/case_form.html", {"form": form, "delivery": delivery,
                                                       "jrwa_version": form.version})


@login_required
def case_detail(request, pk):
    scope, case = visible_case(request, pk)
    note_read(request.user, case)
    can_work = can_work_on_case(request.user, scope, case)
    documents = case.documents.select_related("created_by").prefetch_related(
        Prefetch("versions", queryset=DocumentVersion.objects.select_related("created_by", "signature_check")
                 .defer("text").order_by("number"))
    ).order_by("created_at", "pk")
    history = case_history(case)
    context = {
        "case": case, "can_work": can_work,
        "parties": case.party_links.select_related("correspondent").order_by("pk"),
        "participants": case.participants.order_by("last_name"),
        "documents": documents,
        "deliveries": case.deliveries.select_related("sender").order_by("year", "number"),
        "outgoing": case.outgoing_items.select_related("recipient").order_by("year", "number"),
        "history": [(entry, document_identifier(entry)) for entry in history],
        "transitions": [(s, CaseStatus(s).label) for s in case_services.ALLOWED_TRANSITIONS[CaseStatus(case.status)]],
        "is_clerk": is_clerk(request.user),
    }
    if can_work:
        context |= {
            "worker_form": f.CaseWorkerForm(case=case),
            "class_form": f.ClassCorrectionForm(case=case),
            "party_form": f.PartyForm(),
            "document_form": f.DocumentForm(),
            "version_form": f.VersionForm(),
        }
    return render(request, "registry/case_detail.html", context)


@login_required
@require_POST
def case_status(request, pk):
    case = _case_for_action(request, pk)
    form = f.StatusForm(request.POST)
    if form.is_valid():
        try:
            case_services.change_status(case, actor=request.user, status=form.cleaned_data["status"],
                                        remarks=form.cleaned_data["remarks"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Case status changed."))
    else:
        _form_errors_to_messages(request, form)
    return redirect("registry:case-detail", pk=case.pk)


@login_required
@require_POST
def case_worker(request, pk):
    case = _case_for_action(request, pk)
    form = f.CaseWorkerForm(request.POST, case=case)
    if form.is_valid():
        case_services.set_case_worker(case, actor=request.user, user=form.cleaned_data["case_worker"])
        messages.success(request, _("Case worker changed."))
    else:
        _form_errors_to_messages(request, form)
    return redirect("registry:case-detail", pk=case.pk)


@login_required
@require_POST
def case_party(request, pk):
    case = _case_for_action(request, pk)
    form = f.PartyForm(request.POST)
    if form.is_valid():
        case_services.add_party(case, form.cleaned_data["correspondent"], actor=request.user,
                                role=form.cleaned_data["role"])
        messages.success(request, _("Party added."))
    else:
        _form_errors_to_messages(request, form)
    return redirect(reverse("registry:case-detail", args=[case.pk]) + "#strony")


@login_required
@require_POST
def case_document(request, pk):
    case = _case_for_action(request, pk)
    form = f.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        title = d["title"].strip() or case_document_title(case, DocumentKind(d["kind"]).label)
        try:
            document_services.add_document(actor=request.user, title=title, kind=d["kind"], upload=d["file"],
                                           case=case, comment=d["comment"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Document added."))
    else:
        _form_errors_to_messages(request, form)
    return redirect(reverse("registry:case-detail", args=[case.pk]) + "#dokumenty")


@login_required
@require_POST
def case_class(request, pk):
    case = _case_for_action(request, pk)
    form = f.ClassCorrectionForm(request.POST, case=case)
    if form.is_valid():
        try:
            case = case_services.correct_jrwa_class(case, actor=request.user, jrwa_class=form.cleaned_data["jrwa"],
                                                    reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("JRWA class corrected; the case sign is now %(sign)s.") % {"sign": case.sign})
    else:
        _form_errors_to_messages(request, form)
    return redirect("registry:case-detail", pk=case.pk)
