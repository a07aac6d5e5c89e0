"""POST-1 … POST-5 through the services: what is recorded and what is refused (nothing saved)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from posts import services
from posts.models import Badge, Group, Holding, Inspection, Nomination, Opening, Post, Review
from tests import factories as f
from tests.conftest import badge_matches_inbox
from tests.posts.conftest import assign, joint_decision

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
pytestmark = pytest.mark.django_db


def test_post_1_six_posts_in_three_groups_from_the_data_migration():
    posts = list(Post.objects.order_by("order"))
    assert [p.key for p in posts] == ["finance_supervision", "major_matters_supervision", "public_order",
                                      "environmental_hygiene", "policy_publicity", "civility"]
    assert {p.group for p in posts} == set(Group.values)
    assert sum(1 for p in posts if p.group == Group.SUPERVISION) == 2


def test_post_1_one_post_several_people_one_person_several_posts(community_a, staff_a, director_a, decision_a,
                                                                  post_finance):
    other = f.staff(community_a, "乙委员", [])
    assign(community_a, post_finance, [staff_a, other], decision_a, director_a)
    hygiene = Post.objects.get(key="environmental_hygiene")
    d2 = joint_decision(community_a, staff_a.user, approver=director_a, title="第二次")
    assign(community_a, hygiene, [staff_a], d2, director_a)
    assert Holding.objects.filter(post=post_finance).count() == 2
    assert Holding.objects.filter(staff=staff_a).count() == 2


def test_post_2_publish_nominate_announce_decide(community_a, staff_a, director_a, decision_a, post_finance):
    opening = services.publish(community=community_a, post=post_finance, year=2026, places=1, duties="监督",
                               acting_user=director_a.user)
    services.nominate(opening, staff=staff_a, kind=Nomination.Kind.SELF, acting_user=staff_a.user)
    other = f.staff(community_a, "丙", [])
    services.nominate(opening, staff=other, kind=Nomination.Kind.RECOMMENDED, recommended_by="三号楼居民代表",
                      acting_user=director_a.user)
    services.announce(opening, acting_user=director_a.user)
    opening.refresh_from_db()
    assert opening.status == Opening.Status.ANNOUNCED and opening.announced_at
    with pytest.raises(ValidationError):  # no more nominations once announced
        services.nominate(opening, staff=director_a, kind="self", acting_user=director_a.user)
    with pytest.raises(ValidationError, match="名额"):
        services.decide(opening, decision=decision_a, holders=[staff_a, other], start=timezone.localdate(),
                        acting_user=director_a.user)
    [h] = services.decide(opening, decision=decision_a, holders=[staff_a], start=timezone.localdate(),
                          acting_user=director_a.user)
    opening.refresh_from_db()
    assert opening.decision == decision_a and opening.status == Opening.Status.DECIDED
    assert h.staff == staff_a and h.current


def test_post_2_a_member_cannot_publish_nor_nominate_someone_else(community_a, staff_a, director_a, post_finance):
    with pytest.raises(ValidationError):
        services.publish(community=community_a, post=post_finance, year=2026, places=1, duties="x",
                         acting_user=staff_a.user)
    opening = services.publish(community=community_a, post=post_finance, year=2026, places=1, duties="x",
                               acting_user=director_a.user)
    with pytest.raises(ValidationError):
        services.nominate(opening, staff=director_a, kind="self", acting_user=staff_a.user)
    with pytest.raises(ValidationError):
        services.nominate(opening, staff=director_a, kind="recommended", recommended_by="x", acting_user=staff_a.user)
    assert not Nomination.objects.exists()


def test_post_2_decision_must_be_of_a_convened_joint_meeting_of_this_community(
        community_a, community_b, staff_a, director_a, director_b, post_finance):
    from meetings.models import BodyKind

    opening = services.publish(community=community_a, post=post_finance, year=2026, places=1, duties="x",
                               acting_user=director_a.user)
    services.nominate(opening, staff=staff_a, kind="self", acting_user=staff_a.user)
    services.announce(opening, acting_user=director_a.user)
    committee = joint_decision(community_a, staff_a.user, approver=director_a, kind=BodyKind.COMMITTEE)
    unclosed = joint_decision(community_a, staff_a.user, approver=director_a, close=False, title="未批")
    other = joint_decision(community_b, f.staff(community_b, "乙员", []).user, approver=director_b)
    for bad in (committee, unclosed, other):
        with pytest.raises(ValidationError):
            services.decide(opening, decision=bad, holders=[staff_a], start=timezone.localdate(),
                            acting_user=director_a.user)
    assert not Holding.objects.exists()


def test_post_2_holders_are_announced_candidates(community_a, staff_a, director_a, decision_a, post_finance):
    opening = services.publish(community=community_a, post=post_finance, year=2026, places=2, duties="x",
                               acting_user=director_a.user)
    services.nominate(opening, staff=staff_a, kind="self", acting_user=staff_a.user)
    services.announce(opening, acting_user=director_a.user)
    with pytest.raises(ValidationError, match="候选人"):
        services.decide(opening, decision=decision_a, holders=[director_a], start=timezone.localdate(),
                        acting_user=director_a.user)


def test_post_2_candidates_announcement_is_a_disclosure_composer(holding_a, community_a, director_a):
    from disclosure import composers

    composer = composers.get("posts.candidates")
    assert composer is not None and composer.rule == "POST-2"
    [subject] = composer.subjects(community_a, timezone.localdate())
    composed = composer.compose(community_a, subject.key, director_a.user)
    assert holding_a.staff.name in composed.tables[0].rows[0]
    with pytest.raises(ValidationError):
        composer.compose(community_a, "opening:999999", director_a.user)


def test_post_3_training_and_letter(holding_a, director_a):
    with pytest.raises(ValidationError, match="学时"):
        services.add_training(holding_a, date=timezone.localdate(), subject="培训", hours="0", phase="during",
                              acting_user=director_a.user)
    with pytest.raises(ValidationError):
        services.add_training(holding_a, date=holding_a.start + dt.timedelta(days=1), subject="岗前", hours="2",
                              phase="before", acting_user=director_a.user)
    services.add_training(holding_a, date=holding_a.start, subject="岗前培训", hours="2.5", phase="before",
                          acting_user=director_a.user)
    assert holding_a.trainings.get().hours == Decimal("2.5")
    assert holding_a in services.without_letter([holding_a.community])
    services.upload_letter(holding_a, file=SimpleUploadedFile("责任书.pdf", PDF), signed_on=timezone.localdate(),
                           acting_user=director_a.user)
    holding_a.refresh_from_db()
    assert holding_a.letter and holding_a.letter_sha256
    assert holding_a not in services.without_letter([holding_a.community])


def test_post_3_a_letter_that_is_not_a_document_is_refused(holding_a, director_a):
    with pytest.raises(ValidationError):
        services.upload_letter(holding_a, file=SimpleUploadedFile("x.pdf", b"<html>hi</html>"),
                               signed_on=timezone.localdate(), acting_user=director_a.user)
    holding_a.refresh_from_db()
    assert not holding_a.letter


def test_post_3_dashboard_reminds_of_holders_without_letter(holding_a, community_a):
    from posts.reminders import letters_missing

    [r] = list(letters_missing([community_a], timezone.localdate()))
    assert r.rule == "POST-3" and "1" in r.title


def _review(holding, user):
    return services.record_report(holding, year=timezone.localdate().year, reported_on=timezone.localdate(),
                                  report="述职报告", acting_user=user)


def test_post_4_grade_by_the_street_office_only(holding_a, director_a, supervisor):
    review = _review(holding_a, director_a.user)
    with pytest.raises(ValidationError, match="街道"):
        services.grade(review, grade="excellent", acting_user=director_a.user)
    services.grade(review, grade="excellent", acting_user=supervisor.user)
    review.refresh_from_db()
    assert review.grade == "excellent" and review.graded_by == supervisor


@pytest.mark.parametrize("bad", ["", "perfect", "优秀", "excellent "])
def test_post_4_a_grade_outside_the_four_is_refused(holding_a, director_a, supervisor, bad):
    review = _review(holding_a, director_a.user)
    with pytest.raises(ValidationError, match="四个等次"):
        services.grade(review, grade=bad, acting_user=supervisor.user)
    review.refresh_from_db()
    assert review.grade == ""


def test_post_4_nobody_grades_themselves(community_a, supervisor, director_a, decision_a, post_finance, street):
    # a street-office holder (unusual, but the rule holds): the street office member may not grade own report
    holding = Holding.objects.create(community=community_a, post=post_finance, staff=supervisor,
                                     start=timezone.localdate())
    review = _review(holding, director_a.user)
    with pytest.raises(ValidationError, match="自己"):
        services.grade(review, grade="excellent", acting_user=supervisor.user)
    assert Review.objects.get().grade == ""


def test_post_5_badge_issued_by_the_street_office(holding_a, supervisor, director_a):
    with pytest.raises(ValidationError, match="街道"):
        services.issue_badge(holding_a, number="J-001", acting_user=director_a.user)
    assert not Badge.objects.exists()
    badge = services.issue_badge(holding_a, number=" j-001 ", acting_user=supervisor.user)
    assert badge.number == "J-001" and badge.street_office == holding_a.community.street_office


def test_post_5_a_second_badge_number_is_refused(holding_a, supervisor, community_b, director_b, post_finance,
                                                 staff_b):
    services.issue_badge(holding_a, number="J-001", acting_user=supervisor.user)
    holding_b = Holding.objects.create(community=community_b, post=post_finance, staff=staff_b,
                                       start=timezone.localdate())
    with pytest.raises(ValidationError, match="已被使用"):
        services.issue_badge(holding_b, number="j-001", acting_user=supervisor.user)
    with pytest.raises(ValidationError, match="已有该岗位的胸牌"):
        services.issue_badge(holding_a, number="J-002", acting_user=supervisor.user)
    assert Badge.objects.count() == 1


def test_post_5_change_of_post_returns_the_old_badge(holding_a, supervisor, director_a, community_a):
    badge = services.issue_badge(holding_a, number="J-001", acting_user=supervisor.user)
    d2 = joint_decision(community_a, holding_a.staff.user, approver=director_a, title="调岗")
    [new_holding] = assign(community_a, Post.objects.get(key="public_order"), [holding_a.staff], d2, director_a)
    new = services.change_post(badge, holding=new_holding, number="J-101", acting_user=supervisor.user)
    badge.refresh_from_db()
    assert badge.status == Badge.Status.RETURNED and badge.returned_at
    assert new.replaces == badge and new.reason == Badge.Reason.CHANGE and new.holding == new_holding


def test_post_5_lost_badge_reissued_against_a_fee(holding_a, supervisor):
    badge = services.issue_badge(holding_a, number="J-001", acting_user=supervisor.user)
    with pytest.raises(ValidationError, match="工本费"):
        services.reissue_lost(badge, number="J-002", fee="-1", acting_user=supervisor.user)
    new = services.reissue_lost(badge, number="J-002", fee="20", acting_user=supervisor.user)
    badge.refresh_from_db()
    assert badge.status == Badge.Status.LOST
    assert new.fee == Decimal("20.00") and new.reason == Badge.Reason.LOST


def test_post_5_inspections_by_discipline_only(community_a, supervisor, discipline):
    with pytest.raises(ValidationError, match="纪检"):
        services.record_inspection(community=community_a, date=timezone.localdate(), findings="未佩戴",
                                   problem_found=True, acting_user=supervisor.user)
    services.record_inspection(community=community_a, date=timezone.localdate(), findings="一人未佩戴胸牌",
                               problem_found=True, acting_user=discipline.user)
    assert Inspection.objects.get().inspector == discipline


def test_post_5_complaint_followed_up_not_by_the_holder(holding_a, director_a, staff_a):
    c = services.record_complaint(holding=holding_a, received_on=timezone.localdate(), text="态度不好",
                                  acting_user=director_a.user)
    assert c.request.about_staff == holding_a.staff and c.request.assigned_to != holding_a.staff  # GRID-6
    with pytest.raises(ValidationError):
        services.follow_up(c, text="自己关闭", close=True, acting_user=staff_a.user)
    services.follow_up(c, text="已谈话", close=True, acting_user=director_a.user)
    c.refresh_from_db()
    assert c.closed_at and "已谈话" in c.follow_up


def test_ctl_8_control_characters_and_far_dates(holding_a, director_a):
    with pytest.raises(ValidationError):
        services.record_complaint(holding=holding_a, received_on=timezone.localdate() + dt.timedelta(days=400),
                                  text="x", acting_user=director_a.user)
    from posts.forms import ComplaintForm

    form = ComplaintForm({"received_on": "2026-01-01", "text": "坏\x0b字"})
    assert not form.is_valid() and "text" in form.errors


def test_post_4_post_5_street_office_tasks_grade_and_badge(holding_a, director_a, supervisor, staff_a):
    from committee import inbox
    from posts.reminders import street_tasks

    services.record_report(holding_a, year=timezone.localdate().year, reported_on=timezone.localdate(),
                           report="述职", acting_user=director_a.user)
    titles = [t.title for t in inbox.read(street_tasks(supervisor.user))]
    assert len(titles) == 2 and any(holding_a.staff.name in t for t in titles)
    assert badge_matches_inbox(supervisor.user) == 2
    assert inbox.read(street_tasks(staff_a.user)) == []
    services.issue_badge(holding_a, number="T-1", acting_user=supervisor.user)
    assert len(inbox.read(street_tasks(supervisor.user))) == 1
    assert badge_matches_inbox(supervisor.user) == 1
