"""DB-1 composition, DB-6 assessment and the dated standard, quarters, DB-4 visit state."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from dibao import rules, services
from tests import factories as f
from tests.dibao import helpers as h

D = Decimal


def errors(cats):
    return rules.panel_errors(cats, max_cadres=3, min_resident_pct=D(50))


def test_db_1_six_members_three_cadres_three_residents_pass():
    assert errors(["director", "civil_affairs", "officer", "resident", "resident", "resident"]) == []


def test_db_1_four_cadres_fail():
    e = errors(["director", "civil_affairs", "officer", "other_cadre", "resident", "resident", "resident", "resident"])
    assert len(e) == 1 and "4" in e[0]


def test_db_1_three_residents_of_seven_fail():
    e = errors(["director", "officer", "local_unit", "property", "resident", "resident", "resident"])
    assert len(e) == 1 and "3" in e[0] and "7" in e[0]


def test_db_1_member_without_category_and_empty_panel_fail():
    assert errors([]) and errors(["resident", None])


def test_db_6_assessment_formula():
    a = rules.assess([(D("800"), True), (D("0"), True), (D("300"), False)], D("1450"))
    assert a.per_capita == D("366.67") and a.eligible and a.covered == 2
    assert a.amount == ((D("1450") - D("366.67")) * 2).quantize(D("0.01"))
    b = rules.assess([(D("3000"), True)], D("1450"))
    assert not b.eligible and b.amount == 0 and "1450" in b.reasons[0]


def test_quarters():
    assert rules.quarter_of(dt.date(2026, 3, 31)) == "2026-Q1"
    assert rules.quarter_bounds("2026-Q4") == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert rules.previous_quarter("2026-Q1") == "2025-Q4"
    for bad in ("2026-Q5", "x", "", "99999-Q1", "2026-q1"):
        with pytest.raises(ValueError):
            rules.quarter_bounds(bad)


def test_db_4_visit_state_due_then_overdue():
    day = dt.date(2026, 5, 10)
    assert rules.visit_state(dt.date(2026, 4, 2), dt.date(2025, 1, 1), day) is None
    assert rules.visit_state(dt.date(2026, 2, 2), dt.date(2025, 1, 1), day) == "due"
    assert rules.visit_state(dt.date(2025, 12, 2), dt.date(2025, 1, 1), day) == "overdue"
    assert rules.visit_state(None, dt.date(2026, 4, 20), day) == "due"


def test_db_6_standard_changed_mid_quarter(db, street, community_a, supervisor):
    services.set_standard(street_office=street, amount="1450", effective_from=dt.date(2026, 1, 1),
                          reason="年度标准", acting_user=supervisor.user)
    services.set_standard(street_office=street, amount="1500", effective_from=dt.date(2026, 2, 15),
                          reason="提标", acting_user=supervisor.user)
    assert services.standard_on(community_a, dt.date(2026, 2, 1)) == D("1450")
    assert services.standard_on(community_a, dt.date(2026, 3, 10)) == D("1500")
    assert services.standard_on(community_a, dt.date(2025, 6, 1)) == D("1450.00")  # the policy value
    services.set_standard(street_office=street, community=community_a, amount="1550",
                          effective_from=dt.date(2026, 3, 1), reason="本社区", acting_user=supervisor.user)
    assert services.standard_on(community_a, dt.date(2026, 3, 10)) == D("1550")


def test_ctl_4_community_staff_cannot_set_standard(db, street, community_a, officer_a, director_a):
    for who in (officer_a, director_a):
        with pytest.raises(ValidationError):
            services.set_standard(street_office=street, amount="9999", effective_from=dt.date(2026, 1, 1),
                                  reason="x", acting_user=who.user)


def test_db_3_review_in_march_uses_standard_in_force_then(db, street, community_a, officer_a, supervisor,
                                                          director_a):
    services.set_standard(street_office=street, amount="1000", effective_from=dt.date(2026, 1, 1),
                          reason="a", acting_user=supervisor.user)
    services.set_standard(street_office=street, amount="1600", effective_from=dt.date(2026, 3, 1),
                          reason="b", acting_user=supervisor.user)
    body = h.panel(community_a, officer_a.user)
    c = h.case(community_a, officer_a.user)  # per capita 400
    m = h.meeting(body, officer_a.user, day=dt.date(2026, 3, 20))
    r = h.review(c, m, officer_a.user)
    assert r.standard == D("1600") and r.amount == D("2400.00") and r.quarter == "2026-Q1"


def test_person_helper_valid_id(db, community_a):
    p = f.person(community_a, "王五")
    assert len(p.id_number) == 18
