"""In headless Chromium: the registry clerk finds the approved letter in the dispatch queue, prepares it and sends
it (the fake e-Doręczenia service), then sees it on its way."""

import re

import pytest

from dispatch import edoreczenia
from dispatch.models import Shipment, State
from dispatch.tests.conftest import approved_letter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_finds_and_dispatches_the_approved_letter(page, live_server, browser_login, people, two_stage_route,
                                                        mailbox, monkeypatch, inline_tasks):
    monkeypatch.setattr(edoreczenia, "client", mailbox.client)
    case, document, _task, party = approved_letter(people)
    browser_login(page, people["clerk"], live_server)
    page.goto(f"{live_server.url}/")
    page.get_by_role("navigation", name="Menu główne").get_by_role("link", name="Wysyłka").click()
    page.wait_for_url(re.compile(r"/wysylka/$"))
    table = page.get_by_role("table", name=re.compile("Pisma zatwierdzone"))
    row = table.get_by_role("row").filter(has_text=case.sign)
    assert document.title in row.inner_text()
    row.get_by_role("link", name=re.compile("Przygotuj wysyłkę")).click()
    page.wait_for_url(re.compile(r"/wysylka/zadanie/\d+/$"))
    assert page.get_by_label(f"Wyślij do: {party}").is_checked()
    assert page.get_by_label(f"Kanał dla: {party}").input_value() == "edoreczenia"
    page.get_by_role("button", name="Zarejestruj w rejestrze przesyłek wychodzących").click()
    page.wait_for_url(re.compile(r"/wysylka/$"))
    shipment = Shipment.objects.get(item__case=case)
    page.get_by_label(f"Wyślij {shipment.item.register_number}").check()
    page.get_by_role("button", name="Wyślij wybrane przesyłki").click()
    page.wait_for_url(re.compile(r"wyslane="))
    status = page.locator("#progress-text")
    status.filter(has_text="Nadana").wait_for()
    on_the_way = page.get_by_role("table", name=re.compile("Przesyłki wysyłane"))
    assert "Nadana" in on_the_way.get_by_role("row").filter(has_text=shipment.item.register_number).inner_text()
    assert Shipment.objects.get(pk=shipment.pk).state == State.SUBMITTED and mailbox.sends == 1
