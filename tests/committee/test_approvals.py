"""The one approval mechanism (ORG-3): routing steps, self-approval, role on the date, one decision."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError

from committee import approvals
from committee.models import Approval, Person, Role
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db

# The register models stand in for an app's record in these tests: any model with a pk works.
approvals.register(Person)


@pytest.fixture
def record(community_a):
    return f.person(community_a, "申请事项")


def ask(record, community, requester, *roles, summary="测试"):
    return approvals.request_approval(
        record, community=community, steps=[approvals.Step(r) for r in roles], summary=summary, rule="ORG-3",
        acting_user=requester.user,
    )


def test_org_3_approval_records_person_role_time_and_decision(record, community_a, staff_a, director_a):
    [step] = ask(record, community_a, staff_a, Role.DIRECTOR)
    approvals.decide(step.pk, acting_user=director_a.user, approve=True, comment="同意")
    step.refresh_from_db()
    assert step.status == Approval.Status.APPROVED
    assert step.acted_by == director_a and step.acted_role == Role.DIRECTOR
    assert step.decided_at is not None and step.comment == "同意"
    assert approvals.outcome(record) == "approved"
    assert step.history.first().history_user == director_a.user


def test_org_3_nobody_approves_their_own_request(record, community_a, director_a):
    [step] = ask(record, community_a, director_a, Role.DIRECTOR)
    with pytest.raises(ValidationError, match="ORG-3"):
        approvals.decide(step.pk, acting_user=director_a.user, approve=True)
    step.refresh_from_db()
    assert step.status == Approval.Status.PENDING


def test_org_3_the_subject_of_a_request_cannot_approve_it(record, community_a, staff_a, director_a):
    # The attendance keeper (staff_a) files a request about the director: the director may not approve.
    approvals.request_approval(record, community=community_a, steps=[approvals.Step(Role.DIRECTOR)],
                               summary="代请假", rule="ATT-3", acting_user=staff_a.user, subject=director_a)
    step = approvals.steps_for(record).get()
    with pytest.raises(ValidationError, match="ORG-3"):
        approvals.decide(step.pk, acting_user=director_a.user, approve=True)


def test_org_3_person_without_the_role_is_refused(record, community_a, staff_a, secretary_a):
    [step] = ask(record, community_a, staff_a, Role.DIRECTOR)
    with pytest.raises(ValidationError, match="未担任"):
        approvals.decide(step.pk, acting_user=secretary_a.user, approve=True)


def test_org_3_role_must_be_held_on_the_day_of_the_decision(record, community_a, staff_a):
    former = f.staff(community_a, "前主任", [Role.DIRECTOR], start=dt.date(2020, 1, 1), end=dt.date(2025, 12, 31))
    [step] = ask(record, community_a, staff_a, Role.DIRECTOR)
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)):
        with pytest.raises(ValidationError, match="未担任"):
            approvals.decide(step.pk, acting_user=former.user, approve=True)
    with time_machine.travel(dt.datetime(2025, 6, 2, 10, tzinfo=dt.UTC)):
        approvals.decide(step.pk, acting_user=former.user, approve=True)


def test_org_3_director_of_another_community_cannot_approve(record, community_a, staff_a, director_b):
    [step] = ask(record, community_a, staff_a, Role.DIRECTOR)
    with pytest.raises(ValidationError):
        approvals.decide(step.pk, acting_user=director_b.user, approve=True)


def test_org_3_a_decided_step_cannot_be_decided_again(record, community_a, staff_a, director_a):
    [step] = ask(record, community_a, staff_a, Role.DIRECTOR)
    approvals.decide(step.pk, acting_user=director_a.user, approve=True)
    with pytest.raises(ValidationError, match="不能重复审批"):
        approvals.decide(step.pk, acting_user=director_a.user, approve=False, comment="改主意")


def test_steps_are_decided_in_order_and_a_refusal_cancels_the_rest(
    record, community_a, staff_a, secretary_a, instructor_a
):
    first, second = ask(record, community_a, staff_a, Role.PARTY_SECRETARY, Role.INSTRUCTOR)
    with pytest.raises(ValidationError, match="前一审批环节"):
        approvals.decide(second.pk, acting_user=instructor_a.user, approve=True)
    with pytest.raises(ValidationError, match="理由"):
        approvals.decide(first.pk, acting_user=secretary_a.user, approve=False)
    approvals.decide(first.pk, acting_user=secretary_a.user, approve=False, comment="材料不全")
    second.refresh_from_db()
    assert second.status == Approval.Status.CANCELLED
    assert approvals.outcome(record) == "rejected"


def test_street_role_covers_every_community_of_its_street(record, community_a, staff_a, supervisor):
    [step] = ask(record, community_a, staff_a, Role.DEPARTMENT_HEAD)
    approvals.decide(step.pk, acting_user=supervisor.user, approve=True)
    assert approvals.outcome(record) == "approved"


def test_instructor_of_another_community_cannot_approve(record, street, community_a, community_b, staff_a):
    other = f.staff(street, "乙指导员", [Role.INSTRUCTOR], role_community=community_b)
    [step] = ask(record, community_a, staff_a, Role.INSTRUCTOR)
    with pytest.raises(ValidationError):
        approvals.decide(step.pk, acting_user=other.user, approve=True)


def test_on_decided_hook_runs_when_the_last_step_is_approved(community_a, staff_a, secretary_a, instructor_a):
    seen = []
    approvals.register(Person, on_decided=lambda rec, outcome, user: seen.append((rec.pk, outcome)))
    try:
        rec = f.person(community_a, "钩子")
        first, second = ask(rec, community_a, staff_a, Role.PARTY_SECRETARY, Role.INSTRUCTOR)
        approvals.decide(first.pk, acting_user=secretary_a.user, approve=True)
        assert seen == []
        approvals.decide(second.pk, acting_user=instructor_a.user, approve=True)
        assert seen == [(rec.pk, "approved")]
    finally:
        approvals.register(Person)


def test_holders_answers_who_held_a_role_on_a_date_in_one_query(community_a, django_assert_num_queries):
    old = f.staff(community_a, "老主任", [Role.DIRECTOR], start=dt.date(2020, 1, 1), end=dt.date(2023, 12, 31))
    new = f.staff(community_a, "新主任", [Role.DIRECTOR], start=dt.date(2024, 1, 1))
    with django_assert_num_queries(1):
        assert list(approvals.holders(Role.DIRECTOR, community_a, dt.date(2023, 6, 1))) == [old]
    assert list(approvals.holders(Role.DIRECTOR, community_a, dt.date(2024, 1, 1))) == [new]


def test_inbox_lists_only_the_current_step_for_the_role_holder(
    record, community_a, staff_a, secretary_a, instructor_a, director_a
):
    ask(record, community_a, staff_a, Role.PARTY_SECRETARY, Role.INSTRUCTOR)
    assert [a.role_required for a in approvals.waiting_for(secretary_a.user)] == [Role.PARTY_SECRETARY]
    assert list(approvals.waiting_for(instructor_a.user)) == []  # not yet: the secretary decides first
    assert list(approvals.waiting_for(director_a.user)) == []
    assert list(approvals.waiting_for(staff_a.user)) == []  # never one's own request
    page = login(secretary_a).get("/inbox/")
    assert "测试" in page.content.decode()


def test_inbox_decision_through_the_page(record, community_a, staff_a, director_a):
    [step] = ask(record, community_a, staff_a, Role.DIRECTOR)
    response = login(director_a).post(f"/approvals/{step.pk}/decide/", {"decision": "approve", "comment": "好"})
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.status == Approval.Status.APPROVED


def test_self_approval_through_the_page_shows_the_rule_and_saves_nothing(record, community_a, director_a):
    [step] = ask(record, community_a, director_a, Role.DIRECTOR)
    response = login(director_a).post(f"/approvals/{step.pk}/decide/", {"decision": "approve"}, follow=True)
    assert "ORG-3" in response.content.decode()
    step.refresh_from_db()
    assert step.status == Approval.Status.PENDING


def test_inbox_query_count_does_not_grow_with_waiting_items(
    community_a, staff_a, director_a, django_assert_max_num_queries
):
    def fill(n):
        for i in range(n):
            ask(f.person(community_a, f"事项{i}"), community_a, staff_a, Role.DIRECTOR, summary=f"事项{i}")

    client = login(director_a)
    fill(3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/inbox/")
    fill(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/inbox/")
    assert response.content.decode().count("事项") >= 15


def test_ctl_2_org_3_eligible_deciders_are_exactly_who_decide_accepts_and_whose_inbox_shows_the_step(
    record, community_a, staff_a, director_a, secretary_a, instructor_a
):
    """One statement of who may decide (approvals.barred): the record page's "who can decide", the inbox and
    decide() agree for the requester, a preparer, a holder and someone without the role."""
    deputy = f.staff(community_a, "副主任", [Role.DIRECTOR])
    preparer = f.staff(community_a, "经办主任", [Role.DIRECTOR])
    [step] = approvals.request_approval(record, community=community_a, steps=[approvals.Step(Role.DIRECTOR)],
                                        summary="测试", rule="ORG-3", acting_user=staff_a.user, preparers=[preparer])
    eligible = approvals.eligible_deciders(step)
    assert set(eligible) == {director_a, deputy}
    for person in (staff_a, preparer, secretary_a, director_a, deputy):
        assert (step in approvals.waiting_for(person.user)) == (person in eligible), person.name
    for person in (staff_a, preparer, secretary_a):
        with pytest.raises(ValidationError):
            approvals.decide(step.pk, acting_user=person.user, approve=True)
    approvals.decide(step.pk, acting_user=deputy.user, approve=True)


def test_ctl_2_whoever_decided_one_step_is_not_eligible_for_the_next(record, community_a, staff_a, supervisor):
    both = f.staff(community_a, "兼任", [Role.PARTY_SECRETARY])
    from committee.models import RoleAssignment

    RoleAssignment.objects.create(staff=both, role=Role.DIRECTOR, community=community_a, start=dt.date(2020, 1, 1))
    first, second = ask(record, community_a, staff_a, Role.PARTY_SECRETARY, Role.DIRECTOR)
    approvals.decide(first.pk, acting_user=both.user, approve=True)
    who = approvals.deciders(second)
    assert who.eligible == [] and [p for p, _ in who.barred] == [both]
    assert "兼任" in approvals.nobody_text(second, who)
    with pytest.raises(ValidationError, match="CTL-2"):
        approvals.decide(second.pk, acting_user=both.user, approve=True)


def test_nobody_holding_the_role_is_named_plainly(record, community_a, staff_a):
    [step] = ask(record, community_a, staff_a, Role.DIRECTOR)
    who = approvals.deciders(step)
    assert who.nobody_holds
    assert approvals.nobody_text(step, who) == (
        f"{community_a.name}现在没有人担任“主任”——须由街道办事处任命后，才能审批这一环节。")


def test_deciders_of_a_step_take_a_fixed_number_of_queries(record, community_a, staff_a,
                                                           django_assert_num_queries):
    for i in range(5):
        f.staff(community_a, f"主任{i}", [Role.DIRECTOR])
    [step] = ask(record, community_a, staff_a, Role.DIRECTOR)
    step = Approval.objects.select_related("community").get(pk=step.pk)
    with django_assert_num_queries(3):
        assert len(approvals.eligible_deciders(step)) == 5
