"""Row dicts and stored values → typed, validated BI frames; the grouping helpers the table builders share."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

import pandas as pd
import pandera.errors
import pandera.pandas as pa

from pipeline.errors import StoreError
from pipeline.read.validate import passes
from schemas.warehouse import logical_types, sort_key

Model = type[pa.DataFrameModel]
#: A model → the columns its rows are sorted by, worked out once per model (pandera's metadata is slow to collect).
model_sort_key = cache(sort_key)


@cache
def model_schema(model: Model) -> Any:
    """A model → its pandera DataFrameSchema, built once."""
    return model.to_schema()


def records_to_frame(records: list[dict[str, Any]], model: Model) -> pd.DataFrame:
    """Row dicts → a frame with the model's columns, dtypes and sort order."""
    types = logical_types(model)
    data = {name: [r[name] for r in records] for name in types}
    frame = pd.DataFrame({name: typed_series(values, types[name]) for name, values in data.items()})
    return frame.sort_values(model_sort_key(model), kind="stable", ignore_index=True)


def typed_series(values: list[Any], logical: str) -> pd.Series:
    """Values and a logical type → a Series of the dtype the models check."""
    if logical == "string":
        return pd.Series(values, dtype="str")
    if logical == "integer":
        return pd.Series(values, dtype="int64")
    if logical == "number":
        return pd.Series(values, dtype="float64")
    if logical == "boolean":
        return pd.Series(values, dtype="bool")
    return pd.Series(values, dtype=object)


def validate_table(frame: pd.DataFrame, model: Model) -> pd.DataFrame:
    """A built table and its model → the table, or a StoreError listing every failure.

    A table that passes every check of the model's schema is returned as it is; pandera runs (and reports) only
    when one fails or the schema uses an option `passes` does not evaluate.
    """
    if passes(model_schema(model), frame):
        return frame
    try:
        return model.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(5).to_dict("records")
        raise StoreError(
            None,
            f"table {model.__name__} breaks its contract: {cases}",
            "check the store for inconsistent revisions",
        ) from exc


def row_dicts(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame → its rows as dicts."""
    if frame.empty:
        return []
    columns = {str(name): frame[name].tolist() for name in frame.columns}  # per column: far cheaper than to_dict
    return [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]


def record_groups(frame: pd.DataFrame, by: list[str]) -> list[tuple[tuple[Any, ...], list[dict[str, Any]]]]:
    """A frame and key columns → (key, rows as dicts) pairs in key order, built in one pass."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in row_dicts(frame):
        groups.setdefault(tuple(row[name] for name in by), []).append(row)
    return sorted(groups.items(), key=lambda item: item[0])


def frame_groups(frame: pd.DataFrame, by: str | list[str]) -> Iterable[tuple[Any, pd.DataFrame]]:
    """A frame and key column(s) → (key, group) pairs in key order (none for an empty frame)."""
    return [] if frame.empty else frame.groupby(by, sort=True)


def as_text(value: object) -> str:
    """A metadata or cell value → text ('' for missing)."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def as_count(value: object) -> int:
    """A metadata count (int, numeric text or missing) → an int (0 for missing)."""
    text = as_text(value)
    return int(float(text)) if text else 0
