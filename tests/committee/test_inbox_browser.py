"""The inbox in a real browser at phone and desktop widths: a card shows the request in full, refusing opens
a dialog that will not submit without a reason, and the message after it says what happened."""

import datetime as dt
import os

import pytest

from attendance import services as attendance
from committee import approvals, calendar
from committee.models import Approval, Role
from tests import factories as f
from tests.conftest import browser_login

pytestmark = [pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("INBOX_SCREENSHOTS")


@pytest.mark.parametrize("width", [390, 1366])
def test_refusing_from_the_inbox_asks_for_the_reason_first(page, width):
    street = f.street_office()
    community = f.community(street, "和平里")
    member = f.staff(community, "王委员", [Role.MEMBER])
    director = f.staff(community, "李主任", [Role.DIRECTOR])
    day = calendar.add_working_days(dt.date.today(), 3)
    leave = attendance.request_leave(staff=member, kind="sick", start=day, start_half="am", end=day, end_half="am",
                                     reason="发烧", acting_user=member.user)
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(page, director)
    page.goto("/inbox/")
    card = page.locator("article.inbox-card")
    assert card.count() == 1
    assert "发烧" in card.inner_text() and "0.5" in card.inner_text()
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/inbox-{width}.png", full_page=True)
    card.get_by_role("button", name="不同意").first.click()
    dialog = page.locator("dialog[open]")
    assert dialog.is_visible()
    dialog.get_by_role("button", name="不同意").click()  # empty reason: the browser keeps the dialog open
    assert page.locator("dialog[open]").is_visible()
    [step] = approvals.steps_for(leave)
    assert Approval.objects.get(pk=step.pk).status == Approval.Status.PENDING
    dialog.locator("textarea[name=reason]").fill("那天有检查")
    dialog.get_by_role("button", name="不同意").click()
    page.wait_for_url("**/inbox/")
    assert "已不同意" in page.locator("main").inner_text()
    step.refresh_from_db()
    assert step.status == Approval.Status.REJECTED and step.comment == "那天有检查"
