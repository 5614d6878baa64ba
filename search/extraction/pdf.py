"""PDF: the text layer with poppler's pdftotext (a separate, time- and memory-limited process, so a hostile PDF
cannot hang or exhaust the worker); pages without a text layer are rendered with pdftoppm and OCR'd."""

import re
import tempfile
from pathlib import Path

from search.extraction.errors import CorruptFile, EncryptedFile, ToolFailed
from search.extraction.limits import Limits
from search.extraction.ocr import OcrBudget, ocr_file
from search.extraction.tools import run

_PAGES = re.compile(rb"^Pages:\s+(\d+)", re.MULTILINE)
_PAGE_SIZE = re.compile(rb"^Page\s+\d+\s+size:\s+([\d.]+)\s+x\s+([\d.]+)\s+pts", re.MULTILINE)


def page_count(path: Path, limits: Limits) -> int:
    result = run(["pdfinfo", str(path)], limits)
    stderr = result.stderr.decode("utf-8", "replace")
    if result.returncode != 0:
        if "password" in stderr.lower() or "encrypt" in stderr.lower():
            raise EncryptedFile(detail=stderr[-300:])
        raise CorruptFile(detail=stderr[-300:], kind="PDF")
    match = _PAGES.search(result.stdout)
    if not match:
        raise CorruptFile(detail="no page count", kind="PDF")
    return int(match.group(1))


def text_layer(path: Path, pages: int, limits: Limits) -> list[str]:
    """The text of each page (pdftotext separates pages with form feeds)."""
    last = min(pages, limits.max_pages)
    result = run(["pdftotext", "-enc", "UTF-8", "-f", "1", "-l", str(last), str(path), "-"], limits)
    if result.returncode != 0:
        stderr = result.stderr.decode("utf-8", "replace")
        if "password" in stderr.lower():
            raise EncryptedFile(detail=stderr[-300:])
        raise ToolFailed(detail=stderr[-300:], tool="pdftotext")
    text = result.stdout.decode("utf-8", "replace")
    parts = text.split("\f")
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return parts[:last]


def _dpi_for_page(path: Path, number: int, limits: Limits) -> int:
    """300 dpi unless the page is so big that the rendering would exceed the pixel limit."""
    result = run(["pdfinfo", "-f", str(number), "-l", str(number), str(path)], limits)
    match = _PAGE_SIZE.search(result.stdout)
    if not match:
        return limits.ocr_dpi
    width_in, height_in = float(match.group(1)) / 72, float(match.group(2)) / 72
    if width_in <= 0 or height_in <= 0:
        return limits.ocr_dpi
    fitting = (limits.max_image_pixels / (width_in * height_in)) ** 0.5
    return max(1, min(limits.ocr_dpi, int(fitting)))


def ocr_page(path: Path, number: int, limits: Limits, budget: OcrBudget) -> str:
    with tempfile.TemporaryDirectory(prefix="obieg-pdf-") as tmp:
        prefix = Path(tmp) / "page"
        dpi = _dpi_for_page(path, number, limits)
        result = run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", str(number), "-l", str(number), "-singlefile",
             str(path), str(prefix)],
            limits, timeout=budget.timeout(),
        )
        image = prefix.with_suffix(".png")
        if result.returncode != 0 or not image.exists():
            raise ToolFailed(detail=result.stderr.decode("utf-8", "replace")[-300:], tool="pdftoppm")
        return ocr_file(image, limits, budget)


def extract_pdf(path: Path, limits: Limits) -> tuple[str, str, int, bool]:
    """(text, method, pages, truncated). method: "pdf-text", "pdf-ocr" (every page OCR'd) or "pdf-text+ocr"."""
    pages = page_count(path, limits)
    texts = text_layer(path, pages, limits)
    while len(texts) < min(pages, limits.max_pages):
        texts.append("")
    truncated = pages > limits.max_pages
    scanned = [i for i, t in enumerate(texts) if len(t.strip()) < limits.min_page_chars]
    budget = OcrBudget(limits)
    ocred = 0
    for index in scanned:
        if ocred >= limits.max_ocr_pages:
            truncated = True
            break
        texts[index] = ocr_page(path, index + 1, limits, budget)
        ocred += 1
    if ocred == 0:
        method = "pdf-text"
    elif ocred == len(texts):
        method = "pdf-ocr"
    else:
        method = "pdf-text+ocr"
    return "\n\f".join(t.strip("\n") for t in texts), method, pages, truncated
