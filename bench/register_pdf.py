"""Printed registers (registry/printing.py): time, peak Python memory and file size for a month of N entries.

    python bench/register_pdf.py [--rows 1000 5000 20000]

Rows are synthetic (no database), built one at a time like the view's queryset iterator, so the figures are
those of the PDF writer itself; the peak shows whether memory follows the rows or only the compressed output.
"""

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from registry import printing  # noqa: E402

SUBJECTS = [
    "Wniosek o wydanie zaświadczenia o niezaleganiu w podatku od nieruchomości",
    "Skarga na działalność Zakładu Gospodarki Komunalnej – hałas przy ul. Źródlanej",
    "Wniosek o ustalenie warunków zabudowy dla budynku mieszkalnego jednorodzinnego na działce nr 123/4 "
    "położonej w miejscowości Łękołody, wraz z mapą zasadniczą i projektem zagospodarowania",
]


def rows(n):
    for i in range(1, n + 1):
        yield [
            f"RPW/{i}/2026", f"2026-11-{1 + i % 30:02d} 09:{i % 60:02d}",
            f"Żaneta Ślęzak {i}\nul. Źródlana {i % 90}, 12-345 Łękołody", f"ŻŚ/{i}/2026", "2026-11-01",
            SUBJECTS[i % 3], "RB\nJan Kowalski", str(i % 4), "poczta (papierowa)\nsprawa RB.6730.12.2026",
        ]


def write(out, n):
    printing.write_register(out, title="Rejestr przesyłek wpływających (RPW)", period="Listopad 2026",
                            columns=printing.incoming_columns(), rows=rows(n))


def run(n: int) -> tuple[float, float, int, int]:
    """Timed without tracing (tracemalloc slows Python down several times), then again for the peak."""
    from pypdf import PdfReader

    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        write(out, n)
        elapsed = time.perf_counter() - started
        size = out.tell()
        out.seek(0)
        pages = len(PdfReader(out).pages)
    with tempfile.TemporaryFile() as out:
        tracemalloc.start()
        write(out, n)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return elapsed, peak / 2**20, size, pages


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 5000, 20000])
    args = parser.parse_args()
    translation.activate("pl")
    printing.register_fonts()
    print(f"{'rows':>7} {'pages':>6} {'seconds':>8} {'rows/s':>8} {'peak MiB':>9} {'file KiB':>9}")
    for n in args.rows:
        elapsed, peak, size, pages = run(n)
        print(f"{n:>7} {pages:>6} {elapsed:>8.2f} {n / elapsed:>8.0f} {peak:>9.1f} {size / 1024:>9.0f}")


if __name__ == "__main__":
    main()
