"""The desk (home page): what waits for the user, their cases, the clerk's counters. Every count links to the list
it counts, with the same filters (the count and the list share one query: `registry.selectors`, the task lists)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from registry.access import scope_for
from registry.models import Case, CaseStatus, Delivery, OutgoingItem
from registry.selectors import my_open_cases, waiting_deliveries
from registry.views.common import is_clerk, is_unit_staff


def _url(name, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def _tasks(user, scope) -> dict | None:
    """The counters of the task lists; the desk shows the workflow's tasks next to the registry's own lists."""
    from workflow import selectors as task_selectors

    lists = task_selectors.TaskLists(user, scope=scope)
    counts = lists.desk_counts()
    if not lists.memberships and not counts["waiting"]:
        return None
    tasks_url = reverse("workflow:tasks")
    rows = [
        ("waiting", counts["waiting"], tasks_url),
        ("mine", counts["mine"], reverse("workflow:task_list", args=["mine"])),
        ("queue", counts["queue"], reverse("workflow:task_list", args=["queue"])),
        ("overdue", counts["overdue"], f"{tasks_url}?{urlencode({'overdue': 1})}"),
    ]
    if "unit" in counts:
        rows.append(("unit", counts["unit"], reverse("workflow:task_list", args=["unit"])))
    return {"rows": rows, "waiting": counts["waiting"]}


@login_required
def home(request):
    user = request.user
    scope = scope_for(user)
    context = {"is_clerk": is_clerk(user), "is_staff_member": is_unit_staff(user), "tasks": _tasks(user, scope)}
    if context["is_staff_member"]:
        waiting = waiting_deliveries(user, scope, Delivery.objects.select_related(
            "sender", "addressed_unit", "assigned_unit"))
        context["waiting_count"] = waiting.count()
        context["waiting"] = list(waiting.order_by("received_at")[:10])
        context["waiting_url"] = _url("registry:delivery-list", waiting="on")
        mine = my_open_cases(scope)
        context["my_cases_count"] = mine.count()
        context["my_cases"] = list(mine.select_related("jrwa_class").order_by("started_on")[:10])
        context["my_cases_url"] = _url("registry:case-list", mine="on")
    if context["is_clerk"]:
        today = timezone.localdate().isoformat()
        deliveries = Delivery.objects.select_related("sender", "addressed_unit", "assigned_unit")
        context["registered_today"] = Delivery.objects.filter(received_at__date=today).count()
        context["registered_today_url"] = _url("registry:delivery-list", date_from=today, date_to=today)
        context["unassigned_count"] = Delivery.objects.filter(status=Delivery.Status.REGISTERED).count()
        context["unassigned_url"] = _url("registry:delivery-list", status=Delivery.Status.REGISTERED)
        context["recent"] = list(deliveries.filter(registered_by=user).order_by("-registered_at")[:5])
        context["prepared_count"] = OutgoingItem.objects.filter(status=OutgoingItem.Status.PREPARED).count()
        context["prepared_url"] = _url("registry:outgoing-list", status=OutgoingItem.Status.PREPARED)
    if scope.all_units:
        # Counted through the access rule, as the case list it links to shows them.
        counts = dict(scope.cases(Case.objects.all()).values_list("status").annotate(n=Count("pk")))
        context["office_counts"] = [
            (CaseStatus(s).label, counts.get(s, 0), _url("registry:case-list", status=s)) for s in CaseStatus.values
        ]
    return render(request, "registry/home.html", context)
