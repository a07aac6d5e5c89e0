"""`migrate`, with a fast first run: a database that holds no migration yet is built from the models.

Django applies a migration operation by re-rendering every model related to the one it changes; every model
here points at the user, the staff or the community (and every history model at the user), so each of the
~500 operations re-renders nearly all ~220 models: a fresh database took 80 s on SQLite, minutes on
PostgreSQL, before `make run` could show a page.

On a database with no row in django_migrations (nothing applied, nothing to keep) this command instead creates
the tables from the models as they are now (Django's own `--run-syncdb` path, the one the test runner uses
with migrations disabled), records every migration as applied, and sends post_migrate (content types,
permissions, the seed rows of the rule book). The result is the schema the migrations build: CI checks that
the models and the migrations agree (`makemigrations --check`) and runs the migrations themselves from zero
(`migrate --from-migrations`). Any later run, and every run on a database that has migrations, is Django's
`migrate` unchanged.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management import call_command
from django.core.management.commands.migrate import Command as DjangoMigrate
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings


class Command(DjangoMigrate):
    help = DjangoMigrate.help + " A database without any applied migration is built from the models at once."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--from-migrations", action="store_true",
                            help="Apply every migration one by one even on an empty database (CI's check).")

    def handle(self, *args, **options):
        if self._fresh(options):
            return self._build_from_models(options)
        return super().handle(*args, **options)

    def _fresh(self, options) -> bool:
        if options["from_migrations"] or options["app_label"] or options["fake"] or options["plan"]:
            return False
        if options["check_unapplied"] or options["prune"] or options["fake_initial"]:
            return False
        connection = connections[options["database"]]
        recorder = MigrationRecorder(connection)
        if not recorder.has_table():
            return not connection.introspection.table_names()
        return not recorder.migration_qs.exists() and connection.introspection.table_names() == [
            recorder.Migration._meta.db_table]

    def _build_from_models(self, options):
        database, verbosity = options["database"], options["verbosity"]
        if verbosity:
            self.stdout.write("Empty database: building the tables from the models (migrations recorded as applied)")
        without_migrations = {config.label: None for config in apps.get_app_configs()}
        with override_settings(MIGRATION_MODULES=without_migrations):
            call_command(DjangoMigrate(), database=database, run_syncdb=True, interactive=False,
                         verbosity=max(verbosity - 1, 0), skip_checks=True)
        connection = connections[database]
        recorder = MigrationRecorder(connection)
        recorder.ensure_schema()
        loader = MigrationLoader(connection, ignore_no_migrations=True)
        for app_label, name in sorted(loader.graph.nodes):
            recorder.record_applied(app_label, name)
        if verbosity:
            self.stdout.write(f"  {len(loader.graph.nodes)} migrations recorded as applied")
