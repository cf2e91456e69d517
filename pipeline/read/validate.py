"""Extracted tables → every contract failure at once, as a quarantine table a person can open."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pandera.errors
from pandera.engines.pandas_engine import Engine

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
    if passes(schema.to_schema(), frame):
        return pd.DataFrame(columns=list(QUARANTINE_COLUMNS))
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


def passes(schema: Any, frame: pd.DataFrame) -> bool:
    """A pandera DataFrameSchema and a frame → True only when every check of the schema passes on the frame.

    The schema's own dtype and check functions run here as pandera runs them, without its failure reports,
    which cost ten times more than the checks even when all pass. False when a check fails, and whenever the
    schema uses an option this does not evaluate: then pandera decides, and reports the failures.
    """
    if not _evaluable(schema):
        return False
    names = list(frame.columns)
    columns = schema.columns
    if len(set(names)) != len(names) or not all(isinstance(name, str) for name in names):
        return False
    if schema.strict is True and any(name not in columns for name in names):
        return False
    if any(column.required and name not in names for name, column in columns.items()):
        return False
    if schema.ordered and [n for n in names if n in columns] != [n for n in columns if n in names]:
        return False
    unique = _unique_columns(schema.unique) if schema.unique else []
    if unique and (not set(unique) <= set(names) or frame.duplicated(subset=unique).any()):
        return False
    try:
        for name in (n for n in columns if n in names):
            column, series = columns[name], frame[name]
            if not column.nullable and series.hasnans:
                return False
            if column.unique and not series.is_unique:
                return False
            if column.dtype is not None and not _all_true(column.dtype.check(Engine.dtype(series.dtype), series)):
                return False
            if not all(_all_true(check(frame, name).check_passed) for check in column.checks):
                return False
        return all(_all_true(check(frame).check_passed) for check in schema.checks)
    except Exception:  # a check that cannot run fails in pandera, which reports it
        return False


def _evaluable(schema: Any) -> bool:
    """Whether `passes` evaluates every option of a DataFrameSchema (no coercion, parsers, regex columns, index,
    grouped or warning-only checks, ...)."""
    plain = (schema.dtype is None and schema.index is None and not schema.coerce
             and not schema.parsers and not schema.add_missing_columns and not schema.drop_invalid_rows
             and schema.strict in (True, False, "filter") and all(_plain_check(c) for c in schema.checks))
    return plain and all(
        not c.regex and not c.coerce and not c.parsers and c.default is None and not c.drop_invalid_rows
        and all(_plain_check(check) for check in c.checks)
        for c in schema.columns.values()
    )


def _unique_columns(unique: str | list[str]) -> list[str]:
    """A schema's `unique` option (one column name or several) → the columns that must be jointly unique."""
    return [unique] if isinstance(unique, str) else list(unique)


def _plain_check(check: Any) -> bool:
    return check.groupby is None and not check.raise_warning


def _all_true(result: Any) -> bool:
    """A check's outcome (a bool, or one bool per value) → whether it holds everywhere."""
    if isinstance(result, (bool, np.bool_)):
        return bool(result)
    values = np.asarray(result)
    return values.dtype == bool and bool(values.all())
