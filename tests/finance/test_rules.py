"""Pure rule functions: FIN-2 tiers, FIN-3, FIN-5 cash days and invoice lines, FIN-6, FIN-8, FIN-9, FIN-10."""

import datetime as dt
from decimal import Decimal as D

import pytest

from committee.models import Role
from committee.money import capitals
from finance import rules

TIERS = {"tier_low": D("500.00"), "tier_high": D("1000.00")}


def roles(amount, fund="office", beyond=False, cash=False):
    return [s.role for s in rules.expense_routing(D(amount), fund_type=fund, beyond_budget=beyond,
                                                  cash_needs_leader=cash, **TIERS)]


@pytest.mark.parametrize("amount, expected", [
    ("0.01", [Role.PARTY_SECRETARY]),
    ("499.99", [Role.PARTY_SECRETARY]),
    ("500.00", [Role.PARTY_SECRETARY, Role.INSTRUCTOR]),
    ("999.99", [Role.PARTY_SECRETARY, Role.INSTRUCTOR]),
    ("1000.00", [Role.BUILDING_OFFICE_DIRECTOR]),  # FIN-2 revised 2026-12: 1000以上 includes 1000
    ("1000.01", [Role.BUILDING_OFFICE_DIRECTOR]),
])
def test_fin_2_routing_by_amount_tiers(amount, expected):
    assert roles(amount) == expected


def test_fin_2_welfare_funds_follow_the_same_tiers():
    assert roles("800.00", fund="welfare") == [Role.PARTY_SECRETARY, Role.INSTRUCTOR]


def test_fin_3_beyond_the_line_adds_street_leadership():
    assert roles("499.99", beyond=True) == [Role.PARTY_SECRETARY, Role.STREET_LEADER]
    assert roles("1000.01", beyond=True) == [Role.BUILDING_OFFICE_DIRECTOR, Role.STREET_LEADER]
    assert rules.beyond_line(D("1000.01"), D("1000.00"))
    assert not rules.beyond_line(D("1000.00"), D("1000.00"))


def test_fin_6_cash_from_800_adds_the_leader_in_charge():
    assert rules.cash_needs_leader("cash", D("800.00"), D("800.00"))
    assert not rules.cash_needs_leader("cash", D("799.99"), D("800.00"))
    assert not rules.cash_needs_leader("cheque", D("5000.00"), D("800.00"))
    assert roles("800.00", cash=True) == [Role.PARTY_SECRETARY, Role.INSTRUCTOR, Role.STREET_LEADER]


def test_fin_6_notice_from_1000_included_a_day_ahead():
    assert not rules.cash_needs_notice("cash", D("999.99"), D("1000.00"))
    assert rules.cash_needs_notice("cash", D("1000.00"), D("1000.00"))  # revised 2026-12: 1000 included
    assert rules.cash_needs_notice("cash", D("1000.01"), D("1000.00"))
    pay = dt.date(2026, 6, 23)
    assert rules.notice_in_time(dt.date(2026, 6, 22), pay)
    assert not rules.notice_in_time(pay, pay)
    assert not rules.notice_in_time(None, pay)


def test_fin_7_self_managed_funds_go_to_the_secretary():
    assert roles("5000.00", fund="self_managed") == [Role.PARTY_SECRETARY]


@pytest.mark.parametrize("value", ["0", "-1.00", "0.00", "1.001", "12.345", "abc", "NaN"])
def test_fin_11_bad_amounts_are_refused(value):
    assert rules.amount_error(value, "金额")


def test_fin_11_good_amounts_pass():
    assert rules.amount_error("0.01", "x") is None
    assert rules.amount_error(D("1409.50"), "x") is None


@pytest.mark.django_db
def test_fin_5_cash_days_move_to_the_next_working_day():
    # 2026-05-10 is a Sunday → Monday 11th; 2026-05-23 is a Saturday → Monday 25th.
    assert rules.cash_days_of_month(2026, 5, (10, 23)) == [dt.date(2026, 5, 11), dt.date(2026, 5, 25)]
    assert rules.is_cash_day(dt.date(2026, 6, 10), (10, 23))
    assert not rules.is_cash_day(dt.date(2026, 6, 11), (10, 23))
    assert not rules.is_cash_day(dt.date(2026, 5, 10), (10, 23))
    assert rules.is_cash_day(dt.date(2026, 5, 11), (10, 23))
    assert rules.next_cash_day(dt.date(2026, 6, 11), (10, 23)) == dt.date(2026, 6, 23)
    # 2026-10-10 is a make-up working day (Saturday) after National Day.
    assert rules.is_cash_day(dt.date(2026, 10, 10), (10, 23))


def test_fin_5_invoice_lines_add_up():
    lines = [(D("10"), D("25.50"), D("255.00")), (D("2"), D("12.25"), D("24.50"))]
    assert rules.invoice_lines_add_up(lines, D("279.50"))
    assert not rules.invoice_lines_add_up(lines, D("279.51"))
    assert not rules.invoice_lines_add_up([(D("3"), D("1.00"), D("4.00"))], D("4.00"))
    assert not rules.invoice_lines_add_up([], D("1.00"))


def test_fin_8_purchase_matches_what_was_bought():
    bought = [("打印纸", D("10"), D("25.50")), ("墨盒", D("2"), D("120.00"))]
    assert rules.purchase_matches(bought, [("墨盒", D("2"), D("120.00")), ("打印纸", D("10"), D("25.50"))])
    assert not rules.purchase_matches(bought, [("墨盒", D("2"), D("130.00")), ("打印纸", D("10"), D("25.50"))])
    assert not rules.purchase_matches(bought, [("打印纸", D("10"), D("25.50"))])


def test_fin_9_last_half_year_period():
    assert rules.half_year_periods(dt.date(2026, 7, 15)) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    assert rules.half_year_periods(dt.date(2026, 3, 1)) == (dt.date(2025, 7, 1), dt.date(2025, 12, 31))


def test_fin_10_quarter_bounds():
    assert rules.quarter_bounds(2026, 1) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert rules.quarter_bounds(2026, 4) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))


@pytest.mark.parametrize("amount, text", [
    ("0.05", "人民币伍分"),
    ("10010.01", "人民币壹万零壹拾元零壹分"),
    ("1000000.00", "人民币壹佰万元整"),
    ("1409.50", "人民币壹仟肆佰零玖元伍角"),
])
def test_fin_7_capitals(amount, text):
    assert capitals(D(amount)) == text
