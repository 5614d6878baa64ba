"""axe-core (WCAG 2.1 A and AA) on every main page, as the role that uses it: no serious or critical violation."""

import pytest

from tests.journeys.axe import blocking, describe, run_axe
from tests.journeys.main_pages import main_pages, visit_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_main_pages_have_no_serious_or_critical_axe_violations(person, demo, live_server, browser):
    failures = []
    pages = main_pages(demo)
    for main_page, page in visit_all(pages, person, live_server, browser):
        found = blocking(run_axe(page))
        if found:
            failures.append(f"{main_page.name} ({main_page.path}, as {main_page.username or 'anonymous'}):\n"
                            + describe(found))
    # Pages in their error state too: a form sent empty shows its error summary and marked fields.
    clerk = person("kancelaria").arrive().click_link("Zarejestruj przesyłkę").submit("Zarejestruj")
    head = person("kierownik_rb").arrive()
    head.open_task("Zadekretuj na prowadzącego")
    head.page.get_by_label("Zadekretuj na prowadzącego sprawę").check()
    head.submit()
    for name, page in [("rejestracja przesyłki z błędami", clerk.page), ("dekretacja z błędem", head.page)]:
        assert page.get_by_role("alert").count() >= 1, name
        found = blocking(run_axe(page))
        if found:
            failures.append(f"{name} ({page.url}):\n" + describe(found))
    assert not failures, f"{len(failures)} of {len(pages) + 2} pages fail axe-core:\n" + "\n".join(failures)


def test_axe_reports_a_real_violation(page):
    """The checker itself: an unlabelled field and low-contrast text are found and described."""
    page.set_content('<html lang="pl"><body><main><input type="text"><p style="color:#ccc;background:#fff">'
                     'szary tekst</p></main></body></html>')
    found = blocking(run_axe(page))
    ids = {v["id"] for v in found}
    assert {"label", "color-contrast"} <= ids, ids
    assert "label" in describe(found)
