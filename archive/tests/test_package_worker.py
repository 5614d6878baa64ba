"""The archival package is built by a real Celery worker, published on commit by the archivist's request."""

import time

import pytest

from archive.package import verify
from archive.package_models import ArchivalPackage, PackageStatus
from archive.tests.test_package import a_files

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_root(settings):
    """Overrides the package's temporary MEDIA_ROOT: the real worker (one per session) reads the default one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_the_worker_builds_and_validates_the_package(celery_worker_proc, office, client):
    cases = a_files(office, n=3, year=2013)
    client.force_login(office["archivist"])
    response = client.post("/archiwum/paczki/nowa/", {"case": [c.pk for c in cases]})
    assert response.status_code == 302
    package = ArchivalPackage.objects.get()
    deadline = time.monotonic() + 60
    while package.status in (PackageStatus.QUEUED, PackageStatus.BUILDING) and time.monotonic() < deadline:
        time.sleep(0.2)
        package.refresh_from_db()
    assert package.status == PackageStatus.READY, package.error or celery_worker_proc.log()
    assert package.documents_done == 3
    assert verify.verify(package.file.path)["cases"] == 3
