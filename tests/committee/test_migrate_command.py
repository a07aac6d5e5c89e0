"""`migrate` on an empty database builds it from the models at once (committee/management/commands/migrate.py);
on a database that has migrations it is Django's migrate. CI compares the two schemas (scripts/schema-diff.py)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(db: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600, check=True)


def test_an_empty_database_is_built_from_the_models_with_every_migration_recorded_and_the_seed_rows(tmp_path):
    db = tmp_path / "fresh.sqlite3"
    first = _manage(db, "migrate", "--noinput")
    assert "building the tables from the models" in first.stdout
    unapplied = [line for line in _manage(db, "showmigrations").stdout.splitlines() if "[ ]" in line]
    assert unapplied == []
    second = _manage(db, "migrate", "--noinput")
    assert "No migrations to apply" in second.stdout  # the second run is Django's own
    rows = sqlite3.connect(db)
    # the seed rows of the rule book come with it (post_migrate): POST-1 six posts, DIS-1 and ARC-1 categories
    assert rows.execute("select count(*) from posts_post").fetchone()[0] == 6
    assert rows.execute("select count(*) from disclosure_category").fetchone()[0] == 12
    assert rows.execute("select count(*) from archives_category").fetchone()[0] == 11
    assert rows.execute("select count(*) from auth_permission").fetchone()[0] > 0


def test_a_database_with_something_in_it_is_not_rebuilt(tmp_path):
    db = tmp_path / "other.sqlite3"
    sqlite3.connect(db).execute("create table somebody_elses (id integer)")
    # not empty: Django's migrate applies the migrations (here only asked for its plan, which is cheap)
    out = _manage(db, "migrate", "--plan").stdout
    assert "building the tables" not in out and "committee.0001_initial" in out
