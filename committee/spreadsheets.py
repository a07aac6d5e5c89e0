"""Reading an uploaded spreadsheet: the first sheet of an .xlsx file, or a .csv file in UTF-8 or the GBK
that Chinese Excel writes. Every import of the product (register, punch clock, …) reads files here."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _


class SpreadsheetError(ValueError):
    """The file cannot be read; the message is translated and can be shown as it is."""


def read_rows(data: bytes, filename: str) -> list[list]:
    """The rows of the file as lists of cell values, blank rows dropped."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        import openpyxl

        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - any unreadable workbook gets the same message
            raise SpreadsheetError(_("The file could not be read as an Excel .xlsx file.")) from None
        rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    elif name.endswith((".csv", ".txt")):
        for encoding in ("utf-8-sig", "gb18030"):  # gb18030 is a superset of GBK
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise SpreadsheetError(_("The CSV file is neither UTF-8 nor GBK text."))
        rows = list(csv.reader(io.StringIO(text)))
    else:
        raise SpreadsheetError(_("Upload an Excel (.xlsx) or CSV (.csv) file."))
    return [r for r in rows if any(c is not None and str(c).strip() for c in r)]
