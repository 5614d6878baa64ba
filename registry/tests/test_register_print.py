"""The RPW and the outgoing register printed as PDF for a day or a month: the columns of the instrukcja, Polish
letters intact (read back with pypdf and pdftotext), access for clerks and the secretary, clear errors."""

import datetime as dt
import io
import shutil
import subprocess
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from registry.models import Channel, Delivery, Form, OutgoingItem
from registry.services.deliveries import record_outgoing
from registry.tests.factories import CorrespondentFactory, make_case, make_delivery, pdf_upload

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


def pdf_bytes(response) -> bytes:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def text_of(data: bytes) -> str:
    """The text of every page, whitespace collapsed (cells wrap their words onto several lines)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def day_of_mail(office):
    """Three deliveries on Wed 2 Dec 2026 and one on the next day; one of them in a confidential case."""
    sender = CorrespondentFactory(first_name="Żaneta", last_name="Ślęzak", city="Łódź", postal_code="90-001",
                                  street="Źródlana", building_number="5")
    when = dt.datetime(2026, 12, 2, 9, 15, tzinfo=WARSAW)
    first = make_delivery(office["clerk"], received_at=when, sender=sender, sender_reference="ŻŚ/1/2026",
                          letter_date=dt.date(2026, 11, 30), subject="Wniosek o wydanie zaświadczenia o niezaleganiu",
                          paper_attachments=2, addressed_unit=office["RB"], files=[pdf_upload("skan.pdf")])
    secret = make_delivery(office["clerk"], received_at=when + dt.timedelta(hours=1), subject="Sprawa kadrowa – poufne",
                           channel=Channel.EPUAP, form=Form.ELECTRONIC)
    make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], delivery=secret, confidential=True,
              title="Poufna")
    make_delivery(office["clerk"], received_at=when + dt.timedelta(hours=2), subject="brak danych")
    make_delivery(office["clerk"], received_at=when + dt.timedelta(days=1), subject="Następnego dnia")
    return first


def test_rpw_for_a_day_has_the_columns_and_polish_letters(client, office, day_of_mail):
    client.force_login(office["clerk"])
    data = pdf_bytes(client.get(reverse("registry:delivery-register-pdf"), {"day": "2026-12-02"}))
    text = text_of(data)
    assert "Rejestr przesyłek wpływających (RPW)" in text and "2 grudnia 2026" in text
    for heading in ("Numer RPW", "Data wpływu", "Nadawca (nazwa i adres)", "Znak pisma nadawcy", "Data pisma",
                    "Przydzielono", "Liczba załączników", "Uwagi"):
        assert heading in text, heading
    assert day_of_mail.rpw in text and "2026-12-02 09:15" in text
    assert "Żaneta Ślęzak" in text and "Łódź" in text and "ŻŚ/1/2026" in text and "2026-11-30" in text
    assert "zaświadczenia o niezaleganiu" in text
    assert "Sprawa kadrowa – poufne" in text  # the clerk sees the whole register
    assert "Następnego dnia" not in text
    assert "Liczba wpisów: 3" in text and "Strona 1" in text
    assert "poczta (papierowa)" in text  # channel and form in the remarks
    fonts = {str(f) for page in PdfReader(io.BytesIO(data)).pages
             for f in (page["/Resources"]["/Font"] or {}).values()}
    assert fonts  # the TrueType font is embedded (subset), not a core font without Polish letters
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True).stdout
        assert "Żaneta Ślęzak" in out.decode("utf-8")


def test_rpw_for_a_month_and_the_secretary_misses_confidential_entries(client, office, day_of_mail):
    client.force_login(office["secretary"])
    text = text_of(pdf_bytes(client.get(reverse("registry:delivery-register-pdf"), {"month": "2026-12"})))
    assert "Grudzień 2026" in text
    assert "Następnego dnia" in text and "Wniosek o wydanie zaświadczenia" in text
    assert "Sprawa kadrowa" not in text
    assert "pominięto w tym wydruku" in text and "Liczba wpisów: 3" in text


def test_outgoing_register_for_a_day(client, office):
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"])
    recipient = CorrespondentFactory(kind="institution", name="Spółdzielnia „Świt” w Gdańsku", city="Gdańsk")
    item = record_outgoing(actor=office["clerk"], recipient=recipient, channel="post_registered", case=case,
                           subject="Decyzja o warunkach zabudowy – źródło", tracking_number="RR123456789PL")
    client.force_login(office["clerk"])
    today = timezone.localdate().isoformat()
    text = text_of(pdf_bytes(client.get(reverse("registry:outgoing-register-pdf"), {"day": today})))
    assert "Rejestr przesyłek wychodzących" in text
    for value in (item.register_number, "Spółdzielnia „Świt” w Gdańsku", "Decyzja o warunkach zabudowy – źródło",
                  case.sign, "RR123456789PL", "Adresat (nazwa i adres)", "Sposób wysyłki"):
        assert value in text, value


def test_only_clerks_and_the_secretary_print(client, office):
    url = reverse("registry:delivery-register-pdf")
    assert client.get(url, {"day": "2026-12-02"}).status_code == 302  # to the login page
    client.force_login(office["worker_rb"])
    assert client.get(url, {"day": "2026-12-02"}).status_code == 403
    assert client.get(reverse("registry:outgoing-register-pdf"), {"day": "2026-12-02"}).status_code == 403
    assert "Wydruk rejestru" not in client.get(reverse("registry:delivery-list")).content.decode()
    client.force_login(office["clerk"])
    page = client.get(reverse("registry:delivery-list")).content.decode()
    assert "Wydruk rejestru (PDF)" in page and reverse("registry:delivery-register-pdf") in page
    assert reverse("registry:outgoing-register-pdf") in client.get(reverse("registry:outgoing-list")).content.decode()


@pytest.mark.parametrize("query, message", [
    ({}, "Wybierz dzień albo miesiąc do wydruku."),
    ({"day": "2026-12-02", "month": "2026-12"}, "Wybierz dzień albo miesiąc do wydruku."),
    ({"month": "2026-13"}, "Podaj miesiąc jako rok i miesiąc, np. 2026-12."),
    ({"month": "grudzień"}, "Podaj miesiąc jako rok i miesiąc, np. 2026-12."),
    ({"day": "2026-02-30"}, "Wpisz poprawną datę."),
])
def test_bad_period_is_refused_with_a_polish_message(client, office, query, message):
    client.force_login(office["clerk"])
    response = client.get(reverse("registry:delivery-register-pdf"), query, follow=True)
    assert response.redirect_chain[-1][0] == reverse("registry:delivery-list")
    assert message in response.content.decode()


def test_empty_period_prints_a_page_saying_so(client, office):
    client.force_login(office["clerk"])
    text = text_of(pdf_bytes(client.get(reverse("registry:outgoing-register-pdf"), {"month": "2001-01"})))
    assert "Brak wpisów w tym okresie." in text


def test_a_long_month_spans_pages_with_headings_on_each(client, office, django_assert_max_num_queries):
    sender = CorrespondentFactory(last_name="Wójcik")
    start = dt.datetime(2026, 11, 1, 8, 0, tzinfo=WARSAW)
    Delivery.objects.bulk_create([
        Delivery(year=2026, number=n, channel=Channel.POST, form=Form.PAPER, sender=sender,
                 received_at=start + dt.timedelta(minutes=7 * n),
                 subject=f"Pismo nr {n} w sprawie gęśli " * (n % 3 + 1),
                 registered_by=office["clerk"])
        for n in range(1, 401)
    ])
    client.force_login(office["clerk"])
    with django_assert_max_num_queries(12):  # session, user, roles, the rows in chunks: no query per row
        data = pdf_bytes(client.get(reverse("registry:delivery-register-pdf"), {"month": "2026-11"}))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 5
    last = " ".join(reader.pages[-1].extract_text().split())
    assert "Numer RPW" in last and f"Strona {len(reader.pages)}" in last and "Liczba wpisów: 400" in last
    text = text_of(data)
    assert all(f"RPW/{n}/2026" in text for n in (1, 200, 400))
    assert OutgoingItem.objects.count() == 0
