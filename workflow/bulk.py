"""Acting on many tasks at once: take them from the queue, choose the unit (dekretacja wstępna) or assign a case
worker (dekretacja właściwa) for many deliveries. Every task is its own transaction through the single-task service,
so one refused task never undoes the others; the result says what was done and what was skipped, and why.

A second submission of the same choice is harmless: the tasks already done are reported as skipped ("already
finished"), nothing happens twice."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from organisation.models import Membership, principals_of
from workflow import services
from workflow.models import WorkTask
from workflow.services import WorkflowError

MAX_TASKS = 100  # two pages of a list (50 rows each); more in one request would take too long to answer


@dataclass
class Outcome:
    task_id: int
    label: str
    reason: str = ""


@dataclass
class BulkResult:
    done: list[Outcome] = field(default_factory=list)
    skipped: list[Outcome] = field(default_factory=list)


def _concerns(user, task, user_ids, memberships) -> bool:
    """Whether the task is one the user could have seen in their lists (theirs, their principals', done by them, or
    in a queue of their role and unit). Any other id is reported as missing, exactly like an id that does not exist."""
    if task.owner_id in user_ids or task.done_by_id == user.pk:
        return True
    if not task.queue_role:
        return False
    return any(role == task.queue_role and (task.unit_id is None or unit_id == task.unit_id)
               for role, unit_id in memberships)


def _ids(task_ids) -> list[int]:
    ids = []
    for raw in task_ids:
        try:
            value = int(raw)
        except (TypeError, ValueError):
            continue
        if value > 0 and value not in ids:
            ids.append(value)
    return ids


def selected(task_ids, user) -> dict[int, WorkTask]:
    """The selected tasks the user could have seen in their lists, by id (at most MAX_TASKS ids are read)."""
    ids = _ids(task_ids)[:MAX_TASKS]
    user_ids = [user.pk, *principals_of(user)]
    memberships = set(Membership.objects.filter(user_id__in=user_ids).values_list("role", "unit_id"))
    return {t.pk: t for t in WorkTask.objects.filter(pk__in=ids).select_related("owner", "done_by").order_by("pk")
            if _concerns(user, t, user_ids, memberships)}


def run(task_ids, user, action) -> BulkResult:
    """`action(task)` acts on one task (raising WorkflowError or ValidationError to refuse it)."""
    ids = _ids(task_ids)
    if not ids:
        raise ValidationError(_("Select at least one task."))
    if len(ids) > MAX_TASKS:
        raise ValidationError(_("Select at most %(n)s tasks at once.") % {"n": MAX_TASKS})
    tasks = selected(ids, user)
    result = BulkResult()
    for pk in ids:
        task = tasks.get(pk)
        if task is None:
            result.skipped.append(Outcome(pk, f"#{pk}", _("This task does not exist.")))
            continue
        if task.status in services.FINISHED:
            # known from the row already read: no lock needed (a task finishing meanwhile is refused under the lock)
            result.skipped.append(Outcome(pk, task.label, services.finished_message(task)))
            continue
        try:
            action(task)
        except WorkflowError as e:
            result.skipped.append(Outcome(pk, task.label, str(e)))
        except ValidationError as e:
            result.skipped.append(Outcome(pk, task.label, " ".join(e.messages)))
        else:
            result.done.append(Outcome(pk, task.label))
    return result


def claim(task_ids, user) -> BulkResult:
    return run(task_ids, user, lambda task: services.claim(task.pk, user))


def choose_unit(task_ids, user, *, unit, note="") -> BulkResult:
    return run(task_ids, user, lambda task: services.choose_unit(task.pk, user=user, unit=unit, note=note))


def decree(task_ids, user, *, worker, instruction="", due_on=None) -> BulkResult:
    return run(task_ids, user, lambda task: services.decree(
        task.pk, user=user, worker=worker, instruction=instruction, due_on=due_on))
