"""Task pages. Thin: forms in, `workflow.services` out; a refused action (someone else's task, a finished task,
a route version that no longer exists, a lost race) is shown as a clear message, never a 500."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from viewflow.workflow.status import STATUS

from registry.access import scope_for
from registry.models import Case, DocumentVersion
from workflow import forms, routing, rules, selectors, services
from workflow.models import ApprovalProcess, NotificationPreference, Route, RouteVersion, WorkTask
from workflow.services import WorkflowError

# Lazy: translated when a page is rendered, in that request's language (not once, at import).
TITLES = {
    "waiting": gettext_lazy("For me and my unit"), "mine": gettext_lazy("My tasks"),
    "queue": gettext_lazy("Unit queue"), "unit": gettext_lazy("Tasks of my unit"), "done": gettext_lazy("Done by me"),
}


@login_required
def task_list(request, which="waiting"):
    if which not in selectors.LISTS:
        raise Http404
    lists = selectors.TaskLists(request.user)
    if which == "unit" and not lists.is_head:
        raise PermissionDenied(_("Only heads of units see the tasks of their unit."))
    kind = request.GET.get("kind", "")
    overdue = request.GET.get("overdue") == "1"
    # No one types a NUL byte, and PostgreSQL refuses it in text: a link carrying one filters as without it.
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:100]
    tasks = selectors.apply_filters(lists.get(which), kind=kind, overdue=overdue, q=q)
    order = "-finished" if which == "done" else "due_at"
    page = Paginator(tasks.order_by(order, "pk"), 50).get_page(request.GET.get("page"))
    return render(request, "workflow/task_list.html", {
        "which": which, "title": TITLES[which], "page": page, "counts": lists.counts(),
        "kind": kind, "overdue": overdue, "q": q, "kinds": KIND_LABELS, "titles": TITLES,
        "principals": set(lists.user_ids[1:]),
        "bulk_form": None if which == "done" else forms.BulkForm(user=request.user),
    })


KIND_LABELS = [
    ("dekretacja", gettext_lazy("Dekretacja")), ("handle", gettext_lazy("Open or join a case")),
    ("decide", gettext_lazy("Approval")), ("revise", gettext_lazy("Corrections")),
    ("dispatch", gettext_lazy("Dispatch")),
]


def _visible_task(request, pk, queryset=None) -> WorkTask:
    """The task, or 404 – also for a task the user may not see: a 403 would confirm that it exists."""
    task = get_object_or_404(queryset if queryset is not None else WorkTask.objects.all(), pk=pk)
    if not _may_view(request.user, task):
        raise Http404
    return task


def _may_view(user, task) -> bool:
    if rules.can_execute(user, task) or rules.can_claim(user, task) or task.done_by_id == user.pk:
        return True
    return bool(selectors.is_head(user) and task.unit_id in scope_for(user).unit_ids)


FORMS = {
    "choose_unit": forms.ChooseUnitForm, "decree": forms.DecreeForm, "handle": forms.HandleForm,
    "decide": forms.DecideForm, "revise": forms.ReviseForm,
}


def _form_for(task, user, data=None, files=None):
    node = task.flow_task.name
    process = task.coerced_process
    kwargs = {}
    if node == "choose_unit" and data is None:
        unit, note = routing.proposal(process)
        if unit is not None:
            kwargs["initial"] = {"unit": unit.pk, "note": note}
    if node == "decree":
        kwargs["unit"] = process.unit
    elif node == "handle":
        kwargs.update(user=user, unit=process.unit)
    elif node == "decide":
        return FORMS[node](data, files, signature=task.data.get("kind") == "signature")
    return FORMS[node](data, files, **kwargs) if node == "revise" else FORMS[node](data, **kwargs)


def _perform(task, user, form):
    node, d = task.flow_task.name, form.cleaned_data
    if node == "choose_unit":
        services.choose_unit(task.pk, user=user, unit=d["unit"], note=d["note"])
    elif node == "decree":
        if d["action"] == forms.DecreeForm.FORWARD:
            services.decree(task.pk, user=user, forward_to=d["forward_to"], reason=d["reason"])
        else:
            services.decree(task.pk, user=user, worker=d["worker"], instruction=d["instruction"], due_on=d["due_on"])
    elif node == "handle":
        if d["action"] == forms.HandleForm.ATTACH:
            services.handle_delivery(task.pk, user=user, case=d["case"])
        else:
            services.handle_delivery(task.pk, user=user, jrwa_class=d["jrwa_class"], title=d["title"])
    elif node == "decide":
        services.decide(task.pk, user=user, decision=d["decision"], comment=d["comment"], upload=d.get("file"))
    elif node == "revise":
        services.revise(task.pk, user=user, upload=d["file"], comment=d["comment"])


@login_required
def task_detail(request, pk):
    task = _visible_task(request, pk, WorkTask.objects.select_related("owner", "case", "delivery", "document", "unit"))
    if task.flow_task is None:
        messages.error(request, _("This task belongs to a route step that no longer exists."))
        return redirect("workflow:tasks")
    node = task.flow_task.name
    if node == "dispatch":  # done on the dispatch page, which shows only what dispatch needs
        return redirect("dispatch:prepare", task_pk=task.pk)
    is_open = task.status in (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)
    can_act = is_open and (rules.can_execute(request.user, task) or rules.can_claim(request.user, task))
    form = _form_for(task, request.user) if can_act and node in FORMS else None
    status = 200
    if request.method == "POST":
        if not can_act:
            messages.error(request, _("This task is already finished.") if not is_open
                           else _("This task belongs to %(owner)s; you cannot act on it.") % {"owner": task.owner})
            return redirect("workflow:task", pk=task.pk)
        form = _form_for(task, request.user, request.POST, request.FILES)
        if form.is_valid():
            try:
                _perform(task, request.user, form)
            except WorkflowError as e:
                messages.error(request, str(e))
                return redirect("workflow:task", pk=task.pk)
            except ValidationError as e:
                if hasattr(e, "error_dict"):
                    for field, errors in e.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, e)
                status = 400
            else:
                messages.success(request, _("Done."))
                return redirect("workflow:tasks")
        else:
            status = 400
    process = task.coerced_process
    context = {"task": task, "node": node, "form": form, "process": process, "is_open": is_open,
               "acting_for": task.owner if task.owner_id and task.owner_id != request.user.pk else None}
    if isinstance(process, ApprovalProcess):
        context.update(
            route_stages=routing.run_stages(process),
            versions=process.document.versions.select_related("signature_check").order_by("-number"),
            attachments=process.document.__class__.objects.filter(pk__in=process.attachments),
            decisions=WorkTask.objects.filter(process_id=process.pk).exclude(decision="")
            .select_related("done_by", "on_behalf_of", "document_version").order_by("finished"),
        )
    return render(request, "workflow/task_detail.html", context, status=status)


@login_required
@require_POST
def claim(request, pk):
    _visible_task(request, pk)
    try:
        services.claim(pk, request.user)
    except WorkflowError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, _("The task is yours now."))
    return redirect("workflow:task", pk=pk)


@login_required
def task_file(request, pk, version_pk):
    """The draft and its attachments, for whoever the task is for (approvers may not otherwise see the case)."""
    task = _visible_task(request, pk)
    process = task.coerced_process
    if not isinstance(process, ApprovalProcess):
        raise Http404
    version = get_object_or_404(DocumentVersion, pk=version_pk,
                                document_id__in=[process.document_id, *process.attachments])
    return FileResponse(version.file.open("rb"), as_attachment=True, filename=version.original_name,
                        content_type=version.mime_type)


@login_required
def start_route(request, case_pk):
    # A case the user may not see answers 404 like a missing one.
    case = get_object_or_404(scope_for(request.user).cases(Case.objects.all()), pk=case_pk)
    form = forms.StartRouteForm(request.POST or None, case=case, document_id=request.GET.get("document"))
    status = 200
    if request.method == "POST" and "preview" not in request.POST:
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.start_route(
                    d["document"], actor=request.user, flags=d["flags"], attachments=d["attachments"],
                    version_id=d["route_version"].pk if d["route_version"] else request.POST.get("version_id") or None,
                )
            except WorkflowError as e:
                form.add_error(None, str(e))
                status = 409
            else:
                messages.success(request, _("The document is on its route."))
                return redirect("workflow:tasks")
        else:
            status = 400
    choice = form.choice()
    preview = routing.preview(case, *choice) if choice else None
    return render(request, "workflow/start_route.html", {"case": case, "form": form, "preview": preview},
                  status=status)


@login_required
def route_list(request):
    routes = Route.objects.filter(active=True).prefetch_related("versions").order_by("name")
    return render(request, "workflow/route_list.html", {"routes": routes})


@login_required
def route_detail(request, version_pk):
    version = RouteVersion.objects.filter(pk=version_pk).select_related("route").first()
    if version is None:
        messages.error(request, _("This route version no longer exists."))
        return redirect("workflow:routes")
    stages = version.stages.prefetch_related("steps__position", "steps__user").order_by("order")
    running = version.processes.filter(finished__isnull=True).count()
    return render(request, "workflow/route_detail.html", {"version": version, "stages": stages, "running": running})


@login_required
def notification_settings(request):
    pref, _created = NotificationPreference.objects.get_or_create(user=request.user)
    form = forms.NotificationForm(request.POST or None, instance=pref)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("workflow:notifications")
    return render(request, "workflow/notifications.html", {"form": form})


@login_required
def process_chart(request, pk):
    """viewflow's chart of the flow a task belongs to, with the state of this run (SVG image)."""
    from django.http import HttpResponse

    from workflow import chart

    task = _visible_task(request, pk)
    if task.flow_task is None:
        raise Http404
    return HttpResponse(chart.render_svg(task.flow_task.flow_class, task.process_id), content_type="image/svg+xml")
