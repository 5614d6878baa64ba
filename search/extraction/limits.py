"""Limits of text extraction. Defaults below; override any of them in settings.SEARCH_EXTRACTION (a dict)."""

from dataclasses import dataclass, fields, replace

from django.conf import settings


@dataclass(frozen=True)
class Limits:
    max_input_bytes: int = 100 * 1024 * 1024  # never read a bigger file
    max_pages: int = 500  # PDF pages whose text layer is read
    max_ocr_pages: int = 50  # pages (PDF or multi-page TIFF) sent to OCR
    max_chars: int = 1_000_000  # extracted text is cut here (PostgreSQL's tsvector holds at most 1 MB)
    max_image_pixels: int = 60_000_000  # per image or rendered page (A3 at 300 dpi is 17.4 million)
    ocr_dpi: int = 300
    ocr_language: str = "pol"
    ocr_detect_orientation: bool = True  # tesseract --psm 0 per page (~0.6 s): turn sideways/upside-down scans
    ocr_orientation_confidence: float = 2.0  # below this tesseract's guess is ignored
    min_page_chars: int = 16  # a PDF page with less text than this is treated as scanned
    timeout: int = 120  # seconds, each subprocess (pdftotext, pdfinfo, one page of pdftoppm/tesseract)
    total_ocr_seconds: int = 900  # OCR budget of one file
    subprocess_memory_bytes: int = 2 * 1024 * 1024 * 1024  # address-space limit of each subprocess
    max_zip_members: int = 5_000
    max_zip_uncompressed_bytes: int = 300 * 1024 * 1024
    max_zip_ratio: int = 100  # uncompressed/compressed, for the whole archive and any member over 1 MB
    max_email_parts: int = 200  # MIME parts of an e-mail message (nested messages included) that are read
    max_cells: int = 2_000_000  # spreadsheet cells read (XLSX, ODS), empty cells within a row included


def get_limits(**overrides) -> Limits:
    configured = getattr(settings, "SEARCH_EXTRACTION", {}) or {}
    names = {f.name for f in fields(Limits)}
    values = {k.lower(): v for k, v in configured.items() if k.lower() in names}
    return replace(Limits(), **values, **overrides)
