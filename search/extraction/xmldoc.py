"""XML, including ePUAP documents (CRWDE templates): parsed with no entity resolution, no network, no DTD loading
and no huge-tree mode; a document with an internal DTD (where entity tricks live: XXE, billion laughs) is refused.
Text nodes are extracted; base64 attachment data (ePUAP ``str:DaneZalacznika``) and signatures (``ds:Signature``)
are skipped – attachments are separate documents, not text of this one."""

import re

from search.extraction.errors import CorruptFile, UnsafeXML

DSIG = "http://www.w3.org/2000/09/xmldsig#"
_SKIP_LOCAL_NAMES = {"DaneZalacznika", "Signature", "X509Certificate", "SignatureValue", "EncapsulatedTimeStamp"}
_EPUAP_NAMESPACES = ("http://crd.gov.pl/wzor/", "http://epuap.gov.pl/", "http://crd.gov.pl/xml/schematy/")
_BASE64_RUN = re.compile(r"^[A-Za-z0-9+/=\s]{200,}$")


def _parser():
    import lxml.etree

    return lxml.etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False,
        remove_comments=True, remove_pis=True, recover=False,
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def parse(data: bytes):
    import lxml.etree

    try:
        root = lxml.etree.fromstring(data, parser=_parser())
    except lxml.etree.XMLSyntaxError as exc:
        if "entit" in str(exc).lower():
            raise UnsafeXML(detail=str(exc)) from exc
        raise CorruptFile(detail=str(exc), kind="XML") from exc
    if root is None:
        raise CorruptFile(detail="empty", kind="XML")
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None:
        raise UnsafeXML(detail="internal DTD")
    return root


def _skip(element) -> bool:
    tag = element.tag
    if not isinstance(tag, str):  # entity references left unresolved, comments
        return True
    if _local(tag) in _SKIP_LOCAL_NAMES:
        return True
    return (element.get("kodowanie") or "").lower() == "base64" and _local(tag) != "Zalacznik"


def _text(value: str | None) -> str:
    if not value:
        return ""
    value = value.strip()
    if not value or _BASE64_RUN.match(value):
        return ""
    return value


def _walk(element, out: list[str]) -> None:
    if _skip(element):
        if element.tail and isinstance(element.tag, str):
            out.append(_text(element.tail))
        return
    if _local(element.tag) == "Zalacznik":  # ePUAP attachment: its name is text, its data is not
        name = element.get("nazwaPliku")
        if name:
            out.append(name)
    out.append(_text(element.text))
    for child in element:
        _walk(child, out)
    out.append(_text(element.tail))


def extract_xml(data: bytes) -> tuple[str, str]:
    """(text, method): method "epuap" for CRWDE/ePUAP documents, else "xml"."""
    root = parse(data)
    out: list[str] = []
    _walk(root, out)
    text = "\n".join(part for part in out if part)
    method = "epuap" if _namespace(root.tag).startswith(_EPUAP_NAMESPACES) else "xml"
    return text, method
