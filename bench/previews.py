"""Time the page-preview renderer (search/previews.py) on generated files: a 20-page text PDF, a one-page A0 poster
PDF, an A4 scan at 300 dpi (JPEG), a 10-frame TIFF, and a declared-huge image that must be refused fast. Prints
seconds per file and per page and the size of the JPEGs written. Needs no database.

    python bench/previews.py [--repeat 3]
"""

import argparse
import io
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.common import Timer


def _files(tmp: Path) -> dict[str, tuple[Path, str]]:
    from PIL import Image, ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    files = {}
    text_pdf = tmp / "text.pdf"
    c = canvas.Canvas(str(text_pdf), pagesize=A4)
    for page in range(20):
        y = 780
        for line in range(40):
            c.drawString(72, y, f"Strona {page + 1}, wiersz {line + 1}: decyzja o warunkach zabudowy")
            y -= 18
        c.showPage()
    c.save()
    files["PDF, 20 pages of text"] = (text_pdf, "application/pdf")

    poster = tmp / "poster.pdf"
    c = canvas.Canvas(str(poster), pagesize=(2384, 3370))  # A0 in points
    for i in range(200):
        c.circle(100 + (i * 37) % 2200, 100 + (i * 53) % 3200, 40, fill=1)
    c.showPage()
    c.save()
    files["PDF, one A0 page"] = (poster, "application/pdf")

    scan = Image.new("L", (2480, 3508), 250)
    draw = ImageDraw.Draw(scan)
    for y in range(100, 3400, 40):
        draw.line((150, y, 2300, y + 3), fill=30, width=3)
    scan_path = tmp / "scan.jpg"
    scan.save(scan_path, format="JPEG", quality=85)
    files["JPEG scan, A4 at 300 dpi"] = (scan_path, "image/jpeg")

    tiff_path = tmp / "scan.tif"
    frames = [scan.resize((1240, 1754)) for _ in range(10)]
    frames[0].save(tiff_path, format="TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw")
    files["TIFF, 10 frames"] = (tiff_path, "image/tiff")

    buf = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buf, format="PNG")
    bomb = tmp / "bomb.png"
    bomb.write_bytes(buf.getvalue())
    files["PNG declaring 400 Mpx (refused)"] = (bomb, "image/png")
    return files


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "obieg.settings")
    import django

    django.setup()
    from search import previews
    from search.extraction import ExtractionError, get_limits

    limits = get_limits()
    with tempfile.TemporaryDirectory(prefix="bench-previews-") as tmp_name:
        tmp = Path(tmp_name)
        print(f"{'file':34} {'size':>9} {'pages':>5} {'best s':>7} {'s/page':>7} {'JPEG kB':>7}  outcome")
        for index, (label, (path, mime)) in enumerate(_files(tmp).items()):
            renderer = previews._render_pdf if mime in previews.PDF_TYPES else previews._render_image
            best, pages, outcome, png_bytes = float("inf"), 0, "", 0
            for run in range(args.repeat):
                out = tmp / f"out-{index}-{run}"
                out.mkdir()
                with Timer() as t:
                    try:
                        pages, _total = renderer(path, out, limits)
                        outcome = "ready"
                    except ExtractionError as exc:
                        outcome = f"{exc.code}: {exc.english}"
                best = min(best, t.seconds)
                png_bytes = sum(f.stat().st_size for f in out.iterdir())
            per_page = best / pages if pages else float("nan")
            print(f"{label:34} {path.stat().st_size / 1024:7.0f}kB {pages:5d} {best:7.2f} {per_page:7.2f} "
                  f"{png_bytes / 1024:7.0f}  {outcome}")


if __name__ == "__main__":
    main()
