"""Reactions to registry events."""

from django.conf import settings


def start_dekretacja_on_registration(sender, delivery, actor, **kwargs):
    """Every registered delivery enters dekretacja in the same transaction (a routing rule may propose its unit;
    otherwise it waits in the registry clerks' queue). Off with WORKFLOW_AUTOSTART_DEKRETACJA=False."""
    if not getattr(settings, "WORKFLOW_AUTOSTART_DEKRETACJA", True):
        return
    from workflow.services import start_dekretacja

    start_dekretacja(delivery, actor=actor)
