"""Dispatch's preflight refuses a letter whose route requires a valid signature once the current version lacks it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from dispatch.services import prepare
from dispatch.services.checks import preflight
from dispatch.tests.conftest import ADDRESSEE_ADE
from registry.models import DocumentKind
from registry.services.cases import add_party
from registry.services.documents import add_document, store_version
from registry.tests.factories import CorrespondentFactory, make_case, pdf_upload
from signatures.tests import pki
from signatures.tests.test_stage import signature_route
from workflow import services as wf
from workflow.tests.helpers import open_tasks

pytestmark = pytest.mark.django_db


def test_preflight_passes_the_signed_letter_and_stops_an_unsigned_new_version(people, trusted, test_pki):
    signature_route()
    worker = people["worker_rb"]
    with transaction.atomic():
        case = make_case(worker, unit=people["RB"], jrwa_class=people["wz"], case_worker=worker)
        party = CorrespondentFactory(ade=ADDRESSEE_ADE)
        add_party(case, party, actor=worker)
        decision = add_document(actor=worker, title="Decyzja", kind=DocumentKind.DECISION,
                                upload=pdf_upload("decyzja.pdf"), case=case)
    wf.start_route(decision, actor=worker)
    [sign] = open_tasks("decide", case=case)
    wf.decide(sign.pk, user=people["wojt"], decision="approve",
              upload=SimpleUploadedFile("decyzja-podpisana.pdf", pki.sign_pades(test_pki["signer"])))
    [task] = open_tasks("dispatch", case=case)
    [shipment] = prepare.prepare(task.pk, user=people["clerk"], addressees=[prepare.Addressee(party)])
    assert preflight(shipment) == []
    store_version(decision, pdf_upload("decyzja-poprawiona.pdf"), actor=worker)
    [problem] = preflight(shipment)
    assert "nie ma ważnego podpisu elektronicznego" in problem and "wersja 3" in problem
