"""DB-6, ORG: resident ID numbers are checked for length, characters, check digit and a real, non-future
birth date; the region code is never a reason to refuse (numbers carry the code in force at issue)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override
from stdnum.cn import ric

from committee import idcard
from committee.models import Person
from tests import factories as f
from tests.conftest import login

# 110112 is 通州区, a code created in 1997; an elderly resident born in 1940 holds a number with it.
TONGZHOU_1940 = f.id_number(birth=dt.date(1940, 3, 15), region="110112", seq="021")
UNKNOWN_REGION = f.id_number(birth=dt.date(1975, 6, 1), region="119999", seq="033")


def test_db_6_a_region_code_newer_than_the_birth_date_is_accepted():
    assert not ric.is_valid(TONGZHOU_1940)  # python-stdnum alone would refuse it
    idcard.validate_id_number(TONGZHOU_1940)
    assert idcard.check(TONGZHOU_1940) == []
    assert idcard.birth_date(TONGZHOU_1940) == dt.date(1940, 3, 15)


def test_db_6_an_unknown_region_code_is_a_warning_not_a_refusal():
    idcard.validate_id_number(UNKNOWN_REGION)
    with override("en"):
        [warning] = idcard.check(UNKNOWN_REGION)
    assert "119999" in warning and "warning" in warning


@pytest.mark.parametrize(("number", "code", "words"), [
    ("1101121940031502", "id_length", "18 characters"),
    ("11011219400315A21X", "id_format", "17 digits"),
    (TONGZHOU_1940[:-1] + ("0" if TONGZHOU_1940[-1] != "0" else "1"), "id_checksum", "check digit"),
    ("11011219401315021" + ric.calc_check_digit("11011219401315021" + "0"), "id_birth_date", "not a real date"),
    ("11011218890315021" + ric.calc_check_digit("11011218890315021" + "0"), "id_birth_date", "before 1900"),
])
def test_db_6_the_message_names_what_is_wrong(number, code, words):
    with override("en"):
        with pytest.raises(ValidationError) as error:
            idcard.validate_id_number(number)
        assert error.value.code == code
        assert words in error.value.messages[0]


@pytest.mark.django_db
def test_db_6_an_elderly_resident_of_a_newer_district_is_registered_through_the_page(director_a, community_a):
    response = login(director_a).post("/residents/new/", {"name": "老居民", "id_number": TONGZHOU_1940})
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(id_number=TONGZHOU_1940)
    assert person.birth_date == dt.date(1940, 3, 15) and person.id_number_warning == ""
    other = f.person(community_a, "新码居民", id_number=UNKNOWN_REGION)
    assert other.id_number_warning
