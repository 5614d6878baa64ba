"""Outgoing register: list, registration, detail with dispatch and evidence of delivery."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from registry import forms as f
from registry.access import scope_for
from registry.models import Case, OutgoingItem
from registry.services import deliveries as delivery_services
from registry.views.common import document_identifier, is_clerk, is_pk, paginate, require_clerk
from registry.views.register_print import can_print_registers


@login_required
def outgoing_list(request):
    form = f.OutgoingFilterForm(request.GET or None)
    qs = OutgoingItem.objects.select_related("recipient", "case", "registered_by")
    scope = scope_for(request.user)
    qs = form.filter(scope.with_case_shown(scope.outgoing(qs))).order_by("-year", "-number")
    page, query = paginate(request, qs)
    return render(request, "registry/outgoing_list.html", {
        "form": form, "page": page, "query": query, "is_clerk": is_clerk(request.user),
        "can_print": can_print_registers(request.user),
    })


@login_required
def outgoing_create(request):
    require_clerk(request.user)
    # The clerks see every register entry (also those of confidential cases), so they may name any case by its
    # exact sign when they dispatch a letter; they still cannot browse cases they do not otherwise see.
    cases = Case.objects.all()
    if request.method == "POST":
        form = f.OutgoingForm(request.POST, cases=cases)
        if form.is_valid():
            d = form.cleaned_data
            item = delivery_services.record_outgoing(
                actor=request.user, recipient=d["recipient"], channel=d["channel"], subject=d["subject"],
                case=d["case"], sent_at=d["sent_at"], tracking_number=d["tracking_number"],
            )
            messages.success(request, _("Outgoing item registered with number %(number)s.")
                             % {"number": item.register_number})
            return redirect("registry:outgoing-detail", pk=item.pk)
    else:
        initial = {}
        case_pk = request.GET.get("sprawa")
        if case_pk and is_pk(case_pk):
            # Prefilling from a pk is browsing: only a case the clerk may see (never a confidential title).
            case = scope_for(request.user).cases(cases).filter(pk=case_pk).first()
            if case:
                initial = {"case_sign": case.sign, "subject": case.title}
        form = f.OutgoingForm(initial=initial, cases=cases)
    return render(request, "registry/outgoing_form.html", {"form": form})


@login_required
def outgoing_detail(request, pk):
    scope = scope_for(request.user)
    item = get_object_or_404(
        scope.with_case_shown(scope.outgoing(OutgoingItem.objects.select_related(
            "recipient", "case", "document", "evidence", "registered_by"
        ))),
        pk=pk,
    )
    clerk = is_clerk(request.user)
    sent_form = evidence_form = None
    if clerk and request.method == "POST":
        if request.POST.get("action") == "sent":
            sent_form = f.MarkSentForm(request.POST)
            if sent_form.is_valid():
                try:
                    delivery_services.mark_sent(item, actor=request.user, sent_at=sent_form.cleaned_data["sent_at"],
                                                tracking_number=sent_form.cleaned_data["tracking_number"])
                except ValidationError as exc:
                    # The form is shown only for a prepared item: say it above the page instead.
                    for message in exc.messages:
                        messages.error(request, message)
                else:
                    messages.success(request, _("Marked as sent."))
                return redirect("registry:outgoing-detail", pk=item.pk)
        elif request.POST.get("action") == "evidence":
            evidence_form = f.EvidenceForm(request.POST, request.FILES)
            if evidence_form.is_valid():
                d = evidence_form.cleaned_data
                try:
                    delivery_services.record_delivery_evidence(
                        item, actor=request.user, delivered_at=d["delivered_at"], evidence_kind=d["evidence_kind"],
                        evidence_file=d["evidence_file"], deemed=d["outcome"] == "deemed",
                        returned=d["outcome"] == "returned",
                    )
                except ValidationError as exc:
                    f.apply_errors(evidence_form, exc, fallback="evidence_file")
                else:
                    messages.success(request, _("Evidence of delivery recorded."))
                    return redirect("registry:outgoing-detail", pk=item.pk)
    if clerk:
        now = timezone.localtime().replace(second=0, microsecond=0)
        sent_form = sent_form or f.MarkSentForm(initial={"sent_at": now, "tracking_number": item.tracking_number})
        evidence_form = evidence_form or f.EvidenceForm(initial={"delivered_at": now})
    history = item.history.select_related("document", "document_version").order_by("at", "pk")
    return render(request, "registry/outgoing_detail.html", {
        "item": item, "sent_form": sent_form, "evidence_form": evidence_form, "is_clerk": clerk,
        # The letter's title in a case the clerk may not see is the case's, not the register's.
        "history_rows": [(entry, document_identifier(entry) if item.case_shown or not item.case_id else "")
                         for entry in history],
    })
