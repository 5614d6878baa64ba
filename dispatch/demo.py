"""Demo content for `manage.py load_demo`: the outgoing half, through dispatch.services. Of the letters the workflow
demo left at the "Wysyłka" task, one stays there (for the clerks to prepare), one is prepared and waits in the
dispatch queue, and one is sent: by e-Doręczenia to an addressee with an ADE and on paper to one without, the paper
letter in today's dispatch book with its signed return receipt (ZPO) recorded.

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


def load(context) -> None:
    from dispatch.models import Shipment, State
    from dispatch.services import delivery, prepare, send

    clerk = context["users"]["kancelaria"]
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
