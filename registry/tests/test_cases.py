import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registry.models import Action, CaseParty, CaseStatus, Delivery, HistoryEntry
from registry.services.cases import attach_delivery, change_status, open_case
from registry.tests.factories import (
    CorrespondentFactory,
    JrwaClassFactory,
    JrwaVersionFactory,
    make_case,
    make_delivery,
)


def test_case_from_delivery_gets_sign_and_history(office):
    sender = CorrespondentFactory()
    delivery = make_delivery(office["clerk"], sender=sender, addressed_unit=office["RB"])
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], delivery=delivery)
    year = timezone.localtime(delivery.received_at).year
    assert case.sign == f"RB.6730.1.{year}"
    assert case.started_on == timezone.localtime(delivery.received_at).date()
    delivery.refresh_from_db()
    assert delivery.case == case and delivery.status == Delivery.Status.IN_CASE
    assert CaseParty.objects.filter(case=case, correspondent=sender, role=CaseParty.Role.APPLICANT).exists()
    actions = list(HistoryEntry.objects.filter(case=case).values_list("action", flat=True))
    assert Action.CASE_OPENED in actions and Action.DELIVERY_ATTACHED in actions
    # The registration entry written before the case existed is part of the delivery's history.
    assert HistoryEntry.objects.filter(delivery=delivery, action=Action.DELIVERY_REGISTERED).exists()


def test_section_symbol_with_hyphen(office):
    case = make_case(office["worker_rb_a"], unit=office["RB-A"], jrwa_class=office["wz"])
    assert case.sign.startswith("RB-A.6730.1.")


def test_numbers_count_per_unit_class_and_year(office):
    w = office["worker_rb"]
    a = make_case(w, unit=office["RB"], jrwa_class=office["wz"])
    b = make_case(w, unit=office["RB"], jrwa_class=office["wz"])
    c = make_case(w, unit=office["RB"], jrwa_class=office["udip"])
    d = make_case(w, unit=office["OR"], jrwa_class=office["wz"])
    last_year = make_case(w, unit=office["RB"], jrwa_class=office["wz"], started_on=dt.date(2024, 12, 30))
    assert [a.number, b.number, c.number, d.number] == [1, 2, 1, 1]
    assert last_year.sign == "RB.6730.1.2024"


def test_non_leaf_class_is_refused(office):
    with pytest.raises(ValidationError, match="nie jest klasą końcową"):
        make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["jrwa_parent"])


def test_class_of_a_version_not_in_force_is_refused(office):
    future = JrwaVersionFactory(valid_from=dt.date(2099, 1, 1), name="Przyszły JRWA")
    cls = JrwaClassFactory(version=future, symbol="0001")
    with pytest.raises(ValidationError, match="nie obowiązywała"):
        make_case(office["worker_rb"], unit=office["RB"], jrwa_class=cls)


def test_case_in_the_future_is_refused(office):
    with pytest.raises(ValidationError):
        make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"],
                  started_on=timezone.localdate() + dt.timedelta(days=1))


def test_delivery_cannot_open_two_cases(office):
    delivery = make_delivery(office["clerk"])
    make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], delivery=delivery)
    with pytest.raises(ValidationError, match="należy już do sprawy"):
        open_case(actor=office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], title="x",
                  case_worker=office["worker_rb"], delivery=delivery)


def test_attach_another_delivery(office):
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"])
    second = make_delivery(office["clerk"], subject="Uzupełnienie wniosku")
    attach_delivery(case, second, actor=office["worker_rb"])
    attach_delivery(case, second, actor=office["worker_rb"])  # idempotent
    assert case.deliveries.count() == 1
    assert HistoryEntry.objects.filter(case=case, action=Action.DELIVERY_ATTACHED).count() == 1


def test_status_transitions_and_history(office):
    w = office["worker_rb"]
    case = make_case(w, unit=office["RB"], jrwa_class=office["wz"])
    case = change_status(case, actor=w, status=CaseStatus.SUSPENDED, remarks="art. 97 § 1 pkt 4 KPA")
    case = change_status(case, actor=w, status=CaseStatus.OPEN)
    case = change_status(case, actor=w, status=CaseStatus.CLOSED, remarks="decyzja pozytywna")
    assert case.closed_on == timezone.localdate()
    with pytest.raises(ValidationError):
        change_status(case, actor=w, status=CaseStatus.SUSPENDED)
    status_actions = {Action.CASE_SUSPENDED, Action.CASE_RESUMED, Action.CASE_CLOSED}
    actions = [
        a for a in HistoryEntry.objects.filter(case=case).order_by("pk").values_list("action", flat=True)
        if a in status_actions
    ]
    assert actions == [Action.CASE_SUSPENDED, Action.CASE_RESUMED, Action.CASE_CLOSED]
