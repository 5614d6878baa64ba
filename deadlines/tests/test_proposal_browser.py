"""In headless Chromium: the kind of deadline follows the JRWA class chosen in the combobox until the person
picks another kind by hand; the reason is shown next to the field; the choice reaches the metryka."""

import importlib
import re

import pytest
from django.apps import apps

from deadlines.models import DeadlineKind
from registry.models import Action, Case, HistoryEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def seeded_kinds(db):
    """The kinds and JRWA rules of the data migrations (idempotent): in a full parallel run an earlier
    transactional test's flush may have removed them from this database."""
    for name in ("0002_statutory_kinds", "0005_letter_kinds_and_certificate"):
        importlib.import_module(f"deadlines.migrations.{name}").seed(apps, None)


def choose_jrwa(page, typed, label):
    jrwa = page.get_by_role("combobox", name="Klasa JRWA")
    jrwa.fill("")
    jrwa.focus()
    page.keyboard.type(typed, delay=30)
    page.get_by_role("option", name=re.compile(label)).wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")


def test_proposal_follows_the_jrwa_class_until_chosen_by_hand(page, live_server, browser_login, office):
    udip, default, two_months = (DeadlineKind.objects.get(code=c) for c in ("UDIP-14D", "KPA-1M", "KPA-2M"))
    browser_login(page, office["worker_rb"], live_server)
    page.goto(f"{live_server.url}/sprawy/nowa/")
    kind = page.get_by_label("Rodzaj terminu ustawowego")
    assert kind.input_value() == str(default.pk)
    page.get_by_label("Tytuł sprawy").fill("Prośba o dane o wydatkach")
    choose_jrwa(page, "1431", "1431 Udostępnianie")
    page.wait_for_function(f"document.getElementById('id_deadline_kind').value === '{udip.pk}'")
    help_text = page.locator("#id_deadline_kind_helptext")
    assert "dla klasy JRWA 1431" in help_text.inner_text()
    assert "Dostęp do informacji publicznej – 14 dni" in page.locator("#deadline-status").inner_text()

    kind.select_option(str(two_months.pk))  # by hand: a later class no longer moves it
    choose_jrwa(page, "6730", "6730 Warunki")
    page.wait_for_function("document.getElementById('id_deadline_kind_helptext').textContent.includes('6730')")
    assert kind.input_value() == str(two_months.pk)
    page.get_by_role("button", name="Załóż sprawę").click()
    page.wait_for_url(re.compile(r"/sprawy/\d+/$"))
    case = Case.objects.get()
    assert case.deadline.kind == two_months
    entry = HistoryEntry.objects.get(case=case, action=Action.DEADLINE_SET)
    assert "zamiast proponowanego: Postępowanie wyjaśniające – 1 miesiąc" in entry.description
    assert page.get_by_text("zamiast proponowanego", exact=False).first.is_visible()
