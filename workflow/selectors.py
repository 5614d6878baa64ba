"""Task lists. Every list goes through the access rule (`registry.access.scope_for`): a task about a case or a
delivery is listed only if the user may see that case or delivery — except the user's own tasks (and those of the
people they stand in for, and what they did), which the route itself gave them.

`TaskLists(user)` computes the user's substitutions, memberships and access scope once for all lists and counts
of a page."""

from functools import cached_property

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from viewflow.workflow.status import STATUS

from organisation.models import Membership, Role, principals_of
from registry.access import scope_for
from registry.models import Case, Delivery
from workflow.models import WorkTask

OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
LISTS = ("waiting", "mine", "queue", "unit", "done")

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
    def __init__(self, user, scope=None):
        self.user = user
        if scope is not None:  # the caller's access scope (the desk has one already): no second computation
            self.__dict__["scope"] = scope

    @cached_property
    def user_ids(self) -> list[int]:
        if "scope" in self.__dict__:
            return [self.user.pk, *sorted(set(self.scope.user_ids) - {self.user.pk})]
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

    def _visible_q(self) -> Q:
        case_ok = Exists(self.scope.cases(Case.objects.filter(pk=OuterRef("case_id"))))
        delivery_ok = Exists(self.scope.deliveries(Delivery.objects.filter(pk=OuterRef("delivery_id"))))
        return (
            (Q(case__isnull=False) & case_ok)
            | (Q(case__isnull=True, delivery__isnull=False) & delivery_ok)
            | Q(case__isnull=True, delivery__isnull=True)
        )

    def _visible(self, queryset):
        return queryset.filter(self._visible_q())

    def _mine_q(self) -> Q:
        return Q(owner_id__in=self.user_ids, status__in=OPEN)

    def _queue_q(self) -> Q | None:
        if not self.memberships:
            return None
        cond = Q()
        for role in {r for r, _ in self.memberships}:
            units = [u for r, u in self.memberships if r == role]
            cond |= Q(queue_role=role) & (Q(unit__isnull=True) | Q(unit_id__in=units))
        visible = self._visible_q()
        if any(role == Role.REGISTRY_CLERK for role, _ in self.memberships):
            # The "Wysyłka" step is the registry clerks' whatever the case: they see what dispatch needs (the
            # dispatch page shows no more of the case), not the case itself.
            from workflow.flows import ApprovalFlow

            visible |= Q(queue_role=Role.REGISTRY_CLERK, flow_task=ApprovalFlow.dispatch)
        return cond & Q(status=STATUS.NEW, owner__isnull=True) & visible

    def mine(self):
        """Assigned to me, or to someone I stand in for today."""
        return _base().filter(self._mine_q())

    def queue(self):
        """Unassigned work I may take: by my roles, in my units (unit-less queues such as the registry clerks')."""
        cond = self._queue_q()
        return WorkTask.objects.none() if cond is None else _base().filter(cond)

    def waiting(self):
        """What waits for me or my unit: my tasks and the unassigned ones I may take (the default list)."""
        cond = self._queue_q()
        return _base().filter(self._mine_q() if cond is None else self._mine_q() | cond)

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

    def desk_counts(self) -> dict:
        """The desk's counters in one query: waiting (mine + my queue), mine, queue, overdue among the waiting ones,
        and for heads the open tasks of their units."""
        mine, queue = self._mine_q(), self._queue_q()
        waiting = mine if queue is None else mine | queue
        aggregates = {
            "mine": Count("pk", filter=mine), "waiting": Count("pk", filter=waiting),
            "overdue": Count("pk", filter=waiting & Q(due_at__lt=timezone.now())),
        }
        scope = waiting
        if queue is not None:
            aggregates["queue"] = Count("pk", filter=queue)
        if self.is_head:
            unit = Q(unit_id__in=self.scope.unit_ids, status__in=OPEN) & self._visible_q()
            aggregates["unit"] = Count("pk", filter=unit)
            scope = scope | unit
        result = WorkTask.objects.filter(scope).aggregate(**aggregates)
        result.setdefault("queue", 0)
        return result

    def counts(self) -> dict:
        mine, queue = self.mine().count(), self.queue().count()
        # mine and queue never overlap (a queued task has no owner), so their sum is the "waiting" list's size
        result = {"waiting": mine + queue, "mine": mine, "queue": queue, "done": self.done().count()}
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
