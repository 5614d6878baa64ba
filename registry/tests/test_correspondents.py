import pytest
from django.core.exceptions import ValidationError

from registry.models import Action, CaseParty, Correspondent, Delivery, HistoryEntry
from registry.services.correspondents import find, get_or_create, merge
from registry.tests.factories import CorrespondentFactory, make_case, make_delivery


@pytest.fixture
def people(db):
    return [
        CorrespondentFactory(first_name="Żaneta", last_name="Ślęzak", city="Łękołody"),
        CorrespondentFactory(first_name="Jan", last_name="Kowalski", city="Zielona Dolina", pesel="44051401359"),
        CorrespondentFactory(first_name="Janina", last_name="Kowalska", city="Zielona Dolina"),
        Correspondent.objects.create(kind="institution", name="Przedsiębiorstwo „Dom-Bud” Sp. z o.o.",
                                     nip="1234563218", city="Miastko"),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kowal", {"Kowalski", "Kowalska"}),
        ("jan kow", {"Kowalski", "Kowalska"}),
        ("janina", {"Kowalska"}),
        ("slez", {"Ślęzak"}),  # typed without diacritics
        ("ŚLĘ", {"Ślęzak"}),
        ("lekolody", {"Ślęzak"}),
        ("4405", {"Kowalski"}),
        ("dom", {"Przedsiębiorstwo „Dom-Bud” Sp. z o.o."}),
        ("123456", {"Przedsiębiorstwo „Dom-Bud” Sp. z o.o."}),
        ("xyz", set()),
        ("  ", set()),
        ("':*&|!", set()),  # tsquery syntax is never passed through
    ],
)
def test_search_as_you_type(people, query, expected):
    assert {c.last_name or c.name for c in find(query)} == expected


def test_get_or_create_reuses_by_identifier(people):
    assert get_or_create({"kind": "person", "last_name": "Kowalski", "pesel": "44051401359"}) == people[1]
    with pytest.raises(ValidationError):
        get_or_create({"kind": "person", "last_name": "X", "pesel": "44051401358"})


def test_merge_moves_references_and_keeps_history(office, people):
    keep, dup = people[1], CorrespondentFactory(first_name="Jan", last_name="Kowalski", email="jk@example.pl")
    d = make_delivery(office["clerk"], sender=dup)
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], delivery=d)
    merge(keep, dup, actor=office["worker_rb"])
    dup.refresh_from_db()
    keep.refresh_from_db()
    assert dup.merged_into == keep and keep.email == "jk@example.pl"
    assert Delivery.objects.get(pk=d.pk).sender == keep
    assert CaseParty.objects.filter(case=case, correspondent=keep).exists()
    assert HistoryEntry.objects.filter(case=case, action=Action.CASE_UPDATED).exists()
    assert dup not in find("kowalski")
    with pytest.raises(ValidationError):
        merge(keep, dup, actor=office["worker_rb"])


def test_merge_is_in_the_metryka_of_deliveries_and_outgoing_items_without_a_case(office):
    from registry.models import OutgoingChannel
    from registry.services.deliveries import record_outgoing

    keep, dup = CorrespondentFactory(), CorrespondentFactory()
    d = make_delivery(office["clerk"], sender=dup)
    item = record_outgoing(actor=office["clerk"], recipient=dup, channel=OutgoingChannel.values[0], subject="Pismo")
    merge(keep, dup, actor=office["clerk"])
    [on_delivery] = HistoryEntry.objects.filter(delivery=d, action=Action.OTHER)
    [on_item] = HistoryEntry.objects.filter(outgoing_item=item, action=Action.OTHER)
    assert d.rpw in on_delivery.description and item.register_number in on_item.description
    assert on_delivery.case_id is None and on_item.case_id is None
