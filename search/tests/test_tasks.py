"""The extraction task, the receiver that queues it after registration, and beat's re-queue of pending versions."""

import datetime as dt
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.signals import post_save
from django.utils import timezone

from obieg.celery import app
from organisation.models import Role
from registry.models import DocumentVersion, TextStatus
from registry.tests.factories import OrgUnitFactory, make_delivery, member
from search import tasks
from search.extraction import ExtractionTimeout
from search.tests import samples


@pytest.fixture
def clerk(db):
    return member(OrgUnitFactory(symbol="OR", name="Wydział Organizacyjny"), Role.REGISTRY_CLERK, username="kancelaria")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def no_queue(monkeypatch):
    """Registration must not publish to a real broker in unit tests; record what would be queued."""
    queued = []
    monkeypatch.setattr(tasks.extract_version_text, "delay", lambda version_id: queued.append(version_id))
    return queued


def upload(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def register(clerk, *files):
    delivery = make_delivery(clerk, files=list(files))
    return list(DocumentVersion.objects.filter(document__delivery=delivery).order_by("pk"))


def run_eagerly_with_retries(version_id):
    """apply() runs retries inline (no countdown) only when eager exceptions do not propagate."""
    saved = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    try:
        return tasks.extract_version_text.apply(args=(version_id,)).get(propagate=False)
    finally:
        app.conf.task_eager_propagates = saved


def test_registration_queues_extraction_after_commit(clerk, media, tmp_path, no_queue,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [version] = register(clerk, upload(samples.pdf_with_text(tmp_path / "pismo.pdf")))
        assert no_queue == []  # nothing is published before the registration commits
    # Other apps queue their own work on the same commit (signature verification, case proposals).
    [extraction] = [c for c in callbacks if getattr(getattr(c, "func", None), "__module__", "") == "search.receivers"]
    extraction()
    assert no_queue == [version.pk]
    assert version.text_status == TextStatus.PENDING


def test_a_broker_failure_never_reaches_the_registration(clerk, media, tmp_path, monkeypatch,
                                                          django_capture_on_commit_callbacks):
    def broker_down(version_id):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(tasks.extract_version_text, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        [version] = register(clerk, upload(samples.pdf_with_text(tmp_path / "pismo.pdf")))
    version.refresh_from_db()
    assert version.text_status == TextStatus.PENDING  # beat will pick it up


def test_extracts_and_stores_the_text(clerk, media, tmp_path, no_queue):
    [version] = register(clerk, upload(samples.pdf_with_text(tmp_path / "pismo.pdf")))
    saves = []

    def on_save(sender, instance, update_fields, **kwargs):
        saves.append(set(update_fields or ()))

    post_save.connect(on_save, sender=DocumentVersion)
    try:
        assert tasks.extract_version_text(version.pk) == "done"
    finally:
        post_save.disconnect(on_save, sender=DocumentVersion)
    version.refresh_from_db()
    assert version.text_status == TextStatus.DONE
    assert "Urząd Gminy Zielona Dolina" in version.text and "doręczenia" in version.text
    assert version.text_method == "pdf-text"
    assert version.text_error == ""
    assert version.text_attempts == 1
    assert version.text_extracted_at is not None
    assert saves == [{"text", "text_status", "text_error", "text_method", "text_extracted_at"}]
    # idempotent: a second run (a duplicate message, beat) does nothing
    assert tasks.extract_version_text(version.pk) == "skipped"
    version.refresh_from_db()
    assert version.text_attempts == 1


def test_ocr_of_a_scanned_attachment(clerk, media, tmp_path, no_queue):
    [version] = register(clerk, upload(samples.scanned_pdf(tmp_path / "skan.pdf")))
    assert tasks.extract_version_text(version.pk) == "done"
    version.refresh_from_db()
    assert version.text_method == "pdf-ocr"
    assert "Urząd" in version.text and "doręczenia" in version.text


def test_hostile_file_fails_with_a_polish_reason(clerk, media, tmp_path, no_queue):
    [version] = register(clerk, upload(samples.zip_bomb_docx(tmp_path / "bomba.docx")))
    assert tasks.extract_version_text(version.pk) == "failed"
    version.refresh_from_db()
    assert version.text_status == TextStatus.FAILED
    assert "bomba zip" in version.text_error
    assert version.text == "" and version.text_attempts == 1


def test_type_without_text_is_none(clerk, media, tmp_path, no_queue):
    archive = tmp_path / "dane.zip"
    import zipfile

    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.csv", "1;2")
    [version] = register(clerk, upload(archive))
    assert tasks.extract_version_text(version.pk) == "none"
    version.refresh_from_db()
    assert version.text_status == TextStatus.NONE
    assert "application/zip" in version.text_error


def test_transient_failure_is_retried_then_recorded(clerk, media, tmp_path, no_queue, monkeypatch):
    [version] = register(clerk, upload(samples.pdf_with_text(tmp_path / "pismo.pdf")))
    calls = []

    def slow(v):
        calls.append(v.pk)
        raise ExtractionTimeout(seconds=120)

    monkeypatch.setattr(tasks, "_extract", slow)
    assert run_eagerly_with_retries(version.pk) == "failed"
    version.refresh_from_db()
    assert len(calls) == tasks.MAX_RETRIES + 1
    assert version.text_attempts == tasks.MAX_RETRIES + 1
    assert version.text_status == TextStatus.FAILED
    assert "120" in version.text_error


def test_transient_failure_then_success(clerk, media, tmp_path, no_queue, monkeypatch):
    [version] = register(clerk, upload(samples.pdf_with_text(tmp_path / "pismo.pdf")))
    real = tasks._extract
    calls = []

    def flaky(v):
        calls.append(v.pk)
        if len(calls) == 1:
            raise OSError("NFS hiccup")
        return real(v)

    monkeypatch.setattr(tasks, "_extract", flaky)
    assert run_eagerly_with_retries(version.pk) == "done"
    version.refresh_from_db()
    assert version.text_status == TextStatus.DONE and version.text_attempts == 2


def test_unexpected_error_is_recorded_not_raised(clerk, media, tmp_path, no_queue, monkeypatch):
    [version] = register(clerk, upload(samples.pdf_with_text(tmp_path / "pismo.pdf")))

    def bug(v):
        raise ZeroDivisionError

    monkeypatch.setattr(tasks, "_extract", bug)
    assert tasks.extract_version_text(version.pk) == "failed"
    version.refresh_from_db()
    assert version.text_status == TextStatus.FAILED and version.text_error


@pytest.mark.django_db
def test_missing_version():
    assert tasks.extract_version_text(10**9) == "missing"


@pytest.mark.django_db
def test_requeue_of_stuck_versions(clerk, media, tmp_path, no_queue, monkeypatch):
    stuck, _fresh, done, poison = register(clerk, *(
        upload(samples.txt(tmp_path / f"{n}.txt"), f"{n}.txt") for n in ("a", "b", "c", "d")
    ))
    old = timezone.now() - dt.timedelta(minutes=tasks.REQUEUE_AFTER_MINUTES + 5)
    DocumentVersion.objects.filter(pk__in=[stuck.pk, done.pk, poison.pk]).update(created_at=old)
    DocumentVersion.objects.filter(pk=done.pk).update(text_status=TextStatus.DONE)
    DocumentVersion.objects.filter(pk=poison.pk).update(text_attempts=tasks.MAX_ATTEMPTS)
    queued = []
    monkeypatch.setattr(tasks.extract_version_text, "apply_async", lambda args, **kw: queued.append(args[0]))
    assert tasks.requeue_pending_texts() == 1
    assert queued == [stuck.pk]
    poison.refresh_from_db()
    assert poison.text_status == TextStatus.FAILED
    assert "po 8 próbach" in poison.text_error


def test_beat_entry_is_registered():
    from search.schedule import BEAT_SCHEDULE

    entry = BEAT_SCHEDULE["search-requeue-pending-texts"]
    assert entry["task"] == tasks.requeue_pending_texts.name
    assert "search-requeue-pending-texts" in app.conf.beat_schedule


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_extracts_after_registration(celery_worker_proc, settings, tmp_path):
    """Registration commits, the receiver publishes, the worker (another process) extracts and stores the text."""
    clerk = member(OrgUnitFactory(symbol="OR"), Role.REGISTRY_CLERK, username="kancelaria-w")
    [version] = register(clerk, upload(samples.pdf_with_text(tmp_path / "pismo.pdf")))
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            version.refresh_from_db()
            if version.text_status != TextStatus.PENDING:
                break
            time.sleep(0.2)
        assert version.text_status == TextStatus.DONE, celery_worker_proc.log()[-3000:]
        assert "Urząd Gminy Zielona Dolina" in version.text
        assert version.text_attempts == 1
    finally:
        version.file.storage.delete(version.file.name)


def test_extract_texts_command(clerk, media, tmp_path, no_queue):
    from io import StringIO

    from django.core.management import call_command

    [version] = register(clerk, upload(samples.txt(tmp_path / "a.txt")))
    DocumentVersion.objects.filter(pk=version.pk).update(text_status=TextStatus.FAILED, text_attempts=8)
    out = StringIO()
    call_command("extract_texts", "--status", "failed", "--sync", stdout=out)
    assert "1 versions – done: 1" in out.getvalue()
    version.refresh_from_db()
    assert version.text_status == TextStatus.DONE and version.text_attempts == 1
    call_command("extract_texts", "--id", str(version.pk), stdout=out)
    assert no_queue == [version.pk]


def test_system_check_finds_the_tools():
    from search.checks import extraction_tools

    assert extraction_tools() == []


def test_extraction_has_a_queue_of_its_own(settings):
    """OCR can take minutes a page: it must not wait in (or hold up) the queue of the index, notifications, intake."""
    from obieg.celery import app

    settings.CELERY_EXTRACTION_QUEUE = "extraction"
    assert app.amqp.router.route({}, "search.tasks.extract_version_text")["queue"].name == "extraction"
    assert app.amqp.router.route({}, "search.drain_outbox")["queue"].name == app.conf.task_default_queue
