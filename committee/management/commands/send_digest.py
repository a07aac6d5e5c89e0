"""The daily digest (committee.digest): what each person's dashboard shows as overdue or due by the next
working day, into their in-app list 我的提醒 and by e-mail. Run each morning by cron or a systemd timer
(docs/notifications.md); a second run the same day sends nothing new.

    .venv/bin/python manage.py send_digest                       # today
    .venv/bin/python manage.py send_digest --date 2026-12-04 --dry-run
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from committee import digest


def _date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError(_("--date must be a date like 2026-12-04, got %(raw)r") % {"raw": raw}) from exc


class Command(BaseCommand):
    help = "Send each person on staff the digest of what their dashboard shows as overdue or due tomorrow."

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_date, default=None, help="The day of the digest (default: today).")
        parser.add_argument("--dry-run", action="store_true",
                            help="Show what would be sent; record and send nothing.")

    def handle(self, *args, date=None, dry_run=False, **options):
        day = date or timezone.localdate()
        outcomes = digest.run(day, dry_run=dry_run)
        if not outcomes:
            self.stdout.write(_("%(day)s is not a working day: nothing sent.") % {"day": day})
            return
        rows = [(o.staff.name, o.staff.unit_name, o.user.email or "—", o.overdue, o.due, o.new,
                 _("would send") if dry_run and o.new else _("sent") if o.emailed
                 else _("no e-mail address") if o.new and not o.user.email else "—")
                for o in outcomes if o.overdue or o.due]
        head = (_("Person"), _("Unit"), _("E-mail"), _("Overdue"), _("Due tomorrow"), _("New"), _("E-mail sent"))
        widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
        for row in [head, *rows]:
            self.stdout.write("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
        sent = sum(1 for o in outcomes if o.emailed)
        self.stdout.write(_("%(day)s: %(people)d people checked, %(told)d with items, %(new)d new notifications, "
                            "%(sent)d e-mails sent%(dry)s.") % {
            "day": day, "people": len(outcomes), "told": len(rows), "new": sum(o.new for o in outcomes),
            "sent": sent, "dry": _(" (dry run: nothing recorded or sent)") if dry_run else ""})
