"""The main pages of the product, each with the role that uses it: what the accessibility and translation checks
visit. Records come from the demo office plus one letter at every step of the story, so task pages of each kind
exist."""

from __future__ import annotations

from dataclasses import dataclass

from registry.models import Correspondent, Delivery, OutgoingItem
from tests.journeys import story
from workflow.models import RouteVersion


@dataclass(frozen=True)
class MainPage:
    username: str
    name: str
    path: str
    status: int = 200


def main_pages(demo) -> list[MainPage]:
    waiting = story.delivery_waiting_for_head(demo, subject="Wniosek o wydanie zaświadczenia o przeznaczeniu działki")
    decreed = story.delivery_decreed_to(demo, subject="Wniosek o wypis z rejestru zabytków")
    case, _draft, process = story.draft_on_route(demo)
    queued = story.delivery_registered(demo, subject="Zaproszenie na szkolenie z archiwizacji")
    choose = (story.open_tasks("choose_unit", delivery=queued) or story.open_tasks("choose_unit") or [None])[0]
    decree = story.open_task("decree", delivery=waiting)
    handle = story.open_task("handle", delivery=decreed)
    decide = story.open_task("decide", process_id=process.pk)
    delivery = Delivery.objects.order_by("pk").first()
    correspondent = Correspondent.objects.order_by("pk").first()
    route = RouteVersion.objects.order_by("pk").first()
    pages = [
        MainPage("", "logowanie", "/konto/login/"),
        MainPage("kancelaria", "biurko kancelarii", "/"),
        MainPage("kancelaria", "rejestr przesyłek wpływających", "/przesylki/"),
        MainPage("kancelaria", "rejestracja przesyłki", "/przesylki/nowa/"),
        MainPage("kancelaria", "przesyłka", f"/przesylki/{delivery.pk}/"),
        MainPage("kancelaria", "rejestr przesyłek wychodzących", "/wychodzace/"),
        MainPage("kancelaria", "nowa przesyłka wychodząca", "/wychodzace/nowa/"),
        MainPage("kancelaria", "korespondenci", "/korespondenci/"),
        MainPage("kancelaria", "nowy korespondent", "/korespondenci/nowy/"),
        MainPage("kancelaria", "korespondent", f"/korespondenci/{correspondent.pk}/"),
        MainPage("kancelaria", "JRWA", "/jrwa/"),
        MainPage("kancelaria", "kolejka komórki", "/obieg/zadania/queue/"),
        MainPage("kierownik_rb", "moje zadania", "/obieg/"),
        MainPage("kierownik_rb", "zadania komórki", "/obieg/zadania/unit/"),
        MainPage("kierownik_rb", "zadanie: dekretacja", f"/obieg/zadanie/{decree.pk}/"),
        MainPage("kierownik_rb", "zadanie: akceptacja", f"/obieg/zadanie/{decide.pk}/"),
        MainPage("kierownik_rb", "ścieżki akceptacji", "/obieg/trasy/"),
        MainPage("kierownik_rb", "ścieżka", f"/obieg/trasy/wersja/{route.pk}/"),
        MainPage("referent_rb", "zadanie: założenie sprawy", f"/obieg/zadanie/{handle.pk}/"),
        MainPage("referent_rb", "sprawy", "/sprawy/"),
        MainPage("referent_rb", "nowa sprawa", "/sprawy/nowa/"),
        MainPage("referent_rb", "sprawa", f"/sprawy/{case.pk}/"),
        MainPage("referent_rb", "skierowanie do akceptacji", f"/obieg/sprawa/{case.pk}/akceptacja/"),
        MainPage("referent_rb", "termin sprawy", f"/terminy/sprawa/{case.pk}/"),
        MainPage("referent_rb", "powiadomienia", "/obieg/powiadomienia/"),
        MainPage("sekretarz", "terminy spraw", "/terminy/"),
        MainPage("sekretarz", "spis spraw", "/spis-spraw/"),
        MainPage("archiwista", "wyszukiwanie", "/szukaj/"),
        MainPage("archiwista", "wyniki wyszukiwania", "/szukaj/?q=zabudowy"),
        # Error pages are pages too (and were viewflow's, in English, until templates/40x.html).
        MainPage("sekretarz", "odmowa dostępu", "/przesylki/nowa/", 403),
        MainPage("kancelaria", "nie znaleziono", "/sprawy/999999/", 404),
        MainPage("", "nie znaleziono (bez logowania)", "/nie-ma-takiej-strony/", 404),
    ]
    if choose is not None:  # none when routing rules send every letter on by themselves
        pages.append(MainPage("kancelaria", "zadanie: wybór komórki", f"/obieg/zadanie/{choose.pk}/"))
    outgoing = OutgoingItem.objects.order_by("pk").first()
    if outgoing is not None:
        pages.append(MainPage("kancelaria", "przesyłka wychodząca", f"/wychodzace/{outgoing.pk}/"))
    return pages


def visit_all(pages, person, live_server, browser):
    """Yield (MainPage, playwright page) after loading each, one browser window per role."""
    windows = {}
    for main_page in pages:
        if main_page.username not in windows:
            if main_page.username:
                windows[main_page.username] = person(main_page.username).page
            else:
                context = browser.new_context(locale="pl-PL", timezone_id="Europe/Warsaw")
                windows[""] = context.new_page()
        page = windows[main_page.username]
        response = page.goto(live_server.url + main_page.path)
        status = response.status if response is not None else None
        assert status == main_page.status, f"{main_page}: HTTP {status}"
        yield main_page, page
    if "" in windows:
        windows[""].context.close()
