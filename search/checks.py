"""System check: the programs and the Polish OCR data text extraction needs are installed."""

import shutil
import subprocess

from django.core.checks import Warning, register


@register()
def extraction_tools(app_configs=None, **kwargs):
    problems = []
    for tool in ("pdfinfo", "pdftotext", "pdftoppm", "tesseract", "prlimit"):
        if shutil.which(tool) is None:
            problems.append(
                Warning(
                    f"{tool} is not installed: text extraction will fail or run without limits for some files.",
                    hint="apt-get install poppler-utils tesseract-ocr tesseract-ocr-pol util-linux",
                    id="search.W001",
                )
            )
    if shutil.which("tesseract"):
        try:
            languages = subprocess.run(
                ["tesseract", "--list-langs"], capture_output=True, text=True, timeout=20, check=False
            ).stdout.split()
        except (OSError, subprocess.SubprocessError):
            languages = []
        if "pol" not in languages:
            problems.append(
                Warning(
                    "tesseract has no Polish language data: OCR would lose every Polish letter.",
                    hint="apt-get install tesseract-ocr-pol",
                    id="search.W002",
                )
            )
    return problems
