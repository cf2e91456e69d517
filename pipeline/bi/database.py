"""Parquet files of the BI tables → one DuckDB file, written beside the old one and swapped in whole."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandera.pandas as pa

from pipeline.bi.sql import comment_sql, create_table_sql, quote
from pipeline.errors import WRITE_FAULTS
from pipeline.store.files import failpoint, fsync_dir, fsync_path
from schemas.warehouse import TABLES, columns

Model = type[pa.DataFrameModel]
#: DuckDB's default 256 KiB blocks give every table at least one block: 4.2 MiB for a few hundred rows.
#: 16 KiB (the smallest size DuckDB allows) makes the same warehouse about 0.3 MiB.
BLOCK_SIZE = 16384
#: Rows DuckDB gathers before it writes a row group to the file, and rows inserted per commit: a large table is
#: written while it is inserted instead of held in memory, with its primary key's index, until one commit.
ROW_GROUP_SIZE = 16384


#: DuckDB settings for writing the warehouse: one thread (one allocator arena; the tables are small) and freed
#: memory handed back to the system at once, so that a large store does not raise the peak of the process.
SETTINGS: dict[str, str | bool | int | float | list[str]] = {"threads": 1, "allocator_flush_threshold": "4MB"}


def parquet_to_duckdb(folder: Path, path: Path) -> Path:
    """A folder of `<table>.parquet` files → a DuckDB file at `path`, each table filled by DuckDB's own Parquet
    reader ROW_GROUP_SIZE rows at a time, each piece committed and checkpointed on its own (so that neither the rows
    nor the primary key's index are held whole), written beside the file and swapped in with os.replace.

    A write DuckDB cannot make (a full disk, say) is raised as the OSError it reports.
    """

    def load(con: duckdb.DuckDBPyConnection, name: str, model: Model) -> None:
        source = f"read_parquet('{_sql_text(folder / f'{name}.parquet')}', file_row_number = true)"
        rows = con.execute(f"SELECT count(*) FROM {source}").fetchone()
        for start in range(0, rows[0] if rows else 0, ROW_GROUP_SIZE):
            _insert(con, name, model, f"{source} WHERE file_row_number >= {start} "
                                      f"AND file_row_number < {start + ROW_GROUP_SIZE}")
            _commit(con)
        _commit(con)

    return _write_database(path, load)


def _write_database(path: Path, load: Callable[[duckdb.DuckDBPyConnection, str, Model], None]) -> Path:
    """A path and a function filling one created table → every table created and filled in a DuckDB file
    written beside `path` and swapped in with os.replace."""
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    _remove(temp, temp.with_name(temp.name + ".wal"))
    try:
        con = duckdb.connect(config=SETTINGS)
        try:
            con.execute("SET enable_progress_bar = false")  # DuckDB draws one on stderr for a statement over 2 s
            options = f"BLOCK_SIZE {BLOCK_SIZE}, ROW_GROUP_SIZE {ROW_GROUP_SIZE}"
            con.execute(f"ATTACH '{_sql_text(temp)}' AS warehouse ({options})")
            con.execute("USE warehouse")
            con.execute("BEGIN TRANSACTION")  # one transaction (per table when `load` commits)
            for name, model in TABLES.items():
                _load_table(con, name, model, load)
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


def _commit(con: duckdb.DuckDBPyConnection) -> None:
    """A DuckDB connection in a transaction → its rows committed and checkpointed, a new transaction begun."""
    con.execute("COMMIT")
    con.execute("CHECKPOINT warehouse")
    con.execute("BEGIN TRANSACTION")


def _load_table(con: duckdb.DuckDBPyConnection, name: str, model: Model,
                load: Callable[[duckdb.DuckDBPyConnection, str, Model], None]) -> None:
    """A DuckDB connection, table name, model and a function filling the table → the table created and filled."""
    con.execute(create_table_sql(name, model))
    con.execute(";\n".join(comment_sql(name, model)))
    load(con, name, model)


def _insert(con: duckdb.DuckDBPyConnection, name: str, model: Model, source: str) -> None:
    """A DuckDB connection, a created table, its model and a SQL source of rows → the rows inserted."""
    cols = ", ".join(quote(c) for c in columns(model))
    con.execute(f"INSERT INTO {quote(name)} ({cols}) SELECT {cols} FROM {source}")


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
