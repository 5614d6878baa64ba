"""Celery tasks of search: text extraction of document versions.

``extract_version_text(version_id)`` is queued after a version is registered (search/receivers.py) and again by
beat for versions left pending (a worker was down): it re-reads the row, skips versions already done, extracts the
text and stores it with ``save(update_fields=[…, "text", …])`` so receivers of post_save (the index outbox) see it.
It never raises: extraction failures are recorded on the row (text_status/text_error); transient ones (a timeout,
a missing program, the database or the file store away) are retried with exponential backoff, a bounded number of
times. A session advisory lock keeps two workers off the same version.
"""

import logging
from contextlib import contextmanager
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from registry.models import DocumentVersion, TextStatus
from search.extraction import ExtractionError, ExtractionTimeout, UnsupportedType, extract_text, get_limits

logger = logging.getLogger(__name__)

MAX_RETRIES = 4  # so at most 5 runs per queued task
# Beat re-queues versions pending for longer than this, and gives up on those that have used MAX_ATTEMPTS runs
# (a file that kills the worker process every time must not be retried forever).
REQUEUE_AFTER_MINUTES = getattr(settings, "SEARCH_TEXT_REQUEUE_AFTER_MINUTES", 15)
MAX_ATTEMPTS = getattr(settings, "SEARCH_TEXT_MAX_ATTEMPTS", 8)
REQUEUE_BATCH = 500
_LOCK_NAMESPACE = 0x0B1E6 << 40  # advisory-lock keys: this namespace | version id


class RetryLater(Exception):
    """Raised to let Celery's autoretry re-run the task with backoff."""


@contextmanager
def _version_lock(version_id: int):
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_LOCK_NAMESPACE | version_id])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_NAMESPACE | version_id])


def _store(version: DocumentVersion, *, text="", status, error="", method="") -> None:
    version.text = text
    version.text_status = status
    version.text_error = error[:500]
    version.text_method = method[:30]
    version.text_extracted_at = timezone.now()
    version.save(update_fields=["text", "text_status", "text_error", "text_method", "text_extracted_at"])


def _extract(version: DocumentVersion):
    limits = get_limits()
    try:
        path = version.file.path  # local storage: no copy
    except (NotImplementedError, AttributeError, ValueError):
        path = None
    if path is not None:
        return extract_text(path, version.mime_type, limits=limits)
    with version.file.open("rb") as fh:
        return extract_text(fh, version.mime_type, limits=limits)


@shared_task(
    bind=True,
    autoretry_for=(RetryLater,),
    retry_backoff=30,
    retry_backoff_max=15 * 60,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
    acks_late=True,
    soft_time_limit=20 * 60,
    time_limit=22 * 60,
)
def extract_version_text(self, version_id: int, force: bool = False) -> str:
    """Extract and store the text of one DocumentVersion. Returns what happened: done, none, failed, skipped,
    busy, missing, retry."""
    try:
        return _run(self, version_id, force)
    except RetryLater:
        raise
    except (OperationalError, InterfaceError) as exc:  # the database went away: try again later
        logger.warning("extract_version_text(%s): database unavailable: %s", version_id, exc)
        connection.close()
        if self.request.retries < self.max_retries:
            raise RetryLater(str(exc)) from exc
        return "failed"


def _run(task, version_id: int, force: bool) -> str:
    with _version_lock(version_id) as acquired:
        if not acquired:
            return "busy"  # another worker is extracting it right now
        if not DocumentVersion.objects.filter(pk=version_id).exists():
            return "missing"
        if not force and DocumentVersion.objects.filter(pk=version_id).exclude(text_status=TextStatus.PENDING).exists():
            return "skipped"
        from django.db.models import F

        DocumentVersion.objects.filter(pk=version_id).update(text_attempts=F("text_attempts") + 1)
        version = DocumentVersion.objects.get(pk=version_id)
        last_try = task.request.retries >= task.max_retries
        try:
            result = _extract(version)
        except UnsupportedType as exc:
            _store(version, status=TextStatus.NONE, error=exc.reason)
            return "none"
        except SoftTimeLimitExceeded:
            exc = ExtractionTimeout(seconds=20 * 60)
            _store(version, status=TextStatus.FAILED, error=exc.reason)
            return "failed"
        except ExtractionError as exc:
            logger.info("extract_version_text(%s): %s (%s) %s", version_id, exc.code, exc.english, exc.detail[:300])
            if exc.transient and not last_try:
                raise RetryLater(exc.english) from exc
            _store(version, status=TextStatus.FAILED, error=exc.reason)
            return "failed"
        except OSError as exc:  # the stored file could not be read (storage away, file missing)
            logger.warning("extract_version_text(%s): cannot read the file: %s", version_id, exc)
            if not last_try:
                raise RetryLater(str(exc)) from exc
            _store(version, status=TextStatus.FAILED, error=_("The stored file could not be read."))
            return "failed"
        except DatabaseError:
            raise
        except Exception:  # a parser bug on a hostile file: record it, never crash the worker or retry forever
            logger.exception("extract_version_text(%s): unexpected error", version_id)
            _store(version, status=TextStatus.FAILED, error=_("Unexpected error while extracting the text."))
            return "failed"
        if result.text.strip():
            _store(version, text=result.text, status=TextStatus.DONE, method=result.method)
            return "done"
        _store(version, status=TextStatus.NONE, method=result.method, error=_("The file contains no text."))
        return "none"


@shared_task(ignore_result=True)
def requeue_pending_texts() -> int:
    """Beat: re-queue extraction of versions pending for more than REQUEUE_AFTER_MINUTES; mark those that have
    used MAX_ATTEMPTS runs as failed. Returns how many were queued."""
    cutoff = timezone.now() - timedelta(minutes=REQUEUE_AFTER_MINUTES)
    pending = DocumentVersion.objects.filter(text_status=TextStatus.PENDING, created_at__lt=cutoff)
    for version in pending.filter(text_attempts__gte=MAX_ATTEMPTS).only("pk", "text_attempts"):
        _store(
            version, status=TextStatus.FAILED,
            error=_("Text extraction gave up after %(attempts)d attempts.") % {"attempts": version.text_attempts},
        )
    ids = list(
        pending.filter(text_attempts__lt=MAX_ATTEMPTS).order_by("created_at").values_list("pk", flat=True)[
            :REQUEUE_BATCH
        ]
    )
    for version_id in ids:
        extract_version_text.apply_async((version_id,), expires=REQUEUE_AFTER_MINUTES * 60)
    if ids:
        logger.info("requeue_pending_texts: queued %d versions", len(ids))
    return len(ids)


_PREVIEW_LOCK_NAMESPACE = 0x0B1E7 << 40


@shared_task(
    bind=True,
    autoretry_for=(RetryLater,),
    retry_backoff=30,
    retry_backoff_max=10 * 60,
    retry_jitter=True,
    max_retries=3,
    acks_late=True,
    soft_time_limit=10 * 60,
    time_limit=11 * 60,
)
def render_version_preview(self, version_id: int) -> str:
    """Render the page previews of one DocumentVersion (search/previews.py) unless they exist. Returns ready,
    unsupported, failed, skipped, busy or missing."""
    from search import previews

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_PREVIEW_LOCK_NAMESPACE | version_id])
        if not cursor.fetchone()[0]:
            return "busy"
    try:
        version = DocumentVersion.objects.filter(pk=version_id).defer("text").first()
        if version is None:
            return "missing"
        if previews.read_manifest(version) is not None:
            return "skipped"
        try:
            return previews.render(version)["status"]
        except ExtractionError as exc:  # transient: a timeout or a missing program
            if self.request.retries < self.max_retries:
                raise RetryLater(exc.english) from exc
            return previews.failure_manifest(version, exc)["status"]
        except SoftTimeLimitExceeded:
            return previews.failure_manifest(version, ExtractionTimeout(seconds=10 * 60))["status"]
        except OSError as exc:  # the file store is away
            logger.warning("render_version_preview(%s): %s", version_id, exc)
            if self.request.retries < self.max_retries:
                raise RetryLater(str(exc)) from exc
            return "failed"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_PREVIEW_LOCK_NAMESPACE | version_id])


# The index outbox drainer lives in search/index/tasks.py (search branch); importing it here lets Celery's
# autodiscovery (which imports only `<app>.tasks`) register it.
from search.index.tasks import drain_outbox  # noqa: E402, F401
