"""Reactions to registry events. Receivers run inside the registry's transaction, so the deadline is created (or
changed) together with the case."""

from django.dispatch import receiver
from django.utils import timezone

from registry import signals


@receiver(signals.case_opened, dispatch_uid="deadlines.case_opened")
def case_opened(sender, case, delivery=None, actor=None, deadline_kind=None, **kwargs):
    from deadlines.services import create_for_case

    create_for_case(case, actor=actor or case.created_by, delivery=delivery, kind=deadline_kind)


@receiver(signals.case_status_changed, dispatch_uid="deadlines.case_status_changed")
def case_status_changed(sender, case, old_status, new_status, actor=None, on_day=None, **kwargs):
    from deadlines.services import on_status_changed

    on_status_changed(
        case, actor=actor or case.created_by, old_status=old_status, new_status=new_status,
        on_day=on_day or timezone.localdate(),
    )
