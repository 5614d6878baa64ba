"""Page previews of document versions: JPEG images of the first pages of a PDF (poppler's pdftoppm) or of an image
(Pillow), rendered in separate processes under the limits of text extraction (time, memory, pixels) and cached in
the file storage next to the files, under ``previews/<name of the stored file>/``:

- ``page-<n>.jpg``: the larger view (long side at most LARGE_PX), ``thumb-<n>.jpg``: the thumbnail (THUMB_PX);
- ``manifest.json``: the outcome – ``{"status": "ready", "pages": n, "total_pages": m}``, ``{"status":
  "unsupported"}`` or ``{"status": "failed", "code": …, "params": …}`` (the reason is translated when shown).

Versions are immutable, so a preview never goes stale. Rendering runs in Celery on the extraction queue
(search.tasks.render_version_preview), queued when a version is stored and, lazily, when a page asks for a preview
that is not there yet (the page shows a placeholder meanwhile; it never renders in the request).
"""

import json
import logging
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from search.extraction.errors import (
    CorruptFile,
    EncryptedFile,
    ExtractionError,
    ExtractionTimeout,
    ImageTooLarge,
    ToolFailed,
    ToolMissing,
)
from search.extraction.limits import Limits, get_limits
from search.extraction.tools import run

logger = logging.getLogger(__name__)

MAX_PAGES = 20  # pages rendered per version; the rest is in the download
LARGE_PX = 1400  # long side of the larger view: A4 at ~120 dpi, at most 2 million pixels whatever the page size
THUMB_PX = 300
# JPEG, not PNG: poppler's PNG encoder takes ~1 s for an A4 page at this size, its JPEG one ~0.05 s, for a file of
# about the same size (bench/previews.py); quality 85 keeps small print legible.
JPEG_QUALITY = 85
QUEUE_THROTTLE_SECONDS = 300  # a page view re-queues a missing preview at most this often
PDF_TYPES = {"application/pdf", "application/x-pdf"}
IMAGE_TYPES = {"image/png", "image/jpeg", "image/tiff", "image/bmp", "image/x-ms-bmp", "image/gif", "image/webp"}
_ERRORS = {cls.code: cls for cls in (CorruptFile, EncryptedFile, ExtractionTimeout, ImageTooLarge, ToolFailed,
                                     ToolMissing)}
# Where extraction's wording ("the limit for text recognition") would mislead, previews say it their way.
_PREVIEW_MESSAGES = {
    "image_too_large": _("The image has more than %(limit)d million pixels, the limit for previews."),
    "timeout": _("Preparing the preview took longer than %(seconds)d seconds and was stopped."),
}
_RENDER_IMAGE = Path(__file__).resolve().parent / "extraction" / "render_image.py"


@dataclass
class Preview:
    status: str  # ready, pending, unsupported, failed
    pages: int = 0
    total_pages: int = 0
    reason: str = ""  # why it failed, in the active language
    numbers: list[int] = field(default_factory=list)

    @property
    def truncated(self) -> bool:
        return self.total_pages > self.pages


def supports(mime_type: str) -> bool:
    return mime_type in PDF_TYPES or mime_type in IMAGE_TYPES


def _dir(version) -> str:
    # Named after the stored file (a random name, never reused), not the row id: a database restored or reset
    # under a kept file store can never show another file's pages.
    return f"previews/{version.file.name.rsplit('/', 1)[-1]}"


def image_name(version, page: int, *, thumb: bool) -> str:
    return f"{_dir(version)}/{'thumb' if thumb else 'page'}-{page}.jpg"


def _manifest_name(version) -> str:
    return f"{_dir(version)}/manifest.json"


def read_manifest(version) -> dict | None:
    storage = version.file.storage
    name = _manifest_name(version)
    try:
        if not storage.exists(name):
            return None
        with storage.open(name, "rb") as fh:
            return json.loads(fh.read().decode("utf-8"))
    except (OSError, ValueError):
        return None  # unreadable: treated as missing, so it is rendered again


def _reason(manifest: dict) -> str:
    code, params = manifest.get("code"), manifest.get("params") or {}
    message = _PREVIEW_MESSAGES.get(code) or _ERRORS.get(code, ExtractionError).message
    try:
        return str(message) % params if params else str(message)
    except (TypeError, KeyError, ValueError):  # a manifest from another version of this code
        return str(ExtractionError.message)


def preview_of(version, *, queue: bool = True) -> Preview:
    """The preview state of a version for a page; when there is none yet, the rendering is queued (throttled)."""
    if not supports(version.mime_type):
        return Preview("unsupported")
    manifest = read_manifest(version)
    if manifest is None:
        if queue:
            request_render(version.pk)
        return Preview("pending")
    status = manifest.get("status")
    if status == "ready":
        pages = int(manifest.get("pages") or 0)
        return Preview("ready", pages=pages, total_pages=int(manifest.get("total_pages") or pages),
                       numbers=list(range(1, pages + 1)))
    if status == "failed":
        return Preview("failed", reason=_reason(manifest))
    return Preview("unsupported")


def request_render(version_id: int) -> None:
    """Queue the rendering unless it was queued recently; a broker that is down leaves the placeholder."""
    if not cache.add(f"preview-queued:{version_id}", 1, QUEUE_THROTTLE_SECONDS):
        return
    from search.tasks import render_version_preview

    try:
        render_version_preview.delay(version_id)
    except Exception:  # the page must not fail because the broker is away
        logger.exception("could not queue the preview of version %s", version_id)
        cache.delete(f"preview-queued:{version_id}")


# --- rendering (in the worker) ----------------------------------------------------------------------------------


class _Budget:
    """Time left for all the pages of one file: the per-program limit of extraction, twice."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.total = 2 * limits.timeout
        self.deadline = time.monotonic() + self.total

    def timeout(self) -> int:
        left = int(self.deadline - time.monotonic())
        if left <= 0:
            raise ExtractionTimeout(detail="preview budget", seconds=self.total)
        return min(left, self.limits.timeout)


def _render_pdf(path: Path, out: Path, limits: Limits) -> tuple[int, int]:
    from PIL import Image

    from search.extraction.pdf import page_count

    total = page_count(path, limits)
    budget = _Budget(limits)
    rendered = 0
    for number in range(1, min(total, MAX_PAGES) + 1):
        prefix = out / f"page-{number}"
        # -scale-to bounds the long side, so a poster-sized page renders to the same few pixels as an A4 one.
        result = run(
            ["pdftoppm", "-jpeg", "-jpegopt", f"quality={JPEG_QUALITY}", "-f", str(number), "-l", str(number),
             "-singlefile", "-scale-to", str(LARGE_PX), str(path), str(prefix)],
            limits, timeout=budget.timeout(),
        )
        image = prefix.with_suffix(".jpg")
        if result.returncode != 0 or not image.exists():
            if number == 1:
                raise ToolFailed(detail=result.stderr.decode("utf-8", "replace")[-300:], tool="pdftoppm")
            break  # a later page is broken: keep the ones before it
        with Image.open(image) as large:  # our own bounded rendering, safe to open here
            large.thumbnail((THUMB_PX, THUMB_PX))
            large.save(out / f"thumb-{number}.jpg", format="JPEG", quality=JPEG_QUALITY)
        rendered = number
    return rendered, total


def _render_image(path: Path, out: Path, limits: Limits) -> tuple[int, int]:
    result = run(
        [sys.executable, "-I", str(_RENDER_IMAGE), str(path), str(out), str(limits.max_image_pixels),
         str(MAX_PAGES), str(LARGE_PX), str(THUMB_PX), str(JPEG_QUALITY)],
        limits,
    )
    try:
        answer = json.loads(result.stdout.decode("utf-8", "replace").strip().splitlines()[-1])
    except (ValueError, IndexError):
        answer = {}
    if result.returncode == 0 and "pages" in answer:
        return int(answer["pages"]), int(answer["total_pages"])
    if answer.get("error") == "image_too_large":
        raise ImageTooLarge(detail=answer.get("detail", ""), limit=limits.max_image_pixels // 1_000_000)
    if answer.get("error") == "corrupt":
        raise CorruptFile(detail=answer.get("detail", ""), kind="image")
    # killed by the memory limit, or crashed
    raise ToolFailed(detail=result.stderr.decode("utf-8", "replace")[-300:], tool="Pillow")


def _local_copy(version, tmp: Path, limits: Limits) -> Path:
    try:
        return Path(version.file.path)  # local storage: no copy
    except (NotImplementedError, AttributeError, ValueError):
        pass
    target = tmp / "input"
    with version.file.open("rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 1024 * 1024)
    return target


def _save(storage, name: str, data: bytes) -> None:
    if storage.exists(name):
        storage.delete(name)
    storage.save(name, ContentFile(data))


def render(version, limits: Limits | None = None) -> dict:
    """Render and store the preview of a version; return the manifest written. Raises ExtractionError only for a
    transient failure the caller may retry (``transient``); every other outcome is recorded in the manifest."""
    limits = limits or get_limits()
    storage = version.file.storage
    if not supports(version.mime_type):
        manifest = {"status": "unsupported"}
    else:
        with tempfile.TemporaryDirectory(prefix="obieg-preview-") as tmp_name:
            tmp = Path(tmp_name)
            out = tmp / "out"
            out.mkdir()
            try:
                source = _local_copy(version, tmp, limits)
                renderer = _render_pdf if version.mime_type in PDF_TYPES else _render_image
                pages, total = renderer(source, out, limits)
            except ExtractionError as exc:
                if exc.transient:
                    raise
                logger.info("preview of version %s: %s %s", version.pk, exc.code, exc.detail[:300])
                manifest = {"status": "failed", "code": exc.code, "params": exc.params}
            else:
                for number in range(1, pages + 1):
                    for thumb in (False, True):
                        local = out / f"{'thumb' if thumb else 'page'}-{number}.jpg"
                        _save(storage, image_name(version, number, thumb=thumb), local.read_bytes())
                manifest = {"status": "ready", "pages": pages, "total_pages": total}
    _save(storage, _manifest_name(version), json.dumps(manifest).encode("utf-8"))
    return manifest


def forget(version) -> None:
    """Drop the manifest, so the preview is rendered again (the images are overwritten then)."""
    storage = version.file.storage
    if storage.exists(_manifest_name(version)):
        storage.delete(_manifest_name(version))


def failure_manifest(version, exc: ExtractionError) -> dict:
    """Record a transient failure that ran out of retries."""
    manifest = {"status": "failed", "code": exc.code, "params": exc.params}
    _save(version.file.storage, _manifest_name(version), json.dumps(manifest).encode("utf-8"))
    return manifest

