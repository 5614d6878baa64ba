"""In a real headless Chromium: a clerk registers a delivery choosing the sender with the keyboard in the
combobox, then a case worker opens a case from it choosing the JRWA class the same way."""

import os
import re
from pathlib import Path

import pytest

from registry.models import Case, Delivery
from registry.tests.factories import CorrespondentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name):
    target = os.environ.get("SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)


def test_register_delivery_with_keyboard_combobox_then_open_case(page, live_server, browser_login, office, tmp_path):
    sender = CorrespondentFactory(first_name="Józef", last_name="Kowalczyk", city="Zielona Dolina")
    CorrespondentFactory(first_name="Anna", last_name="Kowalska")
    scan = tmp_path / "wniosek.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\nWniosek o warunki zabudowy")

    browser_login(page, office["clerk"], live_server)
    page.goto(f"{live_server.url}/przesylki/nowa/")
    assert page.locator("h1").inner_text() == "Zarejestruj przesyłkę"
    combobox = page.get_by_role("combobox", name="Nadawca")
    combobox.focus()
    page.keyboard.type("kowalc", delay=30)
    listbox = page.get_by_role("listbox")
    listbox.get_by_role("option", name=re.compile("Józef Kowalczyk")).wait_for()
    assert combobox.get_attribute("aria-expanded") == "true"
    shot(page, "01-delivery-form-combobox")
    page.keyboard.press("ArrowDown")
    assert combobox.get_attribute("aria-activedescendant")
    page.keyboard.press("Enter")  # chooses, never submits
    assert combobox.input_value() == "Józef Kowalczyk"
    assert combobox.get_attribute("aria-expanded") == "false"
    assert page.locator("#id_sender").input_value() == str(sender.pk)
    assert Delivery.objects.count() == 0

    page.get_by_label("Komórka adresowana").select_option(label=str(office["RB"]))
    page.get_by_label("Tytuł / treść w skrócie").fill("Wniosek o ustalenie warunków zabudowy")
    page.get_by_label("Znak pisma nadawcy").fill("JK/1/2026")
    page.get_by_label("Pliki (skany, dokumenty elektroniczne)").set_input_files(str(scan))
    page.get_by_label("Tytuł / treść w skrócie").focus()
    page.keyboard.press("Enter")  # submit from the keyboard
    page.wait_for_url(re.compile(r"/przesylki/\d+/$"))
    delivery = Delivery.objects.get()
    assert delivery.sender == sender
    assert page.get_by_role("status").filter(has_text=delivery.rpw).is_visible()
    assert page.get_by_role("link", name="Pobierz wniosek.pdf").is_visible()  # the file; its title opens the page
    title = delivery.documents.get().title  # from the subject (registry.services.titles), not the file's name
    assert title.startswith("Wniosek o ustalenie warunków zabudowy")
    assert page.get_by_role("link", name=title, exact=True).is_visible()
    shot(page, "02-delivery-detail")

    page.context.clear_cookies()
    browser_login(page, office["worker_rb"], live_server)
    page.goto(f"{live_server.url}/przesylki/{delivery.pk}/")
    page.get_by_role("link", name="Załóż sprawę z tej przesyłki").click()
    page.wait_for_url(re.compile(r"/sprawy/nowa/\?przesylka="))
    assert page.get_by_label("Tytuł sprawy").input_value() == "Wniosek o ustalenie warunków zabudowy"
    jrwa = page.get_by_role("combobox", name="Klasa JRWA")
    jrwa.focus()
    page.keyboard.type("673", delay=30)
    page.get_by_role("option", name=re.compile("6730 Warunki zabudowy")).wait_for()
    shot(page, "03-case-form-jrwa")
    page.keyboard.press("ArrowDown")  # 673 (not last-level, disabled)
    page.keyboard.press("Enter")
    assert jrwa.input_value() == "673"  # a disabled option is not chosen
    page.keyboard.press("ArrowDown")  # 6730
    page.keyboard.press("Enter")
    assert jrwa.input_value() == "6730"
    page.get_by_role("button", name="Załóż sprawę").click()
    page.wait_for_url(re.compile(r"/sprawy/\d+/$"))
    case = Case.objects.get()
    assert case.sign in page.locator("h1").inner_text()
    assert page.get_by_role("link", name=delivery.rpw).first.is_visible()
    delivery.refresh_from_db()
    assert delivery.case == case
    shot(page, "04-case-detail")


def test_errors_are_listed_at_the_top_and_focused(page, live_server, browser_login, office):
    browser_login(page, office["clerk"], live_server)
    page.goto(f"{live_server.url}/przesylki/nowa/")
    page.get_by_label("Tytuł / treść w skrócie").fill("")
    page.get_by_role("button", name="Zarejestruj").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert "Popraw błędy wskazane poniżej" in summary.inner_text()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    summary.get_by_role("link", name="Tytuł / treść w skrócie: To pole jest wymagane.").click()
    shot(page, "05-delivery-form-errors")
    assert page.evaluate("document.activeElement.id") == "id_subject"
