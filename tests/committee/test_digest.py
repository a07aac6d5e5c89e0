"""The daily digest (issue 17, Notifications; REMIND): what each person's dashboard shows as overdue or due by
the next working day, as Notifications and one e-mail; the 我的提醒 page and its nav badge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committee import digest
from committee.models import Notification, Role
from tests import factories as f
from tests.conftest import login

THURSDAY, FRIDAY, SATURDAY, MONDAY = dt.date(2026, 12, 3), dt.date(2026, 12, 4), dt.date(2026, 12, 5), dt.date(2026, 12, 7)


def _dashboard_items(client, day):
    """The dashboard's items (what the page lists) that the digest tells on ``day``."""
    response = client.get("/dashboard/")
    assert response.status_code == 200
    shown = list(response.context["street_wide"])
    for _community, items in response.context["per_community"]:
        shown.extend(items)
    return sorted(((digest.kind_of(r, day), r.title, r.due, r.url, getattr(r.community, "pk", None))
                   for r in shown if digest.kind_of(r, day)), key=repr)


def _digest_items(user, day):
    return sorted(((kind, r.title, r.due, r.url, getattr(r.community, "pk", None))
                   for kind, r in digest.items_for(user, day)), key=repr)


@pytest.mark.parametrize("persona", ["staff_a", "supervisor"])
def test_it_lists_exactly_what_the_dashboard_lists(persona, request, community_a, community_b, staff_b):
    """REMIND: a community member (one community) and a street department head (every community) each get
    in the digest exactly the dashboard's overdue and due-tomorrow items, links included."""
    staff = request.getfixturevalue(persona)
    f.staff(community_a, "主任", [Role.DIRECTOR])  # community A has its director: no ORG-3 item for A
    today = timezone.localdate()
    expected = _dashboard_items(login(staff), today)
    assert expected, "the dashboard shows something overdue (fresh communities miss every cadence)"
    assert _digest_items(staff.user, today) == expected
    communities = {pk for *_rest, pk in expected}
    assert communities == ({community_a.pk} if persona == "staff_a" else {community_a.pk, community_b.pk})


def test_due_tomorrow_on_a_friday_reaches_to_monday(staff_a):
    """On a Friday "tomorrow" is the next working day: this week's GRID-5 visits, due on Sunday, are in
    Friday's digest; on Thursday (next working day Friday) they are not yet."""
    assert digest.horizon(THURSDAY) == FRIDAY and digest.horizon(FRIDAY) == MONDAY
    friday = {(kind, r.rule, r.due) for kind, r in digest.items_for(staff_a.user, FRIDAY)}
    assert (digest.DUE_TOMORROW, "GRID-5", dt.date(2026, 12, 6)) in friday
    thursday = {(kind, r.rule, r.due) for kind, r in digest.items_for(staff_a.user, THURSDAY)}
    assert not any(rule == "GRID-5" and due == dt.date(2026, 12, 6) for _k, rule, due in thursday)
    assert all(kind == digest.OVERDUE for kind, _rule, _due in thursday if _due and _due > FRIDAY)
    # Due later than the next working day, and notices, are not told.
    assert not any(due and due > MONDAY and kind == digest.DUE_TOMORROW for kind, _rule, due in friday)


def test_it_sends_one_mail_per_person_with_the_right_recipient_and_subject(staff_a, community_b):
    staff_a.user.email = "jia@example.org"
    staff_a.user.save()
    mail.outbox.clear()
    [outcome] = [o for o in digest.run(FRIDAY) if o.user == staff_a.user]
    assert outcome.emailed and outcome.overdue and outcome.due
    [message] = [m for m in mail.outbox if m.to == ["jia@example.org"]]
    assert message.subject == f"社区办公提醒：{outcome.overdue} 项已逾期，{outcome.due} 项在 12月7日 前到期"
    assert "本周入户走访" in message.body and "已逾期" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "<a href=\"/roles/\">" in html
    assert Notification.objects.filter(recipient=staff_a.user, day=FRIDAY).count() == outcome.overdue + outcome.due


def test_subject_says_tomorrow_when_tomorrow_is_a_working_day(db):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert digest.subject(3, 2, THURSDAY) == "社区办公提醒：3 项已逾期，2 项明天到期"
        assert digest.subject(0, 1, THURSDAY) == "社区办公提醒：1 项明天到期"
        assert digest.subject(2, 0, THURSDAY) == "社区办公提醒：2 项已逾期"


def test_a_second_run_the_same_day_sends_nothing_new(staff_a):
    staff_a.user.email = "jia@example.org"
    staff_a.user.save()
    mail.outbox.clear()
    digest.run(FRIDAY)
    sent, told = len(mail.outbox), Notification.objects.count()
    assert sent == 1 and told
    again = digest.run(FRIDAY)
    assert len(mail.outbox) == sent and Notification.objects.count() == told
    assert all(o.new == 0 and not o.emailed for o in again)
    # The next working day is a new digest.
    digest.run(MONDAY)
    assert len(mail.outbox) == sent + 1


def test_leavers_and_ended_roles_get_nothing(community_a):
    """CTL-3: whoever may no longer log in is not told either: employment ended, last role ended, login
    closed."""
    left = f.staff(community_a, "离职", [Role.MEMBER])
    left.left_on = THURSDAY
    left.save()
    ended = f.staff(community_a, "卸任", [Role.MEMBER], end=THURSDAY)
    closed = f.staff(community_a, "停用", [Role.MEMBER])
    closed.user.is_active = False
    closed.user.save()
    stays = f.staff(community_a, "在职", [Role.MEMBER])
    for s in (left, ended, closed, stays):
        s.user.email = f"{s.user.username}@example.org"
        s.user.save()
    mail.outbox.clear()
    told = {o.user for o in digest.run(FRIDAY)}
    assert told == {stays.user}
    assert [m.to for m in mail.outbox] == [[stays.user.email]]
    assert not Notification.objects.exclude(recipient=stays.user).exists()
    # Still in office on the last day of the role: told that day.
    assert ended.user in digest.recipients(THURSDAY)


def test_without_an_address_it_records_but_sends_nothing(staff_a):
    mail.outbox.clear()
    digest.run(FRIDAY)
    assert not mail.outbox
    assert Notification.objects.filter(recipient=staff_a.user, emailed_at__isnull=True).exists()


def test_nothing_on_a_non_working_day(staff_a):
    staff_a.user.email = "jia@example.org"
    staff_a.user.save()
    mail.outbox.clear()
    assert digest.run(SATURDAY) == []
    assert not mail.outbox and not Notification.objects.exists()


def test_the_command_prints_a_table_and_dry_run_records_nothing(staff_a, capsys):
    staff_a.user.email = "jia@example.org"
    staff_a.user.save()
    mail.outbox.clear()
    call_command("send_digest", "--date", "2026-12-04", "--dry-run")
    out = capsys.readouterr().out
    assert staff_a.name in out and "将发送" in out and "试运行" in out
    assert not Notification.objects.exists() and not mail.outbox
    call_command("send_digest", "--date", "2026-12-04")
    out = capsys.readouterr().out
    assert "已发送" in out and len(mail.outbox) == 1
    call_command("send_digest", "--date", "2026-12-05")
    assert "不是工作日" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("send_digest", "--date", "4.12.2026")


# --- 我的提醒: the page, marking read, the badge ---------------------------------------------------------


def _note(user, n=0, **kwargs):
    kwargs.setdefault("community", None)
    return Notification.objects.create(recipient=user, day=FRIDAY, key=f"k{n}", kind=Notification.Kind.OVERDUE,
                                       title=f"提醒事项{n}", url="/roles/", **kwargs)


def test_the_page_shows_only_ones_own_notifications_unread_in_bold(staff_a, staff_b):
    mine = _note(staff_a.user, 1)
    _note(staff_a.user, 2, read_at=timezone.now())
    _note(staff_b.user, 3)
    page = login(staff_a).get("/notifications/").content.decode()
    assert "提醒事项1" in page and "提醒事项2" in page and "提醒事项3" not in page
    assert '<strong><a href="/roles/">提醒事项1</a></strong>' in page
    assert '<strong><a href="/roles/">提醒事项2</a></strong>' not in page
    assert f'action="/notifications/{mine.pk}/read/"' in page


def test_marking_read_is_for_the_recipient_only(staff_a, staff_b):
    theirs = _note(staff_b.user, 1)
    client = login(staff_a)
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    mine = _note(staff_a.user, 2)
    assert client.get(f"/notifications/{mine.pk}/read/").status_code == 405  # a GET changes nothing
    assert client.post(f"/notifications/{mine.pk}/read/").status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert mine.history.count() == 2  # created, read


def test_mark_all_read_marks_only_ones_own(staff_a, staff_b):
    for n in range(3):
        _note(staff_a.user, n)
    theirs = _note(staff_b.user, 9)
    assert login(staff_a).post("/notifications/read/").status_code == 302
    assert not Notification.objects.filter(recipient=staff_a.user, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_nav_badge_counts_unread_notifications(staff_a, staff_b):
    for n in range(3):
        _note(staff_a.user, n)
    _note(staff_a.user, 7, read_at=timezone.now())
    _note(staff_b.user, 8)
    assert digest.unread_count(staff_a.user) == 3
    page = login(staff_a).get("/notifications/").content.decode()
    assert '我的提醒 <span class="badge">3</span>' in page


def test_the_page_costs_the_same_for_1_and_20(staff_a, community_a):
    """The list and the badge cost the same for 1 and for 20 notifications (no query per row)."""

    def cost(n_notes):
        Notification.objects.all().delete()
        for n in range(n_notes):
            _note(staff_a.user, n, community=community_a, rule="ORG-3")
        client = login(staff_a)
        client.get("/notifications/")
        with CaptureQueriesContext(connection) as queries:
            client.get("/notifications/")
        return len(queries)

    one = cost(1)
    assert one == cost(20)
    assert one <= 16  # the base page (session, user, staff, nav badges) + count, rows, unread count


def test_the_digest_item_key_does_not_depend_on_the_link_being_open(staff_a):
    """The same item is the same Notification however often it is collected on a day."""
    first = [digest.item_key(r) for _k, r in digest.items_for(staff_a.user, FRIDAY)]
    second = [digest.item_key(r) for _k, r in digest.items_for(staff_a.user, FRIDAY)]
    assert first == second and len(set(first)) == len(first)
