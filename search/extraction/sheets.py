"""Spreadsheets: XLSX (openpyxl, read-only, cached values instead of formulas) and ODS (content.xml streamed with
lxml). Each sheet gives its name, then its rows as tab-separated cell values; empty rows and trailing empty cells are
left out. Both are zip archives checked by ``check_zip`` before they are opened.

Reading stops at ``max_cells`` cells (every cell of every row read counts, empty ones inside a row too) or once the
text is longer than ``max_chars``; the result is then marked truncated. ODS repeats (``table:number-rows-repeated``,
``table:number-columns-repeated``) are expanded only for cells with content and only within the cell budget: the
usual "row of 16,384 empty cells repeated 1,048,576 times" at the end of a sheet costs one cell. An XLSX row of more
than 16,384 cells (more columns than a sheet has) is refused before openpyxl builds it in memory."""

import datetime
import re
import warnings
import zipfile
from pathlib import Path

from search.extraction.errors import CorruptFile, UnsafeXML
from search.extraction.limits import Limits
from search.extraction.office import check_zip


class _Budget:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.cells = 0
        self.chars = 0
        self.truncated = False
        self.out: list[str] = []

    def spend(self, cells: int) -> bool:
        """Count cells; False (and truncated) once the budget is gone."""
        self.cells += max(cells, 1)
        if self.cells > self.limits.max_cells or self.chars > self.limits.max_chars:
            self.truncated = True
            return False
        return True

    def add(self, line: str) -> None:
        self.out.append(line)
        self.chars += len(line) + 1

    def text(self) -> str:
        return "\n".join(self.out)


def _format(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).replace("\r\n", " ").replace("\n", " ").replace("\t", " ")


MAX_ROW_CELLS = 16_384  # columns of a sheet in Excel and LibreOffice


_ROW_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_CELL_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")


def _check_xlsx_rows(path: Path, limits: Limits) -> None:
    """openpyxl builds every row whole, in memory, before it yields it: a row of millions of cells (a few hundred
    MB of XML within the zip limits) would take gigabytes. Count the cells of each row first – tags in the raw
    stream, which is fast and needs no memory – and refuse a row with more cells than a sheet can have. Every member
    is scanned (a worksheet can be stored under any name the relationships point to), each up to the end of the row
    in which it passes ``max_cells`` cells: reading stops there anyway. The XML itself is parsed by openpyxl,
    through defusedxml."""
    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            if member.is_dir():
                continue
            cells = row_cells = 0
            carry = b""
            done = False
            with archive.open(member) as source:
                while not done and (chunk := source.read(1024 * 1024)):
                    data = carry + chunk
                    cut = data.rfind(b"<", max(0, len(data) - 256))  # a tag cut by the chunk: to the next one
                    data, carry = (data[:cut], data[cut:]) if cut != -1 else (data, b"")
                    for index, piece in enumerate(_ROW_START.split(data)):
                        if index and cells > limits.max_cells:
                            done = True  # every row openpyxl will be let read was counted
                            break
                        found = len(_CELL_START.findall(piece))
                        row_cells = row_cells + found if index == 0 else found
                        cells += found
                        if row_cells > MAX_ROW_CELLS:
                            raise CorruptFile(
                                detail=f"{member.filename}: a row of more than {MAX_ROW_CELLS} cells", kind="XLSX"
                            )


def _refused_by_defusedxml(exc: BaseException | None) -> bool:
    for _ in range(10):  # the exception or what it wraps
        if exc is None:
            return False
        if type(exc).__module__.startswith("defusedxml"):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def extract_xlsx(path: Path, limits: Limits) -> tuple[str, bool]:
    """(text, truncated)."""
    check_zip(path, limits, "XLSX")
    import openpyxl

    try:
        _check_xlsx_rows(path, limits)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptFile(detail=repr(exc)[:500], kind="XLSX") from exc

    budget = _Budget(limits)
    try:
        # openpyxl warns about every extension it drops (data validation, conditional formatting, …): log noise
        with warnings.catch_warnings(), open(path, "rb") as fh:  # a file object: openpyxl wants an .xlsx suffix
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(fh, read_only=True, data_only=True, keep_links=False)
            try:
                for sheet in workbook.worksheets:
                    if not budget.spend(1):
                        break
                    budget.add(str(sheet.title))
                    # The declared dimension (<dimension ref="A1:XFD1048576"/>) would pad every row to it.
                    sheet.reset_dimensions()
                    for row in sheet.iter_rows(values_only=True):
                        if not budget.spend(len(row)):
                            break
                        cells = [_format(value) for value in row]
                        while cells and not cells[-1]:
                            cells.pop()
                        if cells:
                            budget.add("\t".join(cells))
                    if budget.truncated:
                        break
            finally:
                workbook.close()
    except Exception as exc:
        if _refused_by_defusedxml(exc):  # openpyxl reads XML through defusedxml: entities, DTDs
            raise UnsafeXML(detail=repr(exc)[:500]) from exc
        # openpyxl's InvalidFileException and the ValueError it wraps XML errors in, ElementTree's ParseError, …
        if isinstance(exc, KeyError | ValueError | TypeError | IndexError | AttributeError | zipfile.BadZipFile
                      | OSError) or type(exc).__module__.startswith(("openpyxl", "xml.", "lxml")):
            raise CorruptFile(detail=repr(exc)[:500], kind="XLSX") from exc
        raise
    return budget.text(), budget.truncated


# --- ODS -----------------------------------------------------------------------------------------------------------

_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TABLE = f"{{{_TABLE_NS}}}table"
_ROW = f"{{{_TABLE_NS}}}table-row"
_CELL = f"{{{_TABLE_NS}}}table-cell"
_COVERED = f"{{{_TABLE_NS}}}covered-table-cell"
_P = f"{{{_TEXT_NS}}}p"
_H = f"{{{_TEXT_NS}}}h"
_SPACES = {f"{{{_TEXT_NS}}}s", f"{{{_TEXT_NS}}}tab", f"{{{_TEXT_NS}}}line-break"}
_SKIPPED = {f"{{{_OFFICE_NS}}}annotation", f"{{{_TEXT_NS}}}note"}
_VALUE_ATTRIBUTES = [
    f"{{{_OFFICE_NS}}}{name}" for name in ("string-value", "date-value", "time-value", "value", "boolean-value")
]
MAX_REPEAT = 1_048_576  # rows of a sheet; anything larger in an attribute is a hostile file


def _repeat(element, attribute: str) -> int:
    try:
        return min(max(int(element.get(f"{{{_TABLE_NS}}}{attribute}", "1")), 1), MAX_REPEAT)
    except ValueError:
        return 1


def _paragraph(element, out: list[str]) -> None:
    if element.text:
        out.append(element.text)
    for child in element:
        if not isinstance(child.tag, str) or child.tag in _SKIPPED:
            pass
        elif child.tag in _SPACES:
            out.append(" ")
        else:
            _paragraph(child, out)
        if child.tail:
            out.append(child.tail)


def _cell_text(cell) -> str:
    paragraphs = []
    for child in cell:
        if child.tag in (_P, _H):
            parts: list[str] = []
            _paragraph(child, parts)
            paragraphs.append("".join(parts))
    text = " ".join(p.strip() for p in paragraphs if p.strip())
    if not text:
        for attribute in _VALUE_ATTRIBUTES:
            if cell.get(attribute):
                text = cell.get(attribute)
                break
    return text.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def _line(row: list[tuple[str, int]]) -> str:
    return "\t".join("\t".join([text] * count) for text, count in row if count)


def _parser_source(archive: zipfile.ZipFile):
    try:
        return archive.open("content.xml")
    except KeyError as exc:
        raise CorruptFile(detail="no content.xml", kind="ODS") from exc


def extract_ods(path: Path, limits: Limits) -> tuple[str, bool]:
    """(text, truncated). content.xml is parsed as a stream (no entities, no DTD loading, no network); rows and
    cells are dropped from memory as soon as they are read."""
    check_zip(path, limits, "ODS")
    import lxml.etree

    budget = _Budget(limits)
    row: list[tuple[str, int]] = []  # (text, columns repeated) of the row being read
    row_cells = 0  # cells of that row, counting repeats of cells with text and the empty cells between them
    row_chars = pending_gap = 0
    seen_any = False
    try:
        with zipfile.ZipFile(path) as archive, _parser_source(archive) as source:
            events = lxml.etree.iterparse(
                source, events=("start", "end"), tag=(_TABLE, _ROW, _CELL, _COVERED), resolve_entities=False,
                load_dtd=False, no_network=True, huge_tree=False, remove_comments=True, remove_pis=True,
            )
            for event, element in events:
                tag = element.tag
                if not seen_any:
                    seen_any = True
                    if element.getroottree().docinfo.internalDTD is not None:
                        raise UnsafeXML(detail="internal DTD in content.xml")
                if event == "start":
                    if tag == _TABLE:
                        if not budget.spend(1):
                            break
                        budget.add(element.get(f"{{{_TABLE_NS}}}name", ""))
                    elif tag == _ROW:
                        row, row_cells, row_chars, pending_gap = [], 0, 0, 0
                    continue
                if tag in (_CELL, _COVERED):
                    repeat = _repeat(element, "number-columns-repeated")
                    text = _cell_text(element)
                    if text:
                        cells_left = limits.max_cells - budget.cells - row_cells
                        chars_left = limits.max_chars - budget.chars - row_chars
                        if pending_gap > min(cells_left, chars_left):  # empty cells between would exceed it
                            if row:
                                budget.add(_line(row))
                            budget.truncated = True
                            break
                        if pending_gap:
                            row.append(("", pending_gap))
                            row_cells += pending_gap
                            row_chars += pending_gap
                            cells_left -= pending_gap
                            chars_left -= pending_gap
                            pending_gap = 0
                        count = max(0, min(repeat, cells_left, chars_left // (len(text) + 1) + 1))
                        row.append((text, count))
                        row_cells += count
                        row_chars += (len(text) + 1) * count
                        if count < repeat:  # the budget ends inside this row: keep what was read, stop
                            budget.add(_line(row))
                            budget.truncated = True
                            break
                    else:
                        pending_gap += repeat  # materialised only if a cell with text follows
                        if not budget.spend(1):  # (cells with text are counted with their row)
                            break
                elif tag == _ROW:
                    repeat = _repeat(element, "number-rows-repeated")
                    if row:
                        line = _line(row)
                        for _ in range(repeat):
                            if not budget.spend(row_cells):
                                break
                            budget.add(line)
                    else:
                        budget.spend(1)
                    if budget.truncated:
                        break
                    row = []
                else:  # end of a table
                    element.clear()
                    continue
                element.clear(keep_tail=False)
                parent = element.getparent()
                if parent is not None:  # drop the element and any siblings before it
                    while element.getprevious() is not None:
                        del parent[0]
    except lxml.etree.XMLSyntaxError as exc:
        if "entit" in str(exc).lower():
            raise UnsafeXML(detail=str(exc)[:500]) from exc
        raise CorruptFile(detail=str(exc)[:500], kind="ODS") from exc
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptFile(detail=repr(exc)[:500], kind="ODS") from exc
    return budget.text(), budget.truncated
