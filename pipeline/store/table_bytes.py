"""Frames ↔ the bytes of the store's table files: CSV as pandas writes it, Parquet, JSON."""

from __future__ import annotations

import csv
import functools
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported where frames are read or written: a run with nothing new never loads it
    import pandas as pd


def read_csv(path: Path | io.BytesIO) -> pd.DataFrame:
    """A store CSV (a path, or its bytes) → a frame with text kept as text ("" not NaN) and `order` as int."""
    import pandas as pd

    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if "order" in frame:
        frame["order"] = frame["order"].astype("int64")
    return frame


def table_files(name: str, frame: pd.DataFrame) -> dict[str, bytes]:
    """A frame → the bytes of NAME.csv, plus NAME.parquet for the tables BI tools read directly."""
    files = {f"{name}.csv": csv_bytes(frame)}
    if name in ("activities", "changes"):
        files[f"{name}.parquet"] = parquet_bytes(frame)
    return files


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A frame → the bytes `frame.to_csv(index=False, lineterminator="\n")` gives, in UTF-8.

    A frame of text without missing values and integers is written here, with the csv writer pandas writes with
    (same dialect), from the same values: pandas' per-column conversions cost more than the writing.
    """
    if not _text_and_integers(frame):
        return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(frame.columns)
    writer.writerows(frame.to_numpy(dtype=object).tolist())
    return buffer.getvalue().encode("utf-8")


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """A frame → the bytes `frame.to_parquet(index=False)` gives: the same pyarrow calls, without pandas' wrapper."""
    buffer = io.BytesIO()
    if frame.attrs or not all(isinstance(column, str) for column in frame.columns):
        frame.to_parquet(buffer, index=False)
        return buffer.getvalue()
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer, compression="snappy")
    return buffer.getvalue()


def as_read(frame: pd.DataFrame, text: bytes) -> pd.DataFrame:
    """A frame and its CSV → the frame read_csv makes of that CSV: the frame itself when it holds only text
    (without missing values or carriage returns, which the csv writer leaves unquoted) and an integer `order`
    (what read_csv makes of those is the same), else read back."""
    import pandas as pd

    index = frame.index
    first_rows = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
    integers = [name for name, dtype in frame.dtypes.items() if dtype == "int64"]
    same = first_rows and integers in ([], ["order"]) and b"\r" not in text and _text_and_integers(frame)
    return frame if same else read_csv(io.BytesIO(text))


def _text_and_integers(frame: pd.DataFrame) -> bool:
    """Whether every column of a frame, named by a string, holds text without missing values or int64."""
    text_type = _text_type()
    named = all(isinstance(name, str) and dtype in (text_type, "int64") for name, dtype in frame.dtypes.items())
    return named and not frame.isna().to_numpy().any()


@functools.cache
def _text_type() -> object:
    """The type read_csv gives a column read as text."""
    return read_csv(io.BytesIO(b"text\nx\n"))["text"].dtype


def json_bytes(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
