"""Helpers shared by the registry pages: roles, access to cases and deliveries, paging, history rows, the
checks and error messages of the actions on a case."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from organisation.models import Role
from registry.access import scope_for
from registry.models import Case, HistoryEntry

PAGE_SIZE = 50


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
    """The case worker, the named participants and the staff of the case's unit act on a case they may see, until
    the office archive takes it over (then it is read-only)."""
    from registry.services.cases import is_in_archive

    if is_in_archive(case):
        return False
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
