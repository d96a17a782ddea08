"""Reading and writing a roster's table: CSV, XLSX and ODS, through tablib.

``read_table(content, filename)`` gives the rows of the first sheet as ``(line, cells)``,
``line`` being the row number a person sees in their spreadsheet program (1 for the first
row), so errors can name it. Empty rows are skipped but still counted. tablib's own CSV and
ODS loaders drop empty rows without counting them, so CSV goes through the standard ``csv``
reader (what tablib uses itself) and ODS through odfpy row by row, with tablib's cell reader.

``write_table(header, rows, format)`` writes CSV (UTF-8 with a byte-order mark, which Excel
needs for accents) or XLSX. Cells that a spreadsheet would run as a formula are neutralised
(OWASP: a leading apostrophe); ``clean_cell`` removes that apostrophe again on import, so a
round trip loses nothing.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

import tablib
from django.utils.translation import gettext_lazy as _

FORMATS = ("csv", "xlsx", "ods")
MAX_ROWS = 5000
MAX_COLUMNS = 100
# A spreadsheet is a zip: refuse one that inflates past this (a "zip bomb").
MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
# What a spreadsheet program may take as the start of a formula (OWASP CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class TableError(ValueError):
    """The file cannot be read as a table (message is for a person)."""


def detect_format(content: bytes, filename: str = "") -> str:
    """csv, xlsx or ods: by the file's content first (both spreadsheets are zips)."""
    if content[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
                unzipped = sum(info.file_size for info in archive.infolist())
                mimetype = archive.read("mimetype") if "mimetype" in names else b""
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            raise TableError(_("The file is damaged: it cannot be opened.")) from None
        if unzipped > MAX_UNZIPPED_BYTES:
            raise TableError(_("The spreadsheet is too large once opened."))
        if b"opendocument.spreadsheet" in mimetype:
            return "ods"
        if "[Content_Types].xml" in names:
            return "xlsx"
        raise TableError(_("Send a CSV, XLSX or ODS file."))
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension in ("xlsx", "ods", "xls"):
        raise TableError(_("The file is damaged: it cannot be opened."))
    return "csv"


def _csv_rows(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # Excel's CSV on Windows
    if "\x00" in text:
        raise TableError(_("This is not a CSV file."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
    except csv.Error as error:
        raise TableError(
            _("Line %(line)s cannot be read: %(error)s") % {"line": start, "error": error}
        ) from None


def _xlsx_rows(content: bytes):
    dataset = tablib.Dataset()
    try:
        dataset.load(content, format="xlsx", headers=False)
    except Exception:  # openpyxl raises many kinds on a damaged file
        raise TableError(_("The file is damaged: it cannot be opened.")) from None
    # openpyxl yields every row up to the last one used, empty ones included.
    for index, cells in enumerate(dataset, start=1):
        yield index, list(cells)


def _ods_rows(content: bytes):
    from odf import opendocument, table
    from tablib.formats._ods import ODSFormat

    try:
        document = opendocument.load(io.BytesIO(content))
    except Exception:
        raise TableError(_("The file is damaged: it cannot be opened.")) from None
    sheets = document.spreadsheet.getElementsByType(table.Table)
    if not sheets:
        return
    line = 1
    for row in sheets[0].getElementsByType(table.TableRow):
        repeated = int(row.getAttribute("numberrowsrepeated") or 1)
        cells = []
        for cell in row.childNodes:
            if cell.qname[1] not in ("table-cell", "covered-table-cell"):
                continue
            value = ODSFormat.read_cell(cell)
            count = int(cell.getAttribute("numbercolumnsrepeated") or 1)
            if value in ("", None):
                cells.extend([""] * min(count, MAX_COLUMNS))
            else:
                cells.extend([value] * min(count, MAX_COLUMNS))
            if len(cells) > MAX_COLUMNS:
                break
        if any(_text(c) for c in cells):
            for _copy in range(min(repeated, MAX_ROWS + 1)):
                yield line, cells
                line += 1
        else:
            line += repeated


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def clean_cell(value) -> str:
    """A cell as text, trimmed, with the apostrophe that neutralised a formula removed."""
    text = _text(value).strip()
    if text.startswith("'") and text[1:2] and text[1] in (*FORMULA_STARTS, "'"):
        text = text[1:]
    return text


def read_table(content: bytes, filename: str = "") -> list[tuple[int, list[str]]]:
    """The non-empty rows of the file's first sheet, each with its line number."""
    format = detect_format(content, filename)
    reader = {"csv": _csv_rows, "xlsx": _xlsx_rows, "ods": _ods_rows}[format]
    rows = []
    for line, cells in reader(content):
        if len(cells) > MAX_COLUMNS:
            raise TableError(
                _("Line %(line)s has more than %(max)s columns.")
                % {"line": line, "max": MAX_COLUMNS}
            )
        texts = [clean_cell(cell) for cell in cells]
        if any(texts):
            rows.append((line, texts))
            if len(rows) > MAX_ROWS + 1:
                raise TableError(
                    _("The file has more than %(max)s rows: split it.") % {"max": MAX_ROWS}
                )
    return rows


def neutralise(value: str) -> str:
    """A cell a spreadsheet will show as text, never run as a formula."""
    if value and value[0] in (*FORMULA_STARTS, "'"):
        return "'" + value
    return value


def write_table(header: list[str], rows: list[list[str]], format: str, *, title: str) -> bytes:
    if format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows([neutralise(cell) for cell in row] for row in rows)
        return buffer.getvalue().encode("utf-8-sig")
    if format == "xlsx":
        # Only a text starting with "=" becomes a formula in an XLSX cell; a phone's "+"
        # stays text, so only those are neutralised (and "'" ones, to keep the round trip).
        dataset = tablib.Dataset(headers=header, title=title[:31])
        for row in rows:
            dataset.append([("'" + c) if c[:1] in ("=", "'") else c for c in row])
        return dataset.export("xlsx")
    raise ValueError(format)
