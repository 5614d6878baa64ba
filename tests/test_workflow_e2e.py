"""The whole path: delivery → dekretacja → case → draft → a two-stage route with parallel opinions → return for
corrections → approval → signing → dispatch → outgoing register. Every step lands in the metryka."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from viewflow.workflow.status import STATUS

from registry.models import Action, Delivery, DocumentKind, HistoryEntry, OutgoingChannel, OutgoingItem
from registry.services.documents import add_document
from registry.tests.factories import CorrespondentFactory, make_delivery, pdf_upload
from workflow import services
from workflow.models import ApprovalProcess, DeliveryProcess, WorkTask
from workflow.tests.conftest import _mail, _media_root, office, people, two_stage_route  # noqa: F401


def open_task(node, **filters):
    """Open tasks of a node (tasks reference nodes by name)."""
    tasks = WorkTask.objects.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED], **filters).order_by("pk")
    return [t for t in tasks if t.flow_task.name == node]


@pytest.mark.django_db
def test_delivery_to_outgoing_register(people, two_stage_route, django_capture_on_commit_callbacks):  # noqa: F811
    p = people
    sender = CorrespondentFactory()
    # 1. Registration starts dekretacja; no rule matches, so the choice waits in the clerks' queue.
    delivery = make_delivery(p["clerk"], sender=sender, subject="Wniosek o warunki zabudowy", files=[pdf_upload()])
    process = DeliveryProcess.objects.get(delivery=delivery)
    [choose] = open_task("choose_unit", process_id=process.pk)
    assert choose.owner is None and choose.queue_role == "clerk"

    # 2. Clerk chooses the unit; the head of RB gets the decree task.
    services.choose_unit(choose.pk, user=p["clerk"], unit=p["RB"])
    [decree] = open_task("decree", process_id=process.pk)
    assert decree.owner == p["head_rb"]

    # 3. Head assigns a case worker with an instruction and a due date.
    due = timezone.localdate() + dt.timedelta(days=10)
    services.decree(decree.pk, user=p["head_rb"], worker=p["worker_rb"], instruction="Proszę rozpatrzyć", due_on=due)
    [handle] = open_task("handle", process_id=process.pk)
    assert handle.owner == p["worker_rb"] and timezone.localtime(handle.due_at).date() == due

    # 4. Case worker opens a case under a JRWA class.
    case = services.handle_delivery(handle.pk, user=p["worker_rb"], jrwa_class=p["wz"], title="WZ – dom jednorodzinny")
    delivery.refresh_from_db()
    assert delivery.case == case and delivery.status == Delivery.Status.IN_CASE
    process.refresh_from_db()
    assert process.status == "DONE"

    # 5. Draft and an attachment; send on the route.
    draft = add_document(actor=p["worker_rb"], title="Decyzja WZ", kind=DocumentKind.DRAFT,
                         upload=pdf_upload("decyzja.pdf"), case=case)
    annex = add_document(actor=p["worker_rb"], title="Mapa", kind=DocumentKind.ATTACHMENT,
                         upload=pdf_upload("mapa.pdf"), case=case)
    approval = services.start_route(draft, actor=p["worker_rb"], attachments=[annex])
    opinions = open_task("decide", process_id=approval.pk)
    assert {t.owner for t in opinions} == {p["head_rb"], p["radca"]}  # parallel opinions

    # 6. The head approves, the legal adviser returns it with a comment → back to the author.
    by_owner = {t.owner: t for t in opinions}
    services.decide(by_owner[p["head_rb"]].pk, user=p["head_rb"], decision="approve")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(by_owner[p["radca"]].pk, user=p["radca"], decision="return", comment="Popraw podstawę prawną")
    [revise] = open_task("revise", process_id=approval.pk)
    assert revise.owner == p["worker_rb"] and "podstawę" in revise.comment
    assert any("Zwrócono" in m.subject or "Returned" in m.subject for m in mail.outbox)

    # 7. Correction: a new version; the route starts again at stage 1 (the opinions).
    services.revise(revise.pk, user=p["worker_rb"], upload=pdf_upload("decyzja-v2.pdf"), comment="poprawiono")
    assert draft.versions.count() == 2
    opinions = open_task("decide", process_id=approval.pk)
    assert len(opinions) == 2
    for t in opinions:
        services.decide(t.pk, user=t.owner, decision="approve")

    # 8. Signing stage: the mayor (named position) signs.
    [sign] = open_task("decide", process_id=approval.pk)
    assert sign.owner == p["wojt"]
    services.decide(sign.pk, user=p["wojt"], decision="approve")

    # 9. Dispatch by a registry clerk → outgoing register.
    [dispatch] = open_task("dispatch", process_id=approval.pk)
    assert dispatch.owner is None and dispatch.queue_role == "clerk"
    from dispatch.services.prepare import Addressee, prepare

    [shipment] = prepare(dispatch.pk, user=p["clerk"], addressees=[
        Addressee(sender, channel=OutgoingChannel.POST_REGISTERED, reason="bez ADE")])
    item = shipment.item
    assert OutgoingItem.objects.filter(pk=item.pk, case=case, document=draft).exists()
    approval = ApprovalProcess.objects.get(pk=approval.pk)
    assert approval.status == "DONE" and approval.outcome == "approved"

    # 10. The metryka has every step, decisions with the version they were about.
    from django.db.models import Q

    history = HistoryEntry.objects.filter(Q(case=case) | Q(delivery=delivery))
    actions = list(history.values_list("action", flat=True))
    for action in (Action.DELIVERY_ASSIGNED, Action.CASE_OPENED, Action.DELIVERY_ATTACHED, Action.ROUTE_STARTED,
                   Action.OPINION, Action.RETURNED, Action.SIGNED, Action.DISPATCHED):
        assert action in actions, action
    returned = HistoryEntry.objects.get(case=case, action=Action.RETURNED)
    signed = HistoryEntry.objects.get(case=case, action=Action.SIGNED)
    assert returned.document_version.number == 1 and signed.document_version.number == 2
    assert HistoryEntry.objects.filter(delivery=delivery, action=Action.DELIVERY_ASSIGNED).count() == 2
