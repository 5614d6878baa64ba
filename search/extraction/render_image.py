"""Render preview images of one image file: run as a separate, time- and memory-limited process (tools.run), never
imported by Django, so a hostile image (decompression bomb, broken header, a decoder bug) cannot take the worker
down.

    python -I render_image.py SOURCE OUT_DIR MAX_PIXELS MAX_FRAMES LARGE THUMB QUALITY

Writes OUT_DIR/page-<n>.jpg (long side at most LARGE) and OUT_DIR/thumb-<n>.jpg (at most THUMB) for the first
MAX_FRAMES frames and prints one JSON line: {"pages": n, "total_pages": m} or, exit status 2,
{"error": "corrupt" | "image_too_large", "detail": "…"}.
"""

import json
import sys
import warnings


def _fail(code: str, detail: str) -> None:
    sys.stdout.write(json.dumps({"error": code, "detail": detail[:300]}) + "\n")
    sys.exit(2)


def main(argv: list[str]) -> None:
    from PIL import Image, ImageOps, UnidentifiedImageError

    source, out_dir, max_pixels, max_frames, large, thumb, quality = argv
    max_pixels, max_frames, large, thumb, quality = (int(v) for v in (max_pixels, max_frames, large, thumb, quality))
    warnings.simplefilter("error", Image.DecompressionBombWarning)
    Image.MAX_IMAGE_PIXELS = max_pixels
    too_large = (Image.DecompressionBombError, Image.DecompressionBombWarning)
    try:
        image = Image.open(source)  # lazy: the header only
    except too_large as exc:
        _fail("image_too_large", str(exc))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        _fail("corrupt", str(exc))
    with image:
        total = getattr(image, "n_frames", 1)
        pages = min(total, max_frames)
        for index in range(pages):
            try:
                image.seek(index)
                width, height = image.size
                if width * height > max_pixels:  # checked per frame, before any pixel is decoded
                    _fail("image_too_large", f"{width}x{height}")
                frame = ImageOps.exif_transpose(image)
                if frame.mode not in ("L", "RGB"):
                    rgba = frame.convert("RGBA")  # transparency onto white, not black
                    frame = Image.new("RGB", rgba.size, "white")
                    frame.paste(rgba, mask=rgba.getchannel("A"))
                frame.thumbnail((large, large))
                frame.save(f"{out_dir}/page-{index + 1}.jpg", format="JPEG", quality=quality)
                frame.thumbnail((thumb, thumb))
                frame.save(f"{out_dir}/thumb-{index + 1}.jpg", format="JPEG", quality=quality)
            except too_large as exc:
                _fail("image_too_large", str(exc))
            except (OSError, SyntaxError, ValueError, EOFError) as exc:
                if index == 0:
                    _fail("corrupt", str(exc))
                pages = index  # a later frame is broken: keep the ones before it
                break
    sys.stdout.write(json.dumps({"pages": pages, "total_pages": total}) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
