"""The policy change reaches every closed case through a real Celery worker."""

import datetime as dt

import pytest

from archive.models import ArchivePolicy, CaseRetention
from archive.tasks import recompute_retention
from archive.tests.conftest import closed_case

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


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
