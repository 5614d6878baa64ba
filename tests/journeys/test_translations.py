"""No English on the Polish pages: the main pages, as the roles that use them, show no text that is an English msgid
with a different Polish translation; and the checker finds a real untranslated string."""

import polib
import pytest

from tests.journeys.main_pages import main_pages, visit_all
from tests.journeys.untranslated import Catalogues, project_catalogues, untranslated, visible_texts

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_main_pages_show_no_untranslated_english(person, demo, live_server, browser):
    failures = []
    pages = main_pages(demo)
    for main_page, page in visit_all(pages, person, live_server, browser):
        assert page.locator("html").get_attribute("lang") == "pl"
        found = untranslated(visible_texts(page))
        if found:
            failures.append(f"{main_page.name} ({main_page.path}, as {main_page.username or 'anonymous'}): "
                            + "; ".join(f"“{text}”" for text, _msgid in found))
    assert not failures, "English text on Polish pages:\n" + "\n".join(failures)


def _catalogue(*pairs, plural=None):
    po = polib.POFile()
    for msgid, msgstr in pairs:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    if plural:
        msgid, msgid_plural, forms = plural
        po.append(polib.POEntry(msgid=msgid, msgid_plural=msgid_plural, msgstr_plural=dict(enumerate(forms))))
    catalogues = Catalogues()
    catalogues.add_catalogue(po)
    return catalogues


def test_checker_flags_english_that_has_a_different_polish_translation():
    catalogues = _catalogue(
        ("Log out", "Wyloguj się"), ("Status", "Status"), ("Filter", "Filtruj"), ("Case worker", "Prowadzący sprawę"),
        ("%(count)s open cases", "%(count)s otwartych spraw"), ("%(a)s – %(b)s", "%(a)s – %(b)s"),
        plural=("%(n)s result", "%(n)s results", ["%(n)s wynik", "%(n)s wyniki", "%(n)s wyników"]),
    )
    texts = ["Wyloguj się", "Log out", "Status", "Filter:", " (Case worker) ", "12 open cases", "3 results",
             "3 wyniki", "Jan – Kowalski", "Obieg", "Prowadzący sprawę"]
    assert untranslated(texts, catalogues) == [
        ("Log out", "Log out"), ("Filter:", "Filter"), (" (Case worker) ", "Case worker"),
        ("12 open cases", "%(count)s open cases"), ("3 results", "%(n)s results"),
    ]


def test_checker_reads_the_real_catalogues():
    """A template string of ours shown in English is caught; its Polish translation and brand names are not."""
    catalogues = project_catalogues()
    assert catalogues.english_in("Register a delivery") == "Register a delivery"
    assert catalogues.english_in("Zarejestruj przesyłkę") is None
    assert catalogues.english_in("Log out") == "Log out"  # Django's own catalogue and ours
    assert catalogues.english_in("Obieg") is None
    # viewflow ships no Polish catalogue: its English msgids (from its other catalogues) count as well.
    assert catalogues.english_in("Log in as another user") == "Log in as another user"


def test_visible_text_skips_hidden_elements_and_reads_attributes(page):
    page.set_content(
        '<html lang="pl"><head><title>Biurko</title></head><body><main><p>Log out</p><p hidden>Desk</p>'
        '<span class="x" style="display:none">Cases</span><button aria-label="Search">🔍</button>'
        '<select><option>Incoming register</option></select><p>Zadania · Deadlines</p></main></body></html>'
    )
    texts = visible_texts(page)
    assert "Desk" not in texts and "Cases" not in texts
    found = {text for text, _ in untranslated(texts)}
    assert {"Log out", "Search", "Incoming register", "Deadlines"} <= found, found
