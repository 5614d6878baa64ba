"""The archivist exports an archival package in a real headless Chromium: chooses the category A files, follows the
progress bar while a real Celery worker builds it, downloads the validated ZIP and records the transfer."""

import re
import zipfile

import pytest

from archive.package import verify
from archive.package_models import ArchivalPackage, PackageStatus
from archive.tests.test_browser import axe_violations, shot
from archive.tests.test_package import a_files

pytestmark = [pytest.mark.browser, pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_root(settings):
    """Overrides the package's temporary MEDIA_ROOT: the real worker (one per session) reads the default one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_export_a_package_and_record_the_transfer(page, live_server, browser_login, celery_worker_proc, office,
                                                  tmp_path):
    cases = a_files(office, n=2, year=2014)
    browser_login(page, office["archivist"], live_server)
    page.goto(f"{live_server.url}/archiwum/paczki/")
    candidates = page.get_by_role("table", name=re.compile("teczki kategorii A"))
    for case in cases:
        assert candidates.get_by_role("link", name=case.sign).is_visible()
    assert axe_violations(page) == []
    page.get_by_label(f"Włącz {cases[1].sign} do paczki").uncheck()
    page.get_by_role("button", name="Przygotuj paczkę archiwalną z wybranych teczek").click()
    page.wait_for_url(re.compile(r"/archiwum/paczki/\d+/$"))
    assert "PA/" in page.locator("h1").inner_text()

    # The progress bar follows the worker; the page reloads itself when the package is validated.
    download = page.get_by_role("link", name="Pobierz paczkę archiwalną (ZIP)")
    download.wait_for(timeout=60_000)
    shot(page, "archive-10-package-ready")
    assert axe_violations(page) == []
    package = ArchivalPackage.objects.get()
    assert package.status == PackageStatus.READY and package.documents_done == 1
    with page.expect_download() as info:
        download.click()
    target = tmp_path / "paczka.zip"
    info.value.save_as(target)
    assert verify.verify(target)["cases"] == 1
    with zipfile.ZipFile(target) as zf:
        assert any(cases[0].sign in n for n in zf.namelist() if n.startswith("sprawy/"))
        assert not any(cases[1].sign in n for n in zf.namelist())

    page.get_by_label("Znak potwierdzenia archiwum państwowego").fill("AP.4321.7.2026")
    page.get_by_label("Data potwierdzenia").fill("2026-01-05")
    page.get_by_role("button", name="Odnotuj przekazanie").click()
    page.get_by_role("status").filter(has_text="Odnotowano przekazanie").wait_for()
    package.refresh_from_db()
    assert package.status == PackageStatus.TRANSFERRED
    page.goto(f"{live_server.url}/archiwum/paczki/")
    assert page.get_by_role("row", name=re.compile("AP.4321.7.2026")).is_visible()
    assert axe_violations(page) == []
