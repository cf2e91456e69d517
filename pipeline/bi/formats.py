"""Frames and their models → Arrow tables; Arrow tables → Parquet and CSV files."""

from __future__ import annotations

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


def write_parquet(table: pa_arrow.Table, sink: BinaryIO) -> None:
    """An Arrow table and an open binary file → the table written to it as Parquet (same input, same bytes)."""
    pq.write_table(table, sink, compression="zstd", write_statistics=True)


def write_csv(table: pa_arrow.Table, sink: BinaryIO) -> None:
    """An Arrow table and an open binary file → the table written to it as CSV: header, ISO dates, true/false,
    empty for null."""
    options = pa_csv.WriteOptions(include_header=True, quoting_style="needed")
    pa_csv.write_csv(table, sink, write_options=options)
