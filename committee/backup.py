"""Backup and restore of the whole office (issue 18): one file holds the database and the uploaded files.

The file is a gzip-compressed tar archive (``.tar.gz``):

* ``manifest.json`` (the first member): format and format version, when it was made, the product's and
  Django's versions, the database vendor, the applied migrations, the number of rows of every table and the
  size and sha256 of every other member;
* ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the office keeps working) or
  ``database.pgdump`` (``pg_dump --format=custom`` of one snapshot, the row counts read in that snapshot);
* ``media/<path>``: every file under MEDIA_ROOT (uploads with their stored sha256, printed notices).

``restore`` reads the file once into a staging area and checks every checksum against the manifest before it
touches anything (a changed, missing or unexpected member, a foreign or damaged file: a clear message, nothing
restored). It refuses a database or MEDIA_ROOT that already holds data unless forced. A backup restores into
the same database vendor only (SQLite into SQLite, PostgreSQL into PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

FORMAT = "shequ-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
CHUNK = 1024 * 1024
# Tables that `migrate` fills by itself (Django's bookkeeping and the seed rows of the apps' post_migrate
# handlers): a database holding rows only there counts as empty. tests/committee/test_backup.py checks that a
# freshly built database is empty by this rule, so a new seed table shows up there.
FILLED_BY_MIGRATE_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
FILLED_BY_MIGRATE_MODELS = ("archives.Category", "disclosure.Category", "posts.Post")


class BackupError(Exception):
    """A backup that cannot be made, checked or restored; the message says why in the reader's words."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


@dataclass
class Member:
    name: str
    size: int | None = None
    expected: str | None = None
    actual: str | None = None

    @property
    def status(self) -> str:
        if self.expected is None:
            return "unexpected"
        if self.actual is None:
            return "missing"
        return "ok" if self.actual == self.expected else "changed"


@dataclass
class Check:
    manifest: dict
    members: list[Member] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and all(m.status == "ok" for m in self.members)


# --- helpers ----------------------------------------------------------------------------------------------

def product_version() -> str:
    try:
        with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as f:
            return tomllib.load(f)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _filled_by_migrate() -> set[str]:
    tables = set(FILLED_BY_MIGRATE_TABLES)
    for label in FILLED_BY_MIGRATE_MODELS:
        try:
            tables.add(apps.get_model(label)._meta.db_table)
        except LookupError:
            pass
    return tables


def row_counts(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """The number of rows of every table of the database (history tables included)."""
    connection = connections[using]
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def data_tables(counts: dict[str, int]) -> dict[str, int]:
    """The tables that hold rows a user put there (not only what `migrate` fills)."""
    ignored = _filled_by_migrate()
    return {t: n for t, n in counts.items() if n and t not in ignored}


def media_files(media_root: Path) -> list[Path]:
    """Every regular file under MEDIA_ROOT (symbolic links are not followed), in a stable order."""
    if not media_root.is_dir():
        return []
    found = []
    for directory, dirs, files in os.walk(media_root):
        dirs.sort()
        for name in sorted(files):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return found


def _safe_media_name(name: str) -> PurePosixPath | None:
    """The relative path under MEDIA_ROOT of an archive member, or None when it could escape it."""
    if not name.startswith(MEDIA_PREFIX) or "\\" in name or "\x00" in name:
        return None
    rel = PurePosixPath(name[len(MEDIA_PREFIX):])
    if not rel.parts or rel.is_absolute() or any(p in ("", ".", "..") for p in rel.parts):
        return None
    return rel


def _pg_env(settings_dict: dict) -> dict[str, str]:
    """The libpq environment of pg_dump / pg_restore from the connection's settings (the password too)."""
    env = dict(os.environ)
    pairs = {"PGHOST": settings_dict.get("HOST"), "PGPORT": settings_dict.get("PORT"),
             "PGUSER": settings_dict.get("USER"), "PGPASSWORD": settings_dict.get("PASSWORD"),
             "PGDATABASE": settings_dict.get("NAME")}
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT"),
                             ("sslcert", "PGSSLCERT"), ("sslkey", "PGSSLKEY"), ("passfile", "PGPASSFILE"),
                             ("service", "PGSERVICE")):
        pairs[variable] = options.get(option)
    for variable, value in pairs.items():
        if value not in (None, ""):
            env[variable] = str(value)
    return env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(_("%(program)s is not installed (the PostgreSQL client programs are needed).")
                          % {"program": command[0]}, "program") from None
    if result.returncode != 0:
        raise BackupError(_("%(what)s failed: %(error)s") % {"what": what, "error": result.stderr.strip()[-2000:]},
                          "program")


# --- the database -----------------------------------------------------------------------------------------

def _dump_sqlite(connection, target: Path) -> tuple[dict[str, int], dict[str, str]]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)  # SQLite's online backup API: one consistent copy
    finally:
        copy.close()
    return _sqlite_facts(target)


def _sqlite_facts(path: Path) -> tuple[dict[str, int], dict[str, str]]:
    """Row counts and the latest applied migration of each app, read from an SQLite file."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")]
        counts = {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}
        migrations = {}
        if "django_migrations" in tables:
            for app, name in db.execute("SELECT app, name FROM django_migrations ORDER BY app, name"):
                migrations[app] = name
    finally:
        db.close()
    return counts, migrations


def _dump_postgresql(connection, target: Path) -> tuple[dict[str, int], dict[str, str]]:
    """pg_dump of one exported snapshot; the row counts are read in the same snapshot."""
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = ANY (current_schemas(false))")
            tables = sorted(r[0] for r in cursor.fetchall())
            counts = {}
            for table in tables:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = cursor.fetchone()[0]
            migrations = {}
            if "django_migrations" in tables:
                cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
                for app, name in cursor.fetchall():
                    migrations[app] = name
            _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}",
                  "--dbname", connection.settings_dict["NAME"]], _pg_env(connection.settings_dict), "pg_dump")
        raw.rollback()
    finally:
        raw.close()
    return counts, migrations


# --- backup -----------------------------------------------------------------------------------------------

def create(target: str | os.PathLike, *, using: str = DEFAULT_DB_ALIAS, media_root=None) -> dict:
    """Write the backup file ``target`` (refused when it exists); returns its manifest."""
    target = Path(target)
    if target.exists():
        raise BackupError(_("%(file)s already exists; a backup never overwrites a file.") % {"file": target},
                          "exists")
    connection = connections[using]
    if connection.vendor not in DB_MEMBER:
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": connection.vendor},
                          "vendor")
    media_root = Path(media_root or settings.MEDIA_ROOT)
    db_member = DB_MEMBER[connection.vendor]
    partial = target.with_name(target.name + ".part")
    with tempfile.TemporaryDirectory(prefix="shequ-backup-") as tmp:
        db_file = Path(tmp) / db_member
        # The database first, then the files: a file uploaded in between is one more file no row names
        # (harmless), never a row whose file is missing.
        dump = _dump_sqlite if connection.vendor == "sqlite" else _dump_postgresql
        counts, migrations = dump(connection, db_file)
        members = {db_member: {"size": db_file.stat().st_size, "sha256": file_sha256(db_file)}}
        files = media_files(media_root)
        for path in files:
            name = MEDIA_PREFIX + path.relative_to(media_root).as_posix()
            members[name] = {"size": path.stat().st_size, "sha256": file_sha256(path)}
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "product": {"name": "shequ", "version": product_version()},
            "django": django.get_version(),
            "database": {"vendor": connection.vendor, "member": db_member},
            "migrations": migrations,
            "tables": counts,
            "rows": sum(counts.values()),
            "media_files": len(files),
            "members": members,
        }
        body = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # personal data: owner only
        try:
            with os.fdopen(fd, "wb") as out, tarfile.open(fileobj=out, mode="w:gz",
                                                          format=tarfile.PAX_FORMAT) as archive:
                _add_bytes(archive, MANIFEST, body)
                _add_file(archive, db_member, db_file)
                for path in files:
                    _add_file(archive, MEDIA_PREFIX + path.relative_to(media_root).as_posix(), path)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


def _info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    return info


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    archive.addfile(_info(name, len(data)), io.BytesIO(data))


def _add_file(archive: tarfile.TarFile, name: str, path: Path) -> None:
    with open(path, "rb") as f:
        archive.addfile(_info(name, os.fstat(f.fileno()).st_size), f)


# --- reading a backup -------------------------------------------------------------------------------------

def _open(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise BackupError(_("There is no file %(file)s.") % {"file": path}, "no_file")
    try:
        return tarfile.open(path, mode="r|gz")
    except (tarfile.TarError, OSError, EOFError):
        raise BackupError(_("%(file)s is not a backup of this product (not a .tar.gz archive).") % {"file": path},
                          "foreign") from None


def _read_manifest(archive: tarfile.TarFile, path: Path) -> tuple[dict, tarfile.TarInfo]:
    try:
        first = archive.next()
        if first is None or first.name != MANIFEST or not first.isfile() or first.size > 64 * 1024 * 1024:
            raise ValueError
        manifest = json.loads(archive.extractfile(first).read())
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ValueError
    except (tarfile.TarError, OSError, EOFError, ValueError):
        raise BackupError(_("%(file)s is not a backup of this product (no manifest).") % {"file": path},
                          "foreign") from None
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(_("%(file)s was written in backup format %(version)s; this version of the product "
                            "reads format %(ours)s.") % {"file": path, "version": manifest.get("format_version"),
                                                         "ours": FORMAT_VERSION}, "version")
    if not isinstance(manifest.get("members"), dict) or manifest.get("database", {}).get("vendor") not in DB_MEMBER:
        raise BackupError(_("The manifest of %(file)s is incomplete.") % {"file": path}, "foreign")
    return manifest, first


def read(path: str | os.PathLike, *, database_to: Path | None = None, media_to: Path | None = None) -> Check:
    """Read the whole backup, computing the sha256 of every member against the manifest. Optionally copy the
    database member to ``database_to`` and the media members under ``media_to`` (a staging directory)."""
    path = Path(path)
    archive = _open(path)
    try:
        manifest, first = _read_manifest(archive, path)
        expected = manifest["members"]
        db_member = manifest["database"]["member"]
        seen: dict[str, Member] = {}
        for info in archive:
            name = info.name
            if info is first:
                continue
            member = Member(name, info.size, (expected.get(name) or {}).get("sha256"))
            rel = None if name == db_member else _safe_media_name(name)
            if not info.isfile() or (name != db_member and rel is None) or name in seen:
                member.expected = None  # a link, a directory, a path outside MEDIA_ROOT, a second copy
                seen.setdefault(name, member)
                continue
            seen[name] = member
            out_path = None
            if name == db_member and database_to is not None:
                out_path = database_to
            elif rel is not None and media_to is not None and member.expected is not None:
                out_path = media_to.joinpath(*rel.parts)
                out_path.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            source = archive.extractfile(info)
            out = open(out_path, "wb") if out_path is not None else None
            try:
                for chunk in iter(lambda: source.read(CHUNK), b""):  # noqa: B023 - used at once
                    digest.update(chunk)
                    if out is not None:
                        out.write(chunk)
            finally:
                if out is not None:
                    out.close()
            member.actual = digest.hexdigest()
    except (tarfile.TarError, OSError, EOFError, zlib.error):
        raise BackupError(_("%(file)s is damaged: it ends early or its compression is broken.") % {"file": path},
                          "damaged") from None
    finally:
        archive.close()
    check = Check(manifest)
    for name, facts in sorted(expected.items()):
        member = seen.pop(name, None) or Member(name, facts.get("size"), facts.get("sha256"))
        check.members.append(member)
    check.members.extend(sorted(seen.values(), key=lambda m: m.name))
    if db_member not in expected:
        check.problems.append(_("The manifest names no database."))
    return check


def verify(path: str | os.PathLike) -> Check:
    """Every checksum against the manifest, and the database copy itself: SQLite's integrity check and its
    row counts against the manifest, or pg_restore's reading of the dump's table of contents."""
    with tempfile.TemporaryDirectory(prefix="shequ-check-") as tmp:
        db_file = Path(tmp) / "database"
        check = read(path, database_to=db_file)
        if check.ok and db_file.exists():
            check.problems.extend(_check_database(check.manifest, db_file))
    return check


def _check_database(manifest: dict, db_file: Path) -> list[str]:
    if manifest["database"]["vendor"] == "sqlite":
        try:
            db = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
            try:
                result = db.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                db.close()
            counts, _migrations = _sqlite_facts(db_file)
        except sqlite3.DatabaseError as e:
            return [_("The database copy cannot be read: %(error)s") % {"error": e}]
        problems = [] if result == "ok" else [_("The database copy fails SQLite's integrity check: %(error)s")
                                               % {"error": result}]
        if counts != manifest.get("tables"):
            problems.append(_("The row counts of the database copy differ from the manifest."))
        return problems
    try:
        _run(["pg_restore", "--list", str(db_file)], dict(os.environ), "pg_restore --list")
    except BackupError as e:
        return [str(e)]
    return []


# --- restore ----------------------------------------------------------------------------------------------

@dataclass
class Restored:
    manifest: dict
    counts: dict[str, int]
    files: int
    left_alone: int
    pending_migrations: int
    unknown_migrations: int


def holds_data(using: str = DEFAULT_DB_ALIAS, media_root=None) -> tuple[dict[str, int], int]:
    """(tables holding user rows, number of files under MEDIA_ROOT)."""
    return data_tables(row_counts(using)), len(media_files(Path(media_root or settings.MEDIA_ROOT)))


def restore(path: str | os.PathLike, *, using: str = DEFAULT_DB_ALIAS, media_root=None,
            force: bool = False) -> Restored:
    """Put the database and the files of a backup back (checked first; refused over data unless ``force``)."""
    path = Path(path)
    connection = connections[using]
    media_root = Path(media_root or settings.MEDIA_ROOT)
    if not force:
        tables, files = holds_data(using, media_root)
        if tables:
            shown = ", ".join(f"{t} ({n})" for t, n in sorted(tables.items(), key=lambda x: -x[1])[:5])
            raise BackupError(_("The database already holds data (%(tables)s). Restore into an empty database, "
                                "or pass --force to replace its contents.") % {"tables": shown}, "not_empty")
        if files:
            raise BackupError(ngettext(
                "%(dir)s already holds %(n)s file. Restore into an empty MEDIA_ROOT, or pass --force to replace "
                "its contents.",
                "%(dir)s already holds %(n)s files. Restore into an empty MEDIA_ROOT, or pass --force to replace "
                "its contents.", files) % {"dir": media_root, "n": files}, "not_empty")
    media_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    try:
        db_file = staging / "database"
        check = read(path, database_to=db_file, media_to=staging / "media")
        manifest = check.manifest
        if not check.ok:
            bad = [m for m in check.members if m.status != "ok"]
            shown = "; ".join(f"{m.name}: {status_label(m.status)}" for m in bad[:5]) or "; ".join(check.problems)
            raise BackupError(_("The backup does not match its manifest (%(members)s); nothing was restored.")
                              % {"members": shown}, "tampered")
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(_("This backup holds a %(theirs)s database and restores only into %(theirs)s; the "
                                "configured database is %(ours)s.") % {"theirs": vendor, "ours": connection.vendor},
                              "vendor")
        problems = _check_database(manifest, db_file)
        if problems:
            raise BackupError("; ".join(problems), "damaged")
        if vendor == "sqlite":
            _restore_sqlite(connection, db_file)
        else:
            _restore_postgresql(connection, db_file)
        restored_files = 0
        staged_media = staging / "media"
        names = {m.name for m in check.members if m.name.startswith(MEDIA_PREFIX)}
        for name in sorted(names):
            rel = _safe_media_name(name)
            destination = media_root.joinpath(*rel.parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged_media.joinpath(*rel.parts), destination)
            restored_files += 1
        left_alone = len(media_files(media_root)) - restored_files
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    pending, unknown = _migration_state(using)
    return Restored(manifest, row_counts(using), restored_files, left_alone, pending, unknown)


def status_label(status: str) -> str:
    return {"ok": pgettext("backup", "ok"), "changed": pgettext("backup", "checksum differs"),
            "missing": pgettext("backup", "missing"), "unexpected": pgettext("backup", "not in the manifest")}[status]


def _restore_sqlite(connection, db_file: Path) -> None:
    connection.close()
    connection.ensure_connection()
    source = sqlite3.connect(db_file)
    try:
        source.backup(connection.connection)  # replaces every page of the configured database
    finally:
        source.close()
    connection.close()


def _restore_postgresql(connection, db_file: Path) -> None:
    with connection.cursor() as cursor:
        has_tables = bool(connection.introspection.table_names(cursor))
    connection.close()
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if has_tables:
        command += ["--clean", "--if-exists"]  # a migrated-but-empty database, or --force
    command += ["--dbname", connection.settings_dict["NAME"], str(db_file)]
    _run(command, _pg_env(connection.settings_dict), "pg_restore")


def _migration_state(using: str) -> tuple[int, int]:
    """(migrations of this code not applied in the restored database, applied ones this code does not know)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    unknown = len(set(executor.loader.applied_migrations) - set(executor.loader.disk_migrations))
    return pending, unknown
