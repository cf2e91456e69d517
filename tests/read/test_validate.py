"""The quick validation verdict agrees with pandera on every contract: it passes a frame only when pandera does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pandera.errors
import pytest

from pipeline.read.extract import extract
from pipeline.read.validate import passes, validate_extraction
from schemas.activities import ActivitiesSchema
from schemas.glossary import GlossarySchema
from schemas.revision import RevisionSchema
from tests.conftest import RAW

Change = Callable[[pd.DataFrame], pd.DataFrame]


def _set(column: str, value: Any, row: int = 0) -> Change:
    def change(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.copy()
        if column in frame:
            values = frame[column].tolist()
            values[row] = value
            frame[column] = pd.Series(values, index=frame.index, dtype=frame[column].dtype if value is not None
                                      and not isinstance(value, float) else None)
        else:
            frame[column] = value
        return frame
    return change


def _astype(column: str, dtype: Any) -> Change:
    return lambda frame: frame.assign(**{column: frame[column].astype(dtype)})


def _add(column: str, values: Any) -> Change:
    return lambda frame: frame.assign(**{column: values})


ACTIVITY_CHANGES: dict[str, Change] = {
    "unchanged": lambda f: f,
    "empty phase": _set("phase", ""),
    "phase missing": _set("phase", None),
    "line break in activity": _set("activity", "Open\nthe case"),
    "doubled space": _set("reseller_owner", "Reseller  lead"),
    "outer space": _set("direct_owner", " Direct"),
    "tab": _set("self_service", "Web\tportal"),
    "nobody owns it": lambda f: _set("self_service", "")(_set("reseller_owner", "")(_set("direct_owner", "")(f))),
    "order repeated": _set("order", 2),
    "order zero": _set("order", 0),
    "order as float": _astype("order", "float64"),
    "order as text": _astype("order", str),
    "pages malformed": _set("pages", "3-"),
    "pages words": _set("pages", "three"),
    "status unknown": _set("self_service_status", "maybe"),
    "text as objects": _astype("activity", object),
    "a number among texts": lambda f: _set("activity", 5)(_astype("activity", object)(f)),
    "text as python strings": _astype("activity", "string[python]"),
    "extra column": _add("note", "x"),
    "column missing": lambda f: f.drop(columns=["pages"]),
    "columns reordered": lambda f: f[[f.columns[1], f.columns[0], *f.columns[2:]]],
    "column twice": lambda f: pd.concat([f, f[["phase"]]], axis=1),
    "ocr confidence": _add("ocr_confidence", 50.0),
    "ocr confidence missing": lambda f: _set("ocr_confidence", np.nan)(_add("ocr_confidence", 50.0)(f)),
    "ocr confidence too high": lambda f: _set("ocr_confidence", 101.0)(_add("ocr_confidence", 50.0)(f)),
    "ocr confidence negative": lambda f: _set("ocr_confidence", -1.0)(_add("ocr_confidence", 50.0)(f)),
    "ocr confidence as text": _add("ocr_confidence", "50"),
    "ocr confidence before pages": lambda f: pd.concat([f.iloc[:, :6], pd.DataFrame({"ocr_confidence": 50.0},
                                                                                index=f.index), f.iloc[:, 6:]], axis=1),
    "no rows": lambda f: f.iloc[0:0],
    "index not a range": lambda f: f.set_axis(range(10, 10 + len(f))),
}
GLOSSARY_CHANGES: dict[str, Change] = {
    "unchanged": lambda f: f,
    "term too long": _set("term", "T" * 41),
    "term empty": _set("term", ""),
    "term repeated": lambda f: pd.concat([f, f.iloc[:1]], ignore_index=True),
    "definition empty": _set("definition", ""),
    "definition missing": _set("definition", None),
    "extra column": _add("note", "x"),
    "columns reordered": lambda f: f[["definition", "term"]],
    "no rows": lambda f: f.iloc[0:0],
}
REVISION_CHANGES: dict[str, Change] = {
    "unchanged": lambda f: f,
    "document id not a slug": _set("document_id", "Not A Slug"),
    "no date": _set("revision_date", None),
    "date not iso": _set("revision_date", "10Feb20"),
    "date source unknown": _set("revision_date_source", "guess"),
    "sha not hex": _set("source_sha256", "z" * 64),
    "no pages": _set("page_count", 0),
    "title empty": _set("title", ""),
    "title missing": lambda f: f.drop(columns=["title"]),
    "columns reordered": lambda f: f[list(reversed(f.columns))],
}


@pytest.fixture(scope="module")
def sample() -> Any:
    return extract(RAW / "end-customer-support_10Feb20.pdf")


def pandera_passes(model: Any, frame: pd.DataFrame) -> bool:
    try:
        model.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors:
        return False
    return True


@pytest.mark.parametrize("name", sorted(ACTIVITY_CHANGES))
def test_activities_verdict_is_pandera_verdict(sample: Any, name: str) -> None:
    frame = ACTIVITY_CHANGES[name](sample.activities)
    assert passes(ActivitiesSchema.to_schema(), frame) == pandera_passes(ActivitiesSchema, frame)


@pytest.mark.parametrize("name", sorted(GLOSSARY_CHANGES))
def test_glossary_verdict_is_pandera_verdict(sample: Any, name: str) -> None:
    frame = GLOSSARY_CHANGES[name](sample.glossary)
    assert passes(GlossarySchema.to_schema(), frame) == pandera_passes(GlossarySchema, frame)


@pytest.mark.parametrize("name", sorted(REVISION_CHANGES))
def test_revision_verdict_is_pandera_verdict(sample: Any, name: str) -> None:
    frame = REVISION_CHANGES[name](pd.DataFrame([sample.revision]))
    assert passes(RevisionSchema.to_schema(), frame) == pandera_passes(RevisionSchema, frame)


def test_a_valid_extraction_is_passed_without_pandera(sample: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("pandera ran on a valid extraction")

    for model in (ActivitiesSchema, GlossarySchema, RevisionSchema):
        monkeypatch.setattr(model, "validate", refuse)
    assert validate_extraction(sample.activities, sample.glossary, sample.revision).empty


def test_failures_are_still_reported_by_pandera(sample: Any) -> None:
    activities = _set("order", 0)(ACTIVITY_CHANGES["doubled space"](sample.activities))
    found = validate_extraction(activities, sample.glossary, sample.revision)
    assert set(found["column"]) == {"order", "reseller_owner"}
