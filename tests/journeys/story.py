"""What happened before a journey starts, done through the same services the pages use (so each journey tells one
person's part of the story and can run alone)."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone
from viewflow.workflow.status import STATUS

from registry.models import Correspondent, DocumentKind, JrwaClass
from registry.services.cases import add_party, open_case
from registry.services.deliveries import register_delivery
from registry.services.documents import add_document
from workflow import services
from workflow.models import WorkTask

OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
GARAGE = "Wniosek o pozwolenie na budowę garażu, dz. nr 77/1"
DRAFT_TITLE = "Wezwanie do uzupełnienia wniosku o mapę"


def open_tasks(node: str, **filters) -> list[WorkTask]:
    return [t for t in WorkTask.objects.filter(status__in=OPEN, **filters).order_by("pk") if t.flow_task.name == node]


def open_task(node: str, **filters) -> WorkTask:
    tasks = open_tasks(node, **filters)
    assert len(tasks) == 1, f"expected one open {node} task for {filters}, found {tasks}"
    return tasks[0]


def kowalski() -> Correspondent:
    return Correspondent.objects.get(last_name="Kowalski", first_name="Jan")


def delivery_registered(demo, subject=GARAGE, unit="RB"):
    """The clerk registered a letter addressed to `unit`."""
    delivery, _ = register_delivery(
        registered_by=demo.user("kancelaria"), channel="post", form="paper", subject=subject, sender=kowalski(),
        received_at=timezone.now() - dt.timedelta(hours=2), addressed_unit=demo.unit(unit),
        files=[ContentFile(f"{subject}.".encode(), name="wniosek.txt")],
    )
    return delivery


def delivery_waiting_for_head(demo, subject=GARAGE, unit="RB"):
    """The clerk registered a letter and sent it to the unit: it waits for the head's dekretacja."""
    clerk = demo.user("kancelaria")
    delivery = delivery_registered(demo, subject=subject, unit=unit)
    # Unless a routing rule sent it on by itself, the letter waits in the clerks' queue for its unit.
    for task in open_tasks("choose_unit", delivery=delivery):
        services.choose_unit(task.pk, user=clerk, unit=demo.unit(unit))
    return delivery


def delivery_decreed_to(demo, worker="referent_rb", head="kierownik_rb", **kwargs):
    delivery = delivery_waiting_for_head(demo, **kwargs)
    services.decree(open_task("decree", delivery=delivery).pk, user=demo.user(head), worker=demo.user(worker),
                    instruction="Proszę o wezwanie do uzupełnienia wniosku.")
    return delivery


def draft_on_route(demo, worker="referent_rb", unit="RB", jrwa="6730"):
    """A case worker's case with a draft letter sent on the default route (head's approval, then the secretary's
    signature, then dispatch by the registry clerks)."""
    author = demo.user(worker)
    case = open_case(actor=author, unit=demo.unit(unit), jrwa_class=JrwaClass.objects.get(symbol=jrwa, is_leaf=True),
                     title="Pozwolenie na budowę garażu, dz. nr 77/1", case_worker=author)
    add_party(case, kowalski(), actor=author)
    draft = add_document(actor=author, title=DRAFT_TITLE, kind=DocumentKind.DRAFT, case=case,
                         upload=ContentFile("Wzywam do uzupełnienia wniosku o mapę.".encode(), name="wezwanie.txt"))
    process = services.start_route(draft, actor=author)
    return case, draft, process


def draft_awaiting_signature(demo, **kwargs):
    case, draft, process = draft_on_route(demo, **kwargs)
    services.decide(open_task("decide", process_id=process.pk).pk, user=demo.user("kierownik_rb"), decision="approve")
    return case, draft, process


def draft_signed(demo, **kwargs):
    case, draft, process = draft_awaiting_signature(demo, **kwargs)
    services.decide(open_task("decide", process_id=process.pk).pk, user=demo.user("sekretarz"), decision="approve")
    return case, draft, process
