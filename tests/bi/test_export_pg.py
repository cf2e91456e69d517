"""Export to PostgreSQL: idempotent upserts, stale rows removed, the BI questions run there too.

Needs a server: `eval "$(bash .ci/postgres.sh)"` sets JOBAID_TEST_PG_DSN; without it these skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.bi.build import build_warehouse, store_to_tables
from pipeline.bi.postgres import export_to_postgres, sql_for_psycopg
from pipeline.bi.questions import QUESTIONS
from schemas.warehouse import TABLES, columns, primary_key
from tests.bi.test_warehouse import A3, DOC, R1, R2, REVISIONS, write_fake_store

psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed (pip install psycopg)")


@pytest.fixture
def dsn() -> Iterator[str]:
    """A DSN whose search_path is a fresh schema, dropped afterwards."""
    base = os.environ.get("JOBAID_TEST_PG_DSN")
    if not base:
        pytest.skip('JOBAID_TEST_PG_DSN is not set: run eval "$(bash .ci/postgres.sh)" first')
    try:
        admin = psycopg.connect(base, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL at JOBAID_TEST_PG_DSN is unreachable: {exc}")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield psycopg.conninfo.make_conninfo(base, options=f"-c search_path={schema}")
    finally:
        admin.execute(f'DROP SCHEMA "{schema}" CASCADE')
        admin.close()


def dump(dsn: str) -> dict[str, list[tuple[Any, ...]]]:
    """A DSN → every warehouse table's rows, ordered by primary key."""
    with psycopg.connect(dsn) as conn:
        return {
            name: conn.execute(
                f'SELECT {", ".join(columns(model))} FROM "{name}" '
                f'ORDER BY {", ".join(primary_key(model))}'
            ).fetchall()
            for name, model in TABLES.items()
        }


def test_exporting_twice_changes_nothing(tmp_path: Path, dsn: str) -> None:
    tables = store_to_tables(write_fake_store(tmp_path))
    first = export_to_postgres(tables, dsn)
    assert first == {name: len(frame) for name, frame in tables.items()}
    before = dump(dsn)
    assert export_to_postgres(tables, dsn) == {name: 0 for name in TABLES}
    after = dump(dsn)
    assert after == before
    for name, rows in after.items():
        assert len(rows) == len(tables[name]) == len(set(rows)), name


def test_a_changed_store_updates_inserts_and_deletes(tmp_path: Path, dsn: str) -> None:
    export_to_postgres(store_to_tables(write_fake_store(tmp_path / "a")), dsn)
    reworded = (A3[0], A3[1], "Request a cross connect", *A3[3:])
    changed = {R1: REVISIONS[R1], R2: [reworded if a[0] == "a3" else a for a in REVISIONS[R2]]}
    tables = store_to_tables(write_fake_store(tmp_path / "b", changed))
    counts = export_to_postgres(tables, dsn)
    assert counts["dim_revision"] == 2  # R2 updated (now latest), R3 deleted, R1 untouched
    rows = dump(dsn)
    assert {name: len(r) for name, r in rows.items()} == {n: len(f) for n, f in tables.items()}
    with psycopg.connect(dsn) as conn:
        text = conn.execute("SELECT activity FROM dim_activity WHERE activity_id = 'a3'").fetchone()
        latest = conn.execute("SELECT revision_date FROM dim_revision WHERE is_latest").fetchall()
    assert text == ("Request a cross connect",)
    assert latest == [(R2,)]


def test_other_documents_are_left_alone(tmp_path: Path, dsn: str) -> None:
    other = store_to_tables(write_fake_store(tmp_path / "o", {R1: [A3]}, "other-aid"))
    export_to_postgres(other, dsn)
    export_to_postgres(store_to_tables(write_fake_store(tmp_path / "s")), dsn)
    with psycopg.connect(dsn) as conn:
        docs = conn.execute("SELECT document_id FROM dim_document ORDER BY 1").fetchall()
    assert docs == [("other-aid",), (DOC,)]


def test_the_questions_give_the_same_answers_as_duckdb(tmp_path: Path, dsn: str) -> None:
    store = write_fake_store(tmp_path)
    summary = build_warehouse(store)
    export_to_postgres(store_to_tables(store), dsn)
    params = {"old_date": R1.isoformat(), "new_date": R2.isoformat(), "party": "Reseller"}
    import duckdb

    with psycopg.connect(dsn) as pg, duckdb.connect(str(summary.database), read_only=True) as dd:
        for name, sql in QUESTIONS.items():
            wanted = {k: v for k, v in params.items() if f"${k}" in sql}
            got = pg.execute(sql_for_psycopg(sql), wanted or None).fetchall()
            expected = dd.execute(sql, wanted or None).fetchall()
            assert got == expected and got, name
