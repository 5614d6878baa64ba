"""Journeys through the demo office in headless Chromium, one per role, clicking as a person would.

Each starts at the desk; what happened before it (a registered letter, a draft on its route) is set up through the
services in `story.py`. Every page reached is checked for untranslated English (`pages.Person`). The run prints
their total duration (tests/fixtures.py) and `--durations` each one's.
"""

import io
import re
import time

import openpyxl
import pytest
from django.core.files import File
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader
from viewflow.workflow.status import STATUS

from registry.models import Case, Delivery, DocumentVersion, OutgoingItem, TextStatus
from registry.services.deliveries import register_delivery
from search.tests import samples
from tests.journeys import story
from workflow.models import ApprovalProcess, WorkTask

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clerk_registers_a_delivery_with_a_scan_and_sends_it_to_the_unit(person, tmp_path):
    clerk = person("kancelaria").arrive()
    clerk.click_link("Zarejestruj przesyłkę")
    page = clerk.page
    expect(clerk.heading()).to_have_text("Zarejestruj przesyłkę")
    page.get_by_label("Kanał").select_option(label="poczta")
    page.get_by_label("papierowa").check()
    page.get_by_label("Komórka adresowana").select_option(label="RB – Wydział Rozwoju i Budownictwa")
    page.get_by_role("combobox", name="Nadawca").press_sequentially("Kowal")
    page.get_by_role("listbox", name="Nadawca").get_by_role("option", name=re.compile("Jan Kowalski")).click()
    page.get_by_label("Tytuł / treść w skrócie").fill(story.GARAGE)
    page.get_by_label(re.compile("^Pliki")).set_input_files(samples.scanned_pdf(tmp_path / "skan-wniosku.pdf"))
    with page.expect_navigation():  # an impatient double click registers the letter once
        page.get_by_role("button", name="Zarejestruj", exact=True).dblclick()

    clerk.says(re.compile(r"Przesyłka zarejestrowana pod numerem RPW/\d+/\d{4}"))
    delivery = Delivery.objects.get(subject=story.GARAGE)
    expect(clerk.heading()).to_have_text(f"Przesyłka {delivery.rpw}")
    documents = page.get_by_role("table", name="Pliki przesyłki")
    expect(documents).to_contain_text("skan-wniosku.pdf")
    expect(documents).to_contain_text("application/pdf")

    # The letter waits in the registry clerks' queue until someone names the unit.
    clerk.open_task(delivery.rpw, in_list="Kolejka komórki")
    page.get_by_label("Komórka organizacyjna").select_option(label="RB – Wydział Rozwoju i Budownictwa")
    clerk.submit("Przejmij i zapisz")  # nobody had the task yet: taken and decided in one step
    clerk.says("Gotowe.")
    assert story.open_task("decree", delivery=delivery).owner.username == "kierownik_rb"
    # The register shows it on its way, and the metryka of the delivery says who sent it where.
    clerk.menu("Rejestr przesyłek wpływających").open_row(delivery.rpw)
    history = page.get_by_role("table", name="Czynności na tej przesyłce")
    expect(history.get_by_role("row").filter(has_text="dekretacja")).to_contain_text("Zadekretowano na RB")
    expect(history).to_contain_text("skan-wniosku.pdf")


def test_head_assigns_a_delivery_to_a_case_worker(person, demo):
    delivery = story.delivery_waiting_for_head(demo)
    head = person("kierownik_rb").arrive()
    head.open_task(delivery.rpw)
    expect(head.heading()).to_contain_text("Zadekretuj na prowadzącego")
    page = head.page
    page.get_by_label("Zadekretuj na prowadzącego sprawę").check()
    head.submit()  # no case worker chosen: a clear error, nothing lost
    expect(page.get_by_role("alert").first).to_contain_text("Wybierz prowadzącego sprawę")
    page.get_by_label("Prowadzący sprawę").select_option(label="Paweł Jankowski")
    page.get_by_label("Polecenie").fill("Proszę o wezwanie do uzupełnienia wniosku.")
    head.submit()
    head.says("Gotowe.")

    head.task_list("Zadania mojej komórki")
    row = page.get_by_role("row").filter(has_text=delivery.rpw)
    expect(row).to_contain_text("Paweł Jankowski")
    handle = story.open_task("handle", delivery=delivery)
    assert handle.owner.username == "referent_rb"
    assert handle.comment == "Proszę o wezwanie do uzupełnienia wniosku."


def test_case_worker_opens_a_case_drafts_a_letter_and_sends_it_for_approval(person, demo, tmp_path):
    delivery = story.delivery_decreed_to(demo)
    worker = person("referent_rb").arrive()
    worker.open_task(delivery.rpw)
    page = worker.page
    expect(page.locator("main")).to_contain_text("Proszę o wezwanie do uzupełnienia wniosku.")
    page.get_by_label("Załóż nową sprawę").check()
    page.get_by_label("Klasa JRWA").select_option(label="6730 Warunki zabudowy i zagospodarowania terenu")
    page.get_by_label("Tytuł sprawy").fill("Pozwolenie na budowę garażu, dz. nr 77/1")
    worker.submit()
    worker.says("Gotowe.")

    case = Case.objects.get(title="Pozwolenie na budowę garażu, dz. nr 77/1")
    worker.menu("Sprawy").open_row("Pozwolenie na budowę garażu")
    expect(worker.heading()).to_contain_text(case.sign)
    draft_file = tmp_path / "wezwanie.txt"
    draft_file.write_text("Wzywam do uzupełnienia wniosku o mapę do celów projektowych.", encoding="utf-8")
    form = worker.form_with("Dodaj dokument")
    form.get_by_label("Tytuł dokumentu").fill(story.DRAFT_TITLE)
    form.get_by_label("Rodzaj").select_option(label="projekt pisma")
    form.get_by_label("Plik").set_input_files(draft_file)
    worker.submit("Dodaj dokument", within=form)
    worker.says("Dodano dokument.")
    expect(page.get_by_role("table", name="Dokumenty sprawy z wersjami")).to_contain_text(story.DRAFT_TITLE)

    worker.click_link("Skieruj dokument do akceptacji")
    page.get_by_label("Dokument").select_option(label=story.DRAFT_TITLE)
    worker.submit("Wyślij")
    worker.says("Dokument jest na ścieżce akceptacji.")
    process = ApprovalProcess.objects.get(document__title=story.DRAFT_TITLE)
    assert story.open_task("decide", process_id=process.pk).owner.username == "kierownik_rb"
    assert case.history.filter(description__contains=story.DRAFT_TITLE).exists()


def test_approver_returns_the_draft_the_author_corrects_it_and_it_is_approved(person, demo, tmp_path):
    _case, draft, process = story.draft_on_route(demo)
    head = person("kierownik_rb").arrive()
    head.open_task(story.DRAFT_TITLE)
    head.page.get_by_label("zwracam do poprawy").check()
    head.page.get_by_label("Uwagi").fill("Proszę wskazać termin 7 dni na uzupełnienie.")
    head.submit()
    head.says("Gotowe.")

    author = person("referent_rb").arrive()
    author.open_task(story.DRAFT_TITLE)
    expect(author.heading()).to_contain_text("Popraw dokument")
    author.sees("Proszę wskazać termin 7 dni na uzupełnienie.")
    corrected = tmp_path / "wezwanie-v2.txt"
    corrected.write_text("Wzywam do uzupełnienia wniosku o mapę w terminie 7 dni.", encoding="utf-8")
    author.page.get_by_label("Poprawiony dokument").set_input_files(corrected)
    author.page.get_by_label("Co poprawiono").fill("Dopisano termin 7 dni.")
    author.submit()
    author.says("Gotowe.")

    head.open_task(story.DRAFT_TITLE)
    versions = head.page.get_by_role("table", name="Wersje dokumentu")
    expect(versions).to_contain_text("wezwanie-v2.txt")
    expect(head.page.get_by_role("table", name="Decyzje")).to_contain_text("zwracam do poprawy")
    head.page.get_by_label("akceptuję").check()
    head.submit()
    head.says("Gotowe.")
    assert draft.versions.count() == 2
    signature = story.open_task("decide", process_id=process.pk)
    assert signature.owner.username == "sekretarz" and "Podpis" in signature.label


def test_secretary_signs_the_approved_draft(person, demo):
    _case, _draft, process = story.draft_awaiting_signature(demo)
    secretary = person("sekretarz").arrive()
    secretary.open_task(story.DRAFT_TITLE)
    expect(secretary.heading()).to_contain_text("Podpis sekretarza")
    expect(secretary.page.get_by_role("table", name="Decyzje")).to_contain_text("akceptuję")
    secretary.page.get_by_label("akceptuję").check()
    secretary.submit()
    secretary.says("Gotowe.")
    done = WorkTask.objects.filter(process_id=process.pk, done_by__username="sekretarz", status=STATUS.DONE)
    assert done.exists()
    assert story.open_task("dispatch", process_id=process.pk)  # on to the registry clerks


def test_registry_clerk_finds_the_signed_letter_and_dispatches_it(person, demo):
    case, _draft, process = story.draft_signed(demo)
    kowalski = story.kowalski()
    clerk = person("kancelaria").arrive()
    page = clerk.page
    clerk.menu("Wysyłka")
    to_prepare = page.get_by_role("region", name="Zatwierdzone pisma do przygotowania")
    row = to_prepare.get_by_role("row").filter(has_text=case.sign)
    expect(row).to_contain_text(story.DRAFT_TITLE)
    clerk.click_link(re.compile("Przygotuj wysyłkę"), within=row)
    expect(page.get_by_label(f"Wyślij do: {kowalski}")).to_be_checked()
    # Jan Kowalski has no address for electronic deliveries: registered paper mail is proposed.
    expect(page.get_by_label(f"Kanał dla: {kowalski}")).to_have_value("post_registered")
    clerk.submit("Zarejestruj w rejestrze przesyłek wychodzących")
    clerk.says("Zarejestrowano w rejestrze przesyłek wychodzących")
    item = OutgoingItem.objects.get(case=case)
    assert ApprovalProcess.objects.get(pk=process.pk).outcome == "approved"

    waiting = page.get_by_role("region", name="Czekające na wysłanie")
    expect(waiting.get_by_role("row").filter(has_text=item.register_number)).to_contain_text("Jan Kowalski")
    page.get_by_label(f"Wyślij {item.register_number}").check()
    clerk.submit("Wyślij wybrane przesyłki")
    clerk.says("Wysłano przesyłki: 1.")
    on_the_way = page.get_by_role("region", name="W drodze")
    expect(on_the_way.get_by_role("row").filter(has_text=item.register_number)).to_contain_text("Nadana")
    # Handed to the post: the letter is in today's dispatch book, and the case's metryka says so.
    book_link = page.get_by_role("link", name="Dzisiejsza książka nadawcza (PDF)").get_attribute("href")
    book = page.request.get(clerk.base_url + book_link)
    assert book.ok and book.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(book.body())).pages)
    assert "Kowalski" in text and str(item.number) in text
    item.refresh_from_db()
    assert item.status == OutgoingItem.Status.SENT
    entry = case.history.filter(action="dispatched", data__outgoing=item.pk).get()
    assert "w książce nadawczej" in entry.description, entry.description


def test_secretary_reads_the_deadlines_dashboard_and_exports_it(person, demo):
    case, _draft, _process = story.draft_on_route(demo)
    secretary = person("sekretarz").arrive()
    secretary.menu("Terminy")
    expect(secretary.heading()).to_have_text("Terminy spraw")
    cases = secretary.page.get_by_role("table", name=re.compile("^Otwarte sprawy, od najwcześniejszego terminu"))
    expect(cases).to_contain_text(case.sign)
    shown = cases.locator("tbody tr").count()
    page = secretary.page
    page.get_by_label("Komórka organizacyjna").select_option(label="RB – Wydział Rozwoju i Budownictwa")
    secretary.submit("Filtruj")
    expect(cases).to_contain_text(case.sign)
    assert all("RB" in row for row in cases.locator("tbody tr").all_inner_texts())
    filtered = cases.locator("tbody tr").count()
    assert 0 < filtered <= shown

    with page.expect_download() as download:
        page.get_by_role("link", name="Eksport do XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as f:
        sheet = openpyxl.load_workbook(f, read_only=True).active
        rows = [[str(c) if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    exported = [r for r in rows if any(case.sign == cell for cell in r)]
    assert exported, rows[:5]
    data_rows = [r for r in rows[1:] if any(re.fullmatch(r"[A-ZĄĆĘŁŃÓŚŹŻ-]+\.\d+\.\d+\.\d{4}", c) for c in r)]
    assert len(data_rows) == filtered  # the export holds what the filtered dashboard shows


@pytest.mark.celery_worker
def test_archivist_finds_a_word_of_a_scanned_letter_and_opens_it(person, demo, celery_worker_proc, tmp_path):
    """The scan is read by OCR and indexed in the background (the real worker), then found by a word that is only
    in the picture of the letter, typed without Polish letters."""
    from search.index.outbox import pending
    from search.index.tasks import drain_outbox

    scan = samples.scanned_pdf(tmp_path / "skan.pdf", lines=["Wniosek o wycinkę", "trzech świerków", "przy pergoli"])
    delivery, _ = register_delivery(
        registered_by=demo.user("kancelaria"), channel="post", form="paper", received_at=timezone.now(),
        subject="Wniosek o zezwolenie na usunięcie drzew", sender=story.kowalski(), addressed_unit=demo.unit("OŚ"),
        files=[File(scan.open("rb"), name="skan.pdf")],
    )
    version = DocumentVersion.objects.get(document__delivery=delivery)
    deadline = time.monotonic() + 90
    while version.text_status == TextStatus.PENDING and time.monotonic() < deadline:
        time.sleep(0.3)
        version.refresh_from_db()
    assert version.text_status == TextStatus.DONE, celery_worker_proc.log()[-3000:]
    # What beat does every few seconds. The task ignores its result, so .get() would not wait: watch the outbox.
    deadline = time.monotonic() + 60
    while pending() and time.monotonic() < deadline:
        drain_outbox.delay()
        time.sleep(1)
    assert not pending(), celery_worker_proc.log()[-3000:]

    archivist = person("archiwista").arrive()
    archivist.menu("Szukaj")
    results = archivist.search("swierkow")  # typed without Polish letters
    hit = results.get_by_role("listitem").filter(has_text="skan.pdf").first
    expect(hit).to_contain_text(delivery.rpw)
    expect(hit.locator("mark").first).to_have_text(re.compile("świerków", re.I))
    # The document names its delivery; its number finds the delivery first, and the archivist opens it.
    results = archivist.search(delivery.rpw)
    archivist.click_link(delivery.subject, within=results)
    expect(archivist.heading()).to_contain_text(delivery.rpw)
    expect(archivist.page.get_by_role("table", name="Pliki przesyłki")).to_contain_text("skan.pdf")
