"""Page previews: generated PDFs and images render to bounded JPEGs in the file storage; hostile files (a huge image,
a broken PDF, a file that is not what it claims) end in a clear recorded state, never an exception; the task runs
in a real Celery worker on the extraction queue."""

import io
import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from obieg.celery import route_task
from registry.models import DocumentVersion
from registry.services.documents import add_document
from registry.tests.factories import make_delivery
from search import previews
from search.tests.samples import pdf_with_text, png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(request, settings, tmp_path):
    """Files in a temporary folder, except for the real worker's test (the worker reads the default MEDIA_ROOT)."""
    if "celery_worker_proc" not in request.fixturenames:
        settings.MEDIA_ROOT = str(tmp_path / "media")


def _upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def _version(office, upload) -> DocumentVersion:
    delivery = make_delivery(office["clerk"], addressed_unit=office["RB"])
    doc = add_document(actor=office["clerk"], title="Podgląd", kind="attachment", upload=upload, delivery=delivery)
    return doc.versions.get()


def _image_size(name):
    with default_storage.open(name, "rb") as fh, Image.open(fh) as image:
        return image.size


def test_pdf_pages_render_to_bounded_images(office, tmp_path):
    version = _version(office, _upload("pismo.pdf", pdf_with_text(tmp_path / "a.pdf", pages=3).read_bytes()))
    assert version.mime_type == "application/pdf"
    assert previews.preview_of(version, queue=False).status == "pending"

    manifest = previews.render(version)

    assert manifest == {"status": "ready", "pages": 3, "total_pages": 3}
    for page in (1, 2, 3):
        width, height = _image_size(previews.image_name(version, page, thumb=False))
        assert max(width, height) == previews.LARGE_PX and height > width  # A4 portrait, long side bounded
        assert max(_image_size(previews.image_name(version, page, thumb=True))) <= previews.THUMB_PX
    preview = previews.preview_of(version, queue=False)
    assert (preview.status, preview.pages, preview.numbers, preview.truncated) == ("ready", 3, [1, 2, 3], False)


def test_only_the_first_pages_of_a_long_pdf_are_rendered(office, tmp_path, monkeypatch):
    monkeypatch.setattr(previews, "MAX_PAGES", 2)
    version = _version(office, _upload("dlugie.pdf", pdf_with_text(tmp_path / "a.pdf", pages=4).read_bytes()))
    assert previews.render(version) == {"status": "ready", "pages": 2, "total_pages": 4}
    assert previews.preview_of(version, queue=False).truncated
    assert not default_storage.exists(previews.image_name(version, 3, thumb=False))


def test_image_renders_in_a_subprocess(office, tmp_path):
    version = _version(office, _upload("skan.png", png(tmp_path / "a.png").read_bytes()))
    assert previews.render(version) == {"status": "ready", "pages": 1, "total_pages": 1}
    assert max(_image_size(previews.image_name(version, 1, thumb=True))) == previews.THUMB_PX


def test_multi_page_tiff_renders_each_frame(office):
    frames = [Image.new("L", (400, 600), color) for color in (255, 128, 0)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    version = _version(office, _upload("skan.tif", buf.getvalue()))
    assert version.mime_type == "image/tiff"
    assert previews.render(version) == {"status": "ready", "pages": 3, "total_pages": 3}
    assert _image_size(previews.image_name(version, 2, thumb=False)) == (400, 600)  # never enlarged


def test_huge_image_is_refused_with_a_reason(office):
    # 12,000 × 6,000 = 72 million pixels declared (the limit is 60): a few kB of PNG, never decoded.
    buf = io.BytesIO()
    Image.new("1", (12_000, 6_000)).save(buf, format="PNG")
    version = _version(office, _upload("bomba.png", buf.getvalue()))

    manifest = previews.render(version)

    assert manifest["status"] == "failed" and manifest["code"] == "image_too_large"
    preview = previews.preview_of(version, queue=False)
    assert preview.status == "failed"
    assert preview.reason == "Obraz ma więcej niż 60 mln pikseli – limit dla podglądu."  # Polish in tests


def test_broken_pdf_is_recorded_as_damaged(office):
    version = _version(office, _upload("zepsuty.pdf", b"%PDF-1.7\n1 0 obj<</Type/Catalog>>\ngarbage" * 20))
    assert version.mime_type == "application/pdf"
    manifest = previews.render(version)
    assert manifest["status"] == "failed" and manifest["code"] in ("corrupt", "tool_failed")
    assert previews.preview_of(version, queue=False).reason


def test_truncated_image_is_recorded_as_damaged(office, tmp_path):
    data = png(tmp_path / "a.png").read_bytes()
    version = _version(office, _upload("obciety.png", data[: len(data) // 3]))
    assert version.mime_type == "image/png"
    manifest = previews.render(version)
    assert manifest == {"status": "failed", "code": "corrupt", "params": {"kind": "image"}}


def test_other_types_have_no_preview(office):
    version = _version(office, _upload("notatka.txt", "Zażółć gęślą jaźń".encode()))
    assert previews.preview_of(version, queue=False).status == "unsupported"
    assert previews.render(version) == {"status": "unsupported"}
    with default_storage.open(previews._manifest_name(version)) as fh:
        assert json.load(fh) == {"status": "unsupported"}


def test_preview_task_goes_to_the_extraction_queue(settings):
    assert route_task("search.tasks.render_version_preview", (), {}, {}) == {
        "queue": settings.CELERY_EXTRACTION_QUEUE
    }


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_stored_version_gets_its_preview_from_the_worker(celery_worker_proc, office, tmp_path):
    """The real worker renders after the registration commits; the page state goes from pending to ready."""
    import time

    from django.core.cache import cache

    cache.clear()
    version = _version(office, _upload("pismo.pdf", pdf_with_text(tmp_path / "a.pdf", pages=2).read_bytes()))
    deadline = time.monotonic() + 60
    while previews.read_manifest(version) is None and time.monotonic() < deadline:
        time.sleep(0.3)
    manifest = previews.read_manifest(version)
    assert manifest == {"status": "ready", "pages": 2, "total_pages": 2}, celery_worker_proc.log()
    assert default_storage.exists(previews.image_name(version, 2, thumb=True))


@pytest.fixture
def queued(monkeypatch):
    from django.core.cache import cache

    from search import tasks

    cache.clear()
    calls = []
    monkeypatch.setattr(tasks.render_version_preview, "delay", lambda version_id: calls.append(version_id))
    monkeypatch.setattr(tasks.extract_version_text, "delay", lambda version_id: None)
    return calls


def test_a_new_version_queues_its_preview_after_commit(office, tmp_path, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        version = _version(office, _upload("a.png", png(tmp_path / "a.png").read_bytes()))
        assert queued == []
    for callback in callbacks:
        callback()
    assert queued == [version.pk]
    # a page view while it is pending does not queue it again (throttled), nor does rendering happen in the request
    assert previews.preview_of(version).status == "pending"
    assert queued == [version.pk]


def test_a_broker_failure_leaves_the_placeholder(office, tmp_path, monkeypatch):
    from django.core.cache import cache

    from search import tasks

    def broker_down(version_id):
        raise ConnectionError("Redis is down")

    cache.clear()
    monkeypatch.setattr(tasks.render_version_preview, "delay", broker_down)
    monkeypatch.setattr(tasks.extract_version_text, "delay", lambda version_id: None)
    version = _version(office, _upload("a.png", png(tmp_path / "a.png").read_bytes()))
    assert previews.preview_of(version).status == "pending"  # no exception; the next view tries again


def test_the_task_renders_once(office, tmp_path, queued):
    from search.tasks import render_version_preview

    version = _version(office, _upload("a.pdf", pdf_with_text(tmp_path / "a.pdf").read_bytes()))
    assert render_version_preview(version.pk) == "ready"
    assert render_version_preview(version.pk) == "skipped"
    assert render_version_preview(10**8) == "missing"


def test_render_previews_command_fills_the_missing_and_retries_failed(office, tmp_path, queued):
    from django.core.management import call_command

    pdf = _version(office, _upload("a.pdf", pdf_with_text(tmp_path / "a.pdf").read_bytes()))
    text = _version(office, _upload("a.txt", b"notatka"))
    broken = _version(office, _upload("b.pdf", b"%PDF-1.4\nbroken" * 10))
    previews.failure_manifest(broken, previews.ToolMissing(tool="pdftoppm"))
    out = io.StringIO()
    call_command("render_previews", "--sync", stdout=out)
    assert out.getvalue().strip() == "1 versions (ready: 1)"  # the text file has none, the failed one is kept
    assert previews.read_manifest(pdf)["status"] == "ready" and previews.read_manifest(text) is None
    assert previews.read_manifest(broken)["code"] == "tool_missing"
    call_command("render_previews", "--failed", "--sync", stdout=out)
    assert previews.read_manifest(broken)["code"] in ("corrupt", "tool_failed")  # rendered again
