import pytest
from django.core.management import call_command

from organisation.models import User
from registry.models import Case, Document, DocumentKind
from registry.services.documents import add_document
from registry.tests.factories import pdf_upload
from workflow import routing, selectors, services
from workflow.models import DeliveryProcess, Route


@pytest.mark.django_db
def test_demo_office_has_routes_rules_and_a_clerks_queue(capsys):
    call_command("load_demo", copies=1)
    assert Route.objects.count() == 2
    clerk = User.objects.get(username="kancelaria")
    assert selectors.queue(clerk).exists()  # deliveries not yet in a case wait for dekretacja
    assert not DeliveryProcess.objects.filter(delivery__case__isnull=False, status="NEW").exclude(
        delivery__case__initiating_delivery=None).filter(finished__isnull=True).exists()
    case = Case.objects.filter(status="open").first()
    for version in (v for r in Route.objects.all() for v in r.versions.all()):
        assert routing.validate_route(version, case) == []
    draft = add_document(actor=case.case_worker, title="Projekt", kind=DocumentKind.DECISION,
                         upload=pdf_upload(), case=case)
    process = services.start_route(Document.objects.get(pk=draft.pk), actor=case.case_worker)
    assert process.route["name"] == "Decyzja administracyjna"
