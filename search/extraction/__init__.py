"""Text extraction from stored files, safe against hostile input.

``extract_text(path_or_file, mime_type=None) -> ExtractionResult(text, method, …)``

The type is detected from the content with libmagic (the file name is never looked at); ``mime_type`` is only a
fallback when detection gives nothing useful. Supported: PDF (text layer; pages without one are OCR'd), DOCX, ODT,
XLSX, ODS, RTF, plain text (UTF-8/CP1250/ISO-8859-2), HTML, XML and ePUAP documents, e-mail messages (.eml: headers,
body and the names of attachments), images (OCR, Polish). Every failure is an ``ExtractionError`` subclass
(search/extraction/errors.py) with a translatable reason; limits are in search/extraction/limits.py
(settings.SEARCH_EXTRACTION).
"""

import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from search.extraction.errors import (
    ArchiveBomb,
    CorruptFile,
    EncryptedFile,
    ExtractionError,
    ExtractionTimeout,
    FileTooLarge,
    ImageTooLarge,
    ToolFailed,
    ToolMissing,
    UnsafeXML,
    UnsupportedType,
)
from search.extraction.limits import Limits, get_limits

__all__ = [
    "ArchiveBomb",
    "CorruptFile",
    "EncryptedFile",
    "ExtractionError",
    "ExtractionResult",
    "ExtractionTimeout",
    "FileTooLarge",
    "ImageTooLarge",
    "Limits",
    "ToolFailed",
    "ToolMissing",
    "UnsafeXML",
    "UnsupportedType",
    "detect_mime_type",
    "extract_text",
    "get_limits",
]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
_ZIP_TYPES = (DOCX, ODT, XLSX, ODS)
_OFFICE_ZIP_PREFIXES = ("application/vnd.openxmlformats-officedocument.", "application/vnd.ms-excel.sheet.")  # .xlsm…
_KINDS = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    DOCX: "docx",
    ODT: "odt",
    XLSX: "xlsx",
    ODS: "ods",
    "message/rfc822": "eml",
    "message/news": "eml",
    "text/rtf": "rtf",
    "application/rtf": "rtf",
    "text/plain": "txt",
    "text/csv": "txt",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/xml": "xml",
    "application/xml": "xml",
    "image/png": "image",
    "image/jpeg": "image",
    "image/tiff": "image",
    "image/bmp": "image",
    "image/x-ms-bmp": "image",
    "image/gif": "image",
    "image/webp": "image",
}
_GENERIC = {"", "application/octet-stream", "application/zip", "text/plain", "application/x-empty"}
# Formats read into memory and parsed in-process: a smaller ceiling than for PDFs and images.
_MAX_MARKUP_BYTES = 30 * 1024 * 1024
_EPUAP_ATTACHMENT_DATA = re.compile(
    rb"(<(?:[A-Za-z_][\w.-]*:)?DaneZalacznika\b[^>]*>)[A-Za-z0-9+/=\s]*(</(?:[A-Za-z_][\w.-]*:)?DaneZalacznika\s*>)"
)


@dataclass
class ExtractionResult:
    text: str
    method: str  # pdf-text, pdf-ocr, pdf-text+ocr, image-ocr, docx, odt, xlsx, ods, rtf, txt, html, xml, epuap, eml
    mime_type: str = ""
    pages: int | None = None
    truncated: bool = False  # a page or character limit cut the text


def detect_mime_type(path: Path) -> str:
    import magic

    with open(path, "rb") as fh:
        head = fh.read(64 * 1024)
    return magic.from_buffer(head, mime=True) or "application/octet-stream"


def _kind(path: Path, detected: str, declared: str | None) -> str | None:
    kind = _KINDS.get(detected)
    if detected == "application/zip" or (
        kind is None
        and (
            declared in _ZIP_TYPES
            or detected.startswith(_OFFICE_ZIP_PREFIXES)
            or _starts_as_zip(path)  # libmagic: octet-stream for an ODF file whose "mimetype" member is compressed
        )
    ):
        kind = _zip_kind(path)
    if kind == "txt":
        kind = _sniff_markup(path) or ("eml" if _sniff_email(path) else kind)
    elif kind == "eml" and not _sniff_email(path):
        kind = "txt"  # libmagic calls any text starting with "From: …" a message; only a real header block is one
    if kind is None and detected in _GENERIC and declared:
        kind = _KINDS.get(declared)
        if kind == "eml" and not _sniff_email(path):
            kind = None
    if kind is None and detected.endswith("+xml") and not detected.startswith("image/"):
        kind = "xml"
    return kind


def _starts_as_zip(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"PK\x03\x04"


def _zip_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 200:
                return {ODT: "odt", ODS: "ods"}.get(archive.read("mimetype").strip().decode("ascii", "replace"))
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return None
    return None


def _sniff_markup(path: Path) -> str | None:
    """libmagic calls XML without a declaration text/plain; look at the first tag."""
    with open(path, "rb") as fh:
        head = fh.read(2048)
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<"):
        return None
    lowered = head[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "xml"


def _sniff_email(path: Path) -> bool:
    """A message saved as .eml: libmagic says message/rfc822 or, depending on the first header, text/plain."""
    from search.extraction.mail import SNIFF_BYTES, looks_like_email

    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    return looks_like_email(head.removeprefix(b"\xef\xbb\xbf"))


def _read_email(path: Path, limits: Limits) -> bytes:
    """Messages up to the markup ceiling are read as they are; a bigger one (attachments) loses its long base64
    runs first, as ePUAP documents lose their attachment data – attachments are documents of their own."""
    from search.extraction.mail import drop_encoded_attachments

    data = _read(path, limits.max_input_bytes)
    if len(data) > _MAX_MARKUP_BYTES:
        data = drop_encoded_attachments(data)
        if len(data) > _MAX_MARKUP_BYTES:
            raise FileTooLarge(detail=str(len(data)), limit=_MAX_MARKUP_BYTES // (1024 * 1024))
    return data


def _read(path: Path, limit: int) -> bytes:
    if path.stat().st_size > limit:
        raise FileTooLarge(detail=str(path.stat().st_size), limit=limit // (1024 * 1024))
    return path.read_bytes()


def _clean(text: str, limits: Limits) -> tuple[str, bool]:
    text = unicodedata.normalize("NFKC", text.replace("\x00", ""))
    text = re.sub(r"[ \t\u00a0]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if len(text) > limits.max_chars:
        return text[: limits.max_chars], True
    return text, False


def _extract_path(path: Path, declared: str | None, limits: Limits) -> ExtractionResult:
    size = path.stat().st_size
    if size > limits.max_input_bytes:
        raise FileTooLarge(detail=str(size), limit=limits.max_input_bytes // (1024 * 1024))
    detected = detect_mime_type(path)
    kind = _kind(path, detected, declared)
    pages, truncated = None, False
    if kind == "pdf":
        from search.extraction.pdf import extract_pdf

        text, method, pages, truncated = extract_pdf(path, limits)
    elif kind == "image":
        from search.extraction.ocr import ocr_image

        text, pages, truncated = ocr_image(path, limits)
        method = "image-ocr"
    elif kind == "docx":
        from search.extraction.office import extract_docx

        text, method = extract_docx(path, limits), "docx"
    elif kind == "odt":
        from search.extraction.office import extract_odt

        text, method = extract_odt(path, limits), "odt"
    elif kind in ("xlsx", "ods"):
        from search.extraction import sheets

        extract = sheets.extract_xlsx if kind == "xlsx" else sheets.extract_ods
        (text, truncated), method = extract(path, limits), kind
    elif kind == "eml":
        from search.extraction.mail import extract_email

        (text, truncated), method = extract_email(_read_email(path, limits), limits), "eml"
    elif kind in ("txt", "rtf", "html", "xml"):
        from search.extraction import plain, xmldoc

        # XML: ePUAP attachment data is dropped before parsing; RTF: embedded pictures are hex, dropped too.
        ceiling = {"xml": limits.max_input_bytes, "rtf": 2 * _MAX_MARKUP_BYTES}.get(kind, _MAX_MARKUP_BYTES)
        data = _read(path, min(limits.max_input_bytes, ceiling))
        if kind == "txt":
            text, method = plain.extract_txt(data), "txt"
        elif kind == "rtf":
            text, method = plain.extract_rtf(data), "rtf"
        elif kind == "html":
            text, method = plain.extract_html(data), "html"
        else:
            # ePUAP attachments are base64 inside the XML (often over libxml2's 10 MB text-node limit): drop the
            # data before parsing; the attachments are stored and extracted as documents of their own.
            data = _EPUAP_ATTACHMENT_DATA.sub(rb"\1\2", data)
            if len(data) > _MAX_MARKUP_BYTES:
                raise FileTooLarge(detail=str(len(data)), limit=_MAX_MARKUP_BYTES // (1024 * 1024))
            text, method = xmldoc.extract_xml(data)
    else:
        raise UnsupportedType(detail=f"detected {detected}, declared {declared}", mime_type=detected)
    text, cut = _clean(text, limits)
    return ExtractionResult(text=text, method=method, mime_type=detected, pages=pages, truncated=truncated or cut)


def extract_text(path_or_file, mime_type: str | None = None, *, limits: Limits | None = None) -> ExtractionResult:
    """Extract the text of a file given as a path or an open binary file (e.g. a Django ``File``); a file object is
    copied to a private temporary file first (at most ``max_input_bytes``)."""
    limits = limits or get_limits()
    if isinstance(path_or_file, str | os.PathLike):
        return _extract_path(Path(path_or_file), mime_type, limits)
    with tempfile.TemporaryDirectory(prefix="obieg-extract-") as tmp:
        target = Path(tmp) / "input"
        if hasattr(path_or_file, "seek"):
            path_or_file.seek(0)
        copied = 0
        with open(target, "wb") as out:
            while chunk := path_or_file.read(1024 * 1024):
                copied += len(chunk)
                if copied > limits.max_input_bytes:
                    raise FileTooLarge(detail=f">{copied}", limit=limits.max_input_bytes // (1024 * 1024))
                out.write(chunk)
        return _extract_path(target, mime_type, limits)


def tools_available() -> dict[str, bool]:
    """Which external programs are installed (for a health check)."""
    return {tool: shutil.which(tool) is not None for tool in ("pdfinfo", "pdftotext", "pdftoppm", "tesseract")}
