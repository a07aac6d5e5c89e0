"""``manage.py backup FILE``: the database and every uploaded file in one .tar.gz with a manifest of
checksums; ``manage.py backup --check FILE`` reads a backup back and checks it (docs/operations.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from committee import backup


class Command(BaseCommand):
    help = ("Write the database and the uploaded files (MEDIA_ROOT) into one .tar.gz with a manifest of "
            "checksums; with --check, read a backup back and check every checksum and the database copy.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file to write (never overwritten), or to check")
        parser.add_argument("--check", action="store_true", help="check an existing backup instead of writing one")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="the database alias (default: default)")

    def handle(self, *args, **options):
        try:
            if options["check"]:
                self._check(options["file"], options["verbosity"])
            else:
                self._backup(options["file"], options["database"])
        except backup.BackupError as e:
            raise CommandError(str(e)) from None

    def _backup(self, file, using):
        manifest = backup.create(file, using=using)
        self.stdout.write(self.style.SUCCESS(
            _("Backup written to %(file)s: %(vendor)s database, %(tables)s tables, %(rows)s rows, %(files)s files.")
            % {"file": file, "vendor": manifest["database"]["vendor"], "tables": len(manifest["tables"]),
               "rows": manifest["rows"], "files": manifest["media_files"]}))

    def _check(self, file, verbosity):
        check = backup.verify(file)
        m = check.manifest
        self.stdout.write(_("Backup of %(created)s, product %(version)s, Django %(django)s, %(vendor)s database, "
                            "%(rows)s rows in %(tables)s tables, %(files)s files.")
                          % {"created": m.get("created_at"), "version": m.get("product", {}).get("version"),
                             "django": m.get("django"), "vendor": m["database"]["vendor"], "rows": m.get("rows"),
                             "tables": len(m.get("tables", {})), "files": m.get("media_files")})
        width = max([len(x.name) for x in check.members] + [10])
        header = (f"{pgettext('backup', 'member'):<{width}}  {pgettext('backup', 'bytes'):>12}  sha256        "
                  f"{pgettext('backup', 'result')}")
        self.stdout.write(header)
        shown = 0
        for member in check.members:
            # The database and every problem always; each good file only with -v 2.
            if member.status == "ok" and member.name.startswith(backup.MEDIA_PREFIX) and verbosity < 2:
                continue
            shown += 1
            size = "" if member.size is None else str(member.size)
            self.stdout.write(f"{member.name:<{width}}  {size:>12}  {(member.actual or '')[:12]:<12}  "
                              f"{backup.status_label(member.status)}")
        good_files = sum(1 for x in check.members if x.status == "ok" and x.name.startswith(backup.MEDIA_PREFIX))
        if verbosity < 2 and good_files:
            self.stdout.write(ngettext("… and %(n)s file, its checksum as in the manifest (-v 2 lists it).",
                                       "… and %(n)s files, each checksum as in the manifest (-v 2 lists them).",
                                       good_files) % {"n": good_files})
        for problem in check.problems:
            self.stdout.write(self.style.ERROR(problem))
        if not check.ok:
            raise CommandError(_("The backup %(file)s is NOT usable.") % {"file": file})
        self.stdout.write(self.style.SUCCESS(_("The backup %(file)s is complete: every checksum matches.")
                                             % {"file": file}))
