"""Warehouse tables to PostgreSQL: create what is missing, upsert by primary key, drop what is gone.

Everything happens in one transaction: a reader sees the old export or the new one, never a mix.
Rows are replaced per document: documents not in `tables` are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from pipeline.bi.sql import comment_sql, create_table_sql, quote
from pipeline.errors import StoreError
from schemas.warehouse import SCOPE_COLUMN, TABLES, columns, primary_key

#: Key of the advisory lock that keeps two exports from interleaving.
EXPORT_LOCK_KEY = 0x4A0B_A1D5
_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


def export_to_postgres(tables: Mapping[str, pd.DataFrame], dsn: str) -> dict[str, int]:
    """Warehouse tables and a DSN → rows inserted, updated or deleted per table (0s on a re-run)."""
    try:
        import psycopg
    except ImportError as exc:  # an optional dependency: only this exporter needs it
        raise StoreError(None, "psycopg is not installed", "pip install 'psycopg[binary]'") from exc
    try:
        with psycopg.connect(dsn) as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (EXPORT_LOCK_KEY,))
            for name, model in TABLES.items():
                cur.execute(create_table_sql(name, model))
                for statement in comment_sql(name, model):
                    cur.execute(statement)
            documents = _documents(tables)
            changed = {name: _upsert(cur, name, tables[name]) for name in TABLES}
            for name in reversed(TABLES):
                changed[name] += _delete_missing(cur, name, documents)
            return changed
    except psycopg.Error as exc:
        raise StoreError(None, f"PostgreSQL export failed: {exc}".strip(), "check the DSN") from exc


def sql_for_psycopg(sql: str) -> str:
    """A warehouse question (`$name` parameters) → the same query with psycopg's `%(name)s`."""
    return _PARAMETER.sub(r"%(\1)s", sql.replace("%", "%%"))


def _documents(tables: Mapping[str, pd.DataFrame]) -> list[str]:
    """Warehouse tables → the ids of the documents they carry, sorted."""
    return sorted({str(d) for frame in tables.values() for d in frame[SCOPE_COLUMN]})


def _upsert(cur: Any, name: str, frame: pd.DataFrame) -> int:
    """A cursor, table name and rows → rows inserted or changed (unchanged rows are not touched)."""
    model = TABLES[name]
    cols, key = columns(model), primary_key(model)
    stage = quote(f"stage_{name}")
    cur.execute(f"CREATE TEMP TABLE {stage} (LIKE {quote(name)}) ON COMMIT DROP")
    column_list = ", ".join(quote(c) for c in cols)
    with cur.copy(f"COPY {stage} ({column_list}) FROM STDIN") as copy:
        for row in _records(frame[cols]):
            copy.write_row(row)
    others = [c for c in cols if c not in key]
    updates = ", ".join(f"{quote(c)} = EXCLUDED.{quote(c)}" for c in others)
    target = ", ".join(f"{quote(name)}.{quote(c)}" for c in others)
    incoming = ", ".join(f"EXCLUDED.{quote(c)}" for c in others)
    conflict = (
        f"DO UPDATE SET {updates} WHERE ({target}) IS DISTINCT FROM ({incoming})"
        if others
        else "DO NOTHING"
    )
    cur.execute(
        f"INSERT INTO {quote(name)} ({column_list}) SELECT {column_list} FROM {stage} "
        f"ON CONFLICT ({', '.join(quote(c) for c in key)}) {conflict}"
    )
    return int(cur.rowcount)


def _delete_missing(cur: Any, name: str, documents: list[str]) -> int:
    """A cursor, table name and exported documents → rows of those documents no longer staged."""
    key = primary_key(TABLES[name])
    stage = quote(f"stage_{name}")
    match = " AND ".join(f"s.{quote(c)} = t.{quote(c)}" for c in key)
    cur.execute(
        f"DELETE FROM {quote(name)} AS t WHERE t.{quote(SCOPE_COLUMN)} = ANY(%s) "
        f"AND NOT EXISTS (SELECT 1 FROM {stage} AS s WHERE {match})",
        (documents,),
    )
    return int(cur.rowcount)


def _records(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    """A frame → its rows as tuples of Python values, nulls as None."""
    return [
        tuple(None if _missing(v) else _python(v) for v in row)
        for row in frame.itertuples(index=False, name=None)
    ]


def _missing(value: Any) -> bool:
    """A cell → whether it is null (None, NaN, NaT, NA)."""
    return value is None or (not isinstance(value, str | bytes | bool) and bool(pd.isna(value)))


def _python(value: Any) -> Any:
    """A cell → a plain Python value psycopg adapts (numpy scalars unwrapped)."""
    return value.item() if hasattr(value, "item") else value
