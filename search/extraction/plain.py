"""Plain text (UTF-8, CP1250 or ISO-8859-2, detected), RTF (striprtf) and HTML (lxml, scripts and styles dropped)."""

import codecs
import re

from search.extraction.errors import CorruptFile

_POLISH = set("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
_ANSICPG = re.compile(rb"\\ansicpg(\d{3,5})")
_HEX_RUN = re.compile(r"[0-9a-fA-F\r\n]{512,}")


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding). BOMs first, then strict UTF-8, then whichever of CP1250 / ISO-8859-2 yields more Polish
    letters (bytes 0x80–0x9F are control characters in ISO-8859-2, so their presence means CP1250)."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, "replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    cp1250 = data.decode("cp1250", "replace")
    if any(0x80 <= b <= 0x9F for b in data):
        return cp1250, "cp1250"
    latin2 = data.decode("iso-8859-2", "replace")
    if sum(c in _POLISH for c in latin2) > sum(c in _POLISH for c in cp1250):
        return latin2, "iso-8859-2"
    return cp1250, "cp1250"


def extract_txt(data: bytes) -> str:
    return decode_text(data)[0]


def extract_rtf(data: bytes) -> str:
    from striprtf.striprtf import rtf_to_text

    match = _ANSICPG.search(data[:4096])
    encoding = f"cp{match.group(1).decode()}" if match else "cp1250"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "cp1250"
    # RTF is 7-bit; 8-bit bytes would be a broken file – read them in the declared code page anyway.
    source = data.decode(encoding, "replace")
    # Embedded pictures and objects are long hex runs (a Word export easily has megabytes of them); striprtf would
    # crawl through them character by character. A run of 512+ hex digits is never text.
    source = _HEX_RUN.sub("", source)
    try:
        return rtf_to_text(source, encoding=encoding, errors="replace")
    except (ValueError, IndexError, RecursionError) as exc:
        raise CorruptFile(detail=repr(exc), kind="RTF") from exc


_BLOCK = {
    "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "section",
    "article", "header", "footer", "blockquote", "pre", "title", "dt", "dd", "address",
}
_DROP = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "head")


_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]{0,200}\?>")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


def _decode_html(data: bytes) -> str:
    """Decode by the declared charset (meta), else as plain text; libxml2 would assume ISO-8859-1."""
    match = _META_CHARSET.search(data[:4096])
    if match:
        try:
            return data.decode(match.group(1).decode("ascii"), "replace")
        except LookupError:
            pass
    return decode_text(data)[0]


def extract_html(data: bytes | str) -> str:
    """``data`` as bytes is decoded by its meta charset (or detected); a str is taken as it is (e-mail parts, decoded
    by their MIME charset)."""
    import lxml.etree
    import lxml.html

    parser = lxml.html.HTMLParser(
        remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=False
    )
    try:
        source = data if isinstance(data, str) else _decode_html(data)
        # lxml refuses a str with an encoding declaration (XHTML, HTML e-mail from some programs)
        source = _XML_DECLARATION.sub("", source, count=1)
        root = lxml.html.document_fromstring(source, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        if not data.strip():
            return ""
        raise CorruptFile(detail=repr(exc), kind="HTML") from exc
    title = root.findtext(".//title") or ""
    for element in list(root.iter(*_DROP)):
        element.drop_tree()
    out: list[str] = [title.strip()] if title.strip() else []
    # start/end events: an element's tail comes after its children's text, not before it
    for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
        block = element.tag in _BLOCK
        if event == "start":
            if block:
                out.append("\n")
            if element.text and isinstance(element.tag, str):
                out.append(element.text)
        else:
            if block:
                out.append("\n")
            if element.tail:
                out.append(element.tail)
    text = "".join(out)
    return re.sub(r"[ \t\r\f\v]+", " ", re.sub(r"\n\s*\n+", "\n", text)).strip()
