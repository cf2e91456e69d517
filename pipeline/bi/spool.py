"""Arrow tables built part by part → kept in files of a folder until each table is read back whole, one at a time."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import pyarrow as pa_arrow
import pyarrow.ipc as ipc

from pipeline.bi.formats import arrow_schema
from schemas.warehouse import TABLES

SUFFIX = ".arrows"


class TableSpool:
    """Every warehouse table's parts, appended to one Arrow stream file per table in `folder`."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir()
        self.folder = folder
        self._writers: dict[str, ipc.RecordBatchStreamWriter] = {}
        for name, model in TABLES.items():
            self._writers[name] = ipc.new_stream(str(self._path(name)), arrow_schema(model))

    def append(self, tables: dict[str, pa_arrow.Table]) -> None:
        """Tables of some documents → appended to the spooled tables of the same names."""
        for name, table in tables.items():
            self._writers[name].write_table(table)

    def close(self) -> None:
        """Every spooled file finished (safe to call twice)."""
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def read(self, name: str) -> pa_arrow.Table:
        """A table name → every part spooled for it, as one Arrow table (the spool closed first)."""
        self.close()
        with ipc.open_stream(str(self._path(name))) as reader:
            return reader.read_all()

    def _path(self, name: str) -> Path:
        """A table name → its spooled file."""
        return self.folder / f"{name}{SUFFIX}"

    def __enter__(self) -> TableSpool:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
