"""Arrow tables built part by part, each part sorted → kept in files of a folder and read back one table at a time,
batch by batch while the parts follow each other in order, whole otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import pyarrow as pa_arrow
import pyarrow.compute as pc
import pyarrow.ipc as ipc

from pipeline.bi.formats import arrow_schema
from pipeline.bi.records import model_sort_key
from schemas.warehouse import TABLES

SUFFIX = ".arrows"


class TableSpool:
    """Every warehouse table's parts, appended to one Arrow stream file per table in `folder`; for each table, its
    row count and whether its parts, one after another, are in the model's order."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir()
        self.folder = folder
        self.rows = dict.fromkeys(TABLES, 0)
        self.in_order = dict.fromkeys(TABLES, True)
        self._last: dict[str, pa_arrow.Table] = {}
        self._writers: dict[str, ipc.RecordBatchStreamWriter] = {}
        for name, model in TABLES.items():
            self._writers[name] = ipc.new_stream(str(self._path(name)), arrow_schema(model))

    def append(self, tables: dict[str, pa_arrow.Table]) -> None:
        """Tables of some documents, each sorted by its model's key → appended to the spooled tables of the same
        names."""
        for name, table in tables.items():
            if table.num_rows:
                self._follow(name, table)
                self.rows[name] += table.num_rows
            self._writers[name].write_table(table)

    def _follow(self, name: str, table: pa_arrow.Table) -> None:
        """A table's next part → whether its first row sorts after the last part's last row noted, its last row kept."""
        last = self._last.get(name)
        if last is not None and self.in_order[name]:
            pair = pa_arrow.concat_tables([last, table.slice(0, 1)])
            keys = [(column, "ascending") for column in model_sort_key(TABLES[name])]
            self.in_order[name] = pc.sort_indices(pair, sort_keys=keys).to_pylist() == [0, 1]
        self._last[name] = table.take([table.num_rows - 1])  # a copy: the part itself is not held

    def close(self) -> None:
        """Every spooled file finished (safe to call twice)."""
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def batches(self, name: str) -> Iterator[pa_arrow.RecordBatch]:
        """A table name → its spooled parts, batch by batch in the order appended (the spool closed first).

        The file is read, not memory-mapped (a path alone is mapped, and every page read stays in the process's
        resident memory until the mapping closes)."""
        self.close()
        with pa_arrow.OSFile(str(self._path(name))) as source, ipc.open_stream(source) as reader:
            yield from reader

    def read(self, name: str) -> pa_arrow.Table:
        """A table name → every part spooled for it, as one Arrow table (the spool closed first)."""
        self.close()
        with pa_arrow.OSFile(str(self._path(name))) as source, ipc.open_stream(source) as reader:
            return reader.read_all()

    def _path(self, name: str) -> Path:
        """A table name → its spooled file."""
        return self.folder / f"{name}{SUFFIX}"

    def __enter__(self) -> TableSpool:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
