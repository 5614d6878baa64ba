"""The policy change reaches every closed case through a real Celery worker."""

import datetime as dt

import pytest

from archive.models import ArchivePolicy, CaseRetention
from archive.tasks import recompute_retention
from archive.tests.conftest import closed_case

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media_root(settings):
    """Overrides the package's temporary MEDIA_ROOT: the real worker (one per session) reads the default one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_policy_change_recomputes_in_the_worker(celery_worker_proc, office, client):
    case = closed_case(office, "1431", started_on=dt.date(2020, 1, 2), closed_on=dt.date(2020, 3, 1))
    assert CaseRetention.objects.get(case=case).eligible_from == dt.date(2023, 1, 1)  # Bc, default 2 years
    admin = office["archivist"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    ArchivePolicy.current()
    response = client.post("/admin/archive/archivepolicy/1/change/", {
        "transfer_after_years": 2, "bc_years": 5, "state_archive_after_years": 25,
    })
    assert response.status_code == 302
    # The admin published the task on commit; run it once more and wait, to see the worker's result.
    assert recompute_retention.delay(admin.pk).get(timeout=60) == {"seen": 1, "written": 0}
    assert CaseRetention.objects.get(case=case).eligible_from == dt.date(2026, 1, 1)


def test_destruction_runs_in_the_worker_chunk_by_chunk(celery_worker_proc, office):
    from archive.models import DisposalItem, DisposalStatus
    from archive.services import disposal as ds
    from archive.tasks import destroy_disposal
    from archive.tests.test_disposal import archived, through_review
    from registry.models import DocumentVersion

    cases = archived(office, "2110", 2012, n=3)
    paths = [v.file.path for v in DocumentVersion.objects.all()]
    disposal = through_review(office, cases)
    ds.record_decision(actor=office["archivist"], disposal=disposal, reference="AP.4252.8.2026",
                       decided_on=dt.date(2026, 1, 5), consent=True)
    assert destroy_disposal.delay(disposal.pk, office["archivist"].pk, 2).get(timeout=60) == 3
    disposal.refresh_from_db()
    assert disposal.status == DisposalStatus.DESTROYED
    assert DisposalItem.objects.filter(destroyed_at__isnull=False).count() == 3
    assert destroy_disposal.delay(disposal.pk, office["archivist"].pk).get(timeout=60) == 0  # again: nothing
    import os

    assert not any(os.path.exists(p) for p in paths)
