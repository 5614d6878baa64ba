"""Pages of archival packages: only the archivist (404 for others), choose files, progress, download, transfer."""

import zipfile

import pytest
from django.urls import reverse

from archive.package_models import ArchivalPackage, PackageStatus
from archive.services import packages as ps
from archive.tests.test_package import a_files

pytestmark = pytest.mark.django_db


def test_others_get_404(client, office):
    cases = a_files(office, n=1)
    package = ps.build(ps.create_package(actor=office["archivist"], cases=cases))
    client.force_login(office["worker"])
    for url in (reverse("archive:packages"), reverse("archive:package-detail", args=[package.pk]),
                reverse("archive:package-progress", args=[package.pk]),
                reverse("archive:package-download", args=[package.pk])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("archive:package-create"), {"case": [cases[0].pk]}).status_code == 404
    assert client.post(reverse("archive:package-action", args=[package.pk, "transfer"]),
                       {"reference": "X", "confirmed_on": "2026-01-05"}).status_code == 404


def test_the_archivist_prepares_follows_downloads_and_records_the_transfer(client, office,
                                                                         django_capture_on_commit_callbacks):
    cases = a_files(office, n=2)
    client.force_login(office["archivist"])
    page = client.get(reverse("archive:packages"))
    assert page.status_code == 200
    for case in cases:
        assert case.sign in page.content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("archive:package-create"), {"case": [c.pk for c in cases]})
    assert len(callbacks) == 1  # the build is published on commit
    package = ArchivalPackage.objects.get()
    assert response.url == reverse("archive:package-detail", args=[package.pk])
    detail = client.get(response.url).content.decode()
    assert "<progress" in detail and "package-progress.js" in detail
    assert client.get(reverse("archive:package-progress", args=[package.pk])).json() == {
        "status": "queued", "status_display": package.get_status_display(), "done": 0, "total": 2, "percent": 0}
    assert client.get(reverse("archive:package-download", args=[package.pk])).status_code == 404  # not yet

    ps.build(package)
    assert client.get(reverse("archive:package-progress", args=[package.pk])).json()["percent"] == 100
    download = client.get(reverse("archive:package-download", args=[package.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    import io

    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as zf:
        assert "spis-zdawczo-odbiorczy.xml" in zf.namelist()

    # a bad date is refused in Polish and nothing changes; then the confirmation is recorded
    bad = client.post(reverse("archive:package-action", args=[package.pk, "transfer"]),
                      {"reference": "AP.1", "confirmed_on": "jutro"}, follow=True)
    assert "Wpisz poprawną datę" in bad.content.decode()
    package.refresh_from_db()
    assert package.status == PackageStatus.READY
    client.post(reverse("archive:package-action", args=[package.pk, "transfer"]),
                {"reference": "AP.4321.7.2026", "confirmed_on": "2026-01-05"})
    package.refresh_from_db()
    assert package.status == PackageStatus.TRANSFERRED
    assert "AP.4321.7.2026" in client.get(reverse("archive:packages")).content.decode()


def test_a_tampered_choice_is_refused(client, office):
    b_case = __import__("archive.tests.test_disposal", fromlist=["archived"]).archived(office, "2110", 2012)[0]
    client.force_login(office["archivist"])
    response = client.post(reverse("archive:package-create"), {"case": [b_case.pk, "x"]}, follow=True)
    assert response.status_code == 200
    assert not ArchivalPackage.objects.exists()
