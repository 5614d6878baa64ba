"""Why extraction failed: one exception class per reason, each with an English msgid translated to Polish in
search/locale/pl. ``str(exc)`` is the reason in the active language (Polish in workers: LANGUAGE_CODE)."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _


class ExtractionError(Exception):
    """Base class. ``code`` is stable (logs, metrics); ``transient`` errors are worth retrying later."""

    code = "error"
    message = _("The text could not be extracted.")
    transient = False

    def __init__(self, detail: str = "", **params):
        self.detail = detail  # technical detail for the log, never shown to users
        self.params = params
        super().__init__(self.english)

    @property
    def reason(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)

    @property
    def english(self) -> str:
        with translation.override("en"):
            return self.reason

    def __str__(self):
        return self.reason


class UnsupportedType(ExtractionError):
    """Not an error of the file: a type that carries no text we can read (audio, archives, …)."""

    code = "unsupported"
    message = _("Text is not extracted from files of type %(mime_type)s.")


class FileTooLarge(ExtractionError):
    code = "too_large"
    message = _("The file is larger than %(limit)d MB, the limit for text extraction.")


class CorruptFile(ExtractionError):
    code = "corrupt"
    message = _("The file is damaged or is not a valid %(kind)s file.")


class EncryptedFile(ExtractionError):
    code = "encrypted"
    message = _("The file is password-protected.")


class ArchiveBomb(ExtractionError):
    code = "archive_bomb"
    message = _("The document unpacks to far more data than it holds (a possible zip bomb); it was not opened.")


class UnsafeXML(ExtractionError):
    code = "unsafe_xml"
    message = _("The XML declares entities or a DTD, which are refused for safety.")


class ImageTooLarge(ExtractionError):
    code = "image_too_large"
    message = _("The image has more than %(limit)d million pixels, the limit for text recognition.")


class ExtractionTimeout(ExtractionError):
    code = "timeout"
    message = _("Text extraction took longer than %(seconds)d seconds and was stopped.")
    transient = True


class ToolMissing(ExtractionError):
    code = "tool_missing"
    message = _("The text recognition program %(tool)s is not available on the server.")
    transient = True


class ToolFailed(ExtractionError):
    code = "tool_failed"
    message = _("The program %(tool)s could not read the file.")
