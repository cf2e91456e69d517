"""A document's stored revisions → stable activity ids and one diff per consecutive pair, kept current."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.compare.diff import changes_frame, diff_rows
from pipeline.compare.match import activity_ids, match_rows, to_rows
from pipeline.compare.report import Records, changes_to_html, changes_to_markdown
from pipeline.store.files import (
    CHANGES_DIR,
    StoredRevision,
    revisions_in,
    table_files,
    write_activities,
    write_files,
)
from pipeline.store.history import pair_name


def diff_meta(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Two revision.json documents → the metadata a change report is headed with."""
    return {
        "title": new.get("title", ""),
        "document_id": new.get("document_id", ""),
        "old_label": old.get("revision_label") or old.get("revision_date"),
        "new_label": new.get("revision_label") or new.get("revision_date"),
        "old_date": old.get("revision_date"),
        "new_date": new.get("revision_date"),
        "old_low_confidence": (old.get("ocr") or {}).get("low_confidence_cells", []),
        "new_low_confidence": (new.get("ocr") or {}).get("low_confidence_cells", []),
    }


def diff_files(changes: pd.DataFrame, meta: dict[str, Any], records: Records | None = None) -> dict[str, bytes]:
    """Changes (and, when at hand, the same as records) and their metadata → the bytes of changes.csv/.json/
    .parquet, report.md and report.html."""
    rows = changes if records is None else records
    return {
        **table_files("changes", changes),
        "changes.json": (changes.to_json(orient="records", indent=2, force_ascii=False) + "\n").encode("utf-8"),
        "report.md": changes_to_markdown(rows, meta).encode("utf-8"),
        "report.html": changes_to_html(rows, meta).encode("utf-8"),
    }


def write_diff(folder: Path, changes: pd.DataFrame, meta: dict[str, Any], records: Records | None = None) -> None:
    """Changes (and, when at hand, the same as records) → their files in `folder`, each written atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    write_files(folder, diff_files(changes, meta, records))


def refresh_document(document_dir: Path, document_id: str, changed: Collection[str] | None = None,
                     fresh: Mapping[str, pd.DataFrame] | None = None) -> None:
    """A document folder and the revision dates just written (None: all) → activity ids and diffs kept current.

    `fresh` holds, by date, the activities of revisions just saved without them: they are written here, once,
    with their ids (and not read back). Ids are recomputed from the earliest changed revision on (later ids
    depend on earlier ones); a diff is rewritten only when one of its two revisions changed or got other ids,
    so appending a revision costs two diffs at most, whatever the length of the history. Each pair of
    revisions is matched once, for the ids and the diff alike. Stale diffs are dropped.
    """
    fresh = fresh or {}
    revisions = revisions_in(document_dir, document_id)
    dates = [rev.revision_date for rev in revisions]
    first = 0 if changed is None else min((i for i, day in enumerate(dates) if day in changed), default=len(dates))
    taken: set[str] = set()
    for rev in revisions[: max(first - 1, 0)]:
        taken.update(_stored_ids(rev.path))
    previous = to_rows(_activities(revisions[first - 1], fresh)) if first > 0 else None
    if previous is not None:
        taken.update(row["activity_id"] for row in previous.by_label.values())
    rewritten = set(dates[first:]) if changed is None else set(changed)
    for position in range(first, len(revisions)):
        rev = revisions[position]
        current = _activities(rev, fresh)
        bare = current.drop(columns=["activity_id"], errors="ignore")
        rows = to_rows(bare)
        matches = [] if previous is None else match_rows(previous, rows)
        ids = activity_ids(previous, rows, matches, position, document_id, taken)
        id_list = [ids[label] for label in bare.index]
        if "activity_id" not in current or current["activity_id"].tolist() != id_list:
            bare["activity_id"] = id_list
            write_activities(rev.path, bare)
            rewritten.add(rev.revision_date)
        rows = rows.with_ids(ids)
        if position > 0:
            old = revisions[position - 1]
            folder = document_dir / CHANGES_DIR / pair_name(old, rev)
            if {old.revision_date, rev.revision_date} & rewritten or not folder.is_dir():
                assert previous is not None
                records = diff_rows(previous, rows, matches)
                write_diff(folder, changes_frame(records), diff_meta(old.revision(), rev.revision()), records)
        previous = rows
    pairs = zip(revisions, revisions[1:], strict=False)
    _drop_stale_diffs(document_dir / CHANGES_DIR, {pair_name(old, new) for old, new in pairs})


def _activities(rev: StoredRevision, fresh: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """A stored revision → its activities: the fresh frame (index reset, as if read back) or its activities.csv."""
    if rev.revision_date in fresh:
        return fresh[rev.revision_date].reset_index(drop=True)
    return rev.activities()


def _stored_ids(revision_dir: Path) -> list[str]:
    """A revision folder → the activity ids its activities.csv holds (read with csv: a long history stays cheap)."""
    with (revision_dir / "activities.csv").open(encoding="utf-8", newline="") as handle:
        return [row["activity_id"] for row in csv.DictReader(handle)]


def _drop_stale_diffs(changes_root: Path, wanted: set[str]) -> None:
    """The changes folder and the pair names that should exist → every other pair folder removed."""
    if changes_root.is_dir():
        for stale in changes_root.iterdir():
            if stale.is_dir() and stale.name not in wanted:
                shutil.rmtree(stale)
