"""Task lists. Every list goes through the access rule (`registry.access.scope_for`): a task about a case or a
delivery is listed only if the user may see that case or delivery — except the user's own tasks (and those of the
people they stand in for), which the route itself gave them."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from viewflow.workflow.status import STATUS

from organisation.models import Membership, Role, principals_of
from registry.access import scope_for
from registry.models import Case, Delivery
from workflow.models import WorkTask

OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
LISTS = ("mine", "queue", "unit", "done")


def _visible(queryset, user):
    scope = scope_for(user)
    case_ok = Exists(scope.cases(Case.objects.filter(pk=OuterRef("case_id"))))
    delivery_ok = Exists(scope.deliveries(Delivery.objects.filter(pk=OuterRef("delivery_id"))))
    return queryset.filter(
        (Q(case__isnull=False) & case_ok)
        | (Q(case__isnull=True, delivery__isnull=False) & delivery_ok)
        | Q(case__isnull=True, delivery__isnull=True)
    )


def _base():
    return WorkTask.objects.select_related("owner", "unit", "case", "delivery", "document", "on_behalf_of")


def my_tasks(user):
    """Assigned to me, or to someone I stand in for today."""
    return _base().filter(owner_id__in=[user.pk, *principals_of(user)], status__in=OPEN)


def queue(user):
    """Unassigned work I may take: by my roles, in my units (unit-less queues such as the registry clerks')."""
    user_ids = [user.pk, *principals_of(user)]
    pairs = list(Membership.objects.filter(user_id__in=user_ids).values_list("role", "unit_id"))
    if not pairs:
        return WorkTask.objects.none()
    cond = Q()
    for role in {r for r, _ in pairs}:
        units = [u for r, u in pairs if r == role]
        cond |= Q(queue_role=role) & (Q(unit__isnull=True) | Q(unit_id__in=units))
    return _visible(_base().filter(cond, status=STATUS.NEW, owner__isnull=True), user)


def unit_tasks(user):
    """For heads: every open task of their units (and the units below)."""
    head_units = Membership.objects.filter(user_id__in=[user.pk, *principals_of(user)], role=Role.HEAD)
    if not head_units.exists():
        return WorkTask.objects.none()
    scope = scope_for(user)
    return _visible(_base().filter(unit_id__in=scope.unit_ids, status__in=OPEN), user)


def done(user):
    """What I did (also on behalf of others): my own work, so not filtered further."""
    return _base().filter(done_by=user, status=STATUS.DONE)


def task_list(user, which: str):
    return {"mine": my_tasks, "queue": queue, "unit": unit_tasks, "done": done}[which](user)


def is_head(user) -> bool:
    return Membership.objects.filter(user_id__in=[user.pk, *principals_of(user)], role=Role.HEAD).exists()


# What users filter by: kinds of task, mapped to the flow nodes that make them.
KINDS = {
    "dekretacja": ("DeliveryFlow", ("choose_unit", "decree")),
    "handle": ("DeliveryFlow", ("handle",)),
    "decide": ("ApprovalFlow", ("decide",)),
    "revise": ("ApprovalFlow", ("revise",)),
    "dispatch": ("ApprovalFlow", ("dispatch",)),
}


def apply_filters(queryset, *, kind="", overdue=False, q=""):
    if kind in KINDS:
        from workflow import flows

        flow_name, nodes = KINDS[kind]
        queryset = queryset.filter(flow_task__in=[getattr(getattr(flows, flow_name), n) for n in nodes])
    if overdue:
        queryset = queryset.filter(due_at__lt=timezone.now())
    if q:
        queryset = queryset.filter(Q(label__icontains=q) | Q(case__sign__icontains=q))
    return queryset


def counts(user) -> dict:
    result = {"mine": my_tasks(user).count(), "queue": queue(user).count(), "done": done(user).count()}
    if is_head(user):
        result["unit"] = unit_tasks(user).count()
    return result
