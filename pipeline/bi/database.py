"""Parquet files of the BI tables → one DuckDB file, written beside the old one and swapped in whole."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandera.pandas as pa

from pipeline.bi.duckload import ERROR_EXIT, Plan, TablePlan
from pipeline.bi.sql import comment_sql, create_table_sql, quote
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

    The load runs in a fresh process that imports DuckDB only (see `duckload`), so the memory DuckDB needs is
    never added to the caller's. A write DuckDB cannot make (a full disk, say) is raised as the OSError it reports.
    """
    tables: list[TablePlan] = []
    for name, model in TABLES.items():
        cols = ", ".join(quote(c) for c in columns(model))
        tables.append({
            "create": create_table_sql(name, model),
            "comments": ";\n".join(comment_sql(name, model)),
            "source": f"read_parquet('{_sql_text(folder / f'{name}.parquet')}', file_row_number = true)",
            "insert": f"INSERT INTO {quote(name)} ({cols}) SELECT {cols} FROM",
        })
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    _remove(temp, temp.with_name(temp.name + ".wal"))
    try:
        _load(temp, tables)
        fsync_path(temp)
        failpoint("warehouse-staged")
        os.replace(temp, path)
        fsync_dir(path.parent)
    except BaseException:
        _remove(temp, temp.with_name(temp.name + ".wal"))
        raise
    return path


def _load(temp: Path, tables: list[TablePlan]) -> None:
    """A DuckDB file path and its tables' plans → the file written by `duckload` in a child process (which dies with
    this one); its error raised here (an OSError when it reports one)."""
    plan: Plan = {"path": str(temp), "options": f"BLOCK_SIZE {BLOCK_SIZE}, ROW_GROUP_SIZE {ROW_GROUP_SIZE}",
                  "settings": SETTINGS, "rows_per_commit": ROW_GROUP_SIZE, "tables": tables}
    root = str(Path(__file__).resolve().parents[2])  # the folder holding `pipeline`, installed or not
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (root, os.environ.get("PYTHONPATH"))))}
    child = subprocess.run([sys.executable, "-P", "-m", "pipeline.bi.duckload", str(os.getpid())],
                           input=json.dumps(plan), capture_output=True, text=True, check=False, env=env)
    if child.returncode == 0:
        return
    if child.returncode == ERROR_EXIT:
        error = json.loads(child.stdout)
        if error["errno"] is not None:
            raise OSError(error["errno"], os.strerror(error["errno"]))
        raise RuntimeError(f"DuckDB: {error['message']}")
    raise RuntimeError(f"the DuckDB load ended with code {child.returncode}: {child.stderr.strip()[-500:]}")


def _sql_text(path: Path) -> str:
    """A path → its text with quotes doubled, for a SQL string literal."""
    return str(path).replace("'", "''")


def _remove(*paths: Path) -> None:
    """Paths → each removed if it exists."""
    for path in paths:
        path.unlink(missing_ok=True)
