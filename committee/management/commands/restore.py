"""``manage.py restore FILE``: the database and the uploaded files of a backup put back, into an empty
database only unless --force; every checksum is checked before anything is touched (docs/operations.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from committee import backup


class Command(BaseCommand):
    help = ("Restore a backup written by `manage.py backup` into an empty database and MEDIA_ROOT (of the same "
            "database vendor); --force replaces a database that holds data.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file (.tar.gz)")
        parser.add_argument("--force", action="store_true",
                            help="replace the contents of a database / MEDIA_ROOT that already holds data")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database alias (default: default)")

    def handle(self, *args, **options):
        try:
            done = backup.restore(options["file"], using=options["database"], force=options["force"])
        except backup.BackupError as e:
            raise CommandError(str(e)) from None
        expected = done.manifest["tables"]
        width = max([len(t) for t in expected] + [10])
        self.stdout.write(f"{pgettext('backup', 'table'):<{width}}  {pgettext('backup', 'in the backup'):>14}  "
                          f"{pgettext('backup', 'restored'):>10}")
        differ = []
        for table in sorted(expected):
            want, got = expected.get(table), done.counts.get(table)
            if want != got:
                differ.append(table)
            if self.verbosity_shows(options, want, got):
                self.stdout.write(f"{table:<{width}}  {'' if want is None else want:>14}  "
                                  f"{'' if got is None else got:>10}")
        self.stdout.write(_("%(rows)s rows in %(tables)s tables and %(files)s files restored from %(file)s.")
                          % {"rows": sum(done.counts.get(t, 0) for t in expected), "tables": len(expected),
                             "files": done.files, "file": options["file"]})
        if done.left_alone:
            self.stdout.write(self.style.WARNING(
                ngettext("%(n)s file that was already in MEDIA_ROOT and is not in the backup was left in place.",
                         "%(n)s files that were already in MEDIA_ROOT and are not in the backup were left in place.",
                         done.left_alone) % {"n": done.left_alone}))
        if done.unknown_migrations:
            self.stdout.write(self.style.WARNING(
                ngettext("The backup was made by a newer version of the product (%(n)s migration this code does "
                         "not know): run the same or a newer version.",
                         "The backup was made by a newer version of the product (%(n)s migrations this code does "
                         "not know): run the same or a newer version.", done.unknown_migrations)
                % {"n": done.unknown_migrations}))
        elif done.pending_migrations:
            self.stdout.write(self.style.WARNING(
                ngettext("The backup was made by an older version: run `manage.py migrate` (%(n)s migration).",
                         "The backup was made by an older version: run `manage.py migrate` (%(n)s migrations).",
                         done.pending_migrations) % {"n": done.pending_migrations}))
        if differ:
            raise CommandError(_("The restored row counts differ from the backup's in %(tables)s.")
                               % {"tables": ", ".join(differ[:10])})
        self.stdout.write(self.style.SUCCESS(_("Restore complete.")))

    @staticmethod
    def verbosity_shows(options, want, got):
        return options["verbosity"] >= 2 or want != got or bool(want)
