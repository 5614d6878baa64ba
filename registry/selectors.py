"""Reads shared by the desk and the list pages, so that a count on the desk and the list it links to are one query."""

from django.db.models import Q

from registry.models import Case, CaseStatus, Delivery


def waiting_deliveries(user, scope, qs=None):
    """Deliveries without a case that wait in the user's units: registered and addressed there, or assigned there
    (or to the user or someone they stand in for). For a superuser: every delivery without a case still waiting."""
    qs = Delivery.objects.all() if qs is None else qs
    qs = qs.filter(case__isnull=True)
    if user.is_superuser:
        return qs.filter(status__in=[Delivery.Status.REGISTERED, Delivery.Status.ASSIGNED])
    return qs.filter(
        Q(status=Delivery.Status.REGISTERED, addressed_unit_id__in=scope.unit_ids)
        | Q(status=Delivery.Status.ASSIGNED, assigned_unit_id__in=scope.unit_ids)
        | Q(status=Delivery.Status.ASSIGNED, assigned_to_id__in=scope.user_ids)
    )


def my_open_cases(scope, qs=None):
    """Cases not closed whose case worker is the user or someone they stand in for."""
    qs = Case.objects.all() if qs is None else qs
    return qs.filter(case_worker_id__in=scope.user_ids).exclude(status=CaseStatus.CLOSED)
