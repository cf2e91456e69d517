"""Two revisions (PDFs or stored) → their changes, written as data and as reports."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.compare.refresh import diff_meta, write_diff
from pipeline.errors import ValidationFailedError, writes_to
from pipeline.read.extract import extract
from pipeline.read.sandbox import Limits, run_bounded
from pipeline.store.files import find_revision


@dataclass
class Comparison:
    """The changes between two revisions and the metadata of both."""

    changes: pd.DataFrame
    meta: dict[str, Any]


def load_side(ref: str, store: Path, password: str | None) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A PDF path or a stored-revision reference → activities and revision metadata."""
    path = Path(ref)
    if path.suffix.lower() == ".pdf" or (path.is_file() and not path.is_dir()):
        limits = Limits()
        extraction = run_bounded(extract, (path, password, limits.max_pages), path, limits)
        if not extraction.valid:
            raise ValidationFailedError(path, f"{len(extraction.quarantine)} value(s) failed validation",
                                        "run `extract` on it to see quarantine.csv")
        return extraction.activities, extraction.revision
    stored = find_revision(store, ref)
    return stored.activities().drop(columns=["activity_id"], errors="ignore"), stored.revision()


def compare(old_ref: str, new_ref: str, store: Path, output: Path, password: str | None = None) -> Comparison:
    """Two revision references → changes written to `output` (changes.csv/.json, report.md/.html)."""
    from pipeline.compare.diff import changes_frame, diff_rows, unlisted_edits
    from pipeline.compare.ids import activity_ids
    from pipeline.compare.match import match_rows, to_rows

    old, old_meta = load_side(old_ref, store, password)
    new, new_meta = load_side(new_ref, store, password)
    document_id = str(new_meta.get("document_id") or "document")
    old_rows, new_rows = to_rows(old), to_rows(new)
    matches = match_rows(old_rows, new_rows)  # once, for the ids and the diff alike
    taken: set[str] = set()
    old_rows = old_rows.with_ids(activity_ids(None, old_rows, [], 0, document_id, taken))
    new_rows = new_rows.with_ids(activity_ids(old_rows, new_rows, matches, 1, document_id, taken))
    changes = changes_frame(diff_rows(old_rows, new_rows, matches))
    meta = diff_meta(old_meta, new_meta, unlisted_edits(old_rows, new_rows, matches))
    with writes_to(output):
        write_diff(output, changes, meta)
    return Comparison(changes, meta)
