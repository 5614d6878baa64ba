"""DOCX (python-docx) and ODT (odfpy). Both are zip archives: the archive is checked before it is opened, so a zip
bomb never gets unpacked."""

import zipfile
from pathlib import Path

from search.extraction.errors import ArchiveBomb, CorruptFile
from search.extraction.limits import Limits

_BIG_MEMBER = 1024 * 1024


def check_zip(path: Path, limits: Limits, kind: str) -> None:
    """Refuse archives with too many members, too much uncompressed data or a suspicious compression ratio. The
    sizes come from the central directory; zipfile also stops reading a member at its declared size."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptFile(detail=str(exc), kind=kind) from exc
    if len(members) > limits.max_zip_members:
        raise ArchiveBomb(detail=f"{len(members)} members")
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members)
    if total > limits.max_zip_uncompressed_bytes:
        raise ArchiveBomb(detail=f"{total} bytes uncompressed")
    if total > _BIG_MEMBER and total > limits.max_zip_ratio * max(packed, 1):
        raise ArchiveBomb(detail=f"ratio {total / max(packed, 1):.0f}")
    for member in members:
        if member.file_size > _BIG_MEMBER and member.file_size > limits.max_zip_ratio * max(member.compress_size, 1):
            raise ArchiveBomb(detail=f"{member.filename}: ratio {member.file_size / max(member.compress_size, 1):.0f}")


def _docx_block_text(block, out: list[str]) -> None:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for item in block.iter_inner_content():
        if isinstance(item, Paragraph):
            out.append(item.text)
        elif isinstance(item, Table):
            for row in item.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # merged cells repeat
                        continue
                    seen.add(id(cell._tc))
                    _docx_block_text(cell, out)


def extract_docx(path: Path, limits: Limits) -> str:
    check_zip(path, limits, "DOCX")
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
        out: list[str] = []
        for section in document.sections:
            for part in (section.header, section.first_page_header):
                if not part.is_linked_to_previous:
                    _docx_block_text(part, out)
        _docx_block_text(document, out)
        for section in document.sections:
            if not section.footer.is_linked_to_previous:
                _docx_block_text(section.footer, out)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, AttributeError) as exc:
        raise CorruptFile(detail=repr(exc), kind="DOCX") from exc
    except Exception as exc:  # lxml's XMLSyntaxError and friends
        if type(exc).__module__.startswith("lxml"):
            raise CorruptFile(detail=repr(exc), kind="DOCX") from exc
        raise
    return "\n".join(out)


def _odf_text(node, out: list[str]) -> None:
    from odf import teletype
    from odf.namespaces import TEXTNS

    for child in node.childNodes:
        if child.nodeType != child.ELEMENT_NODE:
            continue
        if child.qname in ((TEXTNS, "p"), (TEXTNS, "h")):
            out.append(teletype.extractText(child))
        else:
            _odf_text(child, out)


def extract_odt(path: Path, limits: Limits) -> str:
    check_zip(path, limits, "ODT")
    from odf.opendocument import load

    try:
        document = load(str(path))
    except Exception as exc:  # odfpy raises whatever its zip/SAX layers raise
        raise CorruptFile(detail=repr(exc), kind="ODT") from exc
    out: list[str] = []
    _odf_text(document.text, out)
    return "\n".join(out)
