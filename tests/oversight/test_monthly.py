"""Issue 17: the communities compared over the last 12 months (table, SVG chart, Excel) and the street leader's
monthly report (PDF, Excel). Figures of a seeded month against hand-computed values; fixed query counts."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from committee import calendar
from committee.models import Role
from oversight import monthly
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
SEP = (2026, 9)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 20, 10, 0, tzinfo=SH), tick=False)


def _working(year, month):
    return [d for d in (dt.date(year, month, 1) + dt.timedelta(days=i) for i in range(31))
            if d.month == month and calendar.is_working_day(d)]


def _seed_attendance(community):
    """Two staff in September 2026: one signs every working day (full attendance), one misses two (ATT-1:
    two days of absence → not full, ATT-6: two days' wage, 4350 ÷ 21.75 × 2 = 400.00)."""
    from attendance.models import SignIn

    days = _working(*SEP)
    full = f.staff(community, "全勤员", [Role.MEMBER], wage="4350.00")
    missing = f.staff(community, "缺勤员", [Role.MEMBER], wage="4350.00")
    for staff, mine in ((full, days), (missing, days[2:])):
        for d in mine:
            SignIn.objects.create(community=community, staff=staff, date=d, sign_in=dt.time(8, 20),
                                  sign_out=dt.time(17, 40))
    return full, missing


def _seed_meetings(community, director):
    from meetings import services
    from meetings.models import Meeting

    body = services.create_body(community=community, kind="committee", name="居委会", acting_user=director.user)
    for day, status in ((3, "closed"), (10, "held"), (17, "submitted"), (24, "planned"), (25, "cancelled")):
        Meeting.objects.create(body=body, street_office=community.street_office, community=community,
                               title="会议", date=dt.date(2026, 9, day), status=status)
    Meeting.objects.create(body=body, street_office=community.street_office, community=community, title="会议",
                           date=dt.date(2026, 8, 5), status="closed")


def _seed_finance(community, director):
    """FIN-3 budget 10000.00 for 2026; paid 2000.00 in March and 2500.00 in September; a reversed 9000.00 and an
    unpaid 1000.00 count nothing."""
    from finance.models import Budget, BudgetLine, Expense

    budget = Budget.objects.create(community=community, year=2026, fund_type="office")
    line = BudgetLine.objects.create(budget=budget, community=community, name="办公用品", amount=D("10000.00"))
    for amount, paid_on, state in (("2000.00", dt.date(2026, 3, 15), "paid"), ("2500.00", dt.date(2026, 9, 10), "paid"),
                                   ("9000.00", dt.date(2026, 9, 11), "reversed"), ("1000.00", None, "approved")):
        Expense.objects.create(community=community, line=line, purpose="办公", amount=D(amount), payee="文具店",
                               method="transfer", state=state, requested_by=director,
                               requested_on=dt.date(2026, 3, 1), paid_on=paid_on)
    return line


def _seed_visits(community, director):
    from visits.models import LocalUnit, Request, Visit

    unit = LocalUnit.objects.create(community=community, name="第一小学")
    for day in (dt.date(2026, 9, 8), dt.date(2026, 9, 9), dt.date(2026, 10, 9)):
        Visit.objects.create(community=community, date=day, start_time=dt.time(9), end_time=dt.time(10), minutes=60,
                             unit=unit, key=uuid.uuid4(), recorded_by=director)
    for n, (due, closed) in enumerate(((dt.date(2026, 9, 10), dt.datetime(2026, 9, 9, 15, tzinfo=SH)),
                                       (dt.date(2026, 9, 10), dt.datetime(2026, 9, 14, 15, tzinfo=SH)))):
        Request.objects.create(community=community, number=f"Q{n}", channel="desk", kind="help", text="求助",
                               received_at=dt.datetime(2026, 9, 1, 9, tzinfo=SH), received_by=director, days=5,
                               due_on=due, assigned_to=director, status="closed", closed_at=closed)


def _seed_seals(community, director, supervisor):
    from seals.models import Seal, SealUse

    seal = Seal.objects.create(community=community, kind=Seal.Kind.choices[0][0], name="居委会章", custodian=director,
                               place="柜子", issued_on=dt.date(2025, 1, 1), issued_by=supervisor)
    for seq, stamped in ((1, dt.datetime(2026, 9, 30, 23, 30, tzinfo=SH)), (2, dt.datetime(2026, 10, 1, 9, tzinfo=SH)),
                         (3, None)):
        SealUse.objects.create(community=community, seal=seal, year=2026, seq=seq, use_kind="证明", matter="证明",
                               requester=director, status="stamped" if stamped else "pending", stamped_at=stamped)


def test_att_5_att_6_full_attendance_rate_and_deductions_of_a_seeded_month(community_a, community_b):
    """ATT-5: one of the two staff has full attendance (50.0%); ATT-6: two absent days at 4350 ÷ 21.75 = 400.00.
    A month without a register has no rate (—), not 0%."""
    _seed_attendance(community_a)
    months = monthly.last_months(SEP)
    today = dt.date(2026, 11, 20)
    rate = monthly.full_attendance_rate([community_a, community_b], months, today)
    assert rate[community_a.pk][SEP] == D("50.0")
    assert rate[community_a.pk][(2026, 8)] is None
    assert rate[community_b.pk][SEP] is None
    deductions = monthly.attendance_deductions([community_a, community_b], months, today)
    assert deductions[community_a.pk][SEP] == D("400.00")
    assert deductions[community_b.pk][SEP] == 0


def test_mtg_1_meetings_held_count_held_submitted_and_closed_only(community_a, director_a):
    _seed_meetings(community_a, director_a)
    values = monthly.meetings_held([community_a], monthly.last_months(SEP), dt.date(2026, 11, 20))
    assert values[community_a.pk][SEP] == 3  # planned and cancelled do not count
    assert values[community_a.pk][(2026, 8)] == 1


def test_fin_3_wel_3_finance_execution_is_cumulative_against_the_year_budget(community_a, director_a):
    """Paid 2000 by March, 4500 by September of 10000: 20.0% in August (below WEL-3's 45% expected from July),
    45.0% in September (reaches it); reversed and unpaid expenses count nothing."""
    _seed_finance(community_a, director_a)
    months = monthly.last_months(SEP)
    values = monthly.finance_execution([community_a], months, dt.date(2026, 11, 20))[community_a.pk]
    assert values[(2026, 2)] == D("0.0")
    assert values[(2026, 3)] == D("20.0")
    assert values[(2026, 8)] == D("20.0")
    assert values[SEP] == D("45.0")
    assert values[(2025, 10)] is None  # no budget for 2025
    data = monthly.comparison(monthly.FIGURES["fin_exec"], [community_a], SEP, dt.date(2026, 11, 20))
    cells = {c["month"]: c for c in data["rows"][0]["cells"]}
    assert cells[(2026, 8)]["below"] and not cells[SEP]["below"]
    assert not cells[(2026, 6)]["below"]  # WEL-3: no threshold before July


def test_wel_3_welfare_execution_counts_paid_spending_on_running_projects(community_a, director_a, street):
    from welfare.models import Category, Plan, Project, Spending

    line = _seed_finance(community_a, director_a)
    from finance.models import Expense

    plan = Plan.objects.create(community=community_a, year=2026, created_by=director_a)
    category = Category.objects.create(street_office=street, name="文体")
    project = Project.objects.create(community=community_a, plan=plan, category=category, name="合唱队",
                                     owner=director_a, budget=D("8000.00"), state=Project.State.APPROVED)
    Project.objects.create(community=community_a, plan=plan, category=category, name="取消的", owner=director_a,
                           budget=D("5000.00"), state=Project.State.CANCELLED)
    paid = Expense.objects.create(community=community_a, line=line, purpose="合唱", amount=D("4000.00"), payee="店",
                                  method="transfer", state="paid", requested_by=director_a,
                                  requested_on=dt.date(2026, 7, 1), paid_on=dt.date(2026, 7, 20))
    Spending.objects.create(community=community_a, project=project, expense=paid, kind="costs")
    values = monthly.welfare_execution([community_a], monthly.last_months(SEP), dt.date(2026, 11, 20))[community_a.pk]
    assert values[(2026, 6)] == D("0.0")
    assert values[(2026, 7)] == D("50.0")  # 4000 of the 8000 budget of the approved project
    assert values[SEP] == D("50.0")


def test_grid_3_visits_and_grid_6_requests_resolved_in_time(community_a, director_a):
    _seed_visits(community_a, director_a)
    months = monthly.last_months(SEP)
    today = dt.date(2026, 11, 20)
    assert monthly.grid_visits([community_a], months, today)[community_a.pk][SEP] == 2
    in_time = monthly.requests_in_time([community_a], months, today)[community_a.pk]
    assert in_time[SEP] == D("50.0")  # one by its day, one four days late
    assert in_time[(2026, 8)] is None


def test_seal_2_uses_counted_by_the_local_day_they_were_stamped(community_a, director_a, supervisor):
    _seed_seals(community_a, director_a, supervisor)
    values = monthly.seal_uses([community_a], monthly.last_months((2026, 10)), dt.date(2026, 11, 20))[community_a.pk]
    assert values[SEP] == 1  # 23:30 on 30 September in Beijing time is September
    assert values[(2026, 10)] == 1


def test_months_are_the_last_twelve_newest_last():
    months = monthly.last_months((2026, 3))
    assert months[0] == (2025, 4) and months[-1] == (2026, 3) and len(months) == 12


def _all_seeded(street, n):
    leader = f.staff(street, f"领导{n}", [Role.STREET_LEADER])
    communities = []
    for i in range(n):
        c = f.community(street, f"社区{i}")
        director = f.staff(c, f"主任{i}", [Role.DIRECTOR])
        _seed_attendance(c)
        _seed_meetings(c, director)
        _seed_finance(c, director)
        _seed_visits(c, director)
        communities.append(c)
    return leader, communities


def _count(client, url):
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("figure", sorted(monthly.FIGURES))
def test_queries_do_not_grow_with_communities_or_months(figure):
    """Every figure reads its 12 months for every community with grouped queries: 2 and 5 communities cost the
    same number of queries."""
    counts = []
    for n in (2, 5):
        street = f.street_office(f"街道{n}")
        leader, _communities = _all_seeded(street, n)
        counts.append(_count(login(leader), reverse("oversight_months") + f"?figure={figure}&month=2026-09"))
    assert counts[0] == counts[1], counts


def test_report_queries_do_not_grow_with_communities():
    counts = []
    for n in (2, 5):
        street = f.street_office(f"街道{n}")
        leader, _communities = _all_seeded(street, n)
        counts.append(_count(login(leader), reverse("oversight_report_xlsx", args=["2026-09"])))
    assert counts[0] == counts[1], counts


def test_months_page_table_chart_and_links(supervisor, community_a, community_b):
    _seed_attendance(community_a)
    response = login(supervisor).get(reverse("oversight_months") + "?figure=att_full&month=2026-09")
    html = response.content.decode()
    assert response.status_code == 200
    assert community_a.name in html and community_b.name in html
    assert "2025-10" in html and "2026-09" in html and "2025-09" not in html
    head = html.split("<thead>")[1].split("</thead>")[0]
    assert head.index("2025-10") < head.index("2026-09")  # newest month on the right
    assert 'role="img"' in html and "<title" in html and "<desc" in html and "<polyline" in html
    assert "50.0%" in html
    assert reverse("attendance_month", args=[2026, 9]) in html
    assert "<script" not in html.split('<svg class="chart"')[1].split("</svg>")[0]


def test_overview_links_to_the_months_page_and_the_report(supervisor, community_a):
    html = login(supervisor).get(reverse("oversight_overview")).content.decode()
    assert reverse("oversight_months") in html
    assert reverse("oversight_report_pdf", args=["2026-11"]) in html


@pytest.mark.parametrize("query", ["?figure=nonsense", "?month=9999-99", "?month=2026-13", "?month=abc",
                                   "?month=2027-01", "?figure=&month="])
def test_bad_querystring_gives_a_message_not_an_error(supervisor, community_a, query):
    response = login(supervisor).get(reverse("oversight_months") + query)
    assert response.status_code == 200
    if query != "?figure=&month=":
        assert 'role="alert"' in response.content.decode()
    assert login(supervisor).get(reverse("oversight_months_xlsx") + query).status_code == 200


def test_bad_report_month_is_not_found(supervisor, community_a):
    client = login(supervisor)
    assert client.get("/street/report/9999-99.pdf").status_code == 404
    assert client.get("/street/report/2026-13.pdf").status_code == 404
    assert client.get("/street/report/2027-01.xlsx").status_code == 404


def test_excel_of_the_comparison_has_a_row_per_community_and_neutralised_names(supervisor, street, community_a):
    _seed_meetings(community_a, f.staff(community_a, "主任", [Role.DIRECTOR]))
    f.community(street, "=HYPERLINK(1)")
    response = login(supervisor).get(reverse("oversight_months_xlsx") + "?figure=mtg_held&month=2026-09")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][1] == "MTG-1"
    assert rows[1][1] == "2025-10" and rows[1][12] == "2026-09"
    mine = next(r for r in rows if r[0] == community_a.name)
    assert mine[12] == 3 and mine[11] == 1
    assert any(str(r[0]).startswith("'=HYPERLINK(1)") for r in rows)  # CTL-8


def test_another_streets_community_never_appears(supervisor, community_a):
    other = f.street_office("别的街道")
    f.community(other, "外街社区")
    client = login(supervisor)
    for url in (reverse("oversight_months"), reverse("oversight_months") + "?figure=wel_exec"):
        html = client.get(url).content.decode()
        assert community_a.name in html and "外街社区" not in html
    ws = load_workbook(io.BytesIO(client.get(reverse("oversight_months_xlsx")).content)).active
    assert "外街社区" not in [r[0] for r in ws.iter_rows(values_only=True)]
    pdf = client.get(reverse("oversight_report_pdf", args=["2026-09"])).content
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "外街社区" not in text


def _fonts(reader):
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for desc in font.get("/DescendantFonts", []):
                desc = desc.get_object()["/FontDescriptor"].get_object()
                if "/FontFile2" in desc or "/FontFile3" in desc:
                    names.add(str(desc["/FontName"]))
    return names


def test_monthly_report_pdf_names_street_month_communities_wel_3_and_embeds_the_font(street, community_a,
                                                                                      community_b, director_a):
    """The street leader's report: title with the street's name, the month, a row per community, the WEL-3
    line (45% / 90%), page numbers, the CJK font embedded."""
    leader = f.staff(street, "分管领导", [Role.STREET_LEADER])
    _seed_attendance(community_a)
    response = login(leader).get(reverse("oversight_report_pdf", args=["2026-09"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert street.name in text
    assert "2026-09" in text
    assert community_a.name in text and community_b.name in text
    assert "惠民资金执行率" in text and "45%" in text and "90%" in text  # WEL-3 (printed without rule ids)
    assert "1 / " in text  # page numbers
    assert any("CJK" in name for name in _fonts(reader))


def test_report_excel_has_every_figure_and_the_overdue_count(supervisor, community_a):
    _seed_attendance(community_a)
    response = login(supervisor).get(reverse("oversight_report_xlsx", args=["2026-09"]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][2] == "2026-09"
    assert len(rows[1]) == len(monthly.FIGURES) + 2
    mine = next(r for r in rows if r[0] == community_a.name)
    assert mine[1] == "50.0%" and mine[2] == "400.00"
    assert isinstance(mine[-1], int)


@pytest.mark.parametrize("name", ["oversight_months", "oversight_months_xlsx"])
def test_community_staff_refused(director_a, name):
    assert login(director_a).get(reverse(name)).status_code == 403
    assert login(director_a).get(reverse("oversight_report_pdf", args=["2026-09"])).status_code == 403


# --- each number a link to its records in that community ---------------------------------------------------


def _cell_links(html):
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    import re

    return re.findall(r'href="([^"]+)"', body.replace("&amp;", "&"))


@pytest.mark.parametrize("figure", ["att_full", "fin_exec", "mtg_held", "grid_visits"])
def test_months_cells_link_to_that_communitys_records(figure, street):
    """A number links to the list behind it narrowed to its community (?community=<id>), and the list opens."""
    leader, communities = _all_seeded(street, 2)
    client = login(leader)
    links = _cell_links(client.get(reverse("oversight_months") + f"?figure={figure}&month=2026-09").content.decode())
    assert links, figure
    for link in links:
        assert any(f"community={c.pk}" in link for c in communities), link
        assert client.get(link).status_code == 200, link


@pytest.mark.parametrize("figure", sorted(monthly.FIGURES))
def test_every_figures_link_opens_for_the_street_leader(figure, street, community_a):
    """Every figure has a list behind it; its link (month, quarter, community) opens for the street leader."""
    from committee import scoping

    spec = monthly.FIGURES[figure]
    assert spec.url is not None, figure
    leader = f.staff(street, "分管领导", [Role.STREET_LEADER])
    url = scoping.for_community(spec.url(community_a, SEP), community_a)
    assert login(leader).get(url).status_code == 200, url


def test_dibao_cells_link_only_for_those_who_may_open_the_worklist(street, community_a):
    """DB-3 / DB-4: the worklist is for the dibao supervisors (department head, street leader); for the street's
    finance the dibao numbers stand without a link (test_links: no link answers 403)."""
    from dataclasses import replace

    one = replace(monthly.FIGURES["dibao_visits"], fn=lambda cs, ms, today: {cs[0].pk: {ms[-1]: 3}})
    finance = f.staff(street, "街道财务", [Role.FINANCE])
    leader = f.staff(street, "分管领导", [Role.STREET_LEADER])
    today = dt.date(2026, 11, 20)

    def urls(staff):
        data = monthly.comparison(one, [community_a], SEP, today, user=staff.user)
        return [cell["url"] for row in data["rows"] for cell in row["cells"] if cell["url"]]

    assert urls(leader) == [reverse("dibao_worklist") + f"?quarter=2026-Q3&community={community_a.pk}"]
    assert urls(finance) == []
    assert login(finance).get(reverse("dibao_worklist")).status_code == 403
