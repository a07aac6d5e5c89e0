"""The monthly sheet as an Excel workbook: the same figures as the PDF (ATT-9), headers in Chinese."""

from __future__ import annotations

import io

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from committee.spreadsheets import write_row


def sheet_workbook(ctx: dict) -> bytes:
    with translation.override("zh-hans"):
        return _build(ctx)


def _build(ctx: dict) -> bytes:
    from django.utils.translation import gettext as _

    cm = ctx["cm"]
    wb = Workbook()
    ws = wb.active
    ws.title = f"{ctx['year']}-{ctx['month']:02d}"
    title = _("%(community)s attendance sheet, %(year)s-%(month)02d") % {
        "community": ctx["community"].committee_name, "year": ctx["year"], "month": ctx["month"]}
    write_row(ws, [title])
    ws["A1"].font = Font(bold=True, size=14)
    header = [_("Staff name")] + [str(d.day) for d in cm.dates] + [
        _("Working days"), _("Days present"), _("Late"), _("Early"), _("Sick leave (days)"), _("Personal leave (days)"),
        _("Absence (days)"), _("Waiting (days)"), _("Full attendance"), _("Monthly wage (yuan)"),
        _("Deductions (yuan)"), _("Reasons"),
    ]
    write_row(ws, header)
    if not cm.recorded:
        write_row(ws, [_("No attendance recorded for this month.") + " "
                       + _("No absence, no late arrival and no deduction is computed.")])
    rest = PatternFill("solid", fgColor="EEEEEE")
    for p in cm.people:
        row = [p.name] + [d.text for d in p.days] + [
            p.working_days, p.present_days, p.late, p.early, p.sick_days, p.personal_days,
            p.absent_days, p.pending_days, _("yes") if p.full_attendance else _("no"),
            p.wage, p.total_deduction,
            "；".join(f"{line.reason} {line.amount}（{line.rule}）" for line in p.lines),
        ]
        write_row(ws, row)
        for i, d in enumerate(p.days, start=2):
            if not d.working:
                ws.cell(row=ws.max_row, column=i).fill = rest
    write_row(ws, [])
    write_row(ws, [_("Total deductions (yuan)"), cm.total_deduction])
    write_row(ws, [_("Prepared by"), ctx["prepared_by"], "", "", _("Approved by"), ctx["approved_by"]])
    for i in range(2, len(cm.dates) + 2):
        ws.column_dimensions[get_column_letter(i)].width = 5
    ws.column_dimensions["A"].width = 12
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    ws.freeze_panes = "B3"
    records = ctx.get("records")
    if records is not None:
        detail = wb.create_sheet(_("Register lines"))
        write_row(detail, [_("Staff name"), _("Date"), _("Signed in at"), _("Signed out at"), _("Source"),
                       _("Reason for the correction")])
        for r in records:
            write_row(detail, [r.staff.name, r.date, r.sign_in, r.sign_out, r.get_source_display(),
                           r.correction_reason or r.note])
        for cell in detail[1]:
            cell.font = Font(bold=True)
        detail.column_dimensions["A"].width = 12
        detail.column_dimensions["B"].width = 12
        detail.column_dimensions["F"].width = 30
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
