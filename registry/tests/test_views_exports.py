"""Metryka and spis spraw exports (CSV and XLSX), and lists that stay at a fixed number of queries."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from registry.models import CaseStatus
from registry.services.cases import change_status
from registry.tests.factories import CorrespondentFactory, JrwaClassFactory, make_case, make_delivery, pdf_upload


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def read_xlsx(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def case(office):
    sender = CorrespondentFactory(first_name="Jan", last_name="Kowalski")
    delivery = make_delivery(office["clerk"], sender=sender, addressed_unit=office["RB"], sender_reference="ABC/7",
                             letter_date=timezone.localdate() - dt.timedelta(days=3),
                             files=[pdf_upload("wniosek.pdf")])
    return make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], delivery=delivery,
                     title="Warunki zabudowy dz. 12/3")


def test_metryka_csv(client, office, case):
    client.force_login(office["worker_rb"])
    response = client.get(reverse("registry:case-metryka-csv", args=[case.pk]))
    assert f'filename="metryka-{case.sign}.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["Metryka sprawy"]
    assert rows[1] == ["Znak sprawy", case.sign]
    assert rows[2] == ["Tytuł sprawy", "Warunki zabudowy dz. 12/3"]
    header = rows.index(["Lp.", "Data czynności", "Imię i nazwisko", "Stanowisko", "Czynność", "Opis czynności",
                         "Identyfikator dokumentu"])
    body = rows[header + 1:]
    actions = [r[4] for r in body]
    assert actions[:3] == ["rejestracja przesyłki", "dodanie dokumentu", "założenie sprawy"]
    assert [r[0] for r in body] == [str(i) for i in range(1, len(body) + 1)]
    document_row = body[1]
    # The document is named by its title (the letter's subject and kind of copy); the description keeps the file.
    assert document_row[6].startswith("dok. nr ") and "Wniosek o wydanie zaświadczenia (skan)" in document_row[6]
    assert "wniosek.pdf" in document_row[5]
    assert document_row[3] == office["clerk"].position_title


def test_metryka_xlsx(client, office, case):
    client.force_login(office["secretary"])
    response = client.get(reverse("registry:case-metryka-xlsx", args=[case.pk]))
    assert response.status_code == 200
    rows = read_xlsx(response)
    assert rows[1][:2] == ["Znak sprawy", case.sign]
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Lp.")
    assert rows[header + 1][0] == 1 and rows[header + 1][4] == "rejestracja przesyłki"


def test_spis_spraw_csv_and_xlsx(client, office, case):
    other = JrwaClassFactory(version=office["wz"].version, symbol="6731", title="Inne", parent=office["jrwa_parent"])
    own = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=other, title="Sprawa własna")
    change_status(own, actor=office["worker_rb"], status=CaseStatus.CLOSED, remarks="decyzja ostateczna")
    make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["udip"], title="Informacja publiczna")
    make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], title="Poufna", confidential=True)
    year = timezone.localdate().year
    client.force_login(office["secretary"])
    base = reverse("registry:case-register") + f"?unit={office['RB'].pk}&jrwa=673&year={year}"
    page = client.get(base)
    assert page.status_code == 200
    html = page.content.decode()
    assert case.sign in html and own.sign in html
    assert "Informacja publiczna" not in html and "Poufna" not in html
    rows = read_csv(client.get(base + "&format=csv"))
    assert rows[0] == ["Spis spraw"]
    assert rows[1] == ["Rok / okres", str(year)]
    assert rows[3] == ["Komórka organizacyjna", str(office["RB"])]
    assert rows[4] == ["Symbol klasy JRWA", "673"]
    assert rows[5] == ["Hasło klasyfikacyjne", "Planowanie"]
    header = rows.index(["Lp.", "Numer sprawy", "Znak sprawy", "Tytuł sprawy", "Nadawca", "Znak pisma nadawcy",
                         "Data pisma", "Data wszczęcia", "Data ostatecznego załatwienia", "Prowadzący sprawę",
                         "Uwagi"])
    first, second = rows[header + 1], rows[header + 2]
    assert first[:6] == ["1", "1", case.sign, "Warunki zabudowy dz. 12/3", "Jan Kowalski", "ABC/7"]
    assert first[6] == (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    assert first[8] == ""
    assert second[2] == own.sign and second[4] == "" and second[8] == timezone.localdate().isoformat()
    assert second[10] == "decyzja ostateczna"
    assert len(rows) == header + 3
    xlsx = read_xlsx(client.get(base + "&format=xlsx"))
    header = next(i for i, r in enumerate(xlsx) if r and r[0] == "Lp.")
    assert xlsx[header + 1][2] == case.sign and xlsx[header + 2][10] == "decyzja ostateczna"


def test_spis_spraw_by_date_range_and_validation(client, office, case):
    client.force_login(office["worker_rb"])
    today = timezone.localdate().isoformat()
    url = reverse("registry:case-register") + f"?unit={office['RB'].pk}&date_from={today}&date_to={today}"
    assert case.sign in client.get(url).content.decode()
    response = client.get(reverse("registry:case-register") + f"?unit={office['RB'].pk}")
    assert "Wybierz rok lub zakres dat." in response.content.decode()


def _records(office, n):
    from registry.models import OutgoingChannel
    from registry.services.deliveries import record_outgoing

    for i in range(n):
        sender = CorrespondentFactory()
        delivery = make_delivery(office["clerk"], sender=sender, addressed_unit=office["RB"],
                                 files=[pdf_upload()] if i % 3 == 0 else ())
        if i % 2:
            case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], delivery=delivery,
                             case_worker=office["head_rb"])
            record_outgoing(actor=office["clerk"], recipient=sender, channel=OutgoingChannel.EPUAP,
                            subject="Odpowiedź", case=case)


@pytest.mark.parametrize(
    ("name", "who"),
    [("delivery-list", "clerk"), ("case-list", "secretary"), ("outgoing-list", "clerk"),
     ("correspondent-list", "clerk"), ("home", "head_rb"), ("case-register", "secretary")],
)
def test_lists_do_not_grow_queries_with_rows(client, office, django_assert_max_num_queries, name, who):
    """No N+1: the same number of queries for 2 rows as for 14 (and never more than 15)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(office[who])
    url = reverse(f"registry:{name}")
    if name == "case-register":
        url += f"?unit={office['RB'].pk}&year={timezone.localdate().year}"
    counts = []
    for n in (2, 12):
        _records(office, n)
        client.get(url)  # warm caches (session, content types)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(15):
        client.get(url)


def test_case_and_delivery_detail_queries_do_not_grow(client, office):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    delivery = make_delivery(office["clerk"], addressed_unit=office["RB"], files=[pdf_upload()])
    case = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], delivery=delivery)
    client.force_login(office["worker_rb"])
    urls = [reverse("registry:case-detail", args=[case.pk]), reverse("registry:delivery-detail", args=[delivery.pk])]
    before = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        before.append(len(queries))
    from registry.services.documents import add_document, store_version

    for i in range(5):
        document = add_document(actor=office["worker_rb"], title=f"Pismo {i}", kind="note", upload=pdf_upload(),
                                case=case)
        store_version(document, pdf_upload(), actor=office["worker_rb"])
    after = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        after.append(len(queries))
    assert before == after


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_spis_spraw_export_neutralises_spreadsheet_formulas(client, office, fmt):
    sender = CorrespondentFactory(kind="institution", first_name="", last_name="", name='=HYPERLINK("http://x","y")')
    delivery = make_delivery(office["clerk"], sender=sender, addressed_unit=office["RB"])
    make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["wz"], delivery=delivery, title="=1+2")
    client.force_login(office["worker_rb"])
    response = client.get(reverse("registry:case-register"),
                          {"unit": office["RB"].pk, "year": timezone.localdate().year, "format": fmt})
    rows = read_csv(response) if fmt == "csv" else read_xlsx(response)
    cells = [str(c) for row in rows for c in row if c is not None]
    assert "'=1+2" in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
