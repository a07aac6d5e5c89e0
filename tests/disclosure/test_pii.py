"""DIS-5: the personal-number scan, kind by kind, and the numbers it must leave alone."""

from __future__ import annotations

import pytest

from disclosure import pii


@pytest.mark.parametrize("text, kind", [
    ("身份证号110105194912310021", pii.ID),
    ("身份证号11010519491231002X", pii.ID),
    ("校验位错误110105194912310022", pii.ID),
    ("老身份证110105491231002", pii.ID),
    ("全角１１０１０５１９４９１２３１００２１", pii.ID),
    ("电话13800138000", pii.MOBILE),
    ("电话138 0013 8000", pii.MOBILE),
    ("电话138-0013-8000", pii.MOBILE),
    ("电话+86 13800138000", pii.MOBILE),
    ("电话１３８００１３８０００", pii.MOBILE),
    ("电话010-65123456", pii.LANDLINE),
    ("电话（010）6512-3456", pii.LANDLINE),
    ("卡号6222021234567890128", pii.BANK_CARD),
    ("卡号4111 1111 1111 1111", pii.BANK_CARD),
    ("住5号楼502室", pii.DOOR),
    ("住502号房", pii.DOOR),
    ("住5号楼2单元502", pii.DOOR),
    ("住5号楼502", pii.DOOR),
    ("住3-502", pii.DOOR),
    ("住5-2-502", pii.DOOR),
])
def test_dis_5_each_kind_is_found_and_masked(text, kind):
    found = pii.find(text)
    assert [k for k, _ in found] == [kind]
    excerpt = found[0][1]
    assert "*" in excerpt and "0013" not in excerpt and "19491231" not in excerpt


@pytest.mark.parametrize("text", [
    "本季度支出合计1,234.50元", "余额12345.00元", "共计1,234,567,890,123.00元", "2026-10-01", "2026年10月1日",
    "〔2026〕第0001号", "用印-2026-0012", "身份证号110105********002X", "住5号楼", "住5号楼2单元", "住5栋2单元",
    "参加人数120人", "时间9:00—17:00", "1234567890123",  # 13 digits failing Luhn: an amount, not a card
])
def test_dis_5_money_dates_and_notice_numbers_pass(text):
    assert pii.find(text) == []


def test_dis_5_scan_says_where(settings):
    from django.utils import translation
    with translation.override("zh-hans"):
        found = pii.scan("公示", ["无", "电话13800138000"],
                         [{"columns": ["姓名", "住址"], "rows": [["张*", "5号楼"], ["李*", "5号楼502室"]]}])
    assert [(f.kind, f.where) for f in found] == [(pii.MOBILE, "第2段"), (pii.DOOR, "表1第2行第2列")]


def test_luhn():
    assert pii.luhn("4111111111111111") and not pii.luhn("4111111111111112")
