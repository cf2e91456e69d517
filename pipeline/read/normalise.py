"""Activity records → the activities table of the data contract (joined text, status, pages)."""

from __future__ import annotations

import pandas as pd

from pipeline.read.assemble import FIELDS, Record
from pipeline.read.responsibility import parse_self_service
from pipeline.text import join_lines
from schemas.activities import COLUMNS


def self_service_status(text: str) -> str:
    """A self-service cell → available, not_available or not_stated: not available when the roles vocabulary says so
    ("N", "✗", "Not applicable", "Not supported"), else available when anything is printed."""
    if not text.strip():
        return "not_stated"
    return "not_available" if parse_self_service(text) == "not_available" else "available"


def pages_label(pages: list[int]) -> str:
    """Pages an activity stands on → "3" or "3-4"."""
    lo, hi = min(pages), max(pages)
    return str(lo) if lo == hi else f"{lo}-{hi}"


def records_to_activities(records: list[Record]) -> pd.DataFrame:
    """Activity records → the activities DataFrame, columns in contract order."""
    rows = []
    for order, rec in enumerate(records, start=1):
        cells = {name: join_lines(rec.lines[name]) for name in FIELDS}
        rows.append(
            {
                "phase": " ".join(rec.phase.split()),
                **cells,
                "order": order,
                "pages": pages_label(rec.pages),
                "self_service_status": self_service_status(cells["self_service"]),
            }
        )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["order"] = frame["order"].astype("int64")
    for name in COLUMNS:
        if name != "order":
            frame[name] = frame[name].astype(str)
    return frame
