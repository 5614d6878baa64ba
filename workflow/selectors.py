"""Task lists. Every list goes through the access rule (`registry.access.scope_for`): a task about a case or a
delivery is listed only if the user may see that case or delivery — except the user's own tasks (and those of the
people they stand in for, and what they did), which the route itself gave them.

`TaskLists(user)` computes the user's substitutions, memberships and access scope once for all lists and counts
of a page."""

from functools import cached_property

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from viewflow.workflow.status import STATUS

from organisation.models import Membership, Role, principals_of
from registry.access import scope_for
from registry.models import Case, Delivery
from workflow.models import WorkTask

OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
LISTS = ("mine", "queue", "unit", "done")

# What users filter by: kinds of task, mapped to the flow nodes that make them.
KINDS = {
    "dekretacja": ("DeliveryFlow", ("choose_unit", "decree")),
    "handle": ("DeliveryFlow", ("handle",)),
    "decide": ("ApprovalFlow", ("decide",)),
    "revise": ("ApprovalFlow", ("revise",)),
    "dispatch": ("ApprovalFlow", ("dispatch",)),
}


def _base():
    # prefetch, not select_related: with six joins PostgreSQL misjudges the filtered row count of a big list and
    # picks nested loops over the joined tables; prefetching works on the ≤50 rows of a page instead.
    return WorkTask.objects.prefetch_related("owner", "unit", "case", "delivery", "document", "on_behalf_of")


class TaskLists:
    def __init__(self, user):
        self.user = user

    @cached_property
    def user_ids(self) -> list[int]:
        return [self.user.pk, *principals_of(self.user)]

    @cached_property
    def memberships(self) -> list[tuple[str, int]]:
        return list(Membership.objects.filter(user_id__in=self.user_ids).values_list("role", "unit_id"))

    @cached_property
    def scope(self):
        return scope_for(self.user)

    @property
    def is_head(self) -> bool:
        return any(role == Role.HEAD for role, _ in self.memberships)

    def _visible(self, queryset):
        case_ok = Exists(self.scope.cases(Case.objects.filter(pk=OuterRef("case_id"))))
        delivery_ok = Exists(self.scope.deliveries(Delivery.objects.filter(pk=OuterRef("delivery_id"))))
        return queryset.filter(
            (Q(case__isnull=False) & case_ok)
            | (Q(case__isnull=True, delivery__isnull=False) & delivery_ok)
            | Q(case__isnull=True, delivery__isnull=True)
        )

    def mine(self):
        """Assigned to me, or to someone I stand in for today."""
        return _base().filter(owner_id__in=self.user_ids, status__in=OPEN)

    def queue(self):
        """Unassigned work I may take: by my roles, in my units (unit-less queues such as the registry clerks')."""
        if not self.memberships:
            return WorkTask.objects.none()
        cond = Q()
        for role in {r for r, _ in self.memberships}:
            units = [u for r, u in self.memberships if r == role]
            cond |= Q(queue_role=role) & (Q(unit__isnull=True) | Q(unit_id__in=units))
        open_queue = _base().filter(cond, status=STATUS.NEW, owner__isnull=True)
        if any(role == Role.REGISTRY_CLERK for role, _ in self.memberships):
            # The "Wysyłka" step is the registry clerks' whatever the case: they see what dispatch needs (the
            # dispatch page shows no more of the case), not the case itself.
            from workflow.flows import ApprovalFlow

            dispatch = Q(queue_role=Role.REGISTRY_CLERK, flow_task=ApprovalFlow.dispatch)
            return open_queue.filter(Q(pk__in=self._visible(open_queue).values("pk")) | dispatch)
        return self._visible(open_queue)

    def unit(self):
        """For heads: every open task of their units (and the units below)."""
        if not self.is_head:
            return WorkTask.objects.none()
        return self._visible(_base().filter(unit_id__in=self.scope.unit_ids, status__in=OPEN))

    def done(self):
        """What I did (also on behalf of others): my own work, so not filtered further."""
        return _base().filter(done_by=self.user, status=STATUS.DONE)

    def get(self, which: str):
        return getattr(self, which)()

    def counts(self) -> dict:
        result = {"mine": self.mine().count(), "queue": self.queue().count(), "done": self.done().count()}
        if self.is_head:
            result["unit"] = self.unit().count()
        return result


# Module-level shortcuts (one TaskLists per call).
def my_tasks(user):
    return TaskLists(user).mine()


def queue(user):
    return TaskLists(user).queue()


def unit_tasks(user):
    return TaskLists(user).unit()


def done(user):
    return TaskLists(user).done()


def task_list(user, which: str):
    return TaskLists(user).get(which)


def counts(user) -> dict:
    return TaskLists(user).counts()


def is_head(user) -> bool:
    return TaskLists(user).is_head


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
