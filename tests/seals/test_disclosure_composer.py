"""SEAL-8 on the disclosure board: the composer ``seals.lost`` (the void seal's notice, the new seal in use)
and the seal page's link to the board's compose page, for the community's own staff."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import include, path
from django.utils import timezone, translation

from committee import policy
from disclosure import composers
from seals import services
from seals.models import Seal, SealNotice
from tests.conftest import login

pytestmark = pytest.mark.django_db

# The disclosure app's compose page is built in parallel: a stand-in with its URL name, for the link test.
urlpatterns = [
    path("disclosure-compose-stand-in/", lambda request: HttpResponse("compose"), name="disclosure_compose"),
    path("", include("config.urls")),
]

COMPOSER = "seals.lost"


def lose(seal, staff):
    services.report_loss(seal, circumstances="搬家时遗失", acting_user=staff.user)
    seal.refresh_from_db()
    return seal


def test_seal_8_the_composer_is_registered():
    c = composers.get(COMPOSER)
    assert (c.category, c.rule) == (composers.SEAL, "SEAL-8")


def test_seal_8_subjects_are_the_communitys_lost_or_replaced_seals(seal_a, custodian_a, supervisor, community_a,
                                                                  community_b):
    day = timezone.localdate()
    assert composers.get(COMPOSER).subjects(community_a, day) == []
    lose(seal_a, custodian_a)
    other = services.create_seal(community=community_a, kind="party", name="甲社区党支部", place="柜",
                                 issued_on=dt.date(2024, 1, 5), custodian=custodian_a, acting_user=supervisor.user)
    new = services.replace_seal(other, name="甲社区党支部（新）", place="柜", issued_on=day, custodian=custodian_a,
                                collected_on=day, acting_user=supervisor.user)
    keys = [s.key for s in composers.get(COMPOSER).subjects(community_a, day)]
    assert set(keys) == {f"seal:{seal_a.pk}", f"seal:{other.pk}"} and f"seal:{new.pk}" not in keys
    assert composers.get(COMPOSER).subjects(community_b, day) == []


def test_seal_8_the_notice_of_a_lost_seal_from_its_void_moment(seal_a, custodian_a, community_a, staff_a):
    seal = lose(seal_a, custodian_a)
    with translation.override("en"):  # an official paper: 简体中文 whatever the screen
        composed = composers.get(COMPOSER).compose(community_a, f"seal:{seal.pk}", staff_a.user)
    text = services.default_notice_text(seal, SealNotice.Reason.LOST, None)
    assert "\n".join([*composed.paragraphs, *composed.closing]) == text
    assert composed.closing == ["特此公告。"]
    when = timezone.localtime(seal.void_from).strftime("%Y年%m月%d日%H时%M分")
    assert when in composed.paragraphs[0] and "作废" in composed.paragraphs[0]
    assert composed.title == f"关于“{seal.name}”印章作废的公告"
    assert composed.min_days == policy.get(community_a, "seal.lost_notice_days") == 30
    assert composed.source == seal
    assert composed.period_start == timezone.localtime(seal.void_from).date()
    assert composed.figures["seal"]["id"] == seal.pk and composed.figures["new_seal"] is None


def test_seal_8_the_new_seal_in_use_is_announced(seal_a, custodian_a, supervisor, community_a, staff_a):
    seal = lose(seal_a, custodian_a)
    day = timezone.localdate()
    new = services.replace_seal(seal, name="甲社区居民委员会（新）", place="柜", issued_on=day, custodian=custodian_a,
                                collected_on=None, acting_user=supervisor.user)
    composed = composers.get(COMPOSER).compose(community_a, f"seal:{seal.pk}", staff_a.user)
    assert f"新印章“{new.name}”自{day:%Y年%m月%d日}起启用" in composed.paragraphs[0]
    assert composed.figures["new_seal"] == {"id": new.pk, "name": new.name, "issued_on": day.isoformat()}


def test_seal_8_the_policy_sets_the_posting_length(seal_a, custodian_a, community_a, staff_a, monkeypatch):
    seal = lose(seal_a, custodian_a)
    real = policy.get
    monkeypatch.setattr(policy, "get", lambda c, key: 45 if key == "seal.lost_notice_days" else real(c, key))
    assert composers.get(COMPOSER).compose(community_a, f"seal:{seal.pk}", staff_a.user).min_days == 45


@pytest.mark.parametrize("key", ["", None, "seal:", "seal:abc", "seal:-1", "12", "seal:999999", "seal:1 OR 1=1",
                                 "seal:１", "seal:99999999999999999999999"])
def test_seal_8_a_bad_key_is_refused(seal_a, custodian_a, community_a, staff_a, key):
    lose(seal_a, custodian_a)
    with pytest.raises(ValidationError) as e:
        composers.get(COMPOSER).compose(community_a, key, staff_a.user)
    assert "SEAL-8" in e.value.message_dict["subject"][0]


def test_seal_8_a_seal_in_use_or_of_another_community_is_refused(seal_a, custodian_a, community_a, community_b,
                                                                 staff_a, staff_b):
    with pytest.raises(ValidationError, match="SEAL-8"):
        composers.get(COMPOSER).compose(community_a, f"seal:{seal_a.pk}", staff_a.user)
    lose(seal_a, custodian_a)
    with pytest.raises(ValidationError) as e:
        composers.get(COMPOSER).compose(community_b, f"seal:{seal_a.pk}", staff_b.user)
    assert "subject" in e.value.message_dict


def test_seal_8_the_street_offices_notice_record_stays(seal_a, custodian_a, supervisor, community_a, staff_a):
    """The board notice does not replace the street office's SealNotice: both are possible."""
    seal = lose(seal_a, custodian_a)
    day = timezone.localdate()
    services.record_notice(seal, posted_from=day, posted_until=day + dt.timedelta(days=29), acting_user=supervisor.user)
    composed = composers.get(COMPOSER).compose(community_a, f"seal:{seal.pk}", staff_a.user)
    assert "\n".join([*composed.paragraphs, *composed.closing]) == SealNotice.objects.get(seal=seal).text


def test_seal_8_compose_takes_a_fixed_number_of_queries(seal_a, custodian_a, community_a, staff_a,
                                                        django_assert_max_num_queries):
    seal = lose(seal_a, custodian_a)
    with django_assert_max_num_queries(3):
        composers.get(COMPOSER).compose(community_a, f"seal:{seal.pk}", staff_a.user)


@pytest.mark.urls(__name__)
def test_seal_8_the_seal_page_offers_the_board_notice_to_the_communitys_staff(seal_a, custodian_a, director_a,
                                                                             supervisor):
    link = f"?composer=seals.lost&amp;subject=seal:{seal_a.pk}"
    assert link not in login(director_a).get(seal_a.get_absolute_url()).content.decode()  # in use: nothing
    lose(seal_a, custodian_a)
    page = login(director_a).get(seal_a.get_absolute_url()).content.decode()
    assert link in page and "在公开栏发布公告" in page
    assert link not in login(supervisor).get(seal_a.get_absolute_url()).content.decode()  # the street office


def test_seal_8_without_the_disclosure_page_the_seal_page_shows_no_link(seal_a, custodian_a, director_a):
    """Until the disclosure app's compose page exists, the link renders nothing (no broken link)."""
    from django.urls import NoReverseMatch, reverse

    lose(seal_a, custodian_a)
    page = login(director_a).get(seal_a.get_absolute_url())
    assert page.status_code == 200
    try:
        reverse("disclosure_compose")
    except NoReverseMatch:
        assert "composer=seals.lost" not in page.content.decode()
    else:
        assert "composer=seals.lost" in page.content.decode()


def test_seal_8_a_replaced_seal_is_announced_as_collected(seal_a, custodian_a, supervisor, community_a, staff_a):
    day = timezone.localdate()
    new = services.replace_seal(seal_a, name="新章", place="柜", issued_on=day, custodian=custodian_a,
                                collected_on=day, acting_user=supervisor.user)
    assert Seal.objects.get(pk=seal_a.pk).status == Seal.Status.REPLACED
    composed = composers.get(COMPOSER).compose(community_a, f"seal:{seal_a.pk}", staff_a.user)
    assert "旧章已由街道办事处收缴" in composed.paragraphs[0] and new.name in composed.paragraphs[0]
