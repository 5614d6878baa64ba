"""Small page helpers so that journeys read like stories. They find things the way a person does: by the visible
Polish text of links, buttons, labels and headings, never by typing a task's address."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.journeys.untranslated import untranslated, visible_texts


class Person:
    """A member of staff at their desk: `page` is their browser window."""

    def __init__(self, page: Page, base_url: str, username: str):
        self.page, self.base_url, self.username = page, base_url, username

    def _arrived(self) -> None:
        """Every page a journey reaches is in Polish: no English msgid left untranslated on it."""
        english = untranslated(visible_texts(self.page))
        assert not english, f"English on {self.page.url}: " + "; ".join(f"“{text}”" for text, _ in english)

    # --- getting around ---------------------------------------------------------------------------------------------
    def arrive(self) -> Person:
        """Open the system's address (the desk) – the only address anyone types."""
        response = self.page.goto(self.base_url + "/")
        assert response is not None and response.status == 200, response
        self._arrived()
        return self

    def menu(self, name: str) -> Person:
        """Click an item of the main menu (Biurko, Zadania, Sprawy, Terminy, Szukaj, …)."""
        if not self.page.url.startswith(self.base_url):
            self.arrive()
        with self.page.expect_navigation():
            self.page.get_by_role("navigation", name="Menu główne").get_by_role("link", name=name, exact=True).click()
        self._arrived()
        return self

    def click_link(self, name: str | re.Pattern, *, within=None) -> Person:
        scope = within or self.page.locator("main")
        with self.page.expect_navigation():
            scope.get_by_role("link", name=name).first.click()
        self._arrived()
        return self

    def open_row(self, text: str) -> Person:
        """Open the record of the table row that shows `text` (its first link)."""
        row = self.page.locator("main").get_by_role("row").filter(has_text=text).first
        with self.page.expect_navigation():
            row.get_by_role("link").first.click()
        self._arrived()
        return self

    # --- tasks --------------------------------------------------------------------------------------------------
    def task_list(self, name: str = "Moje zadania") -> Person:
        self.menu("Zadania")
        if name != "Moje zadania":
            self.click_link(re.compile("^" + re.escape(name)))
        return self

    def open_task(self, text: str, *, in_list: str = "Moje zadania") -> Person:
        """Find the task whose title mentions `text` in one of the person's lists and open it."""
        self.task_list(in_list)
        return self.click_link(text)  # a substring of the link's name

    # --- search -------------------------------------------------------------------------------------------------
    def search(self, text: str):
        """Type into the search page's box and press Enter; returns the results region."""
        box = self.page.get_by_role("searchbox", name="Szukaj")
        box.fill(text)
        with self.page.expect_navigation():
            box.press("Enter")
        self._arrived()
        return self.page.get_by_role("region", name="Wyniki")

    # --- forms --------------------------------------------------------------------------------------------------
    def submit(self, button: str = "Zapisz", *, within=None) -> Person:
        scope = within or self.page.locator("main")
        with self.page.expect_navigation():
            scope.get_by_role("button", name=button, exact=True).click()
        self._arrived()
        return self

    def form_with(self, button: str):
        """The form that a button submits (a page may hold several)."""
        return self.page.locator("main form").filter(has=self.page.get_by_role("button", name=button, exact=True))

    # --- what the person sees ---------------------------------------------------------------------------------------
    def heading(self):
        return self.page.get_by_role("heading", level=1)

    def says(self, text: str | re.Pattern) -> Person:
        """The message shown after an action (role=status) includes `text`."""
        expect(self.page.locator(".messages")).to_contain_text(text)
        return self

    def sees(self, text: str | re.Pattern) -> Person:
        expect(self.page.locator("main")).to_contain_text(text)
        return self
