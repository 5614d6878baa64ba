"""The verification on the case page and the signature stage's upload on the task page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.models import DocumentKind
from signatures.models import SignatureCheck, Status
from signatures.tests import pki
from signatures.tests.test_stage import signature_route
from workflow import services
from workflow.tests.helpers import case_with_draft, open_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_signature_stage(people, trusted):
    signature_route()
    case, draft = case_with_draft(people, kind=DocumentKind.DECISION)
    process = services.start_route(draft, actor=people["worker_rb"])
    [task] = open_tasks("decide", process_id=process.pk)
    return case, draft, task


def test_task_page_takes_the_signed_file_and_refuses_without_a_valid_signature(client, people, on_signature_stage):
    _case, draft, task = on_signature_stage
    client.force_login(people["wojt"])
    page = client.get(reverse("workflow:task", args=[task.pk]))
    assert 'type="file" name="file"' in page.content.decode() and "Dokument podpisany" in page.content.decode()
    response = client.post(reverse("workflow:task", args=[task.pk]), {"decision": "approve", "comment": ""},
                           follow=True)
    body = response.content.decode()
    assert response.status_code == 200 and "Nie można zakończyć etapu" in body and "Plik nie ma podpisu" in body
    assert draft.versions.count() == 1 and open_tasks("decide", pk=task.pk)


def test_case_page_shows_signer_issuer_and_status(client, people, on_signature_stage, test_pki):
    case, draft, task = on_signature_stage
    client.force_login(people["wojt"])
    upload = SimpleUploadedFile("decyzja-podpisana.pdf", pki.sign_pades(test_pki["signer"]))
    response = client.post(reverse("workflow:task", args=[task.pk]), {"decision": "approve", "file": upload})
    assert response.status_code == 302
    assert SignatureCheck.objects.get(version=draft.current_version).status == Status.VALID
    task_page = client.get(reverse("workflow:task", args=[task.pk])).content.decode()
    assert "<strong>podpis ważny</strong> – Jan Kowalski" in task_page  # the signer sees the verification too
    client.force_login(people["worker_rb"])
    body = client.get(reverse("registry:case-detail", args=[case.pk])).content.decode()
    assert "Podpis PAdES: <strong>podpis ważny</strong> – Jan Kowalski, wystawca: Testowe Centrum Certyfikacji" in body


def test_case_page_queries_do_not_grow_with_signed_versions(client, people, trusted, test_pki):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from registry.services.documents import store_version
    from signatures.services import verify_version

    case, draft = case_with_draft(people)
    client.force_login(people["worker_rb"])
    url = reverse("registry:case-detail", args=[case.pk])
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for n in range(3):
        version = store_version(draft, SimpleUploadedFile(f"s{n}.xml", pki.sign_xades(test_pki["expired"])),
                                actor=people["worker_rb"])
        verify_version(version)
    with CaptureQueriesContext(connection) as after:
        body = client.get(url).content.decode()
    assert body.count("certyfikat wygasł") == 3
    assert len(after) == len(before)  # never one query per version


def test_signed_document_that_arrives_shows_its_verification(client, people, trusted, test_pki,
                                                             django_capture_on_commit_callbacks):
    from registry.models import Channel
    from registry.tests.factories import make_delivery

    with django_capture_on_commit_callbacks(execute=True):
        delivery = make_delivery(people["clerk"], channel=Channel.EPUAP, form="electronic", external_id="epuap-sig",
                                 files=[SimpleUploadedFile("wniosek.xml", pki.sign_xades(test_pki["stranger"]))])
    client.force_login(people["clerk"])
    body = client.get(reverse("registry:delivery-detail", args=[delivery.pk])).content.decode()
    assert "Podpis XAdES: <strong>nienaruszony, wystawca niezaufany</strong> – Piotr Obcy" in body
    assert "Nieznane Centrum Certyfikacji" in body
