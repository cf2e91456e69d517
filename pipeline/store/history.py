"""A stored document → its revisions, oldest first, with change counts against the previous one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.store.files import CHANGES_DIR, StoredRevision, list_revisions
from pipeline.store.table_bytes import read_csv


@dataclass(frozen=True)
class HistoryRow:
    """One revision of a document and how it differs from the one before."""

    revision_date: str
    revision_label: str
    activities: int
    changes: dict[str, int]


def pair_name(old: StoredRevision, new: StoredRevision) -> str:
    return f"{old.revision_date}__{new.revision_date}"


def document_history(root: Path, document_id: str) -> list[HistoryRow]:
    """A stored document → its revisions, oldest first, with change counts against the previous one."""
    rows = []
    revisions = list_revisions(root, document_id)
    for i, rev in enumerate(revisions):
        counts: dict[str, int] = {}
        if i:
            path = root / document_id / CHANGES_DIR / pair_name(revisions[i - 1], rev) / "changes.csv"
            if path.exists():
                counts = {str(k): int(v) for k, v in read_csv(path)["change"].value_counts().items()}
        meta = rev.revision()
        rows.append(HistoryRow(rev.revision_date, meta.get("revision_label") or "", len(rev.activities()), counts))
    return rows
