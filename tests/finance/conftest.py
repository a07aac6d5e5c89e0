"""Finance fixtures: a year's office budget for community A, the street approvers and the cashier."""

from __future__ import annotations

import datetime as dt

import pytest

from committee.models import Role
from finance import services
from finance.models import FundType
from tests import factories as f

YEAR = 2026


@pytest.fixture
def cbdirector(street):
    return f.staff(street, "社区办主任", [Role.BUILDING_OFFICE_DIRECTOR])


@pytest.fixture
def cashier(street):
    return f.staff(street, "出纳", [Role.FINANCE])


@pytest.fixture
def bookkeeper_a(community_a):
    return f.staff(community_a, "甲记账员", [Role.BOOKKEEPER])


@pytest.fixture
def station_a(community_a):
    return f.staff(community_a, "甲站长", [Role.STATION_HEAD])


@pytest.fixture
def office_budget(community_a, supervisor):
    """Set by the street office's department head (CTL-4)."""
    return services.create_budget(community=community_a, year=YEAR, fund_type=FundType.OFFICE,
                                  acting_user=supervisor.user)


@pytest.fixture
def line_a(office_budget, supervisor):
    return services.add_line(budget=office_budget, name="办公用品", amount="5000.00", acting_user=supervisor.user)


@pytest.fixture
def self_budget(community_a, supervisor):
    return services.create_budget(community=community_a, year=YEAR, fund_type=FundType.SELF_MANAGED,
                                  acting_user=supervisor.user)


@pytest.fixture
def self_line(self_budget, supervisor):
    return services.add_line(budget=self_budget, name="环境整治", amount="3000.00", acting_user=supervisor.user)


@pytest.fixture
def today():
    """A fixed working day inside the test year (a Wednesday)."""
    return dt.date(YEAR, 6, 10)


@pytest.fixture(autouse=True)
def _frozen(time_machine, request):
    # Live-server and concurrency tests run on the real clock (a browser refuses cookies that expired
    # by its own clock); the others on a fixed working day of the test year.
    if "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        time_machine.move_to(dt.datetime(YEAR, 6, 10, 10, 0), tick=False)


def expense(line, user, amount="100.00", method="cheque", **kw):
    data = {"line": line, "purpose": kw.pop("purpose", "购买办公用品"), "amount": amount, "payee": "文具店",
            "method": method}
    data.update(kw)
    return services.request_expense(community=line.community, acting_user=user, **data)


def decision(community, *, adopted=True, title="同意支出环境整治费用", kind="joint"):
    """An adopted decision of a community meeting (the meetings app's model); by default of the joint meeting
    of party committee, committee and station (三委联席会)."""
    from meetings.models import Body, BodyKind, Decision, Meeting

    body, _ = Body.objects.get_or_create(street_office=community.street_office, community=community,
                                         name=f"社区{BodyKind(kind).label}", defaults={"kind": kind})
    meeting = Meeting.objects.create(body=body, street_office=community.street_office, community=community,
                                     title="社区两委班子联席会议", date=dt.date(YEAR, 6, 1), status="closed")
    return Decision.objects.create(meeting=meeting, title=title, adopted=adopted, votes_for=7)


def fund_decision(community, *, ceiling="3000.00", purpose="环境整治", **kw):
    """FIN-7: a joint-meeting decision with its purpose and ceiling, recorded by the community's bookkeeper."""
    from tests import factories as f

    keeper = f.staff(community, "记账员", [Role.BOOKKEEPER])
    return services.record_fund_decision(community=community, decision=decision(community, **kw), purpose=purpose,
                                         ceiling=ceiling, acting_user=keeper.user)


def sign_all(e):
    """FIN-5: the handler, a station head and a director each sign in their own login."""
    from tests import factories as f

    services.sign_reimbursement(e, kind="handler", acting_user=e.requested_by.user)
    head = f.staff(e.community, "签字站长", [Role.STATION_HEAD])
    director = f.staff(e.community, "签字主任", [Role.DIRECTOR])
    services.sign_reimbursement(e, kind="station_head", acting_user=head.user)
    services.sign_reimbursement(e, kind="director", acting_user=director.user)


def attach_scan(e):
    from django.core.files.base import ContentFile

    e.attachment.save("signed.pdf", ContentFile(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), save=True)
