"""The 12-month comparison per figure (table, chart, Excel) and the street leader's monthly report (PDF, Excel).
Street-office staff only; the communities are the user's street (CTL: scoping), narrowed by the switcher."""

from __future__ import annotations

from io import BytesIO

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from committee import scoping
from committee.printing import pdf_response, render_pdf
from committee.scoping import street_office_required
from committee.spreadsheets import write_row
from oversight import monthly

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _communities(request):
    current = scoping.current_community(request)
    return [current] if current else list(scoping.communities(request.user).select_related("street_office"))


def _choice(request, today):
    """(figure, end month, error messages) from the querystring; a bad value falls back to the default."""
    errors = []
    key = request.GET.get("figure") or monthly.DEFAULT_FIGURE
    figure = monthly.FIGURES.get(key)
    if figure is None:
        errors.append(_("There is no such figure; showing the full-attendance rate."))
        figure = monthly.FIGURES[monthly.DEFAULT_FIGURE]
    end = (today.year, today.month)
    if request.GET.get("month"):
        parsed = monthly.parse_month(request.GET["month"], today)
        if parsed is None:
            errors.append(_("The month must be written like 2026-11 and not be in the future; showing this month."))
        else:
            end = parsed
    return figure, end, errors


def _street_name(communities):
    return communities[0].street_office.name if communities else ""


@street_office_required
def months(request):
    """One figure per community over the last 12 months: table (newest month right), line chart, links."""
    today = timezone.localdate()
    figure, end, errors = _choice(request, today)
    communities = _communities(request)
    return render(request, "oversight/months.html", {
        "today": today, "errors": errors, "figures": list(monthly.FIGURES.values()), "end": end,
        "end_label": f"{end[0]}-{end[1]:02d}",
        "data": monthly.comparison(figure, communities, end, today, user=request.user),
        "report_month": f"{end[0]}-{end[1]:02d}"})


def _xlsx(wb, filename):
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@street_office_required
def months_xlsx(request):
    """The comparison table of the chosen figure (CTL-8: cells through write_row); no personal data."""
    today = timezone.localdate()
    figure, end, _errors = _choice(request, today)
    data = monthly.comparison(figure, _communities(request), end, today)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Months")[:31]
    write_row(ws, [str(figure.label), figure.rule])
    write_row(ws, [_("Community")] + data["labels"])
    for row in data["rows"]:
        write_row(ws, [row["community"].name] + [c["value"] if c["value"] is not None else "—" for c in row["cells"]])
    return _xlsx(wb, f"oversight-{figure.key}-{end[0]}{end[1]:02d}.xlsx")


def _report_month(ym: str, today):
    month = monthly.parse_month(ym, today)
    if month is None:
        raise Http404(_("No such month."))
    return month


@street_office_required
def report_pdf(request, ym):
    """The street leader's monthly report: every community's figures of the month, overdue items, WEL-3."""
    today = timezone.localdate()
    month = _report_month(ym, today)
    communities = _communities(request)
    pdf = render_pdf("oversight/report_pdf.html", {
        "data": monthly.report(communities, month, today, user=request.user),
        "street_name": _street_name(communities), "today": today})
    return pdf_response(pdf, f"street-report-{month[0]}-{month[1]:02d}.pdf")


@street_office_required
def report_xlsx(request, ym):
    """The monthly report's summary table as a spreadsheet (CTL-8)."""
    today = timezone.localdate()
    month = _report_month(ym, today)
    communities = _communities(request)
    data = monthly.report(communities, month, today, user=request.user)
    wb = Workbook()
    ws = wb.active
    ws.title = data["label"]
    write_row(ws, [_("Monthly report"), _street_name(communities), data["label"]])
    write_row(ws, [_("Community")] + [f"{f.label} ({f.rule})" for f in data["figures"]] + [_("Overdue")])
    for row in data["rows"]:
        write_row(ws, [row["community"].name] + row["cells"] + [row["overdue"]])
    return _xlsx(wb, f"street-report-{month[0]}-{month[1]:02d}.xlsx")
