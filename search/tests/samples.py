"""Sample files generated on the fly for the extraction tests: every format with Polish text, and hostile inputs."""

import base64
import io
import struct
import zipfile
import zlib
from pathlib import Path

DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DEJAVU_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

LINES = [
    "Urząd Gminy Zielona Dolina",
    "ul. Źródlana 5, 12-345 Łękołody",
    "Znak sprawy: RB.6730.12.2025",
    "Zawiadomienie o terminie doręczenia decyzji",
    "Zażółć gęślą jaźń. Pchnąć w tę łódź jeża.",
]
TEXT = "\n".join(LINES)


def pdf_with_text(path: Path, lines=LINES, pages: int = 1) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("DejaVuSans", DEJAVU))
    c = canvas.Canvas(str(path), pagesize=A4)
    for page in range(pages):
        c.setFont("DejaVuSans", 12)
        y = 780
        for line in lines:
            c.drawString(72, y, line)
            y -= 20
        c.drawString(72, 60, f"Strona {page + 1}")
        c.showPage()
    c.save()
    return path


def text_image(lines=LINES, size=(1700, 700), font_size=44):
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(DEJAVU, font_size)
    y = 60
    for line in lines:
        draw.text((80, y), line, font=font, fill=0)
        y += int(font_size * 1.8)
    return image


def png(path: Path, lines=LINES) -> Path:
    text_image(lines).save(path, format="PNG", dpi=(300, 300))
    return path


def scanned_pdf(path: Path, pages: int = 1, lines=LINES) -> Path:
    """An image-only PDF (no text layer), as a scanner makes it."""
    images = [text_image(lines).convert("RGB") for _ in range(pages)]
    images[0].save(path, format="PDF", resolution=150, save_all=True, append_images=images[1:])
    return path


def docx(path: Path) -> Path:
    import docx as python_docx

    document = python_docx.Document()
    document.add_heading(LINES[0], level=1)
    for line in LINES[1:3]:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Nieruchomość"
    table.cell(0, 1).text = "działka nr 123/4"
    table.cell(1, 0).text = "Wnioskodawca"
    table.cell(1, 1).text = "Żaneta Ślęzak"
    for line in LINES[3:]:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def odt(path: Path) -> Path:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text=LINES[0]))
    for line in LINES[1:]:
        document.text.addElement(P(text=line))
    document.save(str(path))
    return path


def rtf(path: Path) -> Path:
    def escape(line):
        return "".join(c if ord(c) < 128 else f"\\'{c.encode('cp1250')[0]:02x}" for c in line)

    body = "\\par\n".join(escape(line) for line in LINES)
    path.write_bytes(
        ("{\\rtf1\\ansi\\ansicpg1250\\deff0{\\fonttbl{\\f0 Times New Roman;}}\n\\f0\\fs24 " + body + "\\par\n}")
        .encode("ascii")
    )
    return path


def txt(path: Path, encoding="cp1250") -> Path:
    path.write_bytes(TEXT.encode(encoding))
    return path


def html(path: Path) -> Path:
    path.write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Zawiadomienie</title>"
        "<style>body { color: red } .tajne { }</style><script>var tajnyKod = 'alert(1)';</script></head>"
        "<body><h1>" + LINES[0] + "</h1><p>" + "</p><p>".join(LINES[1:]) + "</p>"
        "<noscript>włącz skrypty</noscript><!-- komentarz ukryty --></body></html>",
        encoding="utf-8",
    )
    return path


EPUAP_NS = {
    "wnio": "http://crd.gov.pl/wzor/2013/12/12/1410/",
    "str": "http://crd.gov.pl/xml/schematy/struktura/2009/11/16/",
    "meta": "http://crd.gov.pl/xml/schematy/meta/2009/11/16/",
    "oso": "http://crd.gov.pl/xml/schematy/osoba/2009/11/16/",
    "inst": "http://crd.gov.pl/xml/schematy/instytucja/2009/11/16/",
    "adr": "http://crd.gov.pl/xml/schematy/adres/2009/11/09/",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
}
ATTACHMENT_MARKER = "TAJNY-ZALACZNIK-PDF"


def epuap(path: Path, attachment_bytes: bytes | None = None) -> Path:
    """An ePUAP general letter per docs/domain.md §4.5, with a base64 PDF attachment and a signature."""
    payload = attachment_bytes or (b"%PDF-1.4 " + ATTACHMENT_MARKER.encode() + b" " * 300)
    data = base64.encodebytes(payload).decode()
    ns = " ".join(f'xmlns:{k}="{v}"' for k, v in EPUAP_NS.items())
    path.write_text(
        f"""<?xml version="1.0" encoding="UTF-8"?>
<wnio:Dokument {ns}>
  <wnio:OpisDokumentu/>
  <wnio:DaneDokumentu>
    <str:Naglowek><str:NazwaDokumentu>Wniosek o wydanie zaświadczenia</str:NazwaDokumentu>
      <meta:Identyfikator><meta:Wartosc>EPUAP-2025-000123</meta:Wartosc></meta:Identyfikator></str:Naglowek>
    <meta:Data typDaty="stworzony"><meta:Czas>2025-03-01</meta:Czas></meta:Data>
    <str:Nadawcy><meta:Podmiot><oso:Osoba><oso:Imie>Żaneta</oso:Imie><oso:Nazwisko>Ślęzak</oso:Nazwisko>
        <oso:IdOsoby><oso:PESEL>85010112345</oso:PESEL></oso:IdOsoby><adr:Adres/><adr:Kontakt>
        <adr:Email>zaneta@example.pl</adr:Email></adr:Kontakt>
    </oso:Osoba></meta:Podmiot></str:Nadawcy>
    <str:Adresaci><meta:Podmiot><inst:Instytucja><inst:NazwaInstytucji>Urząd Gminy Zielona Dolina</inst:NazwaInstytucji>
    </inst:Instytucja></meta:Podmiot></str:Adresaci>
  </wnio:DaneDokumentu>
  <wnio:TrescDokumentu>
    <wnio:MiejscowoscDokumentu>Łękołody</wnio:MiejscowoscDokumentu>
    <wnio:Informacje><wnio:Informacja>Proszę o wydanie zaświadczenia o niezaleganiu w podatku od nieruchomości.
    </wnio:Informacja></wnio:Informacje>
    <str:Zalaczniki><str:Zalacznik format="application/pdf" kodowanie="base64" nazwaPliku="skan_umowy.pdf">
      <str:DaneZalacznika>{data}</str:DaneZalacznika>
      <str:OpisZalacznika>Umowa dzierżawy</str:OpisZalacznika></str:Zalacznik></str:Zalaczniki>
  </wnio:TrescDokumentu>
  <ds:Signature><ds:SignedInfo><ds:Reference URI="">
    <ds:DigestValue>QUJDREVGR0hJSktMTU5PUA==</ds:DigestValue></ds:Reference></ds:SignedInfo>
    <ds:SignatureValue>{base64.b64encode(b"podpis" * 40).decode()}</ds:SignatureValue></ds:Signature>
</wnio:Dokument>
""",
        encoding="utf-8",
    )
    return path


# --- hostile inputs ------------------------------------------------------------------------------------------------


def xxe(path: Path) -> Path:
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        "<dokument><tresc>Wniosek &xxe; koniec</tresc></dokument>\n",
        encoding="utf-8",
    )
    return path


def billion_laughs(path: Path) -> Path:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [' + "".join(entities) + "]>\n<lolz>&lol9;</lolz>\n", encoding="utf-8"
    )
    return path


def zip_bomb_docx(path: Path, uncompressed: int = 40 * 1024 * 1024) -> Path:
    """A DOCX whose document.xml unpacks to `uncompressed` bytes of zeros (written in chunks; ~1/1000 on disk)."""
    base = io.BytesIO()
    import docx as python_docx

    python_docx.Document().save(base)
    base.seek(0)
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == "word/document.xml":
                continue
            target.writestr(item, source.read(item.filename))
        info = zipfile.ZipInfo("word/document.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w", force_zip64=True) as out:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(uncompressed // len(chunk)):
                out.write(chunk)
    return path


def corrupted_pdf(path: Path) -> Path:
    good = pdf_with_text(path.with_suffix(".good.pdf")).read_bytes()
    # keep the header (so libmagic still says PDF), destroy the body and the xref table
    path.write_bytes(good[:300] + bytes(range(256)) * 40)
    return path


def huge_png(path: Path, width: int = 100_000, height: int = 100_000) -> Path:
    """A PNG header declaring 10 gigapixels, with a tiny compressed body: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    body = zlib.compress(b"\0" * (width // 8 + 1) * 10)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", body) + chunk(b"IEND", b""))
    return path
