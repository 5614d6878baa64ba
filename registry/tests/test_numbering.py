"""Gap-free numbering under concurrency: many clerks registering at once, each in its own connection."""

import threading

import pytest
from django.db import connection, connections, transaction

from organisation.models import Role
from registry.models import Case, Delivery, RegisterCounter
from registry.services import numbering
from registry.tests.factories import JrwaClassFactory, OrgUnitFactory, make_case, make_delivery, member

WORKERS = 12
PER_WORKER = 5


def _run_in_threads(target, count):
    errors, barrier = [], threading.Barrier(count)

    def runner(index):
        try:
            barrier.wait()
            target(index)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_get_exactly_1_to_n():
    unit = OrgUnitFactory(symbol="OR")
    clerk = member(unit, Role.REGISTRY_CLERK, username="clerk")

    def register(index):
        for n in range(PER_WORKER):
            make_delivery(clerk, subject=f"Pismo {index}-{n}")

    assert _run_in_threads(register, WORKERS) == []
    numbers = sorted(Delivery.objects.values_list("number", flat=True))
    assert numbers == list(range(1, WORKERS * PER_WORKER + 1))


@pytest.mark.django_db(transaction=True)
def test_concurrent_case_opening_numbers_per_unit_class_year():
    unit = OrgUnitFactory(symbol="RB")
    other_unit = OrgUnitFactory(symbol="OR")
    wz = JrwaClassFactory(symbol="6730")
    worker = member(unit, Role.CASE_WORKER, username="worker")

    def open_cases(index):
        for _ in range(PER_WORKER):
            make_case(worker, unit=unit if index % 2 else other_unit, jrwa_class=wz)

    assert _run_in_threads(open_cases, WORKERS) == []
    for u in (unit, other_unit):
        numbers = sorted(Case.objects.filter(unit=u).values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
        assert len(numbers) == WORKERS // 2 * PER_WORKER
    year = Case.objects.filter(unit=unit).first().year
    assert set(Case.objects.filter(unit=unit).values_list("sign", flat=True)) == {
        f"RB.6730.{n}.{year}" for n in range(1, WORKERS // 2 * PER_WORKER + 1)
    }


@pytest.mark.django_db(transaction=True)
def test_rolled_back_registration_returns_its_number():
    year = 2031
    with transaction.atomic():
        assert numbering.next_register_number(numbering.INCOMING, year) == 1
    try:
        with transaction.atomic():
            assert numbering.next_register_number(numbering.INCOMING, year) == 2
            raise RuntimeError("registration failed half-way")
    except RuntimeError:
        pass
    with transaction.atomic():
        assert numbering.next_register_number(numbering.INCOMING, year) == 2
    assert RegisterCounter.objects.get(register="in", year=year).last_number == 2


@pytest.mark.django_db(transaction=True)
def test_numbering_refuses_to_run_outside_a_transaction():
    assert connection.get_autocommit()
    with pytest.raises(RuntimeError):
        numbering.next_register_number(numbering.INCOMING, 2030)
