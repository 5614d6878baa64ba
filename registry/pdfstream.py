"""A PDF canvas that writes each page to the file as soon as it is finished.

reportlab's Canvas keeps every page in memory until `save()`, so a register of thousands of rows grows the
process by ~3 KB a row. This canvas offers the few drawing calls the registers use (text, rectangles, grey
fill) and writes every page's compressed content stream and page object at `showPage()`; what stays in memory
is one page, the object offsets and the characters used. Fonts are reportlab's TrueType fonts: it assigns the
subset codes (`TTFont.splitString`) and builds the subsets embedded at `save()` (`makeSubset`), so Polish
letters are shown and can be copied or searched (ToUnicode maps)."""

from __future__ import annotations

import zlib

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, SUBSETN, makeToUnicodeCMap


def _num(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _text_string(text: str) -> str:
    """A PDF text string for the document information (UTF-16BE with its byte order mark)."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class StreamingCanvas:
    def __init__(self, out, pagesize):
        self.out = out
        self.width, self.height = pagesize
        self.position = 0
        self.offsets: dict[int, int] = {}
        self.page_ids: list[int] = []
        self.next_id = 4  # 1 catalog, 2 page tree, 3 document information
        self.fonts: dict[tuple[str, int], tuple[str, int]] = {}  # (font, subset) → (resource name, object id)
        self.info = {"Producer": "Obieg"}
        self._page_fonts: set[tuple[str, int]] = set()
        self._ops: list[str] = []
        self._font, self._size = None, 10
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        self._object(1, b"<< /Type /Catalog /Pages 2 0 R >>")

    # --- low level ------------------------------------------------------------------------------------------
    def _write(self, data: bytes) -> None:
        self.out.write(data)
        self.position += len(data)

    def _new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def _object(self, oid: int, body: bytes) -> None:
        self.offsets[oid] = self.position
        self._write(f"{oid} 0 obj\n".encode() + body + b"\nendobj\n")

    def _stream(self, oid: int, data: bytes, extra: str = "") -> None:
        packed = zlib.compress(data, 6)
        self._object(oid, f"<< /Length {len(packed)} /Filter /FlateDecode{extra} >>\nstream\n".encode()
                     + packed + b"\nendstream")

    # --- the drawing calls used by registry.printing ---------------------------------------------------------
    def setTitle(self, title):
        self.info["Title"] = title

    def setAuthor(self, author):
        self.info["Author"] = author

    def setSubject(self, subject):
        self.info["Subject"] = subject

    def setFont(self, name, size):
        self._font, self._size = name, size

    def setLineWidth(self, width):
        self._ops.append(f"{_num(width)} w")

    def setFillGray(self, gray):
        self._ops.append(f"{_num(gray)} g")

    def rect(self, x, y, width, height, stroke=1, fill=0):
        operator = "B" if stroke and fill else "f" if fill else "S" if stroke else "n"
        self._ops.append(f"{_num(x)} {_num(y)} {_num(width)} {_num(height)} re {operator}")

    def drawString(self, x, y, text):
        font = pdfmetrics.getFont(self._font)
        parts = []
        for subset, chunk in font.splitString(text, self):
            name = self._font_resource(self._font, subset)
            parts.append(f"/{name} {_num(self._size)} Tf <{chunk.hex()}> Tj")
        if parts:
            self._ops.append(f"BT {_num(x)} {_num(y)} Td " + " ".join(parts) + " ET")

    def drawRightString(self, x, y, text):
        self.drawString(x - pdfmetrics.stringWidth(text, self._font, self._size), y, text)

    def _font_resource(self, font_name: str, subset: int) -> str:
        key = (font_name, subset)
        if key not in self.fonts:
            self.fonts[key] = (f"F{len(self.fonts) + 1}", self._new_id())
        self._page_fonts.add(key)
        return self.fonts[key][0]

    # --- pages and the end ----------------------------------------------------------------------------------
    def showPage(self):
        content_id, page_id = self._new_id(), self._new_id()
        self._stream(content_id, "\n".join(self._ops).encode("ascii"))
        fonts = " ".join(f"/{self.fonts[k][0]} {self.fonts[k][1]} 0 R" for k in sorted(self._page_fonts))
        self._object(page_id, (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_num(self.width)} {_num(self.height)}] "
            f"/Contents {content_id} 0 R /Resources << /ProcSet [/PDF /Text] /Font << {fonts} >> >> >>"
        ).encode("ascii"))
        self.page_ids.append(page_id)
        self._ops, self._page_fonts = [], set()

    def save(self):
        if self._ops or not self.page_ids:
            self.showPage()
        for (font_name, subset_index), (_name, oid) in self.fonts.items():
            self._write_font(font_name, subset_index, oid)
        kids = " ".join(f"{pid} 0 R" for pid in self.page_ids)
        self._object(2, f"<< /Type /Pages /Kids [{kids}] /Count {len(self.page_ids)} >>".encode("ascii"))
        info = " ".join(f"/{key} {_text_string(value)}" for key, value in self.info.items())
        self._object(3, f"<< {info} >>".encode("ascii"))
        xref = self.position
        size = self.next_id
        lines = [f"xref\n0 {size}\n", "0000000000 65535 f \n"]
        lines += [f"{self.offsets[oid]:010d} 00000 n \n" for oid in range(1, size)]
        lines.append(f"trailer\n<< /Size {size} /Root 1 0 R /Info 3 0 R >>\nstartxref\n{xref}\n%%EOF\n")
        self._write("".join(lines).encode("ascii"))
        for font_name, _subset in self.fonts:
            pdfmetrics.getFont(font_name).state.pop(self, None)  # the subset codes of this document

    def _write_font(self, font_name: str, subset_index: int, oid: int) -> None:
        font = pdfmetrics.getFont(font_name)
        face = font.face
        subset = font.state[self].subsets[subset_index]
        base = (SUBSETN(subset_index) + b"+" + face.name + face.subfontNameX).decode("latin-1")
        file_id, descriptor_id, cmap_id = self._new_id(), self._new_id(), self._new_id()
        data = face.makeSubset(subset)
        self._stream(file_id, data, f" /Length1 {len(data)}")
        flags = (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC
        bbox = " ".join(_num(v) for v in face.bbox)
        self._object(descriptor_id, (
            f"<< /Type /FontDescriptor /FontName /{base} /Flags {flags} /FontBBox [{bbox}] "
            f"/ItalicAngle {_num(face.italicAngle)} /Ascent {_num(face.ascent)} /Descent {_num(face.descent)} "
            f"/CapHeight {_num(face.capHeight)} /StemV {_num(face.stemV)} /MissingWidth {_num(face.defaultWidth)} "
            f"/FontFile2 {file_id} 0 R >>"
        ).encode("ascii"))
        self._stream(cmap_id, makeToUnicodeCMap(base, subset).encode("latin-1"))
        widths = " ".join(_num(face.getCharWidth(code)) for code in subset)
        self._object(oid, (
            f"<< /Type /Font /Subtype /TrueType /BaseFont /{base} /FirstChar 0 /LastChar {len(subset) - 1} "
            f"/Widths [{widths}] /FontDescriptor {descriptor_id} 0 R /ToUnicode {cmap_id} 0 R >>"
        ).encode("ascii"))
