"""The disclosure rules through the services: DIS-1 … DIS-5 and the bad input of issue 11."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from committee import approvals, reminders
from disclosure import composers, rules, services
from disclosure.models import Category, Notice
from tests import factories as f
from tests.conftest import badge_matches_inbox
from tests.disclosure.conftest import approve, approved_free_text, issued

pytestmark = pytest.mark.django_db
TODAY = None


def today():
    return timezone.localdate()


def test_dis_1_categories_are_seeded_with_the_rule_books_cadence():
    cats = {c.key: c.cadence for c in Category.objects.all()}
    assert cats[composers.FINANCE] == cats[composers.DIBAO] == "quarter"
    assert cats[composers.POLICY] == cats[composers.PLANS] == cats[composers.TARGETS] == "half_year"
    assert cats[composers.FAMILY_PLANNING] == "half_year"
    assert cats[composers.OTHER] == "as_needed" and len(cats) == 12


def test_dis_2_periods_and_states():
    assert rules.period_of(dt.date(2026, 11, 5), 3) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert rules.period_of(dt.date(2026, 3, 31), 6) == (dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    day = dt.date(2026, 11, 5)
    assert rules.cadence_state(dt.date(2026, 10, 2), day, 3) == ("ok", dt.date(2026, 12, 31))
    assert rules.cadence_state(dt.date(2026, 8, 1), day, 3) == ("open", dt.date(2026, 12, 31))
    assert rules.cadence_state(dt.date(2026, 8, 1), dt.date(2026, 12, 20), 3) == ("due", dt.date(2026, 12, 31))
    assert rules.cadence_state(dt.date(2026, 5, 1), day, 3) == ("overdue", dt.date(2026, 9, 30))
    assert rules.cadence_state(None, day, 3) == ("overdue", dt.date(2026, 9, 30))


def test_dis_2_reminders_due_and_overdue_with_fixed_queries(django_assert_max_num_queries, street, staff_a,
                                                            director_a, community_a):
    issued(community_a, staff_a, director_a, category=composers.FINANCE)
    day = today()
    items = [r for r in reminders.collect([community_a], day) if r.rule == "DIS-2"]
    cats = {r.title for r in items}
    assert not any("财务" in t or "Finance" in t for t in cats)  # posted this quarter
    assert any(r.state == reminders.OVERDUE for r in items)  # policies never posted
    many = [f.community(street, f"社{i}") for i in range(12)]
    with django_assert_max_num_queries(3):
        from disclosure import reminders as dr
        dr.disclosure_due(many[:2], day)
    with django_assert_max_num_queries(3):
        out = dr.disclosure_due(many, day)
    assert len(out) == 12 * 6  # six categories with a cadence, none posted


def test_dis_3_a_notice_from_draft_to_issue_is_stored_with_its_checksum(staff_a, director_a, community_a):
    n = issued(community_a, staff_a, director_a)
    assert n.status == Notice.Status.ISSUED and n.issued_by == staff_a
    data = n.pdf.read()
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == n.pdf_sha256
    assert services.stored_pdf(n) == data
    assert list(services.issued_notices(community_a, n.issued_at.year)) == [n]


def test_dis_3_a_changed_file_is_refused_on_download(staff_a, director_a, community_a):
    n = issued(community_a, staff_a, director_a)
    with open(n.pdf.path, "ab") as fh:
        fh.write(b"x")
    with pytest.raises(ValidationError, match="checksum|校验"):
        services.stored_pdf(n)


def test_dis_3_issuing_without_approval_is_refused(staff_a, community_a):
    n = services.create_free_text(community=community_a, category_key="other", title="通知", body="正文",
                                  acting_user=staff_a.user)
    with pytest.raises(ValidationError):
        services.issue(n, posted_from=today(), posted_until=today(), acting_user=staff_a.user, base_url="")
    n.refresh_from_db()
    assert n.status == Notice.Status.DRAFT and not n.pdf


def test_dis_3_end_before_start_and_past_start_are_refused(staff_a, director_a, community_a):
    n = approved_free_text(community_a, staff_a, director_a)
    with pytest.raises(ValidationError) as e:
        services.issue(n, posted_from=today(), posted_until=today() - dt.timedelta(days=1),
                       acting_user=staff_a.user, base_url="")
    assert "posted_until" in e.value.error_dict
    with pytest.raises(ValidationError) as e:
        services.issue(n, posted_from=today() - dt.timedelta(days=1), posted_until=today(),
                       acting_user=staff_a.user, base_url="")
    assert "posted_from" in e.value.error_dict
    with pytest.raises(ValidationError):
        services.issue(n, posted_from=today(), posted_until=today() + dt.timedelta(days=5000),
                       acting_user=staff_a.user, base_url="")
    n.refresh_from_db()
    assert n.status == Notice.Status.APPROVED


def test_dis_3_a_lost_seal_notice_runs_at_least_30_days(staff_a, director_a, community_a, test_composer):
    n = services.compose(community=community_a, composer_key=test_composer.key, subject="seal:1",
                         acting_user=staff_a.user)
    services.submit(n, acting_user=staff_a.user)
    approve(n, director_a)
    with pytest.raises(ValidationError, match="30"):
        services.issue(n, posted_from=today(), posted_until=today() + dt.timedelta(days=28),
                       acting_user=staff_a.user, base_url="")
    services.issue(n, posted_from=today(), posted_until=today() + dt.timedelta(days=29), acting_user=staff_a.user,
                   base_url="")


def test_dis_3_welfare_notices_run_at_least_10_working_days(staff_a, director_a, community_a):
    n = approved_free_text(community_a, staff_a, director_a, category=composers.WELFARE)
    start = today()
    with pytest.raises(ValidationError, match="10"):
        services.issue(n, posted_from=start, posted_until=start + dt.timedelta(days=6), acting_user=staff_a.user,
                       base_url="")
    services.issue(n, posted_from=start, posted_until=start + dt.timedelta(days=30), acting_user=staff_a.user,
                   base_url="")


def test_dis_3_taking_down_early_needs_a_reason_and_keeps_it_in_the_archive(staff_a, director_a, community_a,
                                                                            staff_b):
    n = issued(community_a, staff_a, director_a)
    with pytest.raises(ValidationError):
        services.take_down(n, reason="  ", acting_user=director_a.user)
    other = f.staff(community_a, "他人")
    with pytest.raises(ValidationError):
        services.take_down(n, reason="错了", acting_user=other.user)
    services.take_down(n, reason="内容有误", acting_user=director_a.user)
    n.refresh_from_db()
    assert n.status == Notice.Status.TAKEN_DOWN and n.taken_down_reason == "内容有误"
    assert not Notice.objects.posted(today()).exists()
    assert list(services.issued_notices(community_a, today().year)) == [n]


def test_dis_3_an_expired_notice_leaves_the_board(staff_a, director_a, community_a):
    n = issued(community_a, staff_a, director_a, days=3)
    later = today() + dt.timedelta(days=3)
    assert n.is_posted(today()) and not Notice.objects.posted(later).exists()
    assert n.is_expired(later)


def test_dis_4_composing_freezes_the_figures_and_issuing_checks_them_again(staff_a, director_a, community_a,
                                                                          test_composer, records):
    n = services.compose(community=community_a, composer_key=test_composer.key, subject="2026-Q3",
                         acting_user=staff_a.user)
    assert n.figures == {"total": "1,200.00"} and n.tables[0]["totals"] == ["合计", "1,200.00"]
    services.submit(n, acting_user=staff_a.user)
    approve(n, director_a)
    records["amount"] = "1,300.00"
    with pytest.raises(ValidationError, match="compose|重新"):
        services.issue(n, posted_from=today(), posted_until=today() + dt.timedelta(days=7),
                       acting_user=staff_a.user, base_url="")
    records["amount"] = "1,200.00"
    n = services.issue(n, posted_from=today(), posted_until=today() + dt.timedelta(days=7),
                       acting_user=staff_a.user, base_url="")
    assert n.status == Notice.Status.ISSUED


def test_dis_4_a_quarter_that_has_not_ended_is_refused(staff_a, community_a, test_composer):
    with pytest.raises(ValidationError) as e:
        services.compose(community=community_a, composer_key=test_composer.key, subject="2099-Q1",
                         acting_user=staff_a.user)
    assert "subject" in e.value.error_dict
    assert not Notice.objects.exists()


def test_dis_4_a_correction_is_a_new_notice_that_says_what_it_corrects(staff_a, director_a, community_a,
                                                                      test_composer):
    old = services.compose(community=community_a, composer_key=test_composer.key, subject="2026-Q3",
                           acting_user=staff_a.user)
    services.submit(old, acting_user=staff_a.user)
    approve(old, director_a)
    old = services.issue(old, posted_from=today(), posted_until=today() + dt.timedelta(days=7),
                         acting_user=staff_a.user, base_url="")
    new = services.correct(old, acting_user=staff_a.user)
    assert new.corrects == old and new.status == Notice.Status.DRAFT and new.pk != old.pk
    services.submit(new, acting_user=staff_a.user)
    approve(new, director_a)
    new = services.issue(new, posted_from=today(), posted_until=today() + dt.timedelta(days=7),
                         acting_user=staff_a.user, base_url="")
    old.refresh_from_db()
    assert old.status == Notice.Status.TAKEN_DOWN  # the corrected notice leaves the board
    import io

    from pypdf import PdfReader
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(new.pdf.read())).pages)
    assert "更正" in text and old.title in text.replace("\n", "")


@pytest.mark.parametrize("body, kind", [
    ("申请人身份证号110105194912310021。", "身份证号"),
    ("联系电话：138 0013 8000", "手机号"),
    ("办公电话010-65123456", "电话"),
    ("收款卡号6222021234567890128", "银行卡号"),
    ("住5号楼2单元502室", "门牌号"),
])
def test_dis_5_a_free_text_notice_with_personal_numbers_is_refused(staff_a, community_a, body, kind):
    n = services.create_free_text(community=community_a, category_key="other", title="公示",
                                  body="第一段。\n" + body, acting_user=staff_a.user)
    with pytest.raises(ValidationError) as e:
        services.submit(n, acting_user=staff_a.user)
    message = " ".join(e.value.messages)
    assert kind in message and "第2段" in message
    n.refresh_from_db()
    assert n.status == Notice.Status.DRAFT and not approvals.steps_for(n).exists()


def test_dis_5_a_composed_table_cell_is_named_by_row_and_column(staff_a, community_a, test_composer, records):
    records["rows"] = [["办公用品", "1,200.00"], ["张三 13800138000", "0.00"]]
    n = services.compose(community=community_a, composer_key=test_composer.key, subject="2026-Q3",
                         acting_user=staff_a.user)
    with pytest.raises(ValidationError, match="表1第2行第1列"):
        services.submit(n, acting_user=staff_a.user)


def test_dis_5_a_masked_id_passes(staff_a, director_a, community_a):
    n = issued(community_a, staff_a, director_a, body="低保对象身份证号110105********002X，住5号楼2单元。")
    assert n.status == Notice.Status.ISSUED


def test_ctl_2_the_drafter_does_not_approve(staff_a, director_a, community_a):
    n = services.create_free_text(community=community_a, category_key="other", title="通知", body="正文",
                                  acting_user=director_a.user)
    services.submit(n, acting_user=director_a.user)
    step = approvals.steps_for(n).get()
    with pytest.raises(ValidationError):
        approvals.decide(step.pk, acting_user=director_a.user, approve=True)


def test_another_communitys_staff_cannot_draft_or_issue(staff_a, director_a, community_a, staff_b, supervisor):
    with pytest.raises(ValidationError):
        services.create_free_text(community=community_a, category_key="other", title="x", body="y",
                                  acting_user=staff_b.user)
    with pytest.raises(ValidationError):
        services.create_free_text(community=community_a, category_key="other", title="x", body="y",
                                  acting_user=supervisor.user)
    n = approved_free_text(community_a, staff_a, director_a)
    with pytest.raises(ValidationError):
        services.issue(n, posted_from=today(), posted_until=today(), acting_user=staff_b.user, base_url="")


def test_ctl_8_control_characters_are_refused(staff_a, community_a):
    with pytest.raises(ValidationError):
        services.create_free_text(community=community_a, category_key="other", title="a\x00b", body="y",
                                  acting_user=staff_a.user)


def test_inbox_card_and_issue_task(staff_a, director_a, community_a):
    from committee import inbox
    from disclosure.reminders import issue_tasks
    n = services.create_free_text(community=community_a, category_key="other", title="停电通知", body="明日停电。",
                                  acting_user=staff_a.user)
    services.submit(n, acting_user=staff_a.user)
    steps = approvals.waiting_for(director_a.user)
    cards = inbox.cards_for(steps, director_a.user)
    assert any(c.title == "停电通知" for c in cards.values())
    approve(n, director_a)
    assert [t.title for t in inbox.read(issue_tasks(staff_a.user))] == ["停电通知"]
    assert badge_matches_inbox(staff_a.user) == 1


def test_the_seal_use_is_registered_when_the_community_has_a_seal(staff_a, director_a, community_a, supervisor):
    from seals import services as seals
    from seals.models import SealUse
    custodian = f.staff(community_a, "保管", [f.Role.SEAL_CUSTODIAN])
    seals.create_seal(community=community_a, kind="committee", name="甲居委会", place="柜", issued_on=dt.date(2024, 1, 1),
                      custodian=custodian, acting_user=supervisor.user)
    n = issued(community_a, staff_a, director_a)
    use = seals.entry_for(n)
    assert use is not None and use.use_kind == "disclosure" and n.seal_reference == use.number
    assert SealUse.objects.count() == 1


def test_dis_3_the_proposed_end_meets_ten_working_days_across_the_national_day(staff_a, director_a, community_a):
    n = approved_free_text(community_a, staff_a, director_a, category=composers.WELFARE)
    end = services.shortest_until(n, dt.date(2026, 9, 28))
    from committee import calendar
    assert len(calendar.working_days_between(dt.date(2026, 9, 28), end)) == 10
    assert len(calendar.working_days_between(dt.date(2026, 9, 28), end - dt.timedelta(days=1))) == 9
    services.check_period(n, dt.date(2026, 9, 28), end, dt.date(2026, 9, 28))
    with pytest.raises(ValidationError, match="10"):
        services.check_period(n, dt.date(2026, 9, 28), end - dt.timedelta(days=1), dt.date(2026, 9, 28))


def test_inbox_cards_take_a_fixed_number_of_queries(staff_a, director_a, community_a, django_assert_max_num_queries):
    from committee import inbox
    from disclosure.inbox import describe

    def submit(n):
        for i in range(n):
            x = services.create_free_text(community=community_a, category_key="other", title=f"通知{i}",
                                          body="正文", acting_user=staff_a.user)
            services.submit(x, acting_user=staff_a.user)

    submit(3)
    with django_assert_max_num_queries(3) as few:
        describe(Notice.objects.all(), director_a.user)
    submit(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        cards = describe(Notice.objects.all(), director_a.user)
    assert len(cards) == 13 and all(isinstance(c, inbox.Card) for c in cards.values())


def test_dis_3_a_posting_ending_within_three_days_is_a_notice_on_the_dashboard(staff_a, director_a, community_a):
    from disclosure.reminders import disclosure_due
    n = issued(community_a, staff_a, director_a, title="即将到期", days=3)
    items = [r for r in disclosure_due([community_a], today()) if r.rule == "DIS-3"]
    assert [(r.state, r.due, r.url) for r in items] == [(reminders.NOTICE, n.posted_until, n.get_absolute_url())]
    assert not [r for r in disclosure_due([community_a], today() - dt.timedelta(days=30)) if r.rule == "DIS-3"]
