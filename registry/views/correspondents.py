"""Correspondents: list, search-as-you-type, detail, create, edit and merge of duplicates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from registry import forms as f
from registry.access import scope_for
from registry.models import Case, CaseParty, Correspondent
from registry.services import correspondents as correspondent_services
from registry.views.common import is_clerk, is_pk, is_unit_staff, paginate, require_clerk, safe_next


@login_required
def correspondent_list(request):
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = correspondent_services.find(q, limit=200)
    else:
        qs = Correspondent.objects.filter(merged_into__isnull=True).order_by("last_name", "name", "first_name")
    page, query = paginate(request, qs)
    return render(request, "registry/correspondent_list.html", {
        "q": q, "page": page, "query": query, "can_edit": _may_edit(request.user),
    })


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
        "can_edit": _may_edit(request.user) and not correspondent.merged_into_id,
    })


def _may_edit(user) -> bool:
    """Registry clerks and unit staff add and correct correspondents; the others only read (no link to a 403)."""
    return is_clerk(user) or is_unit_staff(user)


def _correspondent_data(form):
    return {k: v for k, v in form.cleaned_data.items() if k in correspondent_services.EDITABLE_FIELDS}


@login_required
def correspondent_create(request):
    if not _may_edit(request.user):
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
    if not _may_edit(request.user):
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
