"""National ID check digit (GB 11643), masking (DIS-5), Chinese capitals for money (FIN-7, FIN-11), pinyin."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from committee import idcard, money, pinyin
from tests import factories as f


def test_valid_id_with_x_check_digit_is_accepted():
    idcard.validate_id_number("11010519491231002X")
    idcard.validate_id_number("11010519491231002x")  # lower-case x is normalised
    assert idcard.birth_date("11010519491231002X") == dt.date(1949, 12, 31)


def test_wrong_check_digit_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError, match="校验位") as error:
        idcard.validate_id_number("110105194912310021")
    assert error.value.code == "id_checksum"


def test_impossible_birth_date_is_refused():
    body = "11010519490231002"  # 31 February
    from stdnum.cn import ric

    with pytest.raises(ValidationError, match="出生日期.*不存在"):
        idcard.validate_id_number(body + ric.calc_check_digit(body + "0"))


def test_future_birth_date_is_refused():
    number = f.id_number(birth=dt.date(2027, 1, 5))
    with time_machine.travel(dt.date(2026, 11, 28)):
        with pytest.raises(ValidationError, match="晚于今天"):
            idcard.validate_id_number(number)


def test_wrong_length_is_refused():
    with pytest.raises(ValidationError, match="18位"):
        idcard.validate_id_number("1101051949123100")


def test_dis_5_mask_keeps_region_and_last_four():
    assert idcard.mask("11010519491231002X") == "110105********002X"


def test_gender_from_the_seventeenth_digit():
    assert idcard.gender("11010519491231002X") == "F"  # 2 is even
    assert idcard.gender(f.id_number(seq="131")) == "M"


@pytest.mark.parametrize(
    "amount, words",
    [
        ("1409.50", "人民币壹仟肆佰零玖元伍角"),
        ("100000", "人民币壹拾万元整"),
        ("0.05", "人民币伍分"),
        ("10010.01", "人民币壹万零壹拾元零壹分"),
        ("1000000.00", "人民币壹佰万元整"),
        (Decimal("0"), "人民币零元整"),
        ("1409.505", "人民币壹仟肆佰零玖元伍角壹分"),  # rounded half-up to the fen
    ],
)
def test_fin_7_amount_in_chinese_capitals(amount, words):
    assert money.capitals(amount) == words


def test_fin_7_negative_amount_has_no_capitals():
    with pytest.raises(ValidationError):
        money.capitals("-1.00")


def test_fin_11_money_is_never_a_float():
    with pytest.raises(TypeError):
        money.to_yuan(0.1)
    assert money.to_yuan("2.675") == Decimal("2.68")  # half-up, exact


def test_pinyin_initials_list_every_reading_of_a_heteronym_surname():
    spellings = pinyin.initials("单小明")
    assert {"dxm", "sxm", "cxm"} <= set(spellings)
    assert pinyin.initials_index("王芳").startswith(" wf")
