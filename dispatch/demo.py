"""Demo content for `manage.py load_demo`: the outgoing half, through dispatch.services. Of the letters the workflow
demo left at the "Wysyłka" task, one stays there (for the clerks to prepare), one is prepared and waits in the
dispatch queue, and one is sent: by e-Doręczenia to an addressee with an ADE and on paper to one without, the paper
letter in today's dispatch book with its signed return receipt (ZPO) recorded. A letter of another unit (GN) is
sent on paper and waits for its return receipt.

There is no e-Doręczenia service behind a demo, so the electronic item is sent to the in-process fake mailbox of the
tests (held to the published UA API yaml), as bench/dispatch.py does; without that yaml it stays queued."""

from django.utils import timezone

# Titles of drafts that workflow.demo leaves at the "Wysyłka" task (see workflow.demo.APPROVALS).
PREPARED = "Pismo przekazujące wniosek według właściwości"
SENT = "Informacja o sposobie załatwienia sprawy"


def _dispatch_task(title):
    from dispatch.selectors import tasks_to_prepare

    return tasks_to_prepare().filter(document__title=title).first()


def _addressees(context, case):
    """An addressee with an ADE and one with only a postal address: the case's own first, then the office's."""
    from dispatch import channels
    from dispatch.services.prepare import proposed_addressees

    candidates = proposed_addressees(case) + list(context["correspondents"])
    electronic = next((c for c in candidates if c.ade), None)
    paper = next((c for c in candidates if not c.ade and channels.has_postal_address(c)), None)
    return electronic, paper


def _fake_mailbox():
    try:
        from registry.tests.uaapi_fake import FakeMailbox, spec

        spec()  # the contract the fake is held to
    except (ImportError, FileNotFoundError):
        return None
    return FakeMailbox()


def _letter_of_another_unit(context, unit="GN"):
    """A letter of the real-estate unit through its route (head, secretary's signature): its dispatch task, so the
    outgoing half is not only the building unit's (and not every shipment is visible to every role)."""
    from django.core.files.base import ContentFile

    from registry.models import Case, CaseStatus, DocumentKind
    from registry.services.documents import add_document
    from workflow import services
    from workflow.demo import _open_task

    case = (Case.objects.filter(unit=context["units"].get(unit), confidential=False, case_worker__isnull=False)
            .exclude(status=CaseStatus.CLOSED).order_by("pk").first())
    if case is None:
        return None
    text = f"Urząd Gminy Zielona Dolina\n{case.sign}\n\nZawiadomienie o terminie oględzin nieruchomości"
    draft = add_document(actor=case.case_worker, title="Zawiadomienie o terminie oględzin nieruchomości",
                         kind=DocumentKind.DRAFT, case=case,
                         upload=ContentFile(text.encode(), name="zawiadomienie-ogledziny.txt"))
    process = services.start_route(draft, actor=case.case_worker)
    for _step in range(5):  # the default route has two stages; a bound, not a loop that could run away
        tasks = _open_task(process, "decide")
        if not tasks:
            break
        for task in tasks:
            services.decide(task.pk, user=task.owner, decision="approve")
    [task] = _open_task(process, "dispatch") or [None]
    return task


def load(context) -> None:
    from dispatch import channels
    from dispatch.models import Shipment, State
    from dispatch.services import delivery, prepare, send

    clerk = context["users"]["kancelaria"]
    task = _letter_of_another_unit(context)
    if task is not None:
        paper = [c for c in prepare.proposed_addressees(task.case) + list(context["correspondents"])
                 if not c.ade and channels.has_postal_address(c)][:1]
        if paper:
            [shipment] = prepare.prepare(task.pk, user=clerk, addressees=[prepare.Addressee(paper[0])])
            send.queue([shipment.pk], actor=clerk)  # handed to the post: in today's dispatch book, on its way
    task = _dispatch_task(PREPARED)
    if task is not None:
        electronic, _paper = _addressees(context, task.case)
        if electronic is not None:
            prepare.prepare(task.pk, user=clerk, addressees=[prepare.Addressee(electronic)])

    task = _dispatch_task(SENT)
    if task is None:
        return
    electronic, paper = _addressees(context, task.case)
    addressees = [prepare.Addressee(c) for c in (electronic, paper) if c is not None]
    if not addressees:
        return
    shipments = prepare.prepare(task.pk, user=clerk, addressees=addressees)
    send.queue([s.pk for s in shipments], actor=clerk)  # paper: handed to the post; electronic: queued
    mailbox = _fake_mailbox()
    for shipment in Shipment.objects.filter(pk__in=[s.pk for s in shipments]).select_related("item"):
        if shipment.state == State.QUEUED and mailbox is not None:
            # The worker's send, done here (the task published on commit then finds it sent and skips it).
            send.run(shipment.pk, api=mailbox.client())
            delivery.poll(shipment.pk, api=mailbox.client())  # the service's A.1 evidence, kept in the case
        elif shipment.state == State.SUBMITTED:
            delivery.record_return(shipment, actor=clerk, outcome=delivery.RETURN_SIGNED,
                                   signed_on=timezone.localdate(),
                                   remarks="ZPO podpisane przez adresata")
