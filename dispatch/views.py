"""Dispatch pages for the registry clerks: the queue, preparing an approved letter, the item with its evidences,
print views (envelope, ZPO, dispatch book) and recording returned ZPOs. Thin: forms in, services out; refusals are
messages, never 500s. Clerks see what dispatch needs, not the rest of a case; others see an item only if they may
see its case (else 404, like a missing one)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dispatch import dates, forms, pdf, selectors
from dispatch.models import SENDABLE, Shipment
from dispatch.services import delivery, prepare, send
from registry.access import scope_for
from registry.models import Case
from registry.views.common import is_clerk, require_clerk
from workflow.flows import ApprovalFlow
from workflow.models import WorkTask
from workflow.services import WorkflowError


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


@login_required
def queue(request):
    require_clerk(request.user)
    ids = [int(i) for i in request.GET.get("wyslane", "").split(",") if i.isdigit()][:500]
    return render(request, "dispatch/queue.html", {
        "tasks": selectors.tasks_to_prepare(), "waiting": selectors.waiting(), "in_progress": selectors.in_progress(),
        "done": selectors.recently_done(), "progress_ids": ",".join(map(str, ids)),
        "progress": selectors.progress(ids) if ids else None, "total": len(ids),
    })


@login_required
@require_POST
def send_selected(request):
    require_clerk(request.user)
    ids = [int(i) for i in request.POST.getlist("items") if i.isdigit()][:500]
    if not ids:
        messages.error(request, _("Choose the items to send."))
        return redirect("dispatch:queue")
    result = send.queue(ids, actor=request.user)
    if result.queued:
        messages.success(request, _("%(n)s item(s) sent on their way.") % {"n": len(result.queued)})
    if result.already:
        messages.info(request, _("%(n)s item(s) were already sent or on their way; nothing was sent twice.")
                      % {"n": len(result.already)})
    for item_id, problems in result.refused.items():
        shipment = Shipment.objects.select_related("item").filter(pk=item_id).first()
        label = shipment.item.register_number if shipment else item_id
        messages.error(request, _("%(number)s was not sent: %(problems)s") % {
            "number": label, "problems": " ".join(problems)})
    return redirect(reverse("dispatch:queue") + "?wyslane=" + ",".join(map(str, result.queued + result.already)))


@login_required
def progress(request):
    require_clerk(request.user)
    ids = [int(i) for i in request.GET.get("ids", "").split(",") if i.isdigit()][:500]
    return JsonResponse(selectors.progress(ids))


@login_required
def prepare_task(request, task_pk):
    require_clerk(request.user)
    task = selectors.tasks_to_prepare().filter(pk=task_pk).first()
    if task is None:
        # A second submission, or another clerk was quicker: the letter is already in the outgoing register.
        if WorkTask.objects.filter(pk=task_pk, flow_task=ApprovalFlow.dispatch).exists():
            messages.info(request, _("This letter has already been prepared for dispatch."))
            return redirect("dispatch:queue")
        raise Http404
    process = task.coerced_process
    proposed = prepare.proposed_addressees(process.case)
    documents = prepare.documents_to_send(process)
    form = forms.PrepareForm(request.POST or None, proposed=proposed, documents=documents)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            shipments = prepare.prepare(task.pk, user=request.user, addressees=form.addressees(),
                                        documents=list(form.cleaned_data["documents"]))
        except ValidationError as exc:
            errors = _errors(exc)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("dispatch:queue")
        else:
            messages.success(request, _("%(n)s item(s) registered in the outgoing register and ready to send.")
                             % {"n": len(shipments)})
            return redirect("dispatch:queue")
    return render(request, "dispatch/prepare.html", {
        "task": task, "sign": process.case.sign, "form": form, "errors": errors, "documents": documents,
    }, status=400 if request.method == "POST" else 200)


def _shipment_for(request, pk) -> Shipment:
    qs = Shipment.objects.select_related("item__recipient", "item__case", "item__document", "queued_by")
    if is_clerk(request.user):
        return get_object_or_404(qs, pk=pk)
    shipment = get_object_or_404(qs, pk=pk)
    if not shipment.item.case_id or not scope_for(request.user).can_see_case(shipment.item.case):
        raise Http404
    return shipment


@login_required
def item(request, pk):
    shipment = _shipment_for(request, pk)
    clerk = is_clerk(request.user)
    channel_form = forms.ChangeChannelForm(prefix="ch")
    tracking_form = forms.TrackingForm(prefix="tr", initial={"tracking_number": shipment.item.tracking_number})
    if request.method == "POST":
        require_clerk(request.user)
        action = request.POST.get("action")
        try:
            if action == "send":
                result = send.queue([shipment.pk], actor=request.user)
                for problems in result.refused.values():
                    raise ValidationError(problems)
                messages.success(request, _("Sent on its way.") if result.queued else
                                 _("Already sent or on its way; nothing was sent twice."))
                return redirect("dispatch:item", pk=pk)
            if action == "channel":
                channel_form = forms.ChangeChannelForm(request.POST, prefix="ch")
                if channel_form.is_valid():
                    prepare.change_channel(shipment, user=request.user, **channel_form.cleaned_data)
                    messages.success(request, _("Channel changed."))
                    return redirect("dispatch:item", pk=pk)
            if action == "tracking":
                tracking_form = forms.TrackingForm(request.POST, prefix="tr")
                if tracking_form.is_valid():
                    delivery.set_tracking(shipment, actor=request.user, number=tracking_form.cleaned_data[
                        "tracking_number"])
                    messages.success(request, _("Tracking number recorded."))
                    return redirect("dispatch:item", pk=pk)
        except ValidationError as exc:
            for error in _errors(exc):
                messages.error(request, error)
            return redirect("dispatch:item", pk=pk)
    item = shipment.item
    terms = dates.party_terms(shipment.delivered_on, item.document.kind if item.document_id else "") \
        if shipment.delivered_on else []
    return render(request, "dispatch/item.html", {
        "shipment": shipment, "item": item, "is_clerk": clerk, "sendable": shipment.state in SENDABLE,
        "evidences": shipment.evidences.select_related("document"), "documents": shipment.documents.all(),
        "basis": dates.explain(shipment.delivery_basis), "terms": terms, "final_on": dates.proposed_final_on(terms),
        "channel_form": channel_form, "tracking_form": tracking_form, "paper": item.channel not in (
            "edoreczenia", "hybrid"),
    })


@login_required
def returns(request):
    """A returned ZPO, found by its tracking number (typed or read by a barcode scanner)."""
    require_clerk(request.user)
    form = forms.ReturnForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        shipment = delivery.find_by_tracking(d["tracking_number"])
        if shipment is None:
            form.add_error("tracking_number", _("No outgoing item has this tracking number."))
        else:
            try:
                delivery.record_return(shipment, actor=request.user, outcome=d["outcome"], signed_on=d["signed_on"],
                                       first_notice_on=d["first_notice_on"], second_notice_on=d["second_notice_on"],
                                       scan=d["scan"], remarks=d["remarks"])
            except ValidationError as exc:
                for error in _errors(exc):
                    form.add_error(None, error)
            else:
                messages.success(request, _("Return receipt of %(number)s recorded.") % {
                    "number": shipment.item.register_number})
                return redirect("dispatch:returns")
    return render(request, "dispatch/returns.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


# --- print views ------------------------------------------------------------------------------------------------
def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def envelope(request, pk):
    shipment = _shipment_for(request, pk)  # first: an item the user may not see is a 404, like a missing one
    require_clerk(request.user)
    return _pdf(pdf.envelopes([shipment]), f"koperta-{shipment.item.number}-{shipment.item.year}.pdf")


@login_required
def zpo(request, pk):
    shipment = _shipment_for(request, pk)  # first: an item the user may not see is a 404, like a missing one
    require_clerk(request.user)
    return _pdf(pdf.return_receipts([shipment]), f"zpo-{shipment.item.number}-{shipment.item.year}.pdf")


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Http404 from None


@login_required
def book(request, day):
    require_clerk(request.user)
    on = _day(day)
    rows = pdf.book_rows(on)
    if request.GET.get("format") == "csv":
        response = HttpResponse(pdf.book_csv(rows), content_type="text/csv; charset=windows-1250")
        response["Content-Disposition"] = f'attachment; filename="ksiazka-nadawcza-{on.isoformat()}.csv"'
        return response
    return _pdf(pdf.book_pdf(on, rows), f"ksiazka-nadawcza-{on.isoformat()}.pdf")


@login_required
def book_today(request):
    require_clerk(request.user)
    return redirect("dispatch:book", day=timezone.localdate().isoformat())


@login_required
def labels_for_day(request, day):
    require_clerk(request.user)
    on = _day(day)
    shipments = [row.shipment for row in pdf.book_rows(on)]
    return _pdf(pdf.envelopes(shipments), f"koperty-{on.isoformat()}.pdf")


# --- the case -----------------------------------------------------------------------------------------------------
@login_required
@require_POST
def close_case(request, case_pk):
    scope = scope_for(request.user)
    case = get_object_or_404(scope.cases(Case.objects.all()), pk=case_pk)
    from registry.views.common import can_work_on_case

    if not can_work_on_case(request.user, scope, case):
        raise Http404
    form = forms.CloseCaseForm(request.POST)
    if form.is_valid():
        try:
            delivery.close_case(case, actor=request.user, final_on=form.cleaned_data["final_on"],
                                remarks=form.cleaned_data["remarks"])
        except ValidationError as exc:
            for error in _errors(exc):
                messages.error(request, error)
        else:
            messages.success(request, _("The case is closed."))
    else:
        messages.error(request, _("Enter the date the decision became final."))
    return redirect("registry:case-detail", pk=case.pk)

