"""DB-3, DB-4, DB-6 and the bad-input list of the issue: a clear message and nothing saved."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from committee.models import Person
from dibao import services
from dibao.models import Case, CaseMember, Review, Transition, Visit
from tests import factories as f
from tests.dibao import helpers as h

D = Decimal


def test_db_6_case_computes_amount(case_a):
    a = services.assessment(case_a)
    assert a.per_capita == D("400.00") and a.amount == D("2100.00") and a.eligible


def test_db_6_member_with_bad_id_number_refused(community_a, officer_a, case_a):
    hh = case_a.household
    bad = Person(community=community_a, household=hh, name="错号", id_number="110102198005171230",
                 birth_date=dt.date(1980, 5, 17), name_initials=" ch")
    Person.objects.bulk_create([bad])  # a register row imported before the check existed (wrong check digit)
    bad = Person.objects.get(name="错号")
    with pytest.raises(ValidationError) as e:
        services.add_member(case_a, person=bad, relation="child", acting_user=officer_a.user)
    assert "person" in e.value.message_dict
    assert not CaseMember.objects.filter(person=bad).exists()


def test_db_6_same_person_in_two_active_cases_refused(community_a, officer_a, case_a):
    person = case_a.members.first().person
    hh2, _p = h.household(community_a, names=("赵一",))
    c2 = services.open_case(household=hh2, acting_user=officer_a.user)
    with pytest.raises(ValidationError) as e:
        services.add_member(c2, person=person, relation="other", acting_user=officer_a.user)
    assert "DB-6" in str(e.value)
    assert c2.members.count() == 0


def test_db_6_negative_income_refused(community_a, officer_a, case_a):
    m = case_a.members.first()
    with pytest.raises(ValidationError) as e:
        services.set_income(m, wage="-1", pension="0", other="0", acting_user=officer_a.user)
    assert "wage" in e.value.message_dict
    m.refresh_from_db()
    assert m.wage == D("800.00")


def test_db_6_no_amount_field_exists():
    # An amount typed by hand: there is no such field; the amount is computed (DB-6, DIS-4).
    assert "amount" not in {f.name for f in Case._meta.get_fields()}
    from dibao import forms

    for form in (forms.CaseForm, forms.MemberForm, forms.IncomeForm, forms.ReviewForm, forms.VisitForm):
        assert "amount" not in form.base_fields


def test_db_6_household_has_one_open_case(community_a, officer_a, case_a):
    with pytest.raises(ValidationError):
        services.open_case(household=case_a.household, acting_user=officer_a.user)


def test_committee_member_without_dibao_role_cannot_open(community_a, staff_a):
    hh, _p = h.household(community_a, names=("钱二",))
    with pytest.raises(ValidationError):
        services.open_case(household=hh, acting_user=staff_a.user)
    assert not Case.objects.filter(household=hh).exists()


def test_db_3_review_approves_and_history_shows_it(community_a, officer_a, panel_a, case_a):
    m = h.meeting(panel_a, officer_a.user)
    r = h.review(case_a, m, officer_a.user)
    case_a.refresh_from_db()
    assert case_a.status == Case.Status.APPROVED and r.amount == D("2100.00")
    assert list(case_a.transitions.values_list("to_status", flat=True)) == ["applied", "approved"]
    assert Transition.objects.get(review=r).reason == r.reasons


def test_db_3_review_without_quorum_refused(community_a, officer_a, panel_a, case_a):
    m = h.meeting(panel_a, officer_a.user, present=2)
    with pytest.raises(ValidationError) as e:
        h.review(case_a, m, officer_a.user, votes=2)
    assert "MTG-6" in str(e.value)
    assert not Review.objects.exists()


def test_db_1_non_compliant_panel_cannot_review(community_a, officer_a, case_a):
    body = h.panel(community_a, officer_a.user, categories=["director", "civil_affairs", "officer", "other_cadre",
                                                             "resident", "resident", "resident", "resident"])
    m = h.meeting(body, officer_a.user)
    with pytest.raises(ValidationError) as e:
        h.review(case_a, m, officer_a.user)
    assert "DB-1" in str(e.value)
    assert not Review.objects.exists()


def test_db_3_decision_without_reasons_refused(community_a, officer_a, panel_a, case_a):
    m = h.meeting(panel_a, officer_a.user)
    with pytest.raises(ValidationError) as e:
        services.record_review(case_a, meeting=m, decision="approve", reasons="  ", votes_for=6,
                               acting_user=officer_a.user)
    assert "reasons" in e.value.message_dict
    assert not Review.objects.exists()


def test_db_3_one_review_per_quarter_and_not_eligible_not_approved(community_a, officer_a, panel_a, case_a):
    m = h.meeting(panel_a, officer_a.user)
    h.review(case_a, m, officer_a.user)
    with pytest.raises(ValidationError):
        h.review(case_a, m, officer_a.user, decision="suspend")
    rich = h.case(community_a, officer_a.user, names=("孙富",), incomes=(("9000", "0", "0"),))
    with pytest.raises(ValidationError) as e:
        h.review(rich, m, officer_a.user)
    assert "decision" in e.value.message_dict


def test_db_3_votes_checked(community_a, officer_a, panel_a, case_a):
    m = h.meeting(panel_a, officer_a.user)
    with pytest.raises(ValidationError):
        h.review(case_a, m, officer_a.user, votes=9)
    with pytest.raises(ValidationError):
        h.review(case_a, m, officer_a.user, votes=3)  # not more than half of 6


def test_db_3_worklist_shows_unreviewed(community_a, officer_a, panel_a, case_a):
    other = h.case(community_a, officer_a.user, names=("周一",))
    m = h.meeting(panel_a, officer_a.user)
    h.review(case_a, m, officer_a.user)
    q = services.rules.quarter_of(timezone.localdate())
    rows = {r["case"].pk: r for r in services.worklist([community_a.pk], q)}
    assert rows[case_a.pk]["review"] is not None and rows[other.pk]["review"] is None


def test_db_4_visit_income_change_flags_case(community_a, officer_a, case_a):
    head = case_a.members.get(relation="head")
    v = services.record_visit(case_a, visitors="专干、网格员", incomes={head.pk: ("1200", "0", "0")},
                              acting_user=officer_a.user)
    case_a.refresh_from_db()
    assert v.income_changed and case_a.flagged and v.visited_on == timezone.localdate()
    assert services.assessment(case_a).per_capita == D("600.00")


def test_ctl_6_visit_dates(community_a, officer_a, case_a):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as e:
        services.record_visit(case_a, visitors="x", visited_on=today - dt.timedelta(days=3), acting_user=officer_a.user)
    assert "date_reason" in e.value.message_dict
    with pytest.raises(ValidationError):
        services.record_visit(case_a, visitors="x", visited_on=today + dt.timedelta(days=1), acting_user=officer_a.user)
    with pytest.raises(ValidationError):
        services.record_visit(case_a, visitors="x", visited_on=dt.date(1901, 1, 1), date_reason="补录",
                              acting_user=officer_a.user)
    assert not Visit.objects.exists()
    services.record_visit(case_a, visitors="x", visited_on=today - dt.timedelta(days=3), date_reason="补录",
                          acting_user=officer_a.user)


def test_ctl_8_control_characters_refused(community_a, officer_a, case_a):
    with pytest.raises(ValidationError):
        services.record_visit(case_a, visitors="专干\x00", acting_user=officer_a.user)


def test_officer_moves_need_reason(community_a, officer_a, case_a):
    with pytest.raises(ValidationError):
        services.change_status(case_a, to="under_review", reason="", acting_user=officer_a.user)
    with pytest.raises(ValidationError):
        services.change_status(case_a, to="approved", reason="x", acting_user=officer_a.user)
    services.change_status(case_a, to="under_review", reason="材料齐全", acting_user=officer_a.user)
    case_a.refresh_from_db()
    assert case_a.status == "under_review"


def test_another_communitys_person_refused(community_a, community_b, officer_a, case_a):
    p = f.person(community_b, "外社区")
    with pytest.raises(ValidationError):
        services.add_member(case_a, person=p, relation="other", acting_user=officer_a.user)


def test_leaver_cannot_act(community_a, case_a):
    gone = f.staff(community_a, "离职专干", ["dibao_officer"], start=dt.date(2020, 1, 1), end=dt.date(2021, 1, 1))
    with pytest.raises(ValidationError):
        services.change_status(case_a, to="ended", reason="x", acting_user=gone.user)
