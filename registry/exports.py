"""CSV and XLSX exports of the metryka and the spis spraw. CSV: UTF-8 with a BOM and semicolons, as Polish
spreadsheets expect; XLSX through openpyxl."""

import csv
import io
from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    value = str(value)
    # Spreadsheet formula injection (titles and sender names come from outside): text never starts a formula.
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_response(filename: str, header_lines: list[list], columns: list, rows: list[list]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for line in header_lines:
        writer.writerow([_cell(v) for v in line])
    if header_lines:
        writer.writerow([])
    writer.writerow([str(c) for c in columns])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(filename: str, title: str, header_lines: list[list], columns: list, rows: list[list]):
    wb = Workbook()
    ws = wb.active
    ws.title = str(title)[:31]
    bold = Font(bold=True)
    for line in header_lines:
        ws.append([_cell(v) for v in line])
        ws.cell(row=ws.max_row, column=1).font = bold
    if header_lines:
        ws.append([])
    ws.append([str(c) for c in columns])
    for cell in ws[ws.max_row]:
        cell.font = bold
    first_data_row = ws.max_row + 1
    for row in rows:
        ws.append([v if isinstance(v, int) else _cell(v) for v in row])
    for index, column in enumerate(columns, start=1):
        width = max([len(str(column))] + [len(_cell(r[index - 1])) for r in rows[:500]] + [8])
        ws.column_dimensions[get_column_letter(index)].width = min(width + 2, 60)
    ws.freeze_panes = ws.cell(row=first_data_row, column=1)
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
