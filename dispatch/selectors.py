"""Reads for the dispatch pages: the clerks' queue with only what dispatch needs."""

from django.db.models import Prefetch
from viewflow.workflow.status import STATUS

from dispatch.models import FINAL, IN_SERVICE, SENDABLE, Shipment, State
from registry.models import Document
from workflow.flows import ApprovalFlow
from workflow.models import WorkTask


def tasks_to_prepare():
    """Open "Wysyłka" tasks: approved letters waiting for the clerks to choose addressees and channels."""
    return (
        WorkTask.objects.filter(flow_task=ApprovalFlow.dispatch, status__in=[STATUS.NEW, STATUS.ASSIGNED,
                                                                            STATUS.STARTED])
        .select_related("case", "document", "owner").order_by("created", "pk")
    )


def _shipments():
    return Shipment.objects.select_related("item__recipient", "item__case").prefetch_related(
        Prefetch("documents", queryset=Document.objects.only("pk", "title", "kind")))


def waiting():
    return _shipments().filter(state__in=SENDABLE).order_by("state", "item__year", "item__number")


def in_progress():
    return _shipments().filter(state__in=[State.QUEUED, State.SENDING, *IN_SERVICE]).order_by(
        "-item__year", "-item__number")


def recently_done(limit=20):
    return _shipments().filter(state__in=FINAL).order_by("-delivered_on", "-pk")[:limit]


PENDING = (State.WAITING, State.QUEUED, State.SENDING)


def progress(ids) -> dict:
    """{label: count} of the items' states, and how many are still waiting for their send."""
    counts: dict = {}
    pending = 0
    for state in Shipment.objects.filter(pk__in=ids).values_list("state", flat=True):
        label = str(State(state).label)
        counts[label] = counts.get(label, 0) + 1
        pending += state in PENDING
    return {"states": counts, "pending": pending, "total": len(ids)}
