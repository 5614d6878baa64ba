"""Pages of the registry: thin views. Reads go through `scope_for(user)`; writes through `registry.services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from organisation.models import Role
from registry import forms as f
from registry.access import scope_for
from registry.exports import csv_response, xlsx_response
from registry.models import (
    Case,
    CaseParty,
    CaseStatus,
    Correspondent,
    Delivery,
    Document,
    DocumentVersion,
    HistoryEntry,
    JrwaClass,
    JrwaVersion,
    OutgoingItem,
)
from registry.services import cases as case_services
from registry.services import correspondents as correspondent_services
from registry.services import deliveries as delivery_services
from registry.services import documents as document_services

PAGE_SIZE = 50


# --------------------------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------------------------


def is_clerk(user) -> bool:
    return user.is_superuser or user.has_role(Role.REGISTRY_CLERK)


def is_unit_staff(user) -> bool:
    return user.is_superuser or user.has_role(Role.HEAD, Role.CASE_WORKER)


def require_clerk(user):
    if not is_clerk(user):
        raise PermissionDenied(_("Only the registry clerks may do this."))


def is_pk(value) -> bool:
    """Plain ASCII digits only: "²".isdigit() is True but int("²") fails."""
    value = str(value)
    return value.isascii() and value.isdigit()


def paginate(request, qs):
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("strona"))
    query = request.GET.copy()
    query.pop("strona", None)
    return page, query.urlencode()


def can_work_on_case(user, scope, case) -> bool:
    """The case worker, the named participants and the staff of the case's unit act on a case they may see."""
    if user.is_superuser or case.case_worker_id in scope.user_ids or case.unit_id in scope.unit_ids:
        return True
    return case.participants.filter(pk__in=scope.user_ids).exists()


def can_handle_delivery(user, scope, delivery) -> bool:
    """Staff of the unit the delivery is addressed or assigned to may open a case from it or attach it."""
    if user.is_superuser:
        return True
    unit_id = delivery.assigned_unit_id or delivery.addressed_unit_id
    return unit_id in scope.unit_ids or delivery.assigned_to_id in scope.user_ids


def visible_case(request, pk):
    scope = scope_for(request.user)
    case = get_object_or_404(
        scope.cases(Case.objects.select_related("unit", "jrwa_class", "case_worker", "initiating_delivery__sender")),
        pk=pk,
    )
    return scope, case


def document_identifier(entry) -> str:
    if entry.document_id is None:
        return ""
    ident = _("doc. no. %(number)s") % {"number": entry.document_id}
    if entry.document_version_id:
        ident += " " + _("v%(version)s") % {"version": entry.document_version.number}
    return f"{ident}: {entry.document.title}"


def case_history(case):
    """The metryka: every entry of the case, of its deliveries (also from before the case was opened) and documents."""
    return (
        HistoryEntry.objects.filter(Q(case=case) | Q(delivery__case=case) | Q(document__case=case))
        .select_related("document", "document_version")
        .order_by("at", "pk")
    )


def safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return default


# --------------------------------------------------------------------------------------------------------------------
# Desk
# --------------------------------------------------------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    scope = scope_for(user)
    context = {"is_clerk": is_clerk(user), "is_staff_member": is_unit_staff(user)}
    deliveries = Delivery.objects.select_related("sender", "addressed_unit", "assigned_unit")
    if context["is_staff_member"]:
        waiting = deliveries.filter(case__isnull=True).filter(
            Q(status=Delivery.Status.REGISTERED, addressed_unit_id__in=scope.unit_ids)
            | Q(status=Delivery.Status.ASSIGNED, assigned_unit_id__in=scope.unit_ids)
            | Q(status=Delivery.Status.ASSIGNED, assigned_to_id__in=scope.user_ids)
        )
        if user.is_superuser:
            waiting = deliveries.filter(case__isnull=True, status__in=[Delivery.Status.REGISTERED,
                                                                       Delivery.Status.ASSIGNED])
        context["waiting_count"] = waiting.count()
        context["waiting"] = list(waiting.order_by("received_at")[:10])
        mine = Case.objects.filter(case_worker_id__in=scope.user_ids).exclude(status=CaseStatus.CLOSED)
        context["my_cases_count"] = mine.count()
        context["my_cases"] = list(mine.select_related("jrwa_class").order_by("started_on")[:10])
    if context["is_clerk"]:
        today = timezone.localdate()
        context["registered_today"] = Delivery.objects.filter(received_at__date=today).count()
        context["unassigned_count"] = Delivery.objects.filter(status=Delivery.Status.REGISTERED).count()
        context["recent"] = list(deliveries.filter(registered_by=user).order_by("-registered_at")[:5])
        context["prepared_count"] = OutgoingItem.objects.filter(status=OutgoingItem.Status.PREPARED).count()
    if scope.all_units:
        counts = dict(Case.objects.filter(confidential=False).values_list("status").annotate(n=Count("pk")))
        context["office_counts"] = [(CaseStatus(s).label, counts.get(s, 0)) for s in CaseStatus.values]
    return render(request, "registry/home.html", context)


# --------------------------------------------------------------------------------------------------------------------
# Incoming register (RPW)
# --------------------------------------------------------------------------------------------------------------------


@login_required
def delivery_list(request):
    form = f.DeliveryFilterForm(request.GET or None)
    qs = Delivery.objects.select_related("sender", "addressed_unit", "assigned_unit", "case")
    qs = form.filter(scope_for(request.user).deliveries(qs)).order_by("-year", "-number")
    page, query = paginate(request, qs)
    return render(request, "registry/delivery_list.html", {
        "form": form, "page": page, "query": query, "is_clerk": is_clerk(request.user),
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
        scope.deliveries(Delivery.objects.select_related(
            "sender", "addressed_unit", "assigned_unit", "assigned_to", "case", "registered_by"
        )),
        pk=pk,
    )
    documents = delivery.documents.prefetch_related("versions").order_by("pk")
    history = delivery.history.select_related("document", "document_version").order_by("at", "pk")
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


@login_required
def document_download(request, pk):
    version = DocumentVersion.objects.select_related("document").filter(pk=pk).first()
    if version is None or not scope_for(request.user).documents(
        Document.objects.filter(pk=version.document_id)
    ).exists():
        raise Http404
    response = FileResponse(
        version.file.open("rb"), as_attachment=True, filename=version.original_name,
        content_type=version.mime_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --------------------------------------------------------------------------------------------------------------------
# Outgoing register
# --------------------------------------------------------------------------------------------------------------------


@login_required
def outgoing_list(request):
    form = f.OutgoingFilterForm(request.GET or None)
    qs = OutgoingItem.objects.select_related("recipient", "case", "registered_by")
    qs = form.filter(scope_for(request.user).outgoing(qs)).order_by("-year", "-number")
    page, query = paginate(request, qs)
    return render(request, "registry/outgoing_list.html", {
        "form": form, "page": page, "query": query, "is_clerk": is_clerk(request.user),
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
        scope.outgoing(OutgoingItem.objects.select_related("recipient", "case", "document", "evidence",
                                                           "registered_by")),
        pk=pk,
    )
    clerk = is_clerk(request.user)
    sent_form = evidence_form = None
    if clerk and request.method == "POST":
        if request.POST.get("action") == "sent":
            sent_form = f.MarkSentForm(request.POST)
            if sent_form.is_valid():
                delivery_services.mark_sent(item, actor=request.user, sent_at=sent_form.cleaned_data["sent_at"],
                                            tracking_number=sent_form.cleaned_data["tracking_number"])
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
    return render(request, "registry/outgoing_detail.html", {
        "item": item, "sent_form": sent_form, "evidence_form": evidence_form, "is_clerk": clerk,
    })


# --------------------------------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------------------------------


@login_required
def case_list(request):
    form = f.CaseFilterForm(request.GET or None)
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
        form = f.CaseForm(request.POST, user=request.user)
        if form.is_valid():
            d = form.cleaned_data
            try:
                case = case_services.open_case(
                    actor=request.user, unit=d["unit"], jrwa_class=d["jrwa"], title=d["title"],
                    case_worker=d["case_worker"], delivery=delivery, confidential=d["confidential"],
                    participants=list(d["participants"]),
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
        form = f.CaseForm(initial=initial, user=request.user)
    return render(request, "registry/case_form.html", {"form": form, "delivery": delivery,
                                                       "jrwa_version": form.version})


@login_required
def case_detail(request, pk):
    scope, case = visible_case(request, pk)
    can_work = can_work_on_case(request.user, scope, case)
    documents = case.documents.select_related("created_by").prefetch_related(
        Prefetch("versions", queryset=DocumentVersion.objects.select_related("created_by").order_by("number"))
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
            "party_form": f.PartyForm(),
            "document_form": f.DocumentForm(),
            "version_form": f.VersionForm(),
        }
    return render(request, "registry/case_detail.html", context)


def _case_for_action(request, pk):
    scope, case = visible_case(request, pk)
    if not can_work_on_case(request.user, scope, case):
        raise PermissionDenied(_("Only the case worker and the staff of the unit act on this case."))
    return case


def _form_errors_to_messages(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


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
        try:
            document_services.add_document(actor=request.user, title=d["title"], kind=d["kind"], upload=d["file"],
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
def document_version(request, pk):
    document = get_object_or_404(Document.objects.select_related("case"), pk=pk, case__isnull=False)
    case = _case_for_action(request, document.case_id)
    form = f.VersionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            version = document_services.store_version(document, form.cleaned_data["file"], actor=request.user,
                                                      comment=form.cleaned_data["comment"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Version %(number)s of “%(title)s” stored.")
                             % {"number": version.number, "title": document.title})
    else:
        _form_errors_to_messages(request, form)
    return redirect(reverse("registry:case-detail", args=[case.pk]) + "#dokumenty")


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


# --------------------------------------------------------------------------------------------------------------------
# Spis spraw (§ 27 IK)
# --------------------------------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------------------------------
# Correspondents
# --------------------------------------------------------------------------------------------------------------------


@login_required
def correspondent_list(request):
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = correspondent_services.find(q, limit=200)
    else:
        qs = Correspondent.objects.filter(merged_into__isnull=True).order_by("last_name", "name", "first_name")
    page, query = paginate(request, qs)
    return render(request, "registry/correspondent_list.html", {"q": q, "page": page, "query": query})


@login_required
def correspondent_search(request):
    """JSON for the search-as-you-type combobox: [{id, label, detail}]."""
    results = correspondent_services.find(request.GET.get("q", ""), limit=10)
    return JsonResponse({"results": [
        {"id": c.pk, "label": c.display_name, "detail": c.address_line} for c in results
    ]})


@login_required
def correspondent_detail(request, pk):
    correspondent = get_object_or_404(Correspondent.objects.select_related("merged_into"), pk=pk)
    scope = scope_for(request.user)
    deliveries = scope.deliveries(correspondent.deliveries.select_related("case")).order_by("-year", "-number")[:20]
    case_ids = CaseParty.objects.filter(correspondent=correspondent).values("case_id")
    cases = scope.cases(Case.objects.filter(pk__in=case_ids)).order_by("-year", "sign")[:20]
    return render(request, "registry/correspondent_detail.html", {
        "correspondent": correspondent, "deliveries": deliveries, "cases": cases,
        "can_merge": is_clerk(request.user) and not correspondent.merged_into_id,
    })


def _correspondent_data(form):
    return {k: v for k, v in form.cleaned_data.items() if k in correspondent_services.EDITABLE_FIELDS}


@login_required
def correspondent_create(request):
    if not (is_clerk(request.user) or is_unit_staff(request.user)):
        raise PermissionDenied
    form = f.CorrespondentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            correspondent = correspondent_services.get_or_create(_correspondent_data(form))
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(request, _("Correspondent %(name)s saved.") % {"name": correspondent})
            return redirect(safe_next(request, reverse("registry:correspondent-detail", args=[correspondent.pk])))
    return render(request, "registry/correspondent_form.html", {"form": form, "correspondent": None})


@login_required
def correspondent_edit(request, pk):
    if not (is_clerk(request.user) or is_unit_staff(request.user)):
        raise PermissionDenied
    correspondent = get_object_or_404(Correspondent, pk=pk, merged_into__isnull=True)
    form = f.CorrespondentForm(request.POST or None, instance=Correspondent.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            correspondent_services.update(correspondent, _correspondent_data(form))
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(request, _("Correspondent %(name)s saved.") % {"name": correspondent})
            return redirect("registry:correspondent-detail", pk=correspondent.pk)
    return render(request, "registry/correspondent_form.html", {"form": form, "correspondent": correspondent})


@login_required
def correspondent_merge(request, pk):
    require_clerk(request.user)
    correspondent = get_object_or_404(Correspondent, pk=pk, merged_into__isnull=True)
    other = None
    other_pk = request.GET.get("z") or request.POST.get("z")
    if other_pk:
        if not is_pk(other_pk):
            raise Http404
        other = get_object_or_404(Correspondent, pk=other_pk, merged_into__isnull=True)
    form = None
    if other is not None:
        form = f.MergeForm(request.POST or None, pair=[correspondent, other],
                           initial={"keep": correspondent.pk})
        if request.method == "POST" and form.is_valid():
            keep = form.cleaned_data["keep"]
            duplicate = other if keep.pk == correspondent.pk else correspondent
            try:
                correspondent_services.merge(keep, duplicate, actor=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("%(dup)s merged into %(keep)s.") % {"dup": duplicate, "keep": keep})
                return redirect("registry:correspondent-detail", pk=keep.pk)
    counts = {}
    for c in [correspondent, other] if other else [correspondent]:
        counts[c.pk] = {
            "deliveries": c.deliveries.count(), "outgoing": c.outgoing_items.count(), "cases": c.party_links.count()
        }
    return render(request, "registry/correspondent_merge.html", {
        "correspondent": correspondent, "other": other, "form": form,
        "pair": [(c, counts[c.pk]) for c in ([correspondent, other] if other else [])],
    })


# --------------------------------------------------------------------------------------------------------------------
# JRWA
# --------------------------------------------------------------------------------------------------------------------


@login_required
def jrwa(request):
    versions = list(JrwaVersion.objects.order_by("-valid_from"))
    in_force = JrwaVersion.in_force()
    chosen = in_force
    wanted = request.GET.get("wersja")
    if wanted and is_pk(wanted):
        chosen = next((v for v in versions if v.pk == int(wanted)), None) or in_force
    classes = list(JrwaClass.objects.filter(version=chosen).order_by("symbol")) if chosen else []
    return render(request, "registry/jrwa.html", {
        "versions": versions, "chosen": chosen, "in_force": in_force, "classes": classes,
    })


@login_required
def jrwa_search(request):
    """JSON for the JRWA class picker: classes of the version in force by symbol or words of the title."""
    q = (request.GET.get("q") or "").strip()
    version = JrwaVersion.in_force()
    if not q or version is None or "\x00" in q:  # PostgreSQL refuses NUL in text
        return JsonResponse({"results": []})
    qs = JrwaClass.objects.filter(version=version)
    symbol = q.split()[0] if q.split()[0].isdigit() else None
    if symbol:
        qs = qs.filter(symbol__startswith=symbol)
    else:
        for word in q.split()[:5]:
            qs = qs.filter(title__icontains=word)
    return JsonResponse({"results": [
        {
            "id": c.pk, "value": c.symbol, "label": f"{c.symbol} {c.title}",
            "detail": "" if c.is_leaf else _("not a last-level class"), "disabled": not c.is_leaf,
        }
        for c in qs.order_by("symbol")[:20]
    ]})

