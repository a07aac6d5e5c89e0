#!/usr/bin/env python3
"""Compares the schemas of two SQLite databases: tables, columns (name, type, not null, default, primary key),
foreign keys, indexes and check constraints; column order is ignored. Exit 1 with the differences listed.

    scripts/schema-diff.py built-from-migrations.sqlite3 built-from-models.sqlite3

.ci/run uses it to prove that `migrate` on an empty database (built from the models at once, see
committee/management/commands/migrate.py) gives the schema that the migrations give.
"""

import re
import sqlite3
import sys


def schema(path: str) -> dict:
    db = sqlite3.connect(path)
    out = {}
    for name, sql in db.execute("select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'"):
        columns = sorted(tuple(row[1:]) for row in db.execute(f'pragma table_info("{name}")'))
        foreign_keys = sorted(row[2:5] for row in db.execute(f'pragma foreign_key_list("{name}")'))
        indexes = sorted((row[2], tuple(col[2] for col in db.execute(f'pragma index_info("{row[1]}")')))
                         for row in db.execute(f'pragma index_list("{name}")'))
        checks = sorted(re.findall(r'CONSTRAINT "([^"]+)" CHECK', sql or ""))
        out[name] = {"columns": columns, "foreign keys": foreign_keys, "indexes": indexes, "checks": checks}
    return out


def main(a: str, b: str) -> int:
    left, right = schema(a), schema(b)
    problems = [f"table {t} only in {a}" for t in sorted(set(left) - set(right))]
    problems += [f"table {t} only in {b}" for t in sorted(set(right) - set(left))]
    for table in sorted(set(left) & set(right)):
        for part, items in left[table].items():
            if items != right[table][part]:
                problems.append(f"{table} {part}: {a} has {sorted(set(items) - set(right[table][part]))}, "
                                f"{b} has {sorted(set(right[table][part]) - set(items))}")
    for line in problems:
        print(line)
    print(f"{len(left)} tables compared, {len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
