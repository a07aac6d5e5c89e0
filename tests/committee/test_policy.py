"""Policy: typed, validated per-community values with history, read through one function (ORG-3 …)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from committee import policy
from committee.models import PolicyValue, Role
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_rule_book_defaults_apply_when_nothing_is_set(community_a):
    assert policy.get(community_a, "att.late_after") == dt.time(8, 30)
    assert policy.get(community_a, "att.wage_days_divisor") == Decimal("21.75")
    assert policy.get(community_a, "mtg.regular_days") == (10, 20, 27)
    assert policy.committee_approver_role(community_a) == Role.DIRECTOR


def test_org_3_street_value_then_community_value_win(street, community_a, community_b, supervisor):
    policy.set_value(street_office=street, community=None, key="org.committee_approver", raw="party_secretary",
                     reason="按第五篇由书记审批", acting_user=supervisor.user)
    assert policy.committee_approver_role(community_a) == Role.PARTY_SECRETARY
    policy.set_value(street_office=street, community=community_b, key="org.committee_approver", raw="director",
                     reason="本社区主任审批", acting_user=supervisor.user)
    community_b.__dict__.pop("_policy_cache", None)
    assert policy.committee_approver_role(community_b) == Role.DIRECTOR
    community_a.__dict__.pop("_policy_cache", None)
    assert policy.committee_approver_role(community_a) == Role.PARTY_SECRETARY


def test_invalid_value_is_refused_naming_the_setting_and_rule(street, supervisor):
    with pytest.raises(ValidationError, match="ATT-6"):
        policy.set_value(street_office=street, community=None, key="att.late_fee", raw="-5",
                         reason="x", acting_user=supervisor.user)
    with pytest.raises(ValidationError, match="ORG-3"):
        policy.set_value(street_office=street, community=None, key="org.committee_approver", raw="member",
                         reason="x", acting_user=supervisor.user)
    assert not PolicyValue.objects.exists()


def test_changes_keep_history_with_the_user_and_reason(street, community_a, supervisor):
    policy.set_value(street_office=street, community=None, key="att.late_after", raw="09:00",
                     reason="冬季作息", acting_user=supervisor.user)
    policy.set_value(street_office=street, community=None, key="att.late_after", raw="",
                     reason="恢复", acting_user=supervisor.user)
    community_a.__dict__.pop("_policy_cache", None)
    assert policy.get(community_a, "att.late_after") == dt.time(8, 30)
    history = PolicyValue.history.filter(key="att.late_after").order_by("history_date")
    assert [h.value for h in history] == ["09:00", ""]
    assert all(h.history_user == supervisor.user for h in history)


def test_street_office_edits_policy_through_the_page(community_a, supervisor, director_a):
    client = login(supervisor)
    response = client.post("/policy/att.late_fee/", {"value": "20", "reason": "街道统一标准"})
    assert response.status_code == 302
    community_a.__dict__.pop("_policy_cache", None)
    assert policy.get(community_a, "att.late_fee") == Decimal("20")
    page = client.get("/policy/").content.decode()
    assert "ATT-6" in page
    # a community's director reads the rules but cannot change them
    assert login(director_a).post("/policy/att.late_fee/", {"value": "0", "reason": "x"}).status_code == 403


def test_bad_value_through_the_page_names_the_rule_and_saves_nothing(supervisor):
    response = login(supervisor).post("/policy/att.late_after/", {"value": "8点半", "reason": "x"})
    assert response.status_code == 200
    assert "ATT-1" in response.content.decode()
    assert not PolicyValue.objects.exists()


def test_every_policy_default_is_valid_for_its_own_type():
    for spec in policy.SETTINGS.values():
        assert spec.parse(spec.format(spec.default)) == spec.default, spec.key


def test_mtg_2_street_schedule_cannot_have_a_community_value(street, community_a, supervisor):
    """MTG-2: the street's regular-meeting days are one value for the street office; a community value is
    refused, and a legacy community row is never read."""
    with pytest.raises(ValidationError, match="MTG-2"):
        policy.set_value(street_office=street, community=community_a, key="mtg.regular_days", raw="5",
                         reason="x", acting_user=supervisor.user)
    assert not PolicyValue.objects.exists()
    PolicyValue.objects.create(street_office=street, community=community_a, key="mtg.regular_days", value="5",
                               reason="legacy")
    community_a.__dict__.pop("_policy_cache", None)
    assert policy.get(community_a, "mtg.regular_days") == (10, 20, 27)
    row = next(r for r in policy.table(street, community_a) if r["spec"].key == "mtg.regular_days")
    assert row["effective"] == policy.setting("mtg.regular_days").display((10, 20, 27))


def test_mtg_2_street_schedule_refused_through_the_page_for_one_community(street, community_a, supervisor):
    client = login(supervisor)
    client.post("/switch-community/", {"community": community_a.pk})
    response = client.post("/policy/mtg.regular_days/", {"value": "5", "reason": "本社区"})
    assert response.status_code == 200
    assert "MTG-2" in response.content.decode()
    assert not PolicyValue.objects.filter(key="mtg.regular_days").exists()
