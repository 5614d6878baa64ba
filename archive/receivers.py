"""Reactions to registry events, inside the registry's transaction: the retention changes with the case."""

from django.dispatch import receiver

from registry import signals


@receiver(signals.case_status_changed, dispatch_uid="archive.case_status_changed")
def case_status_changed(sender, case, old_status, new_status, actor=None, **kwargs):
    from archive.services.retention import recompute

    if "closed" in (old_status, new_status):
        recompute(case, actor=actor or case.created_by)


@receiver(signals.case_class_changed, dispatch_uid="archive.case_class_changed")
def case_class_changed(sender, case, actor=None, **kwargs):
    from archive.services.retention import recompute

    recompute(case, actor=actor or case.created_by)
