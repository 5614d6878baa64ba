"""The one access rule, as pages, the API and search see it."""

import datetime as dt

import pytest

from organisation.models import Role, Substitution
from registry.access import scope_for
from registry.models import Case, Delivery, Document
from registry.tests.factories import make_case, make_delivery, member, pdf_upload


@pytest.fixture
def records(office):
    clerk = office["clerk"]
    d_rb = make_delivery(clerk, addressed_unit=office["RB"], subject="Do RB", files=[pdf_upload()])
    d_or = make_delivery(clerk, addressed_unit=office["OR"], subject="Do OR")
    case_rb = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], delivery=d_rb)
    case_rb_a = make_case(office["worker_rb_a"], unit=office["RB-A"], jrwa_class=office["wz"])
    case_or = make_case(office["worker_or"], unit=office["OR"], jrwa_class=office["udip"])
    secret = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], confidential=True,
                       participants=[office["head_rb"]], delivery=d_or)
    return {"d_rb": d_rb, "d_or": d_or, "case_rb": case_rb, "case_rb_a": case_rb_a, "case_or": case_or,
            "secret": secret}


def visible_cases(user):
    return set(scope_for(user).cases(Case.objects.all()).values_list("sign", flat=True))


def signs(records, *names):
    return {records[n].sign for n in names}


def test_case_worker_sees_own_unit_and_own_confidential(office, records):
    assert visible_cases(office["worker_rb"]) == signs(records, "case_rb", "secret")


def test_worker_of_section_sees_only_section(office, records):
    assert visible_cases(office["worker_rb_a"]) == signs(records, "case_rb_a")


def test_head_sees_sub_units_and_named_confidential(office, records):
    assert visible_cases(office["head_rb"]) == signs(records, "case_rb", "case_rb_a", "secret")


def test_secretary_and_archivist_see_all_but_confidential(office, records):
    expected = signs(records, "case_rb", "case_rb_a", "case_or")
    assert visible_cases(office["secretary"]) == expected
    assert visible_cases(office["archivist"]) == expected


def test_clerk_sees_registers_not_cases(office, records):
    scope = scope_for(office["clerk"])
    assert visible_cases(office["clerk"]) == set()
    assert scope.deliveries(Delivery.objects.all()).count() == 2


def test_delivery_of_confidential_case_is_hidden_from_secretary(office, records):
    visible = set(scope_for(office["secretary"]).deliveries(Delivery.objects.all()))
    assert records["d_rb"] in visible
    assert records["d_or"] not in visible


def test_documents_follow_their_case(office, records):
    docs = Document.objects.all()
    assert scope_for(office["worker_or"]).documents(docs).count() == 0
    assert scope_for(office["worker_rb"]).documents(docs).count() == 1


def test_substitute_sees_what_the_principal_sees(office, records):
    substitute = member(office["OR"], Role.CASE_WORKER, username="zastepca")
    assert records["secret"].sign not in visible_cases(substitute)
    today = dt.date.today()
    Substitution.objects.create(principal=office["worker_rb"], substitute=substitute,
                                starts_on=today - dt.timedelta(days=1), ends_on=today + dt.timedelta(days=1))
    assert signs(records, "case_rb", "secret") <= visible_cases(substitute)


def test_flat_rule_matches_orm_rule(office, records):
    """search indexes use allows_record(); it must agree with the ORM filter for every user and case."""
    users = [office[k] for k in ("clerk", "head_rb", "worker_rb", "worker_rb_a", "worker_or", "secretary", "archivist")]
    for user in users:
        scope = scope_for(user)
        for case in Case.objects.prefetch_related("participants"):
            flat = scope.allows_record(
                confidential=case.confidential, unit_ids={case.unit_id},
                user_ids={case.case_worker_id, *[p.pk for p in case.participants.all()]}, is_register_entry=False,
            )
            assert flat == scope.can_see_case(case), (user.username, case.sign)
