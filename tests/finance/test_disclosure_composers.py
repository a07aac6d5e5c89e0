"""The finance chapter's notices for the disclosure board: the quarter's statement (FIN-10, DIS-2, DIS-4) and
the self-managed funds of a quarter (FIN-7, DIS-5), through the registered composers."""

import datetime as dt
import json
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import translation

from disclosure import composers
from finance import services
from finance.models import Expense, FundType, Reversal
from tests.conftest import login
from tests.finance.conftest import expense, fund_decision

pytestmark = pytest.mark.django_db

# The disclosure app's compose page is built in parallel: a stand-in with its URL name, for the link test.
urlpatterns = [
    path("disclosure-compose-stand-in/", lambda request: HttpResponse("compose"), name="disclosure_compose"),
    path("", include("config.urls")),
]


@pytest.fixture
def after_q2(time_machine):
    """The first working day after the second quarter: Q2 2026 has ended."""
    time_machine.move_to(dt.datetime(2026, 7, 1, 10, 0), tick=False)


def paid(line, staff, amount, day, n=1, **kw):
    Expense.objects.bulk_create([
        Expense(community=line.community, line=line, purpose=kw.get("purpose", f"支出{i}"), amount=D(amount),
                payee=kw.get("payee", "文具店"), payee_is_person=kw.get("payee_is_person", False), method="transfer",
                state=Expense.State.PAID, requested_by=staff, requested_on=day, paid_on=day) for i in range(n)])
    return Expense.objects.filter(line=line, paid_on=day).order_by("-pk").first()


def reverse(e, staff, day):
    Expense.objects.filter(pk=e.pk).update(state=Expense.State.REVERSED)
    return Reversal.objects.create(community=e.community, expense=e, amount=e.amount, reason="错账", date=day,
                                   recorded_by=staff)


def receive(community, user, amount, day, source="cleaning", payer="王大妈", line=None):
    return services.record_receipt(community=community, source=source, payer=payer, purpose="保洁费",
                                   amount=amount, received_on=day, late_reason="补记", acting_user=user, line=line)


@pytest.fixture
def books(community_a, supervisor, staff_a, line_a, office_budget, self_line):
    """Demo-like books of 2026: two office lines, a welfare line, a self-managed line with income; payments
    in Q1 and Q2, a Q1 payment reversed in Q2, a receipt reversed."""
    water = services.add_line(budget=office_budget, name="水电费", amount="2000.00", acting_user=supervisor.user)
    welfare = services.create_budget(community=community_a, year=2026, fund_type=FundType.WELFARE,
                                     acting_user=supervisor.user)
    aid = services.add_line(budget=welfare, name="困难群众慰问", amount="1200.00", acting_user=supervisor.user)
    paid(line_a, staff_a, "100.00", dt.date(2026, 2, 3), n=3)
    q1 = paid(line_a, staff_a, "250.50", dt.date(2026, 3, 30))
    reverse(q1, staff_a, dt.date(2026, 4, 20))
    paid(line_a, staff_a, "45.20", dt.date(2026, 5, 6), n=2)
    paid(water, staff_a, "312.75", dt.date(2026, 4, 30))
    paid(aid, staff_a, "600.00", dt.date(2026, 6, 15), purpose="春节慰问", payee="张三", payee_is_person=True)
    paid(line_a, staff_a, "999.00", dt.date(2026, 7, 2))  # Q3: not in Q2
    receive(community_a, staff_a.user, "1409.50", dt.date(2026, 4, 2), line=self_line)
    wrong = receive(community_a, staff_a.user, "88.00", dt.date(2026, 5, 2), source="donation", payer="李四",
                    line=self_line)
    services.reverse_receipt(wrong, reason="重复开票", acting_user=staff_a.user)  # dated today: 2026-06-10
    receive(community_a, staff_a.user, "50.00", dt.date(2026, 5, 9), source="scrap", payer="废品站")
    return {"water": water, "aid": aid}


def assert_same(frozen, expected, path="figures"):
    """The frozen JSON value equals the service's value: money as a string with fen, dates in ISO form."""
    if isinstance(expected, dict):
        assert isinstance(frozen, dict) and set(frozen) == set(expected), path
        for k in expected:
            assert_same(frozen[k], expected[k], f"{path}.{k}")
    elif isinstance(expected, list):
        assert isinstance(frozen, list) and len(frozen) == len(expected), path
        for i, (a, b) in enumerate(zip(frozen, expected, strict=True)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(expected, D):
        assert isinstance(frozen, str) and D(frozen) == expected and frozen == f"{expected:.2f}", (path, frozen)
    elif isinstance(expected, dt.date):
        assert frozen == expected.isoformat(), path
    else:
        assert frozen == expected, path


def test_dis_4_the_finance_composers_are_registered():
    q = composers.get("finance.quarter")
    s = composers.get("finance.self_managed")
    assert (q.category, q.rule, s.category, s.rule) == (composers.FINANCE, "FIN-10", composers.FINANCE, "FIN-7")


def test_dis_4_subjects_are_the_quarters_that_have_ended_newest_first(community_a):
    with translation.override("zh-hans"):
        subjects = composers.get("finance.quarter").subjects(community_a, dt.date(2026, 6, 10))
        labels = [str(s.label) for s in subjects]
    keys = [s.key for s in subjects]
    assert keys == ["2026-Q1", "2025-Q4", "2025-Q3", "2025-Q2", "2025-Q1", "2024-Q4", "2024-Q3", "2024-Q2",
                    "2024-Q1"]
    assert labels[0] == "2026年第1季度"
    assert composers.get("finance.quarter").subjects(community_a, dt.date(2026, 7, 1))[0].key == "2026-Q2"
    assert composers.get("finance.self_managed").subjects(community_a, dt.date(2026, 6, 30))[0].key == "2026-Q1"


@pytest.mark.parametrize("key", ["2026-Q2", "2026-Q3", "2027-Q1", "2026-Q9", "2026-Q0", "abc", "", None, "1899-Q4",
                                 "2026-q1 ", "2026-Q1; DROP", "２０２６-Q1", "2026-Q1\x00"])
@pytest.mark.parametrize("composer", ["finance.quarter", "finance.self_managed"])
def test_dis_4_a_quarter_not_ended_or_a_bad_key_is_refused(community_a, staff_a, composer, key):
    with pytest.raises(ValidationError) as e:
        composers.get(composer).compose(community_a, key, staff_a.user)
    assert "subject" in e.value.message_dict
    assert "DIS-4" in e.value.message_dict["subject"][0]


def test_dis_4_the_refusal_names_the_quarter_in_plain_words(community_a, staff_a):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as e:
        composers.get("finance.quarter").compose(community_a, "2026-Q2", staff_a.user)
    assert "2026年第2季度尚未结束" in e.value.message_dict["subject"][0]


def test_fin_10_composed_figures_equal_the_quarter_figures(books, community_a, staff_a, after_q2):
    composed = composers.get("finance.quarter").compose(community_a, "2026-Q2", staff_a.user)
    with translation.override("zh-hans"):
        expected = services.quarter_figures(community_a, 2026, 2)
    # DIS-4: the frozen figures are the finance service's result, JSON-serialisable (Decimals as strings).
    frozen = json.loads(json.dumps(composed.figures))
    assert frozen["community"] == {"id": community_a.pk, "name": community_a.name}
    del frozen["community"]
    assert_same(frozen, {k: v for k, v in expected.items() if k != "community"})
    assert (composed.period_start, composed.period_end) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))
    # The figures of the example, for a reader: 45.20 × 2 + 312.75 paid, 250.50 reversed in Q2.
    office = next(f for f in expected["funds"] if f["fund_type"] == "office")
    assert office["spent"] == D("90.40") + D("312.75") - D("250.50")
    assert expected["totals"]["income"] == D("1409.50") + D("50.00") + D("88.00") - D("88.00")


def test_fin_10_one_table_per_fund_with_money_as_on_screen(books, community_a, staff_a, after_q2):
    composed = composers.get("finance.quarter").compose(community_a, "2026-Q2", staff_a.user)
    fig = services.quarter_figures(community_a, 2026, 2)
    captions = [t.caption for t in composed.tables]
    assert captions == ["办公经费", "公益金", "自管资金", "各类资金汇总"]
    office = composed.tables[0]
    assert office.columns[0] == "预算科目" and all("元" in c for c in office.columns[1:])
    assert office.numeric == [1, 2, 3, 4, 5]
    rows = {r[0]: r for r in office.rows}
    assert rows["办公用品"] == ["办公用品", "5,000.00", "0.00", "-160.10", "390.40", "4,609.60"]
    assert rows["水电费"][3] == "312.75"
    assert office.totals == ["小计", "7,000.00", "0.00", "152.65", "703.15", "6,296.85"]
    summary = composed.tables[-1]
    assert summary.totals[0] == "合计" and summary.totals[3] == f"{fig['totals']['spent']:,.2f}"
    assert composed.title == f"{community_a.committee_name}2026年第2季度财务收支情况公告"
    assert "2026年4月1日至2026年6月30日" in composed.paragraphs[0]
    assert composed.closing[-1] == "特此公告。" and "居民委员会" in composed.closing[0]


def test_fin_10_a_quarter_without_books_composes_a_plain_notice(community_a, staff_a):
    composed = composers.get("finance.quarter").compose(community_a, "2025-Q4", staff_a.user)
    assert composed.tables == [] and composed.figures["funds"] == []
    assert "没有" in composed.paragraphs[-1] or "无" in composed.paragraphs[-1]


def test_fin_10_the_notice_is_in_simplified_chinese_whatever_the_screen(books, community_a, staff_a, after_q2):
    with translation.override("en"):
        composed = composers.get("finance.quarter").compose(community_a, "2026-Q2", staff_a.user)
    assert composed.tables[0].caption == "办公经费" and composed.closing[-1] == "特此公告。"


def test_fin_10_compose_takes_a_fixed_number_of_queries(books, community_a, staff_a, supervisor, after_q2):
    compose = composers.get("finance.quarter").compose
    with CaptureQueriesContext(connection) as few:
        compose(community_a, "2026-Q2", staff_a.user)
    for i in range(4):
        line = services.add_line(budget=books["water"].budget, name=f"科目{i}", amount="100.00",
                                 acting_user=supervisor.user)
        paid(line, staff_a, "1.00", dt.date(2026, 5, 5), n=5)
    with CaptureQueriesContext(connection) as many:
        compose(community_a, "2026-Q2", staff_a.user)
    assert len(many) == len(few) == 3  # the three of quarter_figures


# --- FIN-7 -------------------------------------------------------------------------------------------


@pytest.fixture
def self_books(community_a, staff_a, self_line, time_machine):
    """Self-managed income in Q1 and Q2 and spending on joint-meeting decisions, one to an individual."""
    receive(community_a, staff_a.user, "500.00", dt.date(2026, 3, 2))  # Q1: before the quarter
    receive(community_a, staff_a.user, "1409.50", dt.date(2026, 4, 2))
    receive(community_a, staff_a.user, "300.00", dt.date(2026, 5, 2), source="sponsorship", payer="某物业公司")
    wrong = receive(community_a, staff_a.user, "88.00", dt.date(2026, 5, 3), source="donation", payer="李四")
    services.reverse_receipt(wrong, reason="重复开票", acting_user=staff_a.user)  # 2026-06-10
    fd = fund_decision(community_a, ceiling="1000.00", title="同意购置清扫工具")
    tools = expense(self_line, staff_a.user, amount="320.00", fund_decision=fd, purpose="购置清扫工具",
                    payee="五金商店")
    aid = expense(self_line, staff_a.user, amount="200.00", fund_decision=fd, purpose="保洁员补贴", payee="赵六",
                  payee_is_person=True)
    wrong_pay = expense(self_line, staff_a.user, amount="50.00", fund_decision=fd, purpose="垃圾袋", payee="超市")
    Expense.objects.filter(pk=tools.pk).update(state="paid", paid_on=dt.date(2026, 6, 3))
    Expense.objects.filter(pk=aid.pk).update(state="paid", paid_on=dt.date(2026, 6, 5))
    Expense.objects.filter(pk=wrong_pay.pk).update(state="paid", paid_on=dt.date(2026, 6, 8))
    wrong_pay.refresh_from_db()
    reverse(wrong_pay, staff_a, dt.date(2026, 6, 9))
    time_machine.move_to(dt.datetime(2026, 7, 1, 10, 0), tick=False)
    return {"decision": fd, "tools": tools}


def test_fin_7_self_managed_income_per_kind_spending_with_decisions_and_balances(self_books, community_a, staff_a):
    composed = composers.get("finance.self_managed").compose(community_a, "2026-Q2", staff_a.user)
    fig = composed.figures
    json.dumps(fig)  # frozen with the notice
    income = {i["source"]: i for i in fig["income"]}
    assert income["cleaning"] == {"source": "cleaning", "label": "环境保洁费", "count": 1, "received": "1409.50",
                                  "reversed": "0.00", "net": "1409.50"}
    assert income["donation"]["net"] == "0.00" and income["donation"]["reversed"] == "88.00"
    assert fig["income_total"] == "1709.50"
    assert [(p["kind"], p["amount"]) for p in fig["payments"]] == [
        ("paid", "320.00"), ("paid", "200.00"), ("paid", "50.00"), ("reversal", "-50.00")]
    assert fig["spent_total"] == "520.00"
    first = fig["payments"][0]
    fd = self_books["decision"]
    assert (first["decision"], first["meeting_date"], first["ceiling"]) == (
        "同意购置清扫工具", fd.decision.meeting.date.isoformat(), "1000.00")
    # The cash book (the finance service) agrees with the notice.
    book = services.cash_book(community_a, 2026)
    assert D(fig["opening"]) == D("500.00")
    assert D(fig["closing"]) == book["balance"] == D("500.00") + D("1709.50") - D("520.00")
    assert D(fig["opening"]) + D(fig["income_total"]) - D(fig["spent_total"]) == D(fig["closing"])
    income_table, spending = composed.tables
    assert income_table.totals == ["合计", "3", "1,797.50", "88.00", "1,709.50"]
    assert spending.rows[0][1:] == ["购置清扫工具", "五金商店", "2026年6月1日", "同意购置清扫工具", "1,000.00", "320.00"]
    assert spending.rows[-1][1].startswith("冲销") and spending.rows[-1][-1] == "-50.00"
    assert spending.totals[-1] == "520.00"
    assert "期初余额500.00元" in composed.paragraphs[1] and "期末余额1,689.50元" in composed.paragraphs[1]
    assert composed.closing[-1] == "特此公告。"


def test_dis_5_no_payer_and_no_individual_payee_is_named(self_books, community_a, staff_a):
    composed = composers.get("finance.self_managed").compose(community_a, "2026-Q2", staff_a.user)
    text = json.dumps([composed.title, composed.paragraphs, composed.closing, composed.figures,
                       [(t.caption, t.columns, t.rows, t.totals) for t in composed.tables]], ensure_ascii=False)
    for name in ("王大妈", "李四", "某物业公司", "赵六"):
        assert name not in text
    aid = composed.tables[1].rows[1]
    assert aid[1] == "保洁员补贴" and aid[2] == "个人"
    assert "五金商店" in text  # a unit paid is named


def test_fin_7_a_quiet_quarter_says_so(community_a, staff_a):
    composed = composers.get("finance.self_managed").compose(community_a, "2025-Q3", staff_a.user)
    assert composed.tables == []
    assert composed.figures["opening"] == composed.figures["closing"] == "0.00"
    assert any("没有" in p for p in composed.paragraphs)


def test_fin_7_compose_takes_a_fixed_number_of_queries(self_books, community_a, staff_a, self_line):
    compose = composers.get("finance.self_managed").compose
    with CaptureQueriesContext(connection) as few:
        compose(community_a, "2026-Q2", staff_a.user)
    fd = fund_decision(community_a, ceiling="900.00", title="同意购置灯泡")
    for i in range(6):
        paid(self_line, staff_a, "1.00", dt.date(2026, 5, 20 + i), purpose=f"灯泡{i}")
    Expense.objects.filter(line=self_line, purpose__startswith="灯泡").update(fund_decision=fd)
    for i in range(4):
        receive(community_a, staff_a.user, "10.00", dt.date(2026, 6, 1 + i), source="scrap")
    with CaptureQueriesContext(connection) as many:
        compose(community_a, "2026-Q2", staff_a.user)
    assert len(many) == len(few) <= 11


def test_fin_7_another_communitys_books_stay_out(self_books, community_a, community_b, staff_b, staff_a):
    receive(community_b, staff_b.user, "777.00", dt.date(2026, 4, 9))
    composed = composers.get("finance.self_managed").compose(community_a, "2026-Q2", staff_a.user)
    assert composed.figures["income_total"] == "1709.50"
    other = composers.get("finance.self_managed").compose(community_b, "2026-Q2", staff_b.user)
    assert other.figures["income_total"] == "777.00" and other.figures["payments"] == []


@pytest.mark.urls(__name__)
def test_dis_4_the_report_page_offers_the_board_notices_of_an_ended_quarter(line_a, staff_a, supervisor):
    page = login(staff_a).get("/finance/report/?year=2026&quarter=1").content.decode()
    assert "?composer=finance.quarter&amp;subject=2026-Q1" in page
    assert "?composer=finance.self_managed&amp;subject=2026-Q1" in page
    assert "composer=" not in login(staff_a).get("/finance/report/?year=2026&quarter=2").content.decode()  # running
    assert "composer=" not in login(supervisor).get("/finance/report/?year=2026&quarter=1").content.decode()
