import pytest
from django.db import transaction

from registry.models import DocumentKind
from registry.services.cases import add_party
from registry.services.documents import add_document
from registry.tests.conftest import _media_root, office  # noqa: F401  (shared fixtures)
from registry.tests.factories import CorrespondentFactory, make_case, pdf_upload
from registry.tests.uaapi_fake import FakeMailbox
from workflow import services as wf
from workflow.tests.conftest import _mail, people, two_stage_route  # noqa: F401
from workflow.tests.helpers import open_tasks

ADDRESSEE_ADE = "AE:PL-43563-82585-JHWCF-30"


@pytest.fixture
def inline_tasks(monkeypatch):
    """Tasks run in this process on commit (eager), even when a session's real worker switched eager mode off:
    these tests give the in-memory fake to the send. The real worker is exercised in test_worker.py."""
    from obieg.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture
def mailbox(settings):
    fake = FakeMailbox()
    settings.EDORECZENIA_ADE = fake.ade
    yield fake
    assert fake.violations == [], "requests or responses outside the UA API contract"


def approved_letter(office_people, *, kind=DocumentKind.DECISION, name="decyzja.pdf", ade=ADDRESSEE_ADE, party=None,
                    title="Decyzja o warunkach zabudowy", delivery=None):
    """A case with a party, a decision approved and signed on the route: returns (case, document, dispatch task)."""
    worker = office_people["worker_rb"]
    with transaction.atomic():
        case = make_case(worker, unit=office_people["RB"], jrwa_class=office_people["wz"], case_worker=worker,
                         delivery=delivery)
        party = party or CorrespondentFactory(ade=ade)
        add_party(case, party, actor=worker)
        document = add_document(actor=worker, title=title, kind=kind, upload=pdf_upload(name), case=case)
    wf.start_route(document, actor=worker)
    while not open_tasks("dispatch", case=case):
        [task, *_rest] = open_tasks("decide", case=case)
        wf.decide(task.pk, user=task.owner, decision="approve")
    [task] = open_tasks("dispatch", case=case)
    return case, document, task, party
