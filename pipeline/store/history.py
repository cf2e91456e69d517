"""A document's stored revisions → stable activity ids and one diff per consecutive pair, kept current."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.store.files import (
    CHANGES_DIR,
    StoredRevision,
    list_revisions,
    revisions_in,
    table_files,
    write_files,
)


@dataclass(frozen=True)
class HistoryRow:
    """One revision of a document and how it differs from the one before."""

    revision_date: str
    revision_label: str
    activities: int
    changes: dict[str, int]


def pair_name(old: StoredRevision, new: StoredRevision) -> str:
    return f"{old.revision_date}__{new.revision_date}"


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


def diff_files(changes: pd.DataFrame, meta: dict[str, Any]) -> dict[str, bytes]:
    """Changes and their metadata → the bytes of changes.csv/.json/.parquet, report.md and report.html."""
    from pipeline.compare.report import changes_to_html, changes_to_markdown

    return {
        **table_files("changes", changes),
        "changes.json": (changes.to_json(orient="records", indent=2, force_ascii=False) + "\n").encode("utf-8"),
        "report.md": changes_to_markdown(changes, meta).encode("utf-8"),
        "report.html": changes_to_html(changes, meta).encode("utf-8"),
    }


def write_diff(folder: Path, changes: pd.DataFrame, meta: dict[str, Any]) -> None:
    """Changes → their files in `folder`, each written atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    write_files(folder, diff_files(changes, meta))


def refresh_document(document_dir: Path, document_id: str) -> None:
    """A document folder → activity ids recomputed across its revisions, every consecutive diff rewritten,
    stale diffs dropped."""
    from pipeline.compare.diff import assign_activity_ids, diff_revisions

    revisions = revisions_in(document_dir, document_id)
    stored = [rev.activities() for rev in revisions]
    with_ids = assign_activity_ids([f.drop(columns=["activity_id"], errors="ignore") for f in stored], document_id)
    for rev, current, frame in zip(revisions, stored, with_ids, strict=True):
        if "activity_id" not in current or not current["activity_id"].equals(frame["activity_id"]):
            write_files(rev.path, table_files("activities", frame))
    changes_root = document_dir / CHANGES_DIR
    wanted = set()
    for (old, new), (old_frame, new_frame) in zip(
        zip(revisions, revisions[1:], strict=False), zip(with_ids, with_ids[1:], strict=False), strict=True
    ):
        name = pair_name(old, new)
        wanted.add(name)
        write_diff(changes_root / name, diff_revisions(old_frame, new_frame), diff_meta(old.revision(), new.revision()))
    if changes_root.is_dir():
        for stale in changes_root.iterdir():
            if stale.is_dir() and stale.name not in wanted:
                shutil.rmtree(stale)


def document_history(root: Path, document_id: str) -> list[HistoryRow]:
    """A stored document → its revisions, oldest first, with change counts against the previous one."""
    from pipeline.store.files import read_csv

    rows = []
    revisions = list_revisions(root, document_id)
    for i, rev in enumerate(revisions):
        counts: dict[str, int] = {}
        if i:
            path = root / document_id / CHANGES_DIR / pair_name(revisions[i - 1], rev) / "changes.csv"
            if path.exists():
                counts = read_csv(path)["change"].value_counts().to_dict()
        meta = rev.revision()
        rows.append(HistoryRow(rev.revision_date, meta.get("revision_label") or "", len(rev.activities()), counts))
    return rows
