"""Incoming register (RPW): list, registration, detail of a delivery, attaching it to a case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from registry import forms as f
from registry.access import scope_for
from registry.models import Case, CaseStatus, Delivery, DocumentVersion
from registry.services import cases as case_services
from registry.services import correspondents as correspondent_services
from registry.services import deliveries as delivery_services
from registry.views.common import can_handle_delivery, document_identifier, is_clerk, paginate, require_clerk
from registry.views.register_print import can_print_registers


@login_required
def delivery_list(request):
    form = f.DeliveryFilterForm(request.GET or None, user=request.user)
    qs = Delivery.objects.select_related("sender", "addressed_unit", "assigned_unit", "case")
    scope = scope_for(request.user)
    qs = form.filter(scope.with_case_shown(scope.deliveries(qs))).order_by("-year", "-number")
    page, query = paginate(request, qs)
    return render(request, "registry/delivery_list.html", {
        "form": form, "page": page, "query": query, "is_clerk": is_clerk(request.user),
        "can_print": can_print_registers(request.user),
    })


@login_required
def delivery_create(request):
    require_clerk(request.user)
    if request.method == "POST":
        form = f.DeliveryForm(request.POST, request.FILES)
        if form.is_valid():
            key = form.cleaned_data["idempotency_key"]
            existing = delivery_services.find_existing(channel=form.cleaned_data["channel"], idempotency_key=key)
            if existing is not None:
                messages.info(request, _("This form was already sent: delivery %(rpw)s.") % {"rpw": existing.rpw})
                return redirect("registry:delivery-detail", pk=existing.pk)
            try:
                with transaction.atomic():
                    kwargs = form.service_kwargs()
                    new_sender = form.cleaned_data.get("new_sender")
                    if new_sender:
                        kwargs["sender"] = correspondent_services.get_or_create(new_sender)
                    delivery, created = delivery_services.register_delivery(registered_by=request.user, **kwargs)
            except ValidationError as exc:
                f.apply_errors(form, exc, fallback="files" if not hasattr(exc, "error_dict") else None)
            else:
                if created:
                    messages.success(
                        request, _("Delivery registered with number %(rpw)s.") % {"rpw": delivery.rpw}
                    )
                else:
                    messages.info(request, _("This form was already sent: delivery %(rpw)s.") % {"rpw": delivery.rpw})
                return redirect("registry:delivery-detail", pk=delivery.pk)
    else:
        form = f.DeliveryForm()
    return render(request, "registry/delivery_form.html", {"form": form})


@login_required
def delivery_detail(request, pk):
    scope = scope_for(request.user)
    delivery = get_object_or_404(
        scope.with_case_shown(scope.deliveries(Delivery.objects.select_related(
            "sender", "addressed_unit", "assigned_unit", "assigned_to", "case", "registered_by"
        ))),
        pk=pk,
    )
    # Through the registers a clerk sees a delivery of a confidential case, but not that case's documents.
    documents = scope.documents(delivery.documents.all()).prefetch_related(
        Prefetch("versions", queryset=DocumentVersion.objects.select_related("signature_check").defer("text")
                 .order_by("number"))
    ).order_by("pk")
    history = delivery.history.select_related("document", "document_version").order_by("at", "pk")
    if delivery.case_id and not delivery.case_shown:
        history = history.filter(case__isnull=True)  # what happened in the confidential case stays there
    can_handle = delivery.case_id is None and can_handle_delivery(request.user, scope, delivery)
    attach_form = None
    if can_handle:
        cases = scope.cases(Case.objects.exclude(status=CaseStatus.CLOSED))
        if not request.user.is_superuser:
            cases = cases.filter(Q(unit_id__in=scope.unit_ids) | Q(case_worker_id__in=scope.user_ids))
        attach_form = f.AttachDeliveryForm(cases=cases.select_related("unit", "jrwa_class").order_by("-year", "sign"))
    return render(request, "registry/delivery_detail.html", {
        "delivery": delivery, "documents": documents, "can_handle": can_handle,
        "history_rows": [(entry, document_identifier(entry)) for entry in history],
        "attach_form": attach_form,
    })


@login_required
@require_POST
def delivery_attach(request, pk):
    scope = scope_for(request.user)
    delivery = get_object_or_404(scope.deliveries(Delivery.objects.all()), pk=pk)
    if not can_handle_delivery(request.user, scope, delivery):
        raise PermissionDenied
    cases = scope.cases(Case.objects.all())
    if not request.user.is_superuser:
        cases = cases.filter(Q(unit_id__in=scope.unit_ids) | Q(case_worker_id__in=scope.user_ids))
    form = f.AttachDeliveryForm(request.POST, cases=cases)
    if form.is_valid():
        case = form.cleaned_data["case"]
        try:
            case_services.attach_delivery(case, delivery, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Delivery %(rpw)s attached to case %(sign)s.")
                             % {"rpw": delivery.rpw, "sign": case.sign})
            return redirect("registry:case-detail", pk=case.pk)
    else:
        messages.error(request, _("Choose the case to attach the delivery to."))
    return redirect("registry:delivery-detail", pk=delivery.pk)
