"""Extracted tables → every contract failure at once, as a quarantine table a person can open."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pandera.errors

from schemas.activities import ActivitiesSchema
from schemas.glossary import GlossarySchema
from schemas.revision import RevisionSchema

QUARANTINE_COLUMNS = ("table", "page", "row", "column", "check", "value")


def validate_extraction(activities: pd.DataFrame, glossary: pd.DataFrame, revision: dict[str, Any]) -> pd.DataFrame:
    """Activities, glossary and revision metadata → one row per failed check (empty when all pass)."""
    frames = [
        _failures("activities", ActivitiesSchema, activities),
        _failures("glossary", GlossarySchema, glossary),
        _failures("revision", RevisionSchema, pd.DataFrame([revision])),
    ]
    if len(activities) == 0:
        frames.append(pd.DataFrame([{"table": "activities", "page": "", "row": "", "column": "",
                                     "check": "at least one activity", "value": "0 rows"}]))
    found = [f for f in frames if not f.empty]
    if not found:
        return pd.DataFrame(columns=list(QUARANTINE_COLUMNS))
    return pd.concat(found, ignore_index=True)[list(QUARANTINE_COLUMNS)]


def _failures(table: str, schema: Any, frame: pd.DataFrame) -> pd.DataFrame:
    """One table and its model → its failure cases with page and row added."""
    try:
        schema.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    else:
        return pd.DataFrame(columns=list(QUARANTINE_COLUMNS))
    rows = []
    for case in cases.to_dict("records"):
        index = case.get("index")
        in_frame = isinstance(index, (int,)) and 0 <= index < len(frame)
        rows.append(
            {
                "table": table,
                "page": str(frame.iloc[index]["pages"]) if in_frame and "pages" in frame else "",
                "row": str(frame.iloc[index]["order"]) if in_frame and "order" in frame else
                (str(index + 1) if in_frame else ""),
                "column": str(case.get("column") or ""),
                "check": str(case.get("check") or ""),
                "value": "" if case.get("failure_case") is None else str(case.get("failure_case")),
            }
        )
    return pd.DataFrame(rows, columns=list(QUARANTINE_COLUMNS))
