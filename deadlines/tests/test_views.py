import csv
import datetime as dt
import io

import docx
import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from deadlines.models import CaseDeadline, Extension
from deadlines.tasks import write_snapshot
from deadlines.tests.factories import make_case
from registry.models import CaseStatus
from registry.services.cases import change_status


@pytest.fixture
def setup(office):
    today = timezone.localdate()
    start = today - dt.timedelta(days=40)
    rb = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["6730"], started_on=start,
                   title="Warunki zabudowy =SUMA(A1)")
    orc = make_case(office["worker_or"], unit=office["OR"], jrwa_class=office["1431"], started_on=today,
                    title="Informacja publiczna")
    closed = make_case(office["worker_rb"], unit=office["RB"], jrwa_class=office["6730"], started_on=start)
    change_status(closed, actor=office["worker_rb"], status=CaseStatus.CLOSED, on_day=today)
    write_snapshot(today)
    return office, rb, orc


def test_dashboard_for_the_secretary(client, setup):
    office, rb, orc = setup
    client.force_login(office["secretary"])
    response = client.get(reverse("deadlines:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert rb.sign in html and orc.sign in html
    assert f'href="/sprawy/{rb.pk}/"' in html  # drill-down to the case
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    assert "<svg" in html and "<title" in html and "<desc" in html  # accessible charts
    assert "Terminy" in html  # Polish catalogue
    response = client.get(reverse("deadlines:dashboard"), {"bucket": "overdue"})
    html = response.content.decode()
    assert rb.sign in html and orc.sign not in html
    response = client.get(reverse("deadlines:dashboard"), {"unit": office["OR"].pk})
    assert rb.sign not in response.content.decode()


def test_case_worker_sees_own_cases_only(client, setup):
    office, rb, orc = setup
    client.force_login(office["worker_or"])
    html = client.get(reverse("deadlines:dashboard")).content.decode()
    assert orc.sign in html and rb.sign not in html
    assert client.get(reverse("deadlines:case", args=[rb.pk])).status_code == 404  # not even its existence
    assert client.get(reverse("deadlines:dashboard")).status_code == 200
    client.logout()
    assert client.get(reverse("deadlines:dashboard")).status_code == 302


def test_exports(client, setup):
    office, rb, _orc = setup
    client.force_login(office["head_rb"])
    response = client.get(reverse("deadlines:export", args=["csv"]))
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2  # header + the one open RB case
    assert rows[1][0] == rb.sign
    assert rows[1][1] == "Warunki zabudowy =SUMA(A1)"  # no formula: does not start with "="
    response = client.get(reverse("deadlines:export", args=["xlsx"]), {"bucket": "overdue"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[1][0] == rb.sign and len(values) == 2
    assert client.get(reverse("deadlines:export", args=["pdf"])).status_code == 403


def test_api(client, setup):
    office, rb, orc = setup
    client.force_login(office["secretary"])
    data = client.get("/api/v1/terminy/").json()
    assert {row["case_sign"] for row in data["results"]} == {rb.sign, orc.sign}
    summary = client.get("/api/v1/terminy/podsumowanie/", {"bucket": "overdue"}).json()
    assert summary["totals"]["overdue"] == 1 and summary["totals"]["total"] == 1


def test_extension_from_the_case_page(client, setup):
    office, rb, _orc = setup
    client.force_login(office["worker_rb"])
    url = reverse("deadlines:case", args=[rb.pk])
    page = client.get(url)
    assert page.status_code == 200 and rb.sign in page.content.decode()
    due = CaseDeadline.objects.get(case=rb).due_date
    new_date = due + dt.timedelta(days=30)
    response = client.post(url, {"action": "extension", "ext-new_date": new_date.isoformat(),
                                 "ext-reason": "Oczekiwanie na uzgodnienia.", "ext-decided_on": ""})
    assert response.status_code == 302
    extension = Extension.objects.get(deadline__case=rb)
    assert CaseDeadline.objects.get(case=rb).due_date >= new_date
    response = client.get(reverse("deadlines:notice", args=[extension.pk]))
    assert response["Content-Disposition"].endswith('.docx"')
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "Oczekiwanie na uzgodnienia." in text and "ponaglenia" in text
    response = client.post(reverse("deadlines:save-notice", args=[extension.pk]))
    assert response.status_code == 302
    extension.refresh_from_db()
    assert extension.notice_document is not None
    # invalid: earlier than the current due date → the form shows the error
    response = client.post(url, {"action": "extension", "ext-new_date": due.isoformat(), "ext-reason": "x"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    # a period not counted
    response = client.post(url, {"action": "period", "period-reason": "party_delay",
                                 "period-starts_on": rb.started_on.isoformat(), "period-ends_on": "",
                                 "period-description": "Czekamy na dokumenty"})
    assert response.status_code == 302
    period = CaseDeadline.objects.get(case=rb).excluded_periods.get()
    response = client.post(url, {"action": "end", "end-period": period.pk,
                                 "end-ends_on": rb.started_on.isoformat()})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.ends_on == rb.started_on


def test_others_cannot_edit(client, setup):
    office, rb, _orc = setup
    client.force_login(office["worker_rb2"])  # same unit: may look, may not change
    url = reverse("deadlines:case", args=[rb.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "extension", "ext-new_date": "2099-01-01", "ext-reason": "x"})
    assert response.status_code == 403


def test_case_panel_tag(setup):
    from django.template import Context, Template

    _office, rb, _orc = setup
    html = Template("{% load deadlines_tags %}{% case_deadline case %}").render(Context({"case": rb}))
    assert f"/terminy/sprawa/{rb.pk}/" in html and "po terminie" in html


@pytest.mark.parametrize("url", ["/api/v1/terminy/", "/api/v1/terminy/podsumowanie/"])
def test_api_search_with_a_nul_byte_is_a_400_not_500(client, office, url):
    client.force_login(office["head_rb"])
    response = client.get(url, {"q": "RB\x00"})
    assert response.status_code == 400


def test_api_unicode_digits_in_a_filter_are_a_400_not_a_500(client, office):
    client.force_login(office["head_rb"])
    response = client.get("/api/v1/terminy/", {"unit": "²"})
    assert response.status_code == 400 and "unit" in response.json()
