"""Forms of the registry pages: registration with files, double submit, translated errors, case actions."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from registry.models import Action, Case, CaseStatus, Correspondent, Delivery, DocumentVersion, HistoryEntry
from registry.tests.factories import CorrespondentFactory, make_case, make_delivery, pdf_upload


def delivery_data(**overrides):
    data = {
        "idempotency_key": "klucz-1",
        "channel": "post",
        "form": "paper",
        "received_at": (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "subject": "Wniosek o wydanie decyzji o warunkach zabudowy",
        "sender_search": "",
        "sender": "",
        "sender_reference": "WZ/1/2026",
        "letter_date": "",
        "paper_attachments": "2",
        "paper_location": "Segregator 1/2026",
        "remarks": "",
        "new_kind": "person",
    }
    data.update(overrides)
    return data


@pytest.fixture
def clerk_client(client, office):
    client.force_login(office["clerk"])
    return client


def test_registration_through_the_form_with_files(clerk_client, office):
    sender = CorrespondentFactory(last_name="Nowak")
    data = delivery_data(sender=str(sender.pk), sender_search="Jan Nowak", addressed_unit=str(office["RB"].pk))
    data["files"] = [pdf_upload("wniosek.pdf"), pdf_upload("załącznik mapa.pdf")]
    response = clerk_client.post(reverse("registry:delivery-create"), data, follow=True)
    delivery = Delivery.objects.get()
    assert response.redirect_chain[-1][0] == reverse("registry:delivery-detail", args=[delivery.pk])
    page = response.content.decode()
    assert f"Przesyłka zarejestrowana pod numerem {delivery.rpw}" in page
    assert delivery.sender == sender and delivery.paper_attachments == 2
    assert delivery.addressed_unit == office["RB"]
    names = list(DocumentVersion.objects.filter(document__delivery=delivery).values_list("original_name", flat=True))
    assert sorted(names) == ["wniosek.pdf", "załącznik mapa.pdf"]
    assert "wniosek.pdf" in page


def test_double_submit_registers_once(clerk_client, office):
    data = delivery_data()
    first = clerk_client.post(reverse("registry:delivery-create"), data | {"files": [pdf_upload()]})
    second = clerk_client.post(reverse("registry:delivery-create"), data | {"files": [pdf_upload()]})
    assert Delivery.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert DocumentVersion.objects.count() == 1


def test_each_new_form_has_a_fresh_idempotency_key(clerk_client):
    a = clerk_client.get(reverse("registry:delivery-create")).context["form"].initial["idempotency_key"]
    b = clerk_client.get(reverse("registry:delivery-create")).context["form"].initial["idempotency_key"]
    assert a and b and a != b


def test_new_sender_created_inline(clerk_client):
    data = delivery_data(new_kind="institution", new_name="Spółdzielnia Mieszkaniowa „Dolina”", new_city="Zielona",
                         new_nip="123-456-32-18")
    clerk_client.post(reverse("registry:delivery-create"), data)
    delivery = Delivery.objects.get()
    assert delivery.sender.name == "Spółdzielnia Mieszkaniowa „Dolina”"
    assert delivery.sender.nip == "1234563218"


def test_bad_nip_of_new_sender_is_shown_next_to_the_field(clerk_client):
    data = delivery_data(new_kind="institution", new_name="Firma", new_nip="1234567890")
    response = clerk_client.post(reverse("registry:delivery-create"), data)
    assert response.status_code == 200
    assert Delivery.objects.count() == 0 and Correspondent.objects.count() == 0
    page = response.content.decode()
    assert "NIP ma błędną cyfrę kontrolną." in page
    assert 'id="id_new_nip_errors"' in page and 'aria-describedby="id_new_nip_errors"' in page
    assert 'href="#id_new_nip"' in page  # the summary at the top links to the field


def test_future_receipt_date_is_refused(clerk_client):
    future = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = clerk_client.post(reverse("registry:delivery-create"), delivery_data(received_at=future))
    assert response.status_code == 200
    assert Delivery.objects.count() == 0
    assert "Data wpływu nie może być z przyszłości." in response.content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("pusty.pdf", b""), "pusty"),
        (SimpleUploadedFile(".htaccess", b"deny from all"), "nie może zawierać ścieżki"),
        (SimpleUploadedFile("a:b.pdf", b"%PDF-1.4 x"), "nie może zawierać ścieżki"),
    ],
)
def test_bad_files_show_translated_errors(clerk_client, settings, upload, message):
    response = clerk_client.post(reverse("registry:delivery-create"), delivery_data(files=[pdf_upload(), upload]))
    assert response.status_code == 200
    assert Delivery.objects.count() == 0
    assert message in response.content.decode()


def test_path_in_file_name_never_reaches_the_disk(clerk_client, settings):
    """Django's upload parser keeps only the last path component; the stored path is always ours."""
    upload = SimpleUploadedFile("../../etc/passwd.pdf", b"%PDF-1.4 test")
    clerk_client.post(reverse("registry:delivery-create"), delivery_data(files=[upload]))
    version = DocumentVersion.objects.get()
    assert "/" not in version.original_name and ".." not in version.original_name
    assert version.file.name.startswith("documents/") and "passwd" not in version.file.name


def test_subject_is_required_but_brak_danych_is_fine(clerk_client):
    response = clerk_client.post(reverse("registry:delivery-create"), delivery_data(subject=""))
    assert "To pole jest wymagane." in response.content.decode()
    clerk_client.post(reverse("registry:delivery-create"), delivery_data(subject="brak danych"))
    assert Delivery.objects.get().subject == "brak danych"


# ---------------------------------------------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------------------------------------------


def case_data(office, **overrides):
    data = {"unit": office["RB"].pk, "jrwa": "6730 Warunki zabudowy", "title": "Warunki zabudowy dz. 5",
            "case_worker": office["worker_rb"].pk}
    data.update(overrides)
    return data


def test_open_case_from_delivery(client, office):
    delivery = make_delivery(office["clerk"], addressed_unit=office["RB"], sender=CorrespondentFactory())
    client.force_login(office["worker_rb"])
    url = reverse("registry:case-create") + f"?przesylka={delivery.pk}"
    from deadlines.models import DeadlineKind

    certificate = DeadlineKind.objects.get(code="ZASW-7D")  # the factory's subject asks for a certificate
    response = client.post(url, case_data(office, przesylka=delivery.pk, deadline_kind=certificate.pk,
                                          deadline_proposed=certificate.pk))
    case = Case.objects.get()
    assert response["Location"] == reverse("registry:case-detail", args=[case.pk])
    assert case.sign == f"RB.6730.1.{case.year}"
    delivery.refresh_from_db()
    assert delivery.case == case and delivery.status == Delivery.Status.IN_CASE
    page = client.get(response["Location"]).content.decode()
    assert case.sign in page and delivery.rpw in page


def test_non_leaf_jrwa_class_is_refused_with_a_clear_message(client, office):
    client.force_login(office["worker_rb"])
    response = client.post(reverse("registry:case-create"), case_data(office, jrwa="673"))
    assert Case.objects.count() == 0
    page = response.content.decode()
    assert "Klasa 673 nie jest klasą końcową" in page
    assert 'id="id_jrwa_errors"' in page
    response = client.post(reverse("registry:case-create"), case_data(office, jrwa="9999"))
    assert "Nie ma klasy o tym symbolu w obowiązującym JRWA." in response.content.decode()


def test_case_worker_must_work_in_the_unit(client, office):
    client.force_login(office["head_rb"])
    response = client.post(reverse("registry:case-create"), case_data(office, case_worker=office["worker_or"].pk))
    assert Case.objects.count() == 0
    assert response.status_code == 200


def test_jrwa_search_marks_non_leaf_classes(client, office):
    client.force_login(office["worker_rb"])
    results = client.get(reverse("registry:jrwa-search") + "?q=673").json()["results"]
    assert [(r["value"], r["disabled"]) for r in results] == [("673", True), ("6730", False)]
    results = client.get(reverse("registry:jrwa-search") + "?q=zabudowy").json()["results"]
    assert [r["value"] for r in results] == ["6730"]


def test_case_actions_status_worker_party_document_version(client, office):
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"])
    client.force_login(office["worker_rb"])
    client.post(reverse("registry:case-status", args=[case.pk]), {"status": "suspended", "remarks": "art. 97"})
    client.post(reverse("registry:case-status", args=[case.pk]), {"status": "open"})
    client.post(reverse("registry:case-status", args=[case.pk]), {"status": "closed", "remarks": "decyzja"})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closing_remarks == "decyzja"
    client.post(reverse("registry:case-status", args=[case.pk]), {"status": "open"})
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    client.post(reverse("registry:case-worker", args=[case.pk]), {"case_worker": office["head_rb"].pk})
    case.refresh_from_db()
    assert case.case_worker == office["head_rb"]
    party = CorrespondentFactory()
    client.post(reverse("registry:case-party", args=[case.pk]), {"correspondent": party.pk, "party_search": "x",
                                                                 "role": "party"})
    assert case.party_links.filter(correspondent=party).exists()
    client.post(reverse("registry:case-document", args=[case.pk]),
                {"title": "Notatka", "kind": "note", "file": pdf_upload("notatka.pdf"), "comment": ""})
    document = case.documents.get()
    client.post(reverse("registry:document-version", args=[document.pk]),
                {"file": pdf_upload("notatka-v2.pdf"), "comment": "poprawki"})
    assert list(document.versions.values_list("number", flat=True)) == [1, 2]
    actions = list(HistoryEntry.objects.filter(case=case).values_list("action", flat=True))
    for action in (Action.CASE_SUSPENDED, Action.CASE_RESUMED, Action.CASE_CLOSED, Action.CASE_REOPENED,
                   Action.CASE_WORKER_CHANGED, Action.PARTY_ADDED, Action.DOCUMENT_ADDED,
                   Action.DOCUMENT_VERSION_ADDED):
        assert action in actions


def test_case_actions_refused_to_readers(client, office):
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"])
    client.force_login(office["secretary"])
    response = client.post(reverse("registry:case-status", args=[case.pk]), {"status": "closed"})
    assert response.status_code == 403
    client.force_login(office["worker_or"])
    assert client.post(reverse("registry:case-status", args=[case.pk]), {"status": "closed"}).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN


def test_attach_delivery_to_case(client, office):
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"])
    delivery = make_delivery(office["clerk"], addressed_unit=office["RB"])
    client.force_login(office["worker_rb"])
    response = client.post(reverse("registry:delivery-attach", args=[delivery.pk]), {"case": case.pk})
    assert response["Location"] == reverse("registry:case-detail", args=[case.pk])
    delivery.refresh_from_db()
    assert delivery.case == case


# ---------------------------------------------------------------------------------------------------------------
# Correspondents
# ---------------------------------------------------------------------------------------------------------------


def correspondent_data(**overrides):
    data = {"kind": "institution", "first_name": "", "last_name": "", "name": "Urząd Skarbowy", "pesel": "",
            "nip": "", "regon": "", "krs": "", "street": "", "building_number": "", "flat_number": "",
            "postal_code": "", "city": "", "country": "PL", "email": "", "epuap_address": "", "ade": ""}
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("nip", "1234567890", "NIP ma błędną cyfrę kontrolną."),
        ("regon", "12345", "REGON musi mieć 9 albo 14 cyfr."),
        ("krs", "12", "Numer KRS musi mieć 10 cyfr."),
        ("ade", "AE:PL-1", "Adres do doręczeń elektronicznych ma postać AE:PL-12345-12345-ABCDE-12."),
        ("epuap_address", "skrytka", "Adres skrytki ePUAP ma postać /identyfikator/skrytka."),
        ("pesel", "44051401358", "PESEL ma błędną cyfrę kontrolną."),
    ],
)
def test_correspondent_validation_messages_next_to_fields(client, office, field, value, message):
    client.force_login(office["clerk"])
    response = client.post(reverse("registry:correspondent-create"), correspondent_data(**{field: value}))
    assert Correspondent.objects.count() == 0
    page = response.content.decode()
    assert message in page
    assert f'id="id_{field}_errors"' in page


def test_correspondent_create_edit_and_merge(client, office):
    client.force_login(office["clerk"])
    client.post(reverse("registry:correspondent-create"), correspondent_data(nip="123-456-32-18"))
    keep = Correspondent.objects.get()
    assert keep.nip == "1234563218"
    client.post(reverse("registry:correspondent-edit", args=[keep.pk]),
                correspondent_data(nip="1234563218", city="Zielona Dolina"))
    keep.refresh_from_db()
    assert keep.city == "Zielona Dolina"
    duplicate = CorrespondentFactory(kind="institution", name="Urzad Skarbowy", regon="123456785")
    delivery = make_delivery(office["clerk"], sender=duplicate)
    url = reverse("registry:correspondent-merge", args=[keep.pk]) + f"?z={duplicate.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {"z": duplicate.pk, "keep": keep.pk})
    assert response["Location"] == reverse("registry:correspondent-detail", args=[keep.pk])
    duplicate.refresh_from_db()
    delivery.refresh_from_db()
    keep.refresh_from_db()
    assert duplicate.merged_into == keep and delivery.sender == keep and keep.regon == "123456785"


# ---------------------------------------------------------------------------------------------------------------
# Outgoing register
# ---------------------------------------------------------------------------------------------------------------


def test_outgoing_item_and_evidence(client, office):
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"])
    recipient = CorrespondentFactory()
    client.force_login(office["clerk"])
    response = client.post(reverse("registry:outgoing-create"), {
        "recipient": recipient.pk, "recipient_search": str(recipient), "case_sign": case.sign,
        "channel": "post_registered", "subject": "Decyzja", "sent_at": "", "tracking_number": "",
    })
    from registry.models import OutgoingItem

    item = OutgoingItem.objects.get()
    assert response["Location"] == reverse("registry:outgoing-detail", args=[item.pk])
    assert item.case == case and item.status == OutgoingItem.Status.PREPARED
    when = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("registry:outgoing-detail", args=[item.pk]),
                {"action": "sent", "sent_at": when, "tracking_number": "RR123456789PL"})
    client.post(reverse("registry:outgoing-detail", args=[item.pk]), {
        "action": "evidence", "outcome": "delivered", "delivered_at": when, "evidence_kind": "zwrotka",
        "evidence_file": pdf_upload("zwrotka.pdf"),
    })
    item.refresh_from_db()
    assert item.status == OutgoingItem.Status.DELIVERED and item.tracking_number == "RR123456789PL"
    assert item.evidence is not None and item.evidence.case == case


def test_outgoing_unknown_case_sign(client, office):
    client.force_login(office["clerk"])
    response = client.post(reverse("registry:outgoing-create"), {
        "recipient": CorrespondentFactory().pk, "recipient_search": "x", "case_sign": "XX.1.1.2020",
        "channel": "post_registered", "subject": "Decyzja",
    })
    assert response.status_code == 200
    assert "Nie ma sprawy o tym znaku, którą możesz zobaczyć." in response.content.decode()


def test_typed_sender_must_be_chosen_or_created(clerk_client):
    response = clerk_client.post(reverse("registry:delivery-create"), delivery_data(sender_search="Kowalski"))
    assert Delivery.objects.count() == 0
    assert "Wybierz nadawcę z listy albo wypełnij „Nowy nadawca”." in response.content.decode()


def test_jrwa_picker_with_a_nul_byte_answers_empty_not_500(client, office):
    client.force_login(office["worker_rb"])
    response = client.get(reverse("registry:jrwa-search"), {"q": "Warunki\x00"})
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_outgoing_form_prefill_never_reveals_a_case_the_clerk_may_not_see(client, office):
    secret = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], confidential=True,
                       title="Tajny tytuł sprawy")
    client.force_login(office["clerk"])
    response = client.get(reverse("registry:outgoing-create"), {"sprawa": secret.pk})
    assert response.status_code == 200
    assert "Tajny tytuł sprawy" not in response.content.decode()
    assert f'value="{secret.sign}"' not in response.content.decode()
