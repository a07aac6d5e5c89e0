"""The daily digest (REMIND): each working day, every person on staff is told what their dashboard shows as
overdue or due by the next working day, once in the in-app list (``Notification``) and once by e-mail.

What it refuses, and why:

- It never computes its own list: ``items_for`` filters ``reminders.for_user``, the dashboard's own
  function, so the e-mail cannot list what the dashboard does not (or miss what it does).
- Nobody whose employment or last role has ended is told anything (CTL-3: the same test as for logging
  in), nor a closed login, nor an account without a staff record.
- The same item is not told twice to the same person on the same day (a unique constraint), and an e-mail
  goes out only when the person has something not yet e-mailed: running the command twice sends nothing new.
- On a day that is not a working day (committee.calendar) nothing is sent: the last working day's digest
  already listed what falls due up to the next working day.

The management command ``send_digest`` runs it (docs/notifications.md: cron or a systemd timer).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from committee import calendar, controls, reminders
from committee.models import Notification, Staff

OVERDUE = Notification.Kind.OVERDUE
DUE_TOMORROW = Notification.Kind.DUE_TOMORROW


def horizon(day: dt.date) -> dt.date:
    """The last due date that counts as "due tomorrow" on ``day``: the next working day (on a Friday before a
    normal weekend, Monday; the weekend's due dates are in that digest too)."""
    return calendar.next_working_day(day + dt.timedelta(days=1))


def kind_of(reminder: reminders.Reminder, day: dt.date) -> str | None:
    """OVERDUE for what the dashboard shows as overdue; DUE_TOMORROW for what it shows as due with a due date
    no later than the next working day (a due item whose date is today or already past included); None for
    the rest (due later, notices)."""
    if reminder.state == reminders.OVERDUE:
        return OVERDUE
    if reminder.state == reminders.DUE and reminder.due is not None and reminder.due <= horizon(day):
        return DUE_TOMORROW
    return None


def items_for(user, day: dt.date) -> list[tuple[str, reminders.Reminder]]:
    """(kind, reminder) of every dashboard item of ``user`` on ``day`` that the digest tells, in the
    dashboard's order (overdue first, then by due date)."""
    out = []
    for reminder in reminders.for_user(user, day):
        kind = kind_of(reminder, day)
        if kind is not None:
            out.append((kind, reminder))
    return out


def item_key(reminder: reminders.Reminder) -> str:
    """What identifies one dashboard item from one day to the next (reminders have no id of their own)."""
    community = getattr(reminder.community, "pk", "")
    raw = f"{reminder.rule}|{community}|{reminder.due}|{reminder.url}|{reminder.title}"
    return hashlib.sha256(raw.encode()).hexdigest()


def language_for(user) -> str:
    """The language of the person's e-mail: theirs if the account has one, else the office's (简体中文)."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def recipients(day: dt.date) -> list:
    """Users told on ``day``: open logins with a staff record whose employment and roles have not ended
    (CTL-3), by name."""
    staff = (Staff.objects.filter(user__isnull=False, user__is_active=True)
             .select_related("user", "community", "street_office").order_by("street_office", "community", "name"))
    users = []
    for s in staff:
        if controls.login_allowed(s, day):
            user = s.user
            user._staff_cache = s  # committee.scoping.staff_for reads it
            users.append(user)
    return users


@dataclass
class Outcome:
    """What the digest did for one person."""

    user: object
    overdue: int = 0
    due: int = 0
    new: int = 0
    emailed: bool = False
    items: list = field(default_factory=list, repr=False)

    @property
    def staff(self):
        return self.user._staff_cache


def subject(overdue: int, due: int, day: dt.date) -> str:
    """社区办公提醒：3 项已逾期，2 项明天到期 (or "… 在 12月7日 前到期" when the next working day is later)."""
    parts = []
    if overdue:
        parts.append(ngettext("%(count)d item overdue", "%(count)d items overdue", overdue) % {"count": overdue})
    if due:
        last = horizon(day)
        if last == day + dt.timedelta(days=1):
            parts.append(ngettext("%(count)d item due tomorrow", "%(count)d items due tomorrow", due)
                         % {"count": due})
        else:
            parts.append(ngettext("%(count)d item due by %(day)s", "%(count)d items due by %(day)s", due)
                         % {"count": due, "day": formats.date_format(last, "MONTH_DAY_FORMAT")})
    what = parts[0] if len(parts) == 1 else _("%(first)s, %(second)s") % {"first": parts[0], "second": parts[1]}
    return _("Office reminders: %(what)s") % {"what": what}


def _absolute(url: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}{url}" if url and settings.PUBLIC_BASE_URL else url


def message(user, items, day: dt.date) -> mail.EmailMultiAlternatives:
    """The e-mail of one person's digest, plain text and HTML, in the current language."""
    overdue = [r for kind, r in items if kind == OVERDUE]
    due = [r for kind, r in items if kind == DUE_TOMORROW]
    last = horizon(day)
    context = {
        "name": user._staff_cache.name,
        "day": day,
        "overdue": [(r, _absolute(r.url)) for r in overdue],
        "due": [(r, _absolute(r.url)) for r in due],
        "due_heading": _("Due tomorrow") if last == day + dt.timedelta(days=1)
        else _("Due by %(day)s") % {"day": formats.date_format(last, "MONTH_DAY_FORMAT")},
        "list_url": _absolute(reverse("notification_list")),
        "dashboard_url": _absolute(reverse("dashboard")),
    }
    msg = mail.EmailMultiAlternatives(
        subject=subject(len(overdue), len(due), day),
        body=render_to_string("committee/email/digest.txt", context),
        to=[user.email],
    )
    msg.attach_alternative(render_to_string("committee/email/digest.html", context), "text/html")
    return msg


def _record(user, items, day: dt.date) -> int:
    """Create the Notifications of the day that do not exist yet; returns how many were new."""
    existing = set(Notification.objects.filter(recipient=user, day=day).values_list("key", "kind"))
    new = 0
    for kind, r in items:
        key = item_key(r)
        if (key, kind) in existing:
            continue
        try:
            with transaction.atomic():
                Notification.objects.create(
                    recipient=user, day=day, key=key, kind=kind, community=r.community, rule=r.rule,
                    title=r.title[:300], due=r.due, url=r.url[:300],
                )
        except IntegrityError:  # another run of the command created it meanwhile
            continue
        existing.add((key, kind))
        new += 1
    return new


def run(day: dt.date, *, dry_run: bool = False) -> list[Outcome]:
    """The digest of ``day`` for everybody: Notifications created, e-mails sent (none with ``dry_run``).
    Empty on a day that is not a working day."""
    if not calendar.is_working_day(day):
        return []
    outcomes = []
    with mail.get_connection() as connection:
        for user in recipients(day):
            with translation.override(language_for(user)):
                items = items_for(user, day)
                outcome = Outcome(user=user, items=items,
                                  overdue=sum(1 for kind, _r in items if kind == OVERDUE),
                                  due=sum(1 for kind, _r in items if kind == DUE_TOMORROW))
                outcomes.append(outcome)
                if not items:
                    continue
                if dry_run:
                    known = set(Notification.objects.filter(recipient=user, day=day).values_list("key", "kind"))
                    outcome.new = sum(1 for kind, r in items if (item_key(r), kind) not in known)
                    continue
                outcome.new = _record(user, items, day)
                pending = Notification.objects.filter(recipient=user, day=day, emailed_at__isnull=True)
                if user.email and pending.exists():
                    msg = message(user, items, day)
                    msg.connection = connection
                    msg.send()
                    now = timezone.now()
                    for notification in pending:  # one by one, so the history has it
                        notification.emailed_at = now
                        notification.save(update_fields=["emailed_at"])
                    outcome.emailed = True
    return outcomes


def unread(user):
    """The user's unread notifications (我的提醒); the nav badge counts them (``inbox.badge_counts``)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def unread_count(user) -> int:
    """How many notifications ``user`` has not read: one COUNT query, the reminder providers are not run."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return unread(user).count()
