from django.db import transaction
from viewflow.workflow.status import STATUS

from registry.models import DocumentKind
from registry.services.documents import add_document
from registry.tests.factories import make_case, pdf_upload
from workflow.models import WorkTask


def open_tasks(node, **filters):
    tasks = WorkTask.objects.filter(status__in=[STATUS.NEW, STATUS.ASSIGNED], **filters).order_by("pk")
    return [t for t in tasks if t.flow_task.name == node]


def case_with_draft(people, *, unit=None, worker=None, jrwa=None, kind=DocumentKind.DRAFT, **case_kwargs):
    worker = worker or people["worker_rb"]
    with transaction.atomic():
        case = make_case(worker, unit=unit or people["RB"], jrwa_class=jrwa or people["wz"], case_worker=worker,
                         **case_kwargs)
        draft = add_document(actor=worker, title="Projekt pisma", kind=kind, upload=pdf_upload("projekt.pdf"),
                             case=case)
    return case, draft
