"""Frames and their models → Arrow tables; Arrow tables → Parquet and CSV files."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import BinaryIO

import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from schemas.warehouse import logical_types

Model = type[pa.DataFrameModel]

ARROW_TYPES = {
    "string": pa_arrow.string(),
    "integer": pa_arrow.int64(),
    "number": pa_arrow.float64(),
    "boolean": pa_arrow.bool_(),
    "date": pa_arrow.date32(),
}
#: Rows in one Parquet row group: the writer holds about this many rows of a table at a time.
ROW_GROUP_ROWS = 16384


def frame_to_arrow(frame: pd.DataFrame, model: Model) -> pa_arrow.Table:
    """A table and its model → an Arrow table with the model's types and no pandas metadata."""
    table = pa_arrow.Table.from_pandas(frame, schema=arrow_schema(model), preserve_index=False)
    return table.replace_schema_metadata(None)


@cache
def arrow_schema(model: Model) -> pa_arrow.Schema:
    """A model → the Arrow schema of its table."""
    cols = model.to_schema().columns
    return pa_arrow.schema(
        [
            pa_arrow.field(name, ARROW_TYPES[kind], nullable=cols[name].nullable)
            for name, kind in logical_types(model).items()
        ]
    )


def write_parquet(batches: Iterable[pa_arrow.RecordBatch], schema: pa_arrow.Schema, sink: BinaryIO) -> None:
    """Record batches in order, their schema and an open binary file → the rows written to it as Parquet, in row
    groups of ROW_GROUP_ROWS (so that only one group is held at a time; same input, same bytes)."""
    with pq.ParquetWriter(sink, schema, compression="zstd", write_statistics=True) as writer:
        pending: list[pa_arrow.RecordBatch] = []
        for batch in batches:
            pending.append(batch)
            if sum(b.num_rows for b in pending) >= ROW_GROUP_ROWS:
                writer.write_table(pa_arrow.Table.from_batches(pending, schema), row_group_size=ROW_GROUP_ROWS)
                pending = []
        if pending:
            writer.write_table(pa_arrow.Table.from_batches(pending, schema), row_group_size=ROW_GROUP_ROWS)


def write_csv(batches: Iterable[pa_arrow.RecordBatch], schema: pa_arrow.Schema, sink: BinaryIO) -> None:
    """Record batches in order, their schema and an open binary file → the rows written to it as CSV: header, ISO
    dates, true/false, empty for null."""
    options = pa_csv.WriteOptions(include_header=True, quoting_style="needed")
    with pa_csv.CSVWriter(sink, schema, write_options=options) as writer:
        for batch in batches:
            writer.write_batch(batch)
