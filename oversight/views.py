from io import BytesIO

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from committee import scoping
from committee.scoping import street_office_required
from committee.spreadsheets import write_row
from oversight import services


def _communities(request):
    current = scoping.current_community(request)
    return [current] if current else scoping.community_list(request.user)


@street_office_required
def overview(request):
    """Street office: what is overdue and due soon per community, every chapter's figures (WEL-3 chart)."""
    today = timezone.localdate()
    communities = _communities(request)
    return render(request, "oversight/overview.html", {
        "today": today, "data": services.overview(communities, today, user=request.user),
        "chart": services.execution_chart(communities, today)})


@street_office_required
def overview_xlsx(request):
    """The overview table as a spreadsheet (CTL-8: formulas neutralised by write_row); no personal data."""
    today = timezone.localdate()
    data = services.overview(_communities(request), today, user=request.user)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Oversight")[:31]
    write_row(ws, [_("Street office overview"), today])
    write_row(ws, [_("Community"), _("Overdue"), _("Due soon")] + [str(c.label) for c in data["columns"]])
    for row in data["rows"]:
        write_row(ws, [row["community"].name, len(row["overdue"]), len(row["due"])]
                  + [str(cell["value"]) for cell in row["cells"]])
    out = BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="oversight-{today:%Y%m%d}.xlsx"'
    return response
