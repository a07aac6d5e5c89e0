"""Backup and restore (issue 18): `manage.py backup FILE` and `manage.py restore FILE` round-trip every row,
every history row and every uploaded file; a database holding data is refused unless --force; a changed,
foreign or damaged file is refused with a message and nothing restored.

The restores run as a separate process of the product (`manage.py restore`) with DATABASE_URL and MEDIA_ROOT
pointing at a scratch database, as the restore drill of docs/operations.md does."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from committee import backup
from committee.uploads import UploadField

ROOT = Path(__file__).resolve().parents[2]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manage(*args, database_url: str, media_root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root),
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)


def upload_columns():
    """(table, file column, sha256 column or None) of every UploadField of the product."""
    found = []
    for model in apps.get_models():
        if model._meta.app_label == "simple_history" or model.__name__.startswith("Historical"):
            continue
        names = {f.attname for f in model._meta.concrete_fields}
        for f in model._meta.concrete_fields:
            if isinstance(f, UploadField):
                checksum = f"{f.attname}_sha256"
                found.append((model._meta.db_table, f.column, checksum if checksum in names else None))
    return found


def sqlite_rows(db: sqlite3.Connection) -> dict[str, list]:
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"'))) for t in tables}


@pytest.fixture
def office(transactional_db):
    """Every app's demo records: history rows of every kind, archived PDFs and signed letters on disk."""
    call_command("load_demo", "--allow-production", stdout=io.StringIO())
    return settings.MEDIA_ROOT


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite round trip (PostgreSQL: test_postgresql_round_trip)")
def test_backup_restore_round_trips_every_row_history_row_and_file(office, tmp_path):
    media = Path(settings.MEDIA_ROOT)
    file = tmp_path / "office.tar.gz"
    call_command("backup", str(file), stdout=io.StringIO())
    manifest = backup.verify(file).manifest
    assert manifest["format"] == "shequ-backup" and manifest["database"]["vendor"] == "sqlite"
    assert manifest["tables"] == backup.row_counts()
    assert any(t.startswith("committee_historical") and n for t, n in manifest["tables"].items())
    source_files = {p.relative_to(media).as_posix(): sha(p) for p in backup.media_files(media)}
    assert len(source_files) >= 10  # the demo's archived PDFs and responsibility letters
    assert {n[len("media/"):]: m["sha256"] for n, m in manifest["members"].items() if n.startswith("media/")} \
        == source_files

    target, target_media = tmp_path / "restored.sqlite3", tmp_path / "media"
    result = manage("restore", str(file), database_url=f"sqlite:///{target}", media_root=target_media)
    assert result.returncode == 0, result.stderr

    # Every row of every table (history tables, Django's own, the many-to-many tables) is back as it was.
    source = sqlite3.connect(connection.settings_dict["NAME"], uri=True)
    restored = sqlite3.connect(target)
    try:
        before, after = sqlite_rows(source), sqlite_rows(restored)
        assert set(before) == set(after)
        for table in before:
            assert before[table] == after[table], table
        assert sum(len(rows) for t, rows in after.items() if "historical" in t) > 100
        # Every file is back with its checksum: as it was on disk and as the record stored it at upload.
        assert {p.relative_to(target_media).as_posix(): sha(p) for p in backup.media_files(target_media)} \
            == source_files
        checked = 0
        for table, column, checksum in upload_columns():
            stored_column = f'"{checksum}"' if checksum else "NULL"
            for name, stored in restored.execute(
                    f'SELECT "{column}", {stored_column} FROM "{table}" WHERE "{column}" != \'\''):
                assert sha(target_media / name) == source_files[name]
                if stored:
                    assert sha(target_media / name) == stored, (table, name)
                checked += 1
        assert checked >= 10
    finally:
        source.close()
        restored.close()

    # Into a database that holds data: refused, nothing changed; with --force: replaced.
    (target_media / "stray.txt").write_text("x")
    refused = manage("restore", str(file), database_url=f"sqlite:///{target}", media_root=target_media)
    assert refused.returncode != 0
    assert "Traceback" not in refused.stderr and "--force" in refused.stderr
    with sqlite3.connect(target) as db:
        db.execute("DELETE FROM committee_historicalperson")
    forced = manage("restore", "--force", str(file), database_url=f"sqlite:///{target}", media_root=target_media)
    assert forced.returncode == 0, forced.stderr
    with sqlite3.connect(target) as db:
        assert db.execute("SELECT COUNT(*) FROM committee_historicalperson").fetchone()[0] \
            == manifest["tables"]["committee_historicalperson"]
    assert (target_media / "stray.txt").exists()  # a file the backup does not know is left alone


def test_a_freshly_built_database_counts_as_empty(db, tmp_path):
    """Only what `migrate` fills (Django's tables, the seed rows): restore accepts such a database."""
    assert backup.data_tables(backup.row_counts()) == {}


def test_a_database_holding_data_is_refused_without_force(db, staff_a, tmp_path):
    file = tmp_path / "x.tar.gz"
    file.write_bytes(b"never read")
    with pytest.raises(backup.BackupError) as e:
        backup.restore(file)
    assert e.value.code == "not_empty" and "committee_community (1)" in str(e.value)


def _rewrite(source: Path, target: Path, change):
    """A copy of a backup with change(name, data) -> data | None (None drops the member)."""
    with tarfile.open(source, "r:gz") as old, tarfile.open(target, "w:gz", format=tarfile.PAX_FORMAT) as new:
        for info in old.getmembers():
            data = change(info.name, old.extractfile(info).read())
            if data is None:
                continue
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


@pytest.fixture
def small_backup(transactional_db, tmp_path, staff_a):
    from tests.test_uploads import PDF

    (Path(settings.MEDIA_ROOT) / "backup-test").mkdir(parents=True, exist_ok=True)
    (Path(settings.MEDIA_ROOT) / "backup-test" / "a.pdf").write_bytes(PDF)
    file = tmp_path / "small.tar.gz"
    backup.create(file)
    yield file
    (Path(settings.MEDIA_ROOT) / "backup-test" / "a.pdf").unlink()


def _refused(file: Path, code: str):
    counts = backup.row_counts()
    with pytest.raises(backup.BackupError) as e, translation.override("en"):
        backup.restore(file, force=True)
    assert e.value.code == code, str(e.value)
    assert backup.row_counts() == counts  # nothing touched
    return str(e.value)


def test_a_tampered_file_is_refused_before_anything_is_touched(small_backup, tmp_path):
    changed = tmp_path / "changed.tar.gz"
    _rewrite(small_backup, changed, lambda n, d: d.replace(b"%PDF", b"%PDX") if n.startswith("media/backup-test") else d)
    # (only this test's file: the worker's MEDIA_ROOT may hold other tests' PDFs too)
    assert "checksum" in _refused(changed, "tampered")

    database = tmp_path / "database.tar.gz"
    _rewrite(small_backup, database,
             lambda n, d: d[:-1] + bytes([d[-1] ^ 1]) if n.startswith("database.") else d)
    _refused(database, "tampered")

    missing = tmp_path / "missing.tar.gz"
    _rewrite(small_backup, missing, lambda n, d: None if n.startswith("media/backup-test") else d)
    assert "missing" in _refused(missing, "tampered")

    extra = tmp_path / "extra.tar.gz"
    with tarfile.open(small_backup, "r:gz") as old, tarfile.open(extra, "w:gz", format=tarfile.PAX_FORMAT) as new:
        for info in old.getmembers():
            new.addfile(info, old.extractfile(info))
        evil = tarfile.TarInfo("media/../../escape.txt")
        evil.size = 1
        new.addfile(evil, io.BytesIO(b"x"))
    _refused(extra, "tampered")
    assert not (Path(settings.MEDIA_ROOT).parent.parent / "escape.txt").exists()

    check = backup.verify(changed)
    assert not check.ok and [m.status for m in check.members if m.status != "ok"] == ["changed"]
    out = io.StringIO()
    with pytest.raises(Exception, match="NOT usable|不可用"):
        call_command("backup", "--check", str(changed), stdout=out)


def test_a_good_backup_checks_out(small_backup):
    check = backup.verify(small_backup)
    assert check.ok, check.problems
    out = io.StringIO()
    call_command("backup", "--check", "-v", "2", str(small_backup), stdout=out)
    assert "media/backup-test/a.pdf" in out.getvalue()


def test_foreign_and_damaged_files_get_a_message_not_a_traceback(small_backup, tmp_path):
    text = tmp_path / "notes.tar.gz"
    text.write_text("not an archive")
    _refused(text, "foreign")

    other = tmp_path / "other.tar.gz"
    with tarfile.open(other, "w:gz") as archive:
        info = tarfile.TarInfo("readme.txt")
        info.size = 2
        archive.addfile(info, io.BytesIO(b"hi"))
    _refused(other, "foreign")

    newer = tmp_path / "newer.tar.gz"
    _rewrite(small_backup, newer, lambda n, d: json.dumps({**json.loads(d), "format_version": 99}).encode()
             if n == "manifest.json" else d)
    _refused(newer, "version")

    truncated = tmp_path / "truncated.tar.gz"
    data = small_backup.read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    _refused(truncated, "damaged")

    _refused(tmp_path / "nothing.tar.gz", "no_file")


def test_a_backup_restores_into_the_same_database_vendor_only(small_backup, tmp_path):
    other = tmp_path / "pg.tar.gz"
    vendor = "postgresql" if connection.vendor == "sqlite" else "sqlite"

    def relabel(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["database"]["vendor"] = vendor
        return json.dumps(manifest).encode()

    _rewrite(small_backup, other, relabel)
    assert "restores only into" in _refused(other, "vendor")


def test_a_backup_never_overwrites_a_file(db, tmp_path):
    existing = tmp_path / "exists.tar.gz"
    existing.write_bytes(b"keep")
    with pytest.raises(backup.BackupError) as e:
        backup.create(existing)
    assert e.value.code == "exists" and existing.read_bytes() == b"keep"


# --- PostgreSQL ---------------------------------------------------------------------------------------------

@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump / pg_restore need PostgreSQL")
def test_postgresql_round_trip(office, tmp_path):
    import psycopg

    params = dict(connection.settings_dict)
    scratch = f"{params['NAME']}_restore"

    def admin(sql):
        with psycopg.connect(host=params["HOST"] or None, port=params["PORT"] or None, user=params["USER"],
                             password=params["PASSWORD"] or None, dbname="postgres", autocommit=True) as c:
            c.execute(sql)

    def rows(dbname):
        with psycopg.connect(host=params["HOST"] or None, port=params["PORT"] or None, user=params["USER"],
                             password=params["PASSWORD"] or None, dbname=dbname) as c:
            tables = [r[0] for r in c.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
            return {t: sorted(map(repr, c.execute(f'SELECT * FROM "{t}"'))) for t in tables}

    media = Path(settings.MEDIA_ROOT)
    file = tmp_path / "office.tar.gz"
    call_command("backup", str(file), stdout=io.StringIO())
    assert backup.verify(file).ok
    admin(f'DROP DATABASE IF EXISTS "{scratch}"')
    admin(f'CREATE DATABASE "{scratch}"')
    try:
        url = (f"postgres://{params['USER']}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{scratch}")
        target_media = tmp_path / "media"
        result = manage("restore", str(file), database_url=url, media_root=target_media)
        assert result.returncode == 0, result.stderr
        before, after = rows(params["NAME"]), rows(scratch)
        assert set(before) == set(after)
        for table in before:
            assert before[table] == after[table], table
        assert {p.relative_to(target_media).as_posix(): sha(p) for p in backup.media_files(target_media)} \
            == {p.relative_to(media).as_posix(): sha(p) for p in backup.media_files(media)}
        refused = manage("restore", str(file), database_url=url, media_root=tmp_path / "media2")
        assert refused.returncode != 0 and "--force" in refused.stderr
        forced = manage("restore", "--force", str(file), database_url=url, media_root=target_media)
        assert forced.returncode == 0, forced.stderr
        assert rows(scratch) == before
    finally:
        admin(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
