"""POST-5 × GRID-6: a complaint about a badge-holder creates one residents' request of the visits chapter,
assigned never to the holder complained about; the complaint page shows and links it; another community's
complaint still answers 404."""

from __future__ import annotations

import pytest
from django.utils import timezone

from committee.models import Role
from posts import services
from tests import factories as f
from tests.posts.conftest import assign
from visits.models import Request

pytestmark = pytest.mark.django_db


def _complaint(holding, by, text="态度不好"):
    return services.record_complaint(holding=holding, received_on=timezone.localdate(), text=text,
                                     complainant="张三", acting_user=by.user)


def test_grid_6_a_complaint_creates_one_request_never_assigned_to_the_holder(holding_a, director_a):
    c = _complaint(holding_a, director_a)
    assert Request.objects.count() == 1
    req = Request.objects.get()
    assert c.request == req
    assert req.kind == Request.Kind.STAFF_COMPLAINT and req.source == "posts" and req.resident_name == "张三"
    assert req.about_staff == holding_a.staff and req.assigned_to != holding_a.staff
    assert req.community == holding_a.community


def test_grid_6_a_complaint_about_the_director_goes_to_someone_else(community_a, post_finance, director_a,
                                                                     decision_a):
    deputy = f.staff(community_a, "副主任", [Role.DEPUTY_DIRECTOR])
    holding = assign(community_a, post_finance, [director_a], decision_a, director_a)[0]
    c = _complaint(holding, deputy)
    assert c.request.assigned_to != director_a


def test_grid_6_the_complaint_page_links_the_request(client, holding_a, director_a, supervisor):
    c = _complaint(holding_a, director_a)
    for reader in (director_a, supervisor):
        client.force_login(reader.user)
        html = client.get(c.get_absolute_url()).content.decode()
        assert c.request.number in html
        assert f'href="{c.request.get_absolute_url()}"' in html
        assert client.get(c.request.get_absolute_url()).status_code == 200


def test_grid_6_another_communitys_complaint_still_404(client, holding_a, director_a, community_b):
    c = _complaint(holding_a, director_a)
    other = f.staff(community_b, "乙委员", [Role.MEMBER])
    client.force_login(other.user)
    assert client.get(c.get_absolute_url()).status_code == 404
    assert client.get(c.request.get_absolute_url()).status_code == 404
