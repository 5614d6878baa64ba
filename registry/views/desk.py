"""The desk (home page): what waits for the user, their cases, the clerk's counters."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from registry.access import scope_for
from registry.models import Case, CaseStatus, Delivery, OutgoingItem
from registry.views.common import is_clerk, is_unit_staff


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
