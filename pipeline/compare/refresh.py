"""A document's stored revisions → stable activity ids and one diff per consecutive pair, kept current."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Collection, Iterator, Mapping, MutableSet
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.compare.diff import changes_frame, diff_rows, unlisted_edits
from pipeline.compare.ids import activity_ids
from pipeline.compare.match import match_rows, to_rows
from pipeline.compare.report import UNLISTED_EDITS, Records, changes_to_html, changes_to_markdown
from pipeline.store.files import (
    CHANGES_DIR,
    StoredRevision,
    revisions_in,
    write_activities,
    write_files,
)
from pipeline.store.history import pair_name
from pipeline.store.table_bytes import table_files


def diff_meta(old: dict[str, Any], new: dict[str, Any], unlisted: int = 0) -> dict[str, Any]:
    """Two revision.json documents (and how many cells were edited in case or punctuation only) → the metadata a
    change report is headed with."""
    return {
        "title": new.get("title", ""),
        "document_id": new.get("document_id", ""),
        "old_label": old.get("revision_label") or old.get("revision_date"),
        "new_label": new.get("revision_label") or new.get("revision_date"),
        "old_date": old.get("revision_date"),
        "new_date": new.get("revision_date"),
        "old_low_confidence": (old.get("ocr") or {}).get("low_confidence_cells", []),
        "new_low_confidence": (new.get("ocr") or {}).get("low_confidence_cells", []),
        UNLISTED_EDITS: unlisted,
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
    taken = EarlierIds([rev.path for rev in revisions[: max(first - 1, 0)]])
    previous = to_rows(_activities(revisions[first - 1], fresh)) if first > 0 else None
    if previous is not None:
        taken |= {row["activity_id"] for row in previous.by_label.values()}
    rewritten = set(dates[first:]) if changed is None else set(changed)
    for position in range(first, len(revisions)):
        rev = revisions[position]
        current = _activities(rev, fresh)
        rows = to_rows(current)  # matching reads no activity_id: a stored one is replaced below
        matches = [] if previous is None else match_rows(previous, rows)
        ids = activity_ids(previous, rows, matches, position, document_id, taken)
        id_list = [ids[label] for label in current.index]
        if "activity_id" not in current.columns:
            write_activities(rev.path, current.assign(activity_id=id_list))
            rewritten.add(rev.revision_date)
        elif current["activity_id"].tolist() != id_list:
            write_activities(rev.path, current.drop(columns="activity_id").assign(activity_id=id_list))
            rewritten.add(rev.revision_date)
        rows = rows.with_ids(ids)
        if position > 0:
            old = revisions[position - 1]
            folder = document_dir / CHANGES_DIR / pair_name(old, rev)
            if {old.revision_date, rev.revision_date} & rewritten or not folder.is_dir():
                assert previous is not None
                records = diff_rows(previous, rows, matches)
                meta = diff_meta(old.revision(), rev.revision(), unlisted_edits(previous, rows, matches))
                write_diff(folder, changes_frame(records), meta, records)
        previous = rows
    pairs = zip(revisions, revisions[1:], strict=False)
    _drop_stale_diffs(document_dir / CHANGES_DIR, {pair_name(old, new) for old, new in pairs})


def _activities(rev: StoredRevision, fresh: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """A stored revision → its activities: the fresh frame (index reset, as if read back) or its activities.csv."""
    if rev.revision_date in fresh:
        return fresh[rev.revision_date].reset_index(drop=True)
    return rev.activities()


class EarlierIds(MutableSet[str]):
    """The activity ids of a document's earlier revisions, read from their activities.csv only when first needed
    (only a new activity's fresh id is checked against them), and the ids added since."""

    def __init__(self, revision_dirs: list[Path]) -> None:
        self._unread = list(revision_dirs)
        self._ids: set[str] = set()

    def _read(self) -> set[str]:
        for folder in self._unread:
            self._ids.update(_stored_ids(folder))
        self._unread = []
        return self._ids

    def __contains__(self, value: object) -> bool:
        return value in self._ids or value in self._read()

    def __iter__(self) -> Iterator[str]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())

    def add(self, value: str) -> None:
        self._ids.add(value)

    def discard(self, value: str) -> None:
        self._read().discard(value)


def _stored_ids(revision_dir: Path) -> list[str]:
    """A revision folder → the activity ids its activities.csv holds (read with csv: a long history stays cheap)."""
    with (revision_dir / "activities.csv").open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        column = next(rows).index("activity_id")
        return [row[column] for row in rows]


def _drop_stale_diffs(changes_root: Path, wanted: set[str]) -> None:
    """The changes folder and the pair names that should exist → every other pair folder removed."""
    if changes_root.is_dir():
        for stale in changes_root.iterdir():
            if stale.is_dir() and stale.name not in wanted:
                shutil.rmtree(stale)
