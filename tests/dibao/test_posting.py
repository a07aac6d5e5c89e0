"""DB-5 / DIS-5: the quarter's posting through the disclosure composer: refused before the quarter ends or
while reviews are incomplete; minimised (masked name, covered members, amount; no ID number, income or
reason)."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from dibao import posting, rules
from disclosure import composers
from tests.dibao import helpers as h


def _text(composed):
    parts = [composed.title, *composed.paragraphs, *composed.closing]
    for t in composed.tables:
        parts += t.columns + [c for row in t.rows for c in row] + (t.totals or [])
    return "\n".join(parts)


def test_db_5_composer_registered():
    c = composers.get("dibao.quarter")
    assert c is not None and c.rule == "DB-5" and c.category == composers.DIBAO


def test_mask_name():
    assert posting.mask_name("张三明") == "张*明" and posting.mask_name("李四") == "李*"
    assert posting.mask_name("欧阳小明") == "欧**明"


@pytest.fixture
def past_quarter():
    return rules.previous_quarter(rules.quarter_of(timezone.localdate()))


def test_db_5_refused_before_the_quarter_ends(community_a, officer_a):
    with pytest.raises(ValidationError) as e:
        posting.compose(community_a, rules.quarter_of(timezone.localdate()), officer_a.user)
    assert "subject" in e.value.message_dict
    with pytest.raises(ValidationError):
        posting.compose(community_a, "garbage", officer_a.user)


def _opened_in(case, day):
    from dibao.models import Case

    Case.objects.filter(pk=case.pk).update(opened_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))))


def test_db_5_refused_while_reviews_incomplete_then_minimised(community_a, officer_a, director_a, panel_a,
                                                             past_quarter):
    start, end = rules.quarter_bounds(past_quarter)
    c1 = h.case(community_a, officer_a.user, names=("张三明", "李小红"))
    c2 = h.case(community_a, officer_a.user, names=("王大伟",), incomes=(("300", "0", "0"),))
    for c in (c1, c2):
        _opened_in(c, start)
    m = h.meeting(panel_a, officer_a.user, day=end - dt.timedelta(days=3))
    h.review(c1, m, officer_a.user)
    with pytest.raises(ValidationError) as e:
        posting.compose(community_a, past_quarter, officer_a.user)
    assert "DB-3" in str(e.value)
    h.review(c2, m, officer_a.user)
    with pytest.raises(ValidationError) as e:  # minutes not approved yet
        posting.compose(community_a, past_quarter, officer_a.user)
    assert "MTG-6" in str(e.value)
    h.close(m, officer_a.user, director_a)
    composed = posting.compose(community_a, past_quarter, officer_a.user)
    text = _text(composed)
    assert "张*明" in text and "王*伟" in text and "3号楼" in text
    assert not re.search(r"\d{17}[\dXx]", text)  # no 18-character ID number
    assert "家庭人均收入" not in text  # no reason
    assert "800" not in text and "400" not in text  # no income figure (only amounts: 2,100.00 and 1,150.00)
    assert "2单元301" not in text  # nothing beyond the building
    assert composed.tables[0].rows[0][2] in ("1", "2")
    assert composed.figures["households"] == 2


def test_db_5_the_issued_posting_pdf_holds_no_id_number_income_or_reason(community_a, officer_a, director_a,
                                                                        panel_a, past_quarter, settings, tmp_path):
    """DB-5 end to end through the disclosure chapter: composed, approved, issued; the printed PDF's text
    holds the masked names and amounts and none of the members' ID numbers, incomes or the review reasons."""
    import io

    from pypdf import PdfReader

    from disclosure import services as dis
    from tests.disclosure.conftest import approve

    settings.MEDIA_ROOT = tmp_path
    start, end = rules.quarter_bounds(past_quarter)
    case = h.case(community_a, officer_a.user, names=("张三明", "李小红"))
    _opened_in(case, start)
    meeting = h.meeting(panel_a, officer_a.user, day=end - dt.timedelta(days=3))
    review = h.review(case, meeting, officer_a.user)
    h.close(meeting, officer_a.user, director_a)
    notice = dis.compose(community=community_a, composer_key="dibao.quarter", subject=past_quarter,
                         acting_user=officer_a.user)
    dis.submit(notice, acting_user=officer_a.user)
    approve(notice, director_a)
    today = timezone.localdate()
    notice = dis.issue(notice, posted_from=today, posted_until=today + dt.timedelta(days=14),
                       acting_user=officer_a.user, base_url="http://testserver")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(dis.stored_pdf(notice))).pages)
    assert "张*明" in text and "低保" in text
    assert not re.search(r"\d{17}[\dXx]", text.replace(" ", ""))
    for member in case.members.select_related("person"):
        assert member.person.id_number not in text and member.person.name not in text
    assert review.reasons and review.reasons[:6] not in text
    assert "2单元301" not in text
