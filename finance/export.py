"""The quarterly report as an Excel workbook (FIN-10)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from committee.spreadsheets import write_row


def quarter_workbook(fig: dict) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{fig['year']}Q{fig['quarter']}"
    write_row(ws, [_("%(community)s: income and spending, %(year)s quarter %(quarter)s (%(start)s – %(end)s)") % {
        "community": fig["community"].name, "year": fig["year"], "quarter": fig["quarter"],
        "start": fig["start"].isoformat(), "end": fig["end"].isoformat()}])
    ws["A1"].font = Font(bold=True, size=13)
    header = [_("Fund type"), _("Budget line"), _("Budget"), _("Income this quarter"), _("Spent this quarter"),
              _("Spent this year"), _("Remaining")]
    write_row(ws, header)
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for fund in fig["funds"]:
        for line in fund["lines"]:
            write_row(ws, [fund["label"], line["name"], line["budget"], line["income"], line["spent"],
                       line["spent_to_date"], line["remaining"]])
        write_row(ws, [fund["label"], _("Subtotal"), fund["budget"], fund["income"], fund["spent"], fund["spent_to_date"],
                   fund["remaining"]])
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
    t = fig["totals"]
    write_row(ws, [_("Total"), "", t["budget"], t["income"], t["spent"], t["spent_to_date"], t["remaining"]])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in ws.iter_rows(min_row=3, min_col=3, max_col=7):
        for cell in row:
            cell.number_format = "#,##0.00"
    for col, width in zip("ABCDEFG", (16, 28, 14, 14, 14, 14, 14), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
