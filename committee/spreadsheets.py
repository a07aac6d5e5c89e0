"""Reading an uploaded spreadsheet: the first sheet of an .xlsx file, or a .csv file in UTF-8 or the GBK
that Chinese Excel writes. Every import of the product (register, punch clock, …) reads files here.

Writing one: every export passes its cells through ``safe_cells`` (or appends with ``write_row``), which
neutralises formulas and control characters (CTL-8).

CTL-8 limits: a file above ``MAX_BYTES`` is refused before it is parsed; reading stops at ``MAX_ROWS``
rows (an .xlsx that declares more rows in its dimension is refused without reading them); a cell with a
control character refuses the file, naming its row and column."""

from __future__ import annotations

import csv
import io
import itertools
import zipfile

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter, range_boundaries

from committee.inputs import find_control_character, neutralise

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNPACKED = 40 * 1024 * 1024  # the XML of 5,000 wide rows is a few MB


class SpreadsheetError(ValueError):
    """The file cannot be read; the message is translated and can be shown as it is."""


def _too_many(limit: int) -> SpreadsheetError:
    return SpreadsheetError(_("The file has more than %(max)d rows; import at most %(max)d at a time (CTL-8).")
                            % {"max": limit})


def _check_unpacked_size(data: bytes) -> None:
    """An .xlsx is a zip: refuse one that unpacks to more than MAX_UNPACKED bytes before openpyxl parses it
    (a sheet without a <dimension> would otherwise be scanned to its end, and a zip bomb fills memory)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SpreadsheetError(_("The file could not be read as an Excel .xlsx file.")) from None
    if unpacked > MAX_UNPACKED:
        raise _too_many(MAX_ROWS)


def _declared_rows(sheet) -> int:
    """The rows the sheet's <dimension> declares, without reading them (0 when it declares none)."""
    try:
        _min_col, _min_row, _max_col, max_row = range_boundaries(sheet.calculate_dimension())
    except (ValueError, TypeError):
        return 0
    return max_row or 0


def read_rows(data: bytes, filename: str, *, max_rows: int = MAX_ROWS) -> list[list]:
    """The rows of the file as lists of cell values, blank rows dropped."""
    if len(data) > MAX_BYTES:  # CTL-8: before parsing anything
        raise SpreadsheetError(_("The file is larger than %(mb)d MB (CTL-8).") % {"mb": MAX_BYTES // (1024 * 1024)})
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        import openpyxl

        _check_unpacked_size(data)
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            sheet = book.worksheets[0]
            if _declared_rows(sheet) > max_rows + 1:
                book.close()
                raise _too_many(max_rows)
            rows = [list(r) for r in itertools.islice(sheet.iter_rows(values_only=True), max_rows + 2)]
            book.close()
        except SpreadsheetError:
            raise
        except Exception:  # noqa: BLE001 - any unreadable workbook gets the same message
            raise SpreadsheetError(_("The file could not be read as an Excel .xlsx file.")) from None
    elif name.endswith((".csv", ".txt")):
        for encoding in ("utf-8-sig", "gb18030"):  # gb18030 is a superset of GBK
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise SpreadsheetError(_("The CSV file is neither UTF-8 nor GBK text."))
        rows = list(itertools.islice(csv.reader(io.StringIO(text)), max_rows + 2))
    else:
        raise SpreadsheetError(_("Upload an Excel (.xlsx) or CSV (.csv) file."))
    if len(rows) > max_rows + 1:  # the header row and max_rows rows
        raise _too_many(max_rows)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            found = isinstance(value, str) and find_control_character(value)
            if found:
                raise SpreadsheetError(
                    _("Row %(row)d, column %(column)s contains a control character (%(char)s), which is not "
                      "allowed (CTL-8).") % {"row": number, "column": get_column_letter(column), "char": found})
    return [r for r in rows if any(c is not None and str(c).strip() for c in r)]


def safe_cells(values) -> list:
    """CTL-8: the cells of one exported row, formulas neutralised (leading ') and control characters
    replaced. Use it (or ``write_row``) for every row any export writes."""
    return [neutralise(v) for v in values]


def write_row(sheet, values) -> None:
    """``sheet.append`` through ``safe_cells``: the one way exports write a row (CTL-8)."""
    sheet.append(safe_cells(values))
