"""The metryka is append-only, enforced by PostgreSQL itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from registry.models import Action, HistoryEntry
from registry.tests.factories import make_case


@pytest.fixture
def entry(office):
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"])
    return HistoryEntry.objects.filter(case=case, action=Action.CASE_OPENED).get()


def test_update_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE registry_historyentry SET description = 'forged' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.description != "forged"


def test_delete_is_refused_by_the_database(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM registry_historyentry WHERE id = %s", [entry.pk])
    assert HistoryEntry.objects.filter(pk=entry.pk).exists()


def test_orm_bulk_update_and_delete_are_refused(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        HistoryEntry.objects.filter(pk=entry.pk).update(description="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        HistoryEntry.objects.filter(pk=entry.pk).delete()


def test_saving_an_existing_entry_is_refused(entry):
    entry.description = "changed"
    with pytest.raises(ValueError):
        entry.save()


def test_entry_keeps_name_and_position_of_the_day(office, entry):
    worker = office["worker_rb"]
    assert entry.actor_name == worker.get_full_name()
    assert entry.actor_position == "inspektor"
    worker.position_title = "starszy inspektor"
    worker.save()
    entry.refresh_from_db()
    assert entry.actor_position == "inspektor"
