"""Receiving files: validate the name and size, stream to storage under a generated name, hash, detect type."""

import contextvars
import hashlib
from contextlib import contextmanager
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.translation import gettext as _

from registry.validators import validate_file_name

CHUNK = 1024 * 1024


@dataclass
class CheckedUpload:
    file: File
    original_name: str
    size: int
    sha256: str
    mime_type: str


def check_upload(upload, name: str | None = None) -> CheckedUpload:
    """Read the upload once: size limits, SHA-256 and the content type detected from its first bytes."""
    original_name = validate_file_name(name if name is not None else getattr(upload, "name", None))
    limit = settings.MAX_ATTACHMENT_SIZE
    declared = getattr(upload, "size", None)
    if declared is not None and declared > limit:
        raise ValidationError(
            _("File “%(name)s” is larger than the limit of %(limit)d MB.")
            % {"name": original_name, "limit": limit // (1024 * 1024)},
            code="too_large",
        )
    digest, size, head = hashlib.sha256(), 0, b""
    upload.seek(0)
    while chunk := upload.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise ValidationError(
                _("File “%(name)s” is larger than the limit of %(limit)d MB.")
                % {"name": original_name, "limit": limit // (1024 * 1024)},
                code="too_large",
            )
        if len(head) < 8192:
            head += chunk[: 8192 - len(head)]
        digest.update(chunk)
    if size == 0:
        raise ValidationError(_("File “%(name)s” is empty.") % {"name": original_name}, code="empty")
    upload.seek(0)
    mime_type = magic.from_buffer(head, mime=True) or "application/octet-stream"
    return CheckedUpload(
        file=upload if isinstance(upload, File) else File(upload),
        original_name=original_name,
        size=size,
        sha256=digest.hexdigest(),
        mime_type=mime_type,
    )


_stored_files: contextvars.ContextVar[list | None] = contextvars.ContextVar("obieg_stored_files", default=None)


@contextmanager
def removing_files_on_error():
    """Wrap a registering transaction: if it fails, the files it stored are deleted, so nothing half-saved stays."""
    outer = _stored_files.get()
    files: list = [] if outer is None else outer
    token = _stored_files.set(files)
    try:
        yield
    except BaseException:
        if outer is None:
            for storage, name in files:
                storage.delete(name)
        raise
    finally:
        _stored_files.reset(token)


def remember_stored_file(storage, name) -> None:
    files = _stored_files.get()
    if files is not None:
        files.append((storage, name))
