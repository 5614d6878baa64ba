"""Signature verification runs in a real Celery worker after the upload commits, and is stored on the version."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from organisation.models import Role
from registry.models import DocumentKind
from registry.services.documents import add_document
from registry.tests.factories import JrwaClassFactory, OrgUnitFactory, make_case, member
from signatures.models import SignatureCheck, Status
from signatures.tests import pki


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_worker_verifies_an_uploaded_signed_file(celery_worker_proc):
    unit = OrgUnitFactory(symbol="OR")
    worker = member(unit, Role.CASE_WORKER, username="referent-sig")
    case = make_case(worker, unit=unit, jrwa_class=JrwaClassFactory(), case_worker=worker)
    signer = pki.make_signer(pki.make_ca())
    doc = add_document(actor=worker, title="Decyzja podpisana", kind=DocumentKind.DECISION, case=case,
                       upload=SimpleUploadedFile("decyzja.pdf", pki.sign_pades(signer)))
    version = doc.current_version
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not SignatureCheck.objects.filter(version=version).exists():
            time.sleep(0.2)
        check = SignatureCheck.objects.filter(version=version).first()
        assert check is not None, celery_worker_proc.log()[-3000:]
        # The worker has no trust anchor for this throw-away CA: intact, but the issuer is not trusted.
        assert (check.status, check.signer, check.format) == (Status.UNTRUSTED, "Jan Kowalski", "PAdES")
    finally:
        version.file.storage.delete(version.file.name)
