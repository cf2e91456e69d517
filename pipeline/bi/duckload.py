"""A load plan (JSON on stdin) → a DuckDB file filled from Parquet files, in a process of its own.

`database.parquet_to_duckdb` runs this module as a fresh interpreter that imports DuckDB only: what DuckDB holds
while it loads (the primary keys' indexes, its buffers and allocator) is then never added to the memory of the
run that read the documents, and is all handed back when the process ends. It prints nothing on success; on a
DuckDB error it prints one JSON line {"errno": N or null, "message": TEXT} and exits with ERROR_EXIT.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import signal
import sys
from typing import TYPE_CHECKING, TypedDict

from pipeline.errors import WRITE_FAULTS

if TYPE_CHECKING:  # DuckDB is imported by the load's own process only, not by the run that imports the plan's types
    import duckdb

ERROR_EXIT = 3
#: prctl(2) option: the signal a process gets when the thread that started it ends
PR_SET_PDEATHSIG = 1


class TablePlan(TypedDict):
    """One table of a load plan: its CREATE and COMMENT statements, its Parquet source and its INSERT head."""

    create: str
    comments: str
    source: str
    insert: str


class Plan(TypedDict):
    """What to load: the file, its ATTACH options, the DuckDB settings, rows per commit and the tables in order."""

    path: str
    options: str
    settings: dict[str, str | bool | int | float | list[str]]
    rows_per_commit: int
    tables: list[TablePlan]


def load(plan: Plan) -> None:
    """A plan → its tables created and filled in the DuckDB file at plan["path"], each `rows_per_commit` rows
    inserted, committed and checkpointed on their own (neither the rows nor the primary key's index held whole)."""
    import duckdb

    con = duckdb.connect(config=plan["settings"])
    try:
        con.execute("SET enable_progress_bar = false")  # DuckDB draws one on stderr for a statement over 2 s
        con.execute(f"ATTACH '{plan['path'].replace(chr(39), chr(39) * 2)}' AS warehouse ({plan['options']})")
        con.execute("USE warehouse")
        con.execute("BEGIN TRANSACTION")  # one transaction per table piece
        step = plan["rows_per_commit"]
        for table in plan["tables"]:
            con.execute(table["create"])
            con.execute(table["comments"])
            rows = con.execute(f"SELECT count(*) FROM {table['source']}").fetchone()
            for start in range(0, rows[0] if rows else 0, step):
                con.execute(f"{table['insert']} {table['source']} WHERE file_row_number >= {start} "
                            f"AND file_row_number < {start + step}")
                _commit(con)
            _commit(con)
        con.execute("COMMIT")
        con.execute("CHECKPOINT warehouse")
    finally:
        con.close()


def _commit(con: duckdb.DuckDBPyConnection) -> None:
    """A DuckDB connection in a transaction → its rows committed and checkpointed, a new transaction begun."""
    con.execute("COMMIT")
    con.execute("CHECKPOINT warehouse")
    con.execute("BEGIN TRANSACTION")


def main() -> None:
    """Run the plan on stdin for the process whose id is the one argument (killed with it: a killed run leaves no
    load going on); a DuckDB error → its errno (a known write fault, EIO for any other I/O error, else
    null) and its text as one JSON line on stdout, and ERROR_EXIT."""
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != int(sys.argv[1]):  # the parent ended before the signal was asked for
        sys.exit(ERROR_EXIT)
    import duckdb

    plan: Plan = json.load(sys.stdin)
    try:
        load(plan)
    except duckdb.Error as exc:
        print(json.dumps({"errno": _errno(exc), "message": str(exc)}))
        sys.exit(ERROR_EXIT)


def _errno(exc: duckdb.Error) -> int | None:
    """A DuckDB error → the errno its text reports (a known write fault, EIO for any other I/O error), else None."""
    import duckdb

    text = str(exc)
    for number in WRITE_FAULTS:
        if os.strerror(number) in text:
            return number
    return errno.EIO if isinstance(exc, duckdb.IOException) else None


if __name__ == "__main__":
    main()
