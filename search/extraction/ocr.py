"""OCR with tesseract and its Polish data: images (PNG, JPEG, TIFF, …) and rendered PDF pages."""

import os
import re
import tempfile
import time
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from search.extraction.errors import CorruptFile, ExtractionTimeout, ImageTooLarge, ToolFailed
from search.extraction.limits import Limits
from search.extraction.tools import run


class OcrBudget:
    """The OCR time left for one file."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.deadline = time.monotonic() + limits.total_ocr_seconds

    def timeout(self) -> int:
        left = int(self.deadline - time.monotonic())
        if left <= 0:
            raise ExtractionTimeout(detail="OCR budget", seconds=self.limits.total_ocr_seconds)
        return min(left, self.limits.timeout)


_ROTATE = re.compile(r"^Rotate:\s*(\d+)\s*$", re.MULTILINE)
_CONFIDENCE = re.compile(r"^Orientation confidence:\s*([\d.]+)\s*$", re.MULTILINE)


def page_rotation(path: Path, limits: Limits, budget: OcrBudget) -> int:
    """Degrees (clockwise) that turn a scanned page upright, from tesseract's orientation detection; 0 when it is
    upright, unsure, or has too little text to tell (a page fed sideways or upside down OCRs to garbage)."""
    if not limits.ocr_detect_orientation:
        return 0
    result = run(["tesseract", str(path), "stdout", "--psm", "0"], limits, timeout=budget.timeout())
    out = result.stdout.decode("utf-8", "replace")
    rotate, confidence = _ROTATE.search(out), _CONFIDENCE.search(out)
    if result.returncode != 0 or not rotate or not confidence:
        return 0
    degrees = int(rotate.group(1)) % 360
    if degrees not in (90, 180, 270) or float(confidence.group(1)) < limits.ocr_orientation_confidence:
        return 0
    return degrees


def _turn_upright(path: Path, degrees: int) -> None:
    with Image.open(path) as image:
        image.load()
        turned = image.rotate(-degrees, expand=True)  # PIL turns counter-clockwise
    turned.save(path, format="PNG")


def ocr_file(path: Path, limits: Limits, budget: OcrBudget) -> str:
    """tesseract on one image file (PNG/TIFF that tesseract can read), Polish language data; a page scanned
    sideways or upside down is turned upright first."""
    degrees = page_rotation(path, limits, budget)
    if degrees:
        _turn_upright(path, degrees)
    result = run(
        ["tesseract", str(path), "stdout", "-l", limits.ocr_language, "--psm", "3"], limits, timeout=budget.timeout()
    )
    if result.returncode != 0:
        raise ToolFailed(detail=result.stderr.decode("utf-8", "replace")[-500:], tool="tesseract")
    return result.stdout.decode("utf-8", "replace")


def _check_pixels(image: Image.Image, limits: Limits):
    width, height = image.size
    if width * height > limits.max_image_pixels:
        raise ImageTooLarge(detail=f"{width}x{height}", limit=limits.max_image_pixels // 1_000_000)


def ocr_image(path: Path, limits: Limits) -> tuple[str, int, bool]:
    """OCR of an image file; multi-frame images (TIFF) page by page up to max_ocr_pages.
    Returns (text, pages, truncated)."""
    budget = OcrBudget(limits)
    texts: list[str] = []
    truncated = False
    with tempfile.TemporaryDirectory(prefix="obieg-ocr-") as tmp, warnings.catch_warnings():
        # Pillow's own bomb check warns above MAX_IMAGE_PIXELS and fails at twice that; ours comes first.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        previous_limit = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = limits.max_image_pixels
        try:
            try:
                image = Image.open(path)  # lazy: reads the header only
            except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
                raise CorruptFile(detail=str(exc), kind="image") from exc
            except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
                raise ImageTooLarge(detail=str(exc), limit=limits.max_image_pixels // 1_000_000) from exc
            with image:
                frames = getattr(image, "n_frames", 1)
                for index in range(frames):
                    if index >= limits.max_ocr_pages:
                        truncated = True
                        break
                    try:
                        image.seek(index)
                        _check_pixels(image, limits)
                        frame = ImageOps.exif_transpose(image)
                        if frame.mode not in ("1", "L", "RGB"):
                            frame = frame.convert("RGB")
                        out = Path(tmp) / f"page-{index}.png"
                        frame.save(out, format="PNG")
                    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
                        raise ImageTooLarge(detail=str(exc), limit=limits.max_image_pixels // 1_000_000) from exc
                    except (OSError, SyntaxError, ValueError, EOFError) as exc:
                        raise CorruptFile(detail=str(exc), kind="image") from exc
                    texts.append(ocr_file(out, limits, budget))
                    os.unlink(out)
        finally:
            Image.MAX_IMAGE_PIXELS = previous_limit
    return "\n\f".join(t.strip() for t in texts), min(frames, limits.max_ocr_pages), truncated
