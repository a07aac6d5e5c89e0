"""Scoping (another community's record is 404), history records the acting user, pages' query counts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committee.models import Person, Role, Staff
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_another_communitys_staff_record_is_404(client_b, staff_a):
    assert client_b.get(f"/staff/{staff_a.pk}/").status_code == 404
    assert client_b.get(f"/history/committee/staff/{staff_a.pk}/").status_code == 404


def test_street_office_sees_every_community_of_its_street(client_street, staff_a, staff_b):
    page = client_street.get("/staff/").content.decode()
    assert staff_a.name in page and staff_b.name in page


def test_street_office_of_another_street_sees_nothing(staff_a):
    other_street = f.street_office("别的街道")
    outsider = f.staff(other_street, "外街道", [Role.DEPARTMENT_HEAD])
    client = login(outsider)
    assert client.get(f"/staff/{staff_a.pk}/").status_code == 404
    assert staff_a.name not in client.get("/staff/").content.decode()


def test_community_switcher_narrows_street_pages(client_street, community_a, staff_a, staff_b):
    client_street.post("/switch-community/", {"community": community_a.pk, "next": "/staff/"})
    page = client_street.get("/staff/").content.decode()
    assert staff_a.name in page and staff_b.name not in page


def test_switching_to_a_community_of_another_street_is_404(staff_a):
    other_street = f.street_office("别的街道")
    outsider = login(f.staff(other_street, "外街道", [Role.DEPARTMENT_HEAD]))
    assert outsider.post("/switch-community/", {"community": staff_a.community_id}).status_code == 404


def test_history_records_the_acting_user_of_a_web_edit(director_a, staff_a):
    client = login(director_a)
    response = client.post(f"/staff/{staff_a.pk}/edit/", {"name": "新名字", "gender": "F", "phone": "123"})
    assert response.status_code == 302
    latest = Staff.history.filter(id=staff_a.pk).latest("history_date")
    assert latest.history_user == director_a.user
    page = client.get(f"/history/committee/staff/{staff_a.pk}/").content.decode()
    assert director_a.name in page and "新名字" in page


def test_history_cannot_be_reverted_in_the_admin(settings):
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True


def test_member_cannot_add_staff_but_director_can(client_a, director_a, community_a):
    assert client_a.get("/staff/new/").status_code == 403
    response = login(director_a).post("/staff/new/", {"name": "新同事", "gender": "M", "phone": ""})
    assert response.status_code == 302
    assert Staff.objects.get(name="新同事").community == community_a


def test_role_is_ended_not_deleted(director_a, staff_a):
    # CTL-1: the director ends a non-approving role of another person; a past last day needs a reason.
    assignment = staff_a.roles.get()
    response = login(director_a).post(f"/roles/{assignment.pk}/end/", {"end": "2026-06-30", "note": "补记：6月底调离"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert str(assignment.end) == "2026-06-30"


def test_community_role_cannot_be_given_to_street_staff(street, client_street):
    colleague = f.staff(street, "街道同事", [Role.INSTRUCTOR])
    response = client_street.post(f"/staff/{colleague.pk}/roles/new/", {"role": "director",
                                                                          "start": timezone.localdate().isoformat()})
    assert response.status_code == 200  # form shown again: a street staff member holds street roles only
    assert "ORG-2" in response.content.decode()
    assert not colleague.roles.filter(role=Role.DIRECTOR).exists()


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/staff/", "/roles/", "/dashboard/"])
def test_page_query_count_does_not_grow_with_rows(url, community_a, director_a, supervisor):
    client = login(supervisor)
    for i in range(3):
        f.staff(community_a, f"员工{i}", [Role.MEMBER, Role.SERVICE_STAFF])
    few = _count(client, url)
    for i in range(15):
        f.staff(community_a, f"更多{i}", [Role.MEMBER])
        f.community(community_a.street_office, f"新社区{i}") if url == "/dashboard/" and i < 5 else None
    assert _count(client, url) <= few, url


def test_history_page_query_count_does_not_grow_with_versions(director_a, community_a):
    person = f.person(community_a, "历史")
    client = login(director_a)
    few = _count(client, f"/history/committee/person/{person.pk}/")
    for i in range(10):
        person.note = f"第{i}次"
        person.save()
    assert _count(client, f"/history/committee/person/{person.pk}/") <= few
    assert Person.history.filter(id=person.pk).count() == 11


def test_director_opens_a_login_for_a_staff_member_shown_once(director_a, community_a):
    newcomer = f.staff(community_a, "新人", [Role.MEMBER], login=False)
    response = login(director_a).post(f"/staff/{newcomer.pk}/account/", {"username": "heping.newcomer"},
                                      follow=True)
    newcomer.refresh_from_db()
    assert newcomer.user.username == "heping.newcomer"
    [message] = [str(m) for m in response.context["messages"]]
    password = next(word.strip("：:，,—") for word in message.replace("：", " ").split() if len(word) >= 10
                    and word.isalnum() and word.isascii() and word != "heping.newcomer")
    # The first password logs in, and (CTL-3) must be changed before anything else.
    client = Client()
    response = client.post("/login/", {"username": "heping.newcomer", "password": password})
    assert response.status_code == 302
    assert client.get("/dashboard/")["Location"] == "/password/"


def test_a_taken_user_name_is_refused(director_a, community_a, staff_a):
    newcomer = f.staff(community_a, "新人", [Role.MEMBER], login=False)
    response = login(director_a).post(f"/staff/{newcomer.pk}/account/", {"username": staff_a.user.username})
    assert response.status_code == 200
    newcomer.refresh_from_db()
    assert newcomer.user is None


def test_admin_cannot_revert_history(community_a, staff_a):
    from committee.models import User

    admin = User.objects.create_superuser("root-test", password="x-pass-123")
    staff_a.name = "改过的名字"
    staff_a.save()
    first = Staff.history.filter(id=staff_a.pk).earliest("history_date")
    client = Client()
    client.force_login(admin)
    url = f"/admin/committee/staff/{staff_a.pk}/history/{first.history_id}/"
    response = client.post(url, {"name": first.name, "street_office": staff_a.street_office_id,
                                 "community": staff_a.community_id, "_continue": "1"})
    staff_a.refresh_from_db()
    assert staff_a.name == "改过的名字"
    assert response.status_code == 403
    assert client.get(f"/admin/committee/staff/{staff_a.pk}/history/").status_code == 200
