"""Importing a JRWA from CSV (columns: symbol, title, category_own, category_other[, source, remarks]).

All or nothing: the file is read and checked first, every problem is reported with its line number, and only a
clean file is written, in one transaction."""

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from registry.models import JrwaClass, JrwaVersion
from registry.validators import validate_jrwa_category

REQUIRED_COLUMNS = ("symbol", "title", "category_own", "category_other")
MAX_ROWS = 20000


@dataclass
class JrwaRow:
    line: int
    symbol: str
    title: str
    category_own: str
    category_other: str
    remarks: str = ""


@dataclass
class ParsedJrwa:
    rows: list[JrwaRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse_jrwa_csv(data: bytes) -> ParsedJrwa:
    result = ParsedJrwa()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append(_("The file is not UTF-8 text. Save the CSV as UTF-8 and try again."))
        return result
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        result.errors.append(
            _("Missing columns: %(missing)s. Expected: %(expected)s.")
            % {"missing": ", ".join(missing), "expected": ", ".join(REQUIRED_COLUMNS)}
        )
        return result
    reader.fieldnames = header
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if len(result.rows) >= MAX_ROWS:
            result.errors.append(_("The file has more than %(max)d rows.") % {"max": MAX_ROWS})
            break
        if None in row:
            result.errors.append(_("Line %(line)d: too many fields.") % {"line": line})
            continue
        symbol = (row.get("symbol") or "").strip()
        title = (row.get("title") or "").strip()
        if not symbol and not title:
            continue
        if not (symbol.isdigit() and 1 <= len(symbol) <= 4):
            result.errors.append(
                _("Line %(line)d: symbol “%(symbol)s” must have 1 to 4 digits.") % {"line": line, "symbol": symbol}
            )
            continue
        if symbol in seen:
            result.errors.append(
                _("Line %(line)d: symbol %(symbol)s repeats line %(first)d.")
                % {"line": line, "symbol": symbol, "first": seen[symbol]}
            )
            continue
        seen[symbol] = line
        if not title:
            result.errors.append(_("Line %(line)d: class %(symbol)s has no title.") % {"line": line, "symbol": symbol})
        categories = {}
        for column in ("category_own", "category_other"):
            value = (row.get(column) or "").strip()
            if value:
                try:
                    validate_jrwa_category(value)
                except ValidationError:
                    result.errors.append(
                        _("Line %(line)d: “%(value)s” is not an archival category (A, B5, BE10, Bc…).")
                        % {"line": line, "value": value}
                    )
            categories[column] = value
        result.rows.append(JrwaRow(line, symbol, title[:500], categories["category_own"],
                                   categories["category_other"], (row.get("remarks") or "").strip()))
    if not result.rows and not result.errors:
        result.errors.append(_("The file has no classes."))
    symbols = {r.symbol for r in result.rows}
    leaves = {s for s in symbols if not any(o != s and o.startswith(s) for o in symbols)}
    for r in result.rows:
        if len(r.symbol) > 1 and r.symbol[:-1] not in symbols:
            result.errors.append(
                _("Line %(line)d: class %(symbol)s has no parent class %(parent)s in the file.")
                % {"line": r.line, "symbol": r.symbol, "parent": r.symbol[:-1]}
            )
        if r.symbol in leaves and not r.category_own:
            result.errors.append(
                _("Line %(line)d: last-level class %(symbol)s needs an archival category.")
                % {"line": r.line, "symbol": r.symbol}
            )
    return result


def import_jrwa(
    data: bytes, *, name: str, valid_from, source: str = "", progress: Callable[[Iterable], Iterable] | None = None
) -> JrwaVersion:
    parsed = parse_jrwa_csv(data)
    if parsed.errors:
        raise ValidationError(parsed.errors)
    if JrwaVersion.objects.filter(valid_from=valid_from).exists():
        raise ValidationError(_("A JRWA version starting on %(day)s already exists.") % {"day": valid_from})
    symbols = {r.symbol for r in parsed.rows}
    rows = sorted(parsed.rows, key=lambda r: (len(r.symbol), r.symbol))
    with transaction.atomic():
        previous = JrwaVersion.objects.filter(valid_from__lt=valid_from, valid_to__isnull=True).order_by("-valid_from")
        version = JrwaVersion.objects.create(name=name, valid_from=valid_from, source=source)
        for old in previous[:1]:
            old.valid_to = valid_from - dt.timedelta(days=1)
            old.save(update_fields=["valid_to"])
        by_symbol: dict[str, JrwaClass] = {}
        for row in progress(rows) if progress else rows:
            is_leaf = not any(o != row.symbol and o.startswith(row.symbol) for o in symbols)
            obj = JrwaClass.objects.create(
                version=version,
                symbol=row.symbol,
                title=row.title,
                parent=by_symbol.get(row.symbol[:-1]),
                category_own=row.category_own,
                category_other=row.category_other,
                is_leaf=is_leaf,
                remarks=row.remarks,
            )
            by_symbol[row.symbol] = obj
    return version
