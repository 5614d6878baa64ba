"""Reactions to registry events."""

from django.conf import settings


def start_dekretacja_on_registration(sender, delivery, actor, **kwargs):
    """Every registered delivery enters dekretacja in the same transaction (a routing rule may propose its unit;
    otherwise it waits in the registry clerks' queue). Off with WORKFLOW_AUTOSTART_DEKRETACJA=False."""
    if not getattr(settings, "WORKFLOW_AUTOSTART_DEKRETACJA", True):
        return
    from workflow.services import start_dekretacja

    start_dekretacja(delivery, actor=actor)


def close_dekretacja_when_case_opened(sender, case, delivery, actor, **kwargs):
    """A case opened from a delivery outside dekretacja (e.g. straight from the register) ends the delivery's open
    dekretacja: its waiting tasks are cancelled. Inside our own "open a case" step the task is STARTED and kept."""
    if delivery is None:
        return
    from viewflow.workflow.status import STATUS

    from workflow.flows import DeliveryFlow
    from workflow.models import DeliveryProcess, WorkTask

    for process in DeliveryProcess.objects.filter(delivery=delivery, finished__isnull=True):
        active = WorkTask.objects.filter(process_id=process.pk).exclude(
            status__in=[STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED])
        if active.filter(status=STATUS.STARTED).exists():
            continue
        DeliveryFlow.instance.cancel(process)
