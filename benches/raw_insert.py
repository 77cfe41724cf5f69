#!/usr/bin/env python3
"""The floor bulk loading is measured against: the rows a daycare database holds
(executions, their histories, registrations), inserted plainly into a new database
with the same schema, indexes and triggers, 10,000 rows per transaction, with the
same pragmas daycare uses (WAL, synchronous=NORMAL). Nothing is computed: no
workflow, no JSON, no compression.

    python3 benches/raw_insert.py SOURCE.db [CACHE_MIB]

SOURCE.db is a database `daycare submit` or `daycare demo` filled; prints rows per
second (each registration is one execution with its history, and a registration row
when it was confirmed). CACHE_MIB sets SQLite's page cache as daycare sets it for the
same work (32 for `submit`, 256 for `demo`); without it, SQLite's default (2 MiB)."""

import os
import sqlite3
import sys
import tempfile
import time

TABLES = ["executions", "history", "registrations"]
PER_TRANSACTION = 10_000


def main(source, cache_mib=None):
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    schema = [
        sql
        for (sql,) in src.execute(
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' "
            "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END"
        )
    ]
    rows = {t: src.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}
    capacity = src.execute("SELECT * FROM capacity").fetchall()
    definitions = src.execute("SELECT * FROM definitions").fetchall()
    with tempfile.TemporaryDirectory() as scratch:
        dst = sqlite3.connect(os.path.join(scratch, "raw.db"), isolation_level=None)
        dst.execute("PRAGMA journal_mode=WAL")
        dst.execute("PRAGMA synchronous=NORMAL")
        if cache_mib is not None:
            dst.execute(f"PRAGMA cache_size=-{int(cache_mib) * 1024}")
        for sql in schema:
            dst.execute(sql)
        dst.executemany(f"INSERT INTO capacity VALUES ({','.join('?' * len(capacity[0]))})", capacity)
        dst.executemany(
            f"INSERT INTO definitions VALUES ({','.join('?' * len(definitions[0]))})", definitions
        )
        # One registration at a time: its execution, its history, its registration row.
        inserts = {
            t: f"INSERT INTO {t} VALUES ({','.join('?' * len(rows[t][0]))})"
            for t in TABLES
            if rows[t]
        }
        registrations = {}
        name_at = [d[0] for d in src.execute("SELECT * FROM registrations LIMIT 0").description].index(
            "execution_name"
        )
        for r in rows["registrations"]:
            registrations[r[name_at]] = r
        history = {h[0]: h for h in rows["history"]}
        started = time.perf_counter()
        count = 0
        dst.execute("BEGIN")
        for e in rows["executions"]:
            dst.execute(inserts["executions"], e)
            if e[0] in history:
                dst.execute(inserts["history"], history[e[0]])
            if e[1] in registrations:
                dst.execute(inserts["registrations"], registrations[e[1]])
            count += 1
            if count % PER_TRANSACTION == 0:
                dst.execute("COMMIT")
                dst.execute("BEGIN")
        dst.execute("COMMIT")
        seconds = time.perf_counter() - started
        dst.close()
    print(f"raw insert: {count} registrations in {seconds:.2f} s ({count / seconds:,.0f}/s)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
