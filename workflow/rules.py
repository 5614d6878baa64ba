"""Who may take and do a task. A task owned by an absent user may be done by their substitute."""

from organisation.models import Membership, principals_of


def acting_for(user, task) -> int | None:
    """None if `user` may act on `task` themselves; the principal's id if they act as a substitute.
    Raises PermissionError when they may not act at all."""
    if task.owner_id == user.pk:
        return None
    if task.owner_id and task.owner_id in principals_of(user):
        return task.owner_id
    raise PermissionError


def can_execute(user, task) -> bool:
    try:
        acting_for(user, task)
    except PermissionError:
        return False
    return True


def can_claim(user, task) -> bool:
    """Anyone holding the task's queue role in its unit (or anywhere, for unit-less queues) — or standing in for
    such a person — may take an unassigned task."""
    if task.owner_id or not task.queue_role or user is None or not user.is_authenticated:
        return False
    user_ids = [user.pk, *principals_of(user)]
    memberships = Membership.objects.filter(user_id__in=user_ids, role=task.queue_role)
    if task.unit_id:
        memberships = memberships.filter(unit_id=task.unit_id)
    return memberships.exists()
