"""The kind of deadline of a new case is proposed from the JRWA class and the kind of letter, shown in the
case-opening form for confirmation, and the choice with its reason goes into the metryka."""

import re

import pytest
from django.urls import reverse

from deadlines.models import CaseDeadline, DeadlineKind
from deadlines.proposal import DEFAULT, JRWA, LETTER, propose
from deadlines.tests.factories import make_case, make_delivery
from registry.models import Action, Case, HistoryEntry

pytestmark = pytest.mark.django_db


def kind(code):
    return DeadlineKind.objects.get(code=code)


def test_certificate_kind_is_seeded_with_its_statutory_basis(db):
    certificate = kind("ZASW-7D")
    assert (certificate.amount, certificate.unit, certificate.legal_basis) == (7, "days", "art. 217 § 3 KPA")
    assert certificate.active and not certificate.is_default


def test_jrwa_rule_then_kind_of_letter_then_default(office):
    found = propose(jrwa_class=office["1431"], texts=["Wniosek o wydanie zaświadczenia"])
    assert (found.kind.code, found.source) == ("UDIP-14D", JRWA)
    assert "1431" in found.reason
    found = propose(jrwa_class=office["6730"], texts=["Wniosek o wydanie zaświadczenia o przeznaczeniu działki"])
    assert (found.kind.code, found.source) == ("ZASW-7D", LETTER)
    assert "„zaświadczenia”" in found.reason  # quoted as written, with its diacritics
    found = propose(jrwa_class=office["6730"], texts=["Wniosek o ustalenie warunków zabudowy"])
    assert (found.kind.code, found.source) == ("KPA-1M", DEFAULT)
    assert "6730" in found.reason


def test_kind_of_letter_matches_without_diacritics_and_only_at_the_start_of_a_word(office):
    assert propose(texts=["WNIOSEK O ZASWIADCZENIE"]).kind.code == "ZASW-7D"
    assert propose(texts=["Prośba o przezaświadczenie"]).source == DEFAULT  # not at a word start
    assert propose(texts=["Petycja w sprawie oświetlenia"]).kind.code == "PET-3M"


def test_longest_keyword_wins_and_inactive_kinds_are_not_proposed(office):
    texts = ["Skarga na odmowę udostępnienia informacji publicznej"]
    assert propose(texts=texts).kind.code == "UDIP-14D"  # "informacji publicznej" is longer than "skarg"
    DeadlineKind.objects.filter(code="UDIP-14D").update(active=False)
    assert propose(texts=texts).kind.code == "SKARGA-1M"


def test_case_opened_without_a_choice_records_the_proposal(office):
    delivery = make_delivery(office["clerk"], subject="Wniosek o wydanie zaświadczenia o niezaleganiu")
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["6730"], delivery=delivery)
    assert CaseDeadline.objects.get(case=case).kind.code == "ZASW-7D"
    entry = HistoryEntry.objects.get(case=case, action=Action.DEADLINE_SET)
    assert "7 dni" in entry.description and "art. 217 § 3 KPA" in entry.description
    assert "ze względu na rodzaj pisma (słowo „zaświadczenia”), przyjęty bez wyboru" in entry.description
    assert entry.data["proposed"] == "ZASW-7D" and entry.data["proposed_from"] == LETTER
    assert entry.data["changed_by_user"] is False


def case_data(office, **overrides):
    data = {"unit": office["RB"].pk, "jrwa": "6730 Warunki zabudowy", "title": "Zaświadczenie o przeznaczeniu",
            "case_worker": office["worker_rb"].pk}
    data.update(overrides)
    return data


def selected_kind(page: str) -> str:
    select = re.search(r'<select name="deadline_kind".*?</select>', page, re.S).group(0)
    return re.search(r'<option value="(\d+)"[^>]*selected', select).group(1)


def test_form_shows_the_proposal_and_opens_the_case_once_confirmed(client, office):
    delivery = make_delivery(office["clerk"], subject="Wniosek o wydanie zaświadczenia", addressed_unit=office["RB"])
    client.force_login(office["worker_rb"])
    url = reverse("registry:case-create") + f"?przesylka={delivery.pk}"
    page = client.get(url).content.decode()
    certificate = kind("ZASW-7D")
    assert selected_kind(page) == str(certificate.pk)
    assert "Proponowany ze względu na rodzaj pisma (słowo „zaświadczenia”): Wydanie zaświadczenia – 7 dni" in page
    assert f'name="deadline_proposed" value="{certificate.pk}"' in page

    # Sent without a kind (e.g. the select emptied): nothing is opened, the proposal is put back and asked for.
    response = client.post(url, case_data(office, przesylka=delivery.pk))
    assert response.status_code == 200 and Case.objects.count() == 0
    page = response.content.decode()
    assert "Potwierdź rodzaj terminu: proponujemy Wydanie zaświadczenia – 7 dni (7 dni)" in page
    assert selected_kind(page) == str(certificate.pk)

    response = client.post(url, case_data(office, przesylka=delivery.pk, deadline_kind=certificate.pk,
                                          deadline_proposed=certificate.pk))
    case = Case.objects.get()
    assert response["Location"] == reverse("registry:case-detail", args=[case.pk])
    assert case.deadline.kind == certificate
    entry = HistoryEntry.objects.get(case=case, action=Action.DEADLINE_SET)
    assert "potwierdzony przy zakładaniu sprawy" in entry.description
    detail = client.get(response["Location"]).content.decode()
    assert "potwierdzony przy zakładaniu sprawy" in detail  # the metryka on the case page


def test_a_new_jrwa_class_changes_an_accepted_proposal_only_after_asking(client, office):
    client.force_login(office["worker_rb"])
    url = reverse("registry:case-create")
    default = kind("KPA-1M")
    # The page proposed the default (no class yet); the person then typed class 1431 without JavaScript.
    response = client.post(url, case_data(office, jrwa="1431", title="Wniosek o informację",
                                          deadline_kind=default.pk, deadline_proposed=default.pk))
    assert Case.objects.count() == 0
    page = response.content.decode()
    assert "Dla tej klasy JRWA i tytułu proponujemy Dostęp do informacji publicznej – 14 dni" in page
    udip = kind("UDIP-14D")
    assert selected_kind(page) == str(udip.pk)


def test_a_kind_chosen_by_hand_is_kept_and_recorded_as_a_change(client, office):
    client.force_login(office["worker_rb"])
    default, two_months = kind("KPA-1M"), kind("KPA-2M")
    client.post(reverse("registry:case-create"), case_data(
        office, title="Warunki zabudowy – farma wiatrowa", deadline_kind=two_months.pk, deadline_proposed=default.pk,
    ))
    case = Case.objects.get()
    assert case.deadline.kind == two_months
    entry = HistoryEntry.objects.get(case=case, action=Action.DEADLINE_SET)
    assert ("Rodzaj wybrany przy zakładaniu sprawy zamiast proponowanego: Postępowanie wyjaśniające – 1 miesiąc "
            "(proponowany jako rodzaj domyślny: brak reguły dla klasy JRWA 6730") in entry.description
    assert entry.data["changed_by_user"] is True and entry.data["kind"] == "KPA-2M"


def test_proposal_endpoint(client, office):
    client.force_login(office["worker_rb"])
    url = reverse("deadlines:proposal")
    found = client.get(url, {"jrwa": "1510 Skargi i wnioski", "title": "x", "subject": "Wniosek o zaświadczenie"})
    assert found.json()["kind"] == kind("SKARGA-1M").pk and found.json()["source"] == JRWA
    found = client.get(url, {"jrwa": "6730", "subject": "Wniosek o zaświadczenie"}).json()
    assert found["kind"] == kind("ZASW-7D").pk and "art. 217 § 3 KPA" in found["text"]
    assert client.get(url, {"jrwa": "\x00", "title": "\x00"}).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302
