"""The signature stage takes the file signed outside the system and refuses to complete without a valid signature
where the route requires one; dispatch asks `signatures.checks.signature_problem` before sending."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from registry.models import Action, DocumentKind, HistoryEntry
from registry.services.documents import add_document
from signatures.checks import signature_problem
from signatures.models import SignatureCheck, Status
from signatures.tests import pki
from workflow import services
from workflow.models import Stage, Step
from workflow.services import WorkflowError
from workflow.tests.conftest import make_route
from workflow.tests.helpers import case_with_draft, open_tasks

pytestmark = pytest.mark.django_db


def signed_pdf(identity, name="decyzja-podpisana.pdf"):
    return SimpleUploadedFile(name, pki.sign_pades(identity), content_type="application/pdf")


def signature_route(required=True):
    return make_route(stages=[
        ("Podpis wójta", Stage.Kind.SIGNATURE, Stage.Mode.ALL, None, [(Step.Assignee.POSITION, "wojt", 2)],
         {"requires_valid_signature": required}),
    ])


@pytest.fixture
def signing(people, trusted):
    signature_route()
    _case, draft = case_with_draft(people, kind=DocumentKind.DECISION)
    process = services.start_route(draft, actor=people["worker_rb"])
    [task] = open_tasks("decide", process_id=process.pk)
    return draft, task


def test_stage_refuses_to_complete_without_a_signed_file(people, signing):
    draft, task = signing
    with pytest.raises(WorkflowError, match="nie ma ważnego podpisu elektronicznego: Plik nie ma podpisu"):
        services.decide(task.pk, user=people["wojt"], decision="approve")
    assert open_tasks("decide", pk=task.pk)  # still open
    assert not HistoryEntry.objects.filter(document=draft, action=Action.SIGNED).exists()
    assert "nie ma ważnego podpisu" in signature_problem(draft)


@pytest.mark.parametrize("identity, reason", [("expired", "nie jest obecnie ważny"), ("stranger", "zaufanych")])
def test_stage_refuses_expired_or_untrusted_signatures_and_stores_nothing(people, signing, test_pki, identity,
                                                                        reason):
    draft, task = signing
    with pytest.raises(WorkflowError, match=reason):
        services.decide(task.pk, user=people["wojt"], decision="approve", upload=signed_pdf(test_pki[identity]))
    assert draft.versions.count() == 1  # the refused upload is not kept as a version


def test_tampered_upload_is_refused(people, signing, test_pki):
    draft, task = signing
    upload = SimpleUploadedFile("x.pdf", pki.tamper_pdf(pki.sign_pades(test_pki["signer"])))
    with pytest.raises(WorkflowError, match="zmieniono po podpisaniu"):
        services.decide(task.pk, user=people["wojt"], decision="approve", upload=upload)
    assert draft.versions.count() == 1


def test_signed_upload_becomes_the_signed_version(people, signing, test_pki):
    draft, task = signing
    services.decide(task.pk, user=people["wojt"], decision="approve", upload=signed_pdf(test_pki["signer"]))
    version = draft.current_version
    assert version.number == 2 and version.original_name == "decyzja-podpisana.pdf"
    check = SignatureCheck.objects.get(version=version)
    assert (check.status, check.signer, check.issuer, check.format) == (
        Status.VALID, "Jan Kowalski", "Testowe Centrum Certyfikacji", "PAdES")
    signed = HistoryEntry.objects.get(document=draft, action=Action.SIGNED)
    assert signed.document_version == version and signed.actor == people["wojt"]
    assert signature_problem(draft) is None


def test_dispatch_is_blocked_when_a_later_version_loses_the_signature(people, signing, test_pki):
    from registry.services.documents import store_version
    from registry.tests.factories import pdf_upload

    draft, task = signing
    services.decide(task.pk, user=people["wojt"], decision="approve", upload=signed_pdf(test_pki["signer"]))
    store_version(draft, pdf_upload("poprawka.pdf"), actor=people["worker_rb"])
    problem = signature_problem(draft)
    assert problem and "wersja 3" in problem


def test_route_without_the_requirement_signs_as_before(people, trusted):
    signature_route(required=False)
    _case, draft = case_with_draft(people, kind=DocumentKind.DECISION)
    process = services.start_route(draft, actor=people["worker_rb"])
    [task] = open_tasks("decide", process_id=process.pk)
    assert signature_problem(draft)  # the recorded-signing rule of dispatch still applies
    services.decide(task.pk, user=people["wojt"], decision="approve")
    assert signature_problem(draft) is None


def test_a_broken_signature_never_leaves_even_without_the_requirement(people, trusted, test_pki,
                                                                     django_capture_on_commit_callbacks):
    from registry.services.documents import store_version

    _case, draft = case_with_draft(people, kind=DocumentKind.NOTE)
    upload = SimpleUploadedFile("n.pdf", pki.tamper_pdf(pki.sign_pades(test_pki["signer"])))
    with django_capture_on_commit_callbacks(execute=True):  # the task is published on commit (eager here)
        version = store_version(draft, upload, actor=people["worker_rb"])
    assert SignatureCheck.objects.get(version=version).status == Status.INVALID  # computed by the task (eager)
    assert "uszkodzony podpis" in signature_problem(draft)


def test_dispatch_preflight_uses_the_verification(people, signing):
    from dispatch.services.checks import signature_problem as dispatch_check

    draft, _task = signing
    assert dispatch_check(draft) == signature_problem(draft)


def test_signature_problem_accepts_an_object_with_a_document(people, signing):
    draft, _task = signing

    class Outgoing:
        document = draft

    assert signature_problem(Outgoing()) == signature_problem(draft)


def test_add_document_is_verified_too(people, trusted, test_pki, django_capture_on_commit_callbacks):
    case, _draft = case_with_draft(people)
    with django_capture_on_commit_callbacks(execute=True):
            doc = add_document(actor=people["worker_rb"], title="Wniosek podpisany", kind=DocumentKind.INCOMING,
                           upload=SimpleUploadedFile("w.xml", pki.sign_xades(test_pki["signer"])), case=case)
    check = SignatureCheck.objects.get(version=doc.current_version)
    assert (check.status, check.format, check.signer) == (Status.VALID, "XAdES", "Jan Kowalski")
