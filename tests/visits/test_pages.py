"""The visits pages: the phone form (a refusal keeps what was typed, a retry saves once, JSON for the page
script), another community's ids (404), the responsibility PDF with its chart, list query counts."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from committee.models import Household
from tests.conftest import badge_matches_inbox, login
from tests.visits.conftest import visit, yesterday
from visits import services
from visits.models import GroupMember, Problem, Request, Visit

pytestmark = pytest.mark.django_db


def _form(household, **over):
    data = {"key": str(uuid.uuid4()), "household": household.pk, "date": yesterday().isoformat(),
            "start_time": "09:00", "end_time": "10:00", "visitors": [], "found": "独居", "problems": "灯坏了\n漏水",
            "follow_up": "", "companions": ""}
    data.update(over)
    return data


def test_grid_3_the_form_posted_twice_saves_one_visit(staff_a, household_a):
    client = login(staff_a)
    data = _form(household_a, visitors=[staff_a.pk])
    first = client.post(reverse("visits_visit_new"), data)
    second = client.post(reverse("visits_visit_new"), data, HTTP_ACCEPT="application/json")
    assert first.status_code == 302 and second.status_code == 200
    assert second.json()["created"] is False
    assert Visit.objects.count() == 1 and Problem.objects.count() == 2


@pytest.mark.parametrize("over,field_word", [
    ({"start_time": "10:00", "end_time": "09:00"}, "结束时间早于开始时间"),
    ({"date": (timezone.localdate() + dt.timedelta(days=3)).isoformat()}, "不能晚于今天"),
    ({"start_time": "07:00", "end_time": "17:00"}, "最长一个工作日"),
])
def test_grid_3_a_refused_visit_keeps_what_was_typed(staff_a, household_a, over, field_word):
    response = login(staff_a).post(reverse("visits_visit_new"), _form(household_a, visitors=[staff_a.pk], **over))
    text = response.content.decode()
    assert response.status_code == 200 and field_word in text and "灯坏了" in text
    assert not Visit.objects.exists()


def test_grid_3_a_household_of_another_community_is_refused_on_the_form(staff_a, household_b):
    response = login(staff_a).post(reverse("visits_visit_new"), _form(household_b, visitors=[staff_a.pk]),
                                   HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and "本社区" in str(response.json()["errors"])
    assert not Visit.objects.exists()


def test_another_communitys_records_answer_404(staff_b, staff_a, household_a, grid_a):
    v = visit(staff_a, household_a, problems=["x"])
    req = services.receive_request(community=staff_a.community, channel="desk", kind="help", text="求助",
                                   assigned_to=staff_a, acting_user=staff_a.user)
    assert badge_matches_inbox(staff_a.user) == 1  # GRID-6: the request assigned to staff_a
    assert badge_matches_inbox(staff_b.user) == 0
    client = login(staff_b)
    for url in (reverse("visits_visit", args=[v.pk]), reverse("visits_grid", args=[grid_a.pk]),
                reverse("visits_request", args=[req.pk])):
        assert client.get(url).status_code == 404
    assert client.post(reverse("visits_problem_solve", args=[v.problems.get().pk]),
                       {"solution": "x"}).status_code == 404


def test_grid_6_the_request_form_refuses_a_missing_limit_and_closing_without_a_note(staff_a):
    client = login(staff_a)
    response = client.post(reverse("visits_request_new"), {"channel": "desk", "kind": "other", "text": "其他事情",
                                                           "assigned_to": staff_a.pk})
    assert response.status_code == 200 and "承诺办理时限" in response.content.decode()
    assert "其他事情" in response.content.decode() and not Request.objects.exists()
    response = client.post(reverse("visits_request_new"), {"channel": "box", "kind": "help", "text": "求助",
                                                           "assigned_to": staff_a.pk})
    req = Request.objects.get()
    assert response.status_code == 302
    response = client.post(reverse("visits_request_close", args=[req.pk]), {"resolution": "", "feedback": ""})
    assert response.status_code == 200 and "须写明办理结果" in response.content.decode()
    req.refresh_from_db()
    assert req.status == "open"


def test_grid_1_responsibility_pdf_has_the_chart_and_the_names_in_an_embedded_cjk_font(
        staff_a, director_a, grid_a, building_a, household_a):
    services.add_group_member(grid_a, person=household_a.members.get(), position=GroupMember.Position.BUILDING_HEAD,
                              buildings=[building_a], start=dt.date(2026, 1, 1), acting_user=director_a.user)
    page = login(staff_a).get(reverse("visits_responsibility"))
    assert page.status_code == 200 and b"<svg" in page.content and "孤老王" in page.content.decode()
    response = login(staff_a).get(reverse("visits_responsibility_pdf"))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "孤老王" in text and "第1片" in text and "GRID" not in text
    fonts = set()
    for p in reader.pages:
        for font in p["/Resources"]["/Font"].values():
            for desc in font.get_object().get("/DescendantFonts", []):
                d = desc.get_object().get("/FontDescriptor")
                if d is not None and ("/FontFile2" in d or "/FontFile3" in d):  # embedded
                    fonts.add(str(desc.get_object()["/BaseFont"]))
    assert any("CJK" in name for name in fonts)


def test_grid_2_grid_filters_renters_special_and_volunteers(staff_a, grid_a, household_a, renter_a):
    client = login(staff_a)
    url = reverse("visits_grid", args=[grid_a.pk])
    assert "孤老王" in client.get(url + "?show=special").content.decode()
    renters = client.get(url + "?show=renters").content.decode()
    assert "租户李" in renters and "孤老王" not in renters
    assert "租户李" in client.get(url + "?show=volunteers").content.decode()


def test_the_ledger_and_the_requests_list_take_the_same_queries_with_more_rows(
        staff_a, household_a, community_a, django_assert_max_num_queries):
    client = login(staff_a)
    for _i in range(3):
        visit(staff_a, household_a, problems=["x"])
        services.receive_request(community=community_a, channel="desk", kind="help", text="求助",
                                 assigned_to=staff_a, acting_user=staff_a.user)
    for name in ("visits_log", "visits_requests", "visits_problems", "visits_quotas", "visits_figures"):
        client.get(reverse(name))
        with django_assert_max_num_queries(30) as few:
            client.get(reverse(name))
        n = len(few.captured_queries)
        for i in range(12):
            h = Household.objects.create(community=community_a, building=household_a.building, unit=f"9-{i}")
            visit(staff_a, h, problems=["y"])
            services.receive_request(community=community_a, channel="desk", kind="help", text="求助",
                                     assigned_to=staff_a, acting_user=staff_a.user)
        with django_assert_max_num_queries(n) as many:
            client.get(reverse(name))
        assert len(many.captured_queries) == n, name


@pytest.mark.parametrize("query", ["?staff=99999999999999999999999", "?grid=-1", "?from=99999-01-01&to=x",
                                   "?grid=abc&staff="])
def test_ctl_8_odd_filters_answer_the_page(staff_a, query):
    assert login(staff_a).get(reverse("visits_log") + query).status_code == 200


def test_ctl_8_a_nul_in_a_filter_answers_400_naming_it(staff_a):
    response = login(staff_a).get(reverse("visits_log") + "?grid=abc&staff=%00")
    assert response.status_code == 400 and "staff" in response.content.decode()


@pytest.mark.parametrize("name,query", [("visits_quotas", "?week=2999-01-01"), ("visits_figures", "?month=99999-13"),
                                        ("visits_meeting", "?day=0001-01-01"), ("visits_grid", "?show=<script>")])
def test_ctl_8_odd_periods_answer_the_page(staff_a, grid_a, name, query):
    args = [grid_a.pk] if name == "visits_grid" else []
    assert login(staff_a).get(reverse(name, args=args) + query).status_code == 200
