"""Arrow tables → one DuckDB file, written beside the old one and swapped in whole."""

from __future__ import annotations

import errno
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandera.pandas as pa
import pyarrow as pa_arrow

from pipeline.bi.sql import comment_sql, create_table_sql, quote
from pipeline.errors import WRITE_FAULTS
from pipeline.store.files import failpoint, fsync_dir, fsync_path
from schemas.warehouse import TABLES, columns

Model = type[pa.DataFrameModel]
#: DuckDB's default 256 KiB blocks give every table at least one block: 4.2 MiB for a few hundred rows.
#: 16 KiB (the smallest size DuckDB allows) makes the same warehouse about 0.3 MiB.
BLOCK_SIZE = 16384


def arrow_to_duckdb(tables: Mapping[str, pa_arrow.Table], path: Path) -> Path:
    """Arrow tables → a DuckDB file at `path`, written beside it and swapped in with os.replace.

    A write DuckDB cannot make (a full disk, say) is raised as the OSError it reports.
    """
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    _remove(temp, temp.with_name(temp.name + ".wal"))
    try:
        con = duckdb.connect()
        try:
            con.execute(f"ATTACH '{_sql_text(temp)}' AS warehouse (BLOCK_SIZE {BLOCK_SIZE})")
            con.execute("USE warehouse")
            con.execute("BEGIN TRANSACTION")  # one transaction for every table: half the time of one per statement
            for name, model in TABLES.items():
                _load_table(con, name, model, tables[name])
            con.execute("COMMIT")
            con.execute("CHECKPOINT warehouse")
        except duckdb.Error as exc:
            raise _os_error(exc) or exc from exc
        finally:
            con.close()
        fsync_path(temp)
        failpoint("warehouse-staged")
        os.replace(temp, path)
        fsync_dir(path.parent)
    except BaseException:
        _remove(temp, temp.with_name(temp.name + ".wal"))
        raise
    return path


def _load_table(con: duckdb.DuckDBPyConnection, name: str, model: Model, table: Any) -> None:
    """A DuckDB connection, table name, model and Arrow table → the table created and filled."""
    con.execute(create_table_sql(name, model))
    con.execute(";\n".join(comment_sql(name, model)))
    con.register("incoming", table)
    try:
        cols = ", ".join(quote(c) for c in columns(model))
        con.execute(f"INSERT INTO {quote(name)} ({cols}) SELECT {cols} FROM incoming")
    finally:
        con.unregister("incoming")


def _os_error(exc: duckdb.Error) -> OSError | None:
    """A DuckDB error → the OSError its text reports (a known write fault, or any I/O error), else None."""
    text = str(exc)
    for number in WRITE_FAULTS:
        if os.strerror(number) in text:
            return OSError(number, os.strerror(number))
    return OSError(errno.EIO, os.strerror(errno.EIO)) if isinstance(exc, duckdb.IOException) else None


def _sql_text(path: Path) -> str:
    """A path → its text with quotes doubled, for a SQL string literal."""
    return str(path).replace("'", "''")


def _remove(*paths: Path) -> None:
    """Paths → each removed if it exists."""
    for path in paths:
        path.unlink(missing_ok=True)
