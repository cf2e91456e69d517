"""A store folder → its revisions, activities, glossaries and changes as frames (the one read interface)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from pipeline.errors import StoreError
from pipeline.store.files import CHANGES_DIR, REVISION_FILE, list_documents, list_revisions, require_store
from schemas.activities import ActivitiesSchema
from schemas.glossary import GlossarySchema
from schemas.warehouse import DimRevision, FactChange, FactResponsibility, columns

Model = type[pa.DataFrameModel]

ACTIVITIES_FILE = "activities.csv"
GLOSSARY_FILE = "glossary.csv"
CHANGES_FILE = "changes.csv"
PAIR_SEPARATOR = "__"
RERUN = "re-run `extract` on its PDF"
#: Columns read from each stored activities.csv.
ACTIVITY_COLUMNS = (*(n for n, c in ActivitiesSchema.to_schema().columns.items() if c.required),
                    FactResponsibility.activity_id)


@dataclass(frozen=True)
class StoreFrames:
    """Everything stored, as four frames keyed by document and revision date."""

    revisions: pd.DataFrame
    activities: pd.DataFrame
    glossary: pd.DataFrame
    changes: pd.DataFrame


RevisionKey = tuple[str, date]
PairKey = tuple[str, date, date]


@dataclass(frozen=True)
class Selection:
    """Part of a store to read: the metadata of some documents, the tables of some of their revisions,
    the changes of some of their consecutive pairs."""

    documents: frozenset[str] = frozenset()
    revisions: frozenset[RevisionKey] = frozenset()
    pairs: frozenset[PairKey] = frozenset()


@dataclass(frozen=True)
class Fingerprints:
    """A digest of the files of each stored revision and of each consecutive pair (with its two revisions)."""

    revisions: dict[RevisionKey, str] = field(default_factory=dict)
    pairs: dict[PairKey, str] = field(default_factory=dict)


def read_store(root: Path, wanted: Selection | None = None) -> StoreFrames:
    """A store folder (and optionally the part of it wanted) → its revisions, activities, glossaries and
    consecutive changes as frames."""
    root = Path(root)
    rows: list[dict[str, Any]] = []
    activities: list[pd.DataFrame] = []
    glossary: list[pd.DataFrame] = []
    for folder in _revision_dirs(root, None if wanted is None else wanted.documents):
        row = _read_meta(folder)
        key = (row[DimRevision.document_id], row[DimRevision.revision_date])
        if wanted is not None and key[0] not in wanted.documents:
            continue
        rows.append(row)
        if wanted is None or key in wanted.revisions:
            acts, gloss = _read_tables(folder, row)
            activities.append(acts)
            glossary.append(gloss)
    meta = pd.DataFrame(rows)
    pairs = [pair for pair in _consecutive_pairs(meta) if wanted is None or pair in wanted.pairs]
    changes = [_read_changes(root, doc, old, new) for doc, old, new in pairs]
    return StoreFrames(
        revisions=meta,
        activities=_concat(activities),
        glossary=_concat(glossary),
        changes=_concat(changes),
    )


def store_fingerprints(root: Path) -> Fingerprints:
    """A store folder → a digest of each revision's files and of each consecutive pair's change list.

    A pair's digest covers its two revisions too, since its BI rows are read from both.
    """
    root = Path(root)
    revisions: dict[RevisionKey, str] = {}
    for folder in _revision_dirs(root):
        row = _read_meta(folder)
        files = [folder / name for name in (REVISION_FILE, ACTIVITIES_FILE, GLOSSARY_FILE)]
        revisions[(row[DimRevision.document_id], row[DimRevision.revision_date])] = _digest(files)
    dates: dict[str, list[date]] = {}
    for document_id, when in sorted(revisions):
        dates.setdefault(document_id, []).append(when)
    pairs: dict[PairKey, str] = {}
    for document_id, days in dates.items():
        for old, new in zip(days, days[1:], strict=False):
            changes = root / document_id / CHANGES_DIR / f"{old}{PAIR_SEPARATOR}{new}" / CHANGES_FILE
            parts = f"{revisions[(document_id, old)]} {revisions[(document_id, new)]} {_digest([changes])}"
            pairs[(document_id, old, new)] = hashlib.sha256(parts.encode()).hexdigest()
    return Fingerprints(revisions=revisions, pairs=pairs)


def _digest(paths: list[Path]) -> str:
    """Files → the sha256 of their contents (a missing file counts as absent, not as empty)."""
    digest = hashlib.sha256()
    for path in paths:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            digest.update(b"absent;")
            continue
        except OSError as exc:
            raise StoreError(path, f"cannot read stored file ({exc})", RERUN) from exc
        digest.update(b"%d;" % len(data))
        digest.update(data)
    return digest.hexdigest()


def _revision_dirs(root: Path, documents: Collection[str] | None = None) -> list[Path]:
    """A store folder (and optionally the documents wanted, as the store listed them) → their revision folders,
    sorted (the store's documents listed only when none are given)."""
    require_store(root)
    if not root.is_dir():
        raise StoreError(root, "store folder not found", "run `extract` first or check the path")
    return [rev.path for doc in (list_documents(root) if documents is None else sorted(documents))
            for rev in list_revisions(root, doc)]


def _read_meta(folder: Path) -> dict[str, Any]:
    """A revision folder → its metadata row, with its document id and revision date as keys."""
    meta = _read_json(folder / REVISION_FILE)
    document_id = str(meta.get("document_id") or folder.parent.name)
    revision_date = _parse_date(meta.get("revision_date") or folder.name, folder / REVISION_FILE)
    return {**meta, DimRevision.document_id: document_id, DimRevision.revision_date: revision_date}


def _read_tables(folder: Path, row: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A revision folder and its metadata row → its activities and its glossary (with keys added)."""
    keys: dict[str, Any] = {name: row[name] for name in (DimRevision.document_id, DimRevision.revision_date)}
    activities = _require_columns(_read_csv(folder / ACTIVITIES_FILE), ACTIVITY_COLUMNS, folder)
    activities = activities.assign(**keys)
    glossary_path = folder / GLOSSARY_FILE
    glossary = _read_csv(glossary_path) if glossary_path.exists() else _empty(GlossarySchema)
    return activities, glossary.assign(**keys)


def _require_columns(frame: pd.DataFrame, required: Iterable[str], folder: Path) -> pd.DataFrame:
    """A stored table and the columns it must have → the table, or a StoreError naming them."""
    missing = [name for name in required if name not in frame.columns]
    if missing:
        raise StoreError(folder, f"stored table lacks columns {missing}", RERUN)
    return frame


def _consecutive_pairs(revisions: pd.DataFrame) -> list[tuple[str, date, date]]:
    """Revision metadata → (document, older date, newer date) for each consecutive pair."""
    if revisions.empty:
        return []
    pairs: list[tuple[str, date, date]] = []
    for document_id, group in revisions.groupby(DimRevision.document_id, sort=True):
        dates = sorted(group[DimRevision.revision_date])
        pairs += [(str(document_id), old, new) for old, new in zip(dates, dates[1:], strict=False)]
    return pairs


def _read_changes(root: Path, document_id: str, old: date, new: date) -> pd.DataFrame:
    """One consecutive pair → its stored changes with keys and row numbers (empty if none)."""
    path = root / document_id / CHANGES_DIR / f"{old}{PAIR_SEPARATOR}{new}" / CHANGES_FILE
    if not path.exists():
        return pd.DataFrame()
    changes = _read_csv(path)
    keys: dict[str, Any] = {
        FactChange.document_id: document_id,
        FactChange.old_revision_date: old,
        FactChange.new_revision_date: new,
        FactChange.change_number: range(1, len(changes) + 1),
    }
    return changes.assign(**keys)


def _read_json(path: Path) -> dict[str, Any]:
    """A JSON file → its object, or a StoreError naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(path, f"cannot read revision metadata ({exc})", RERUN) from exc
    if not isinstance(data, dict):
        raise StoreError(path, "revision metadata is not a JSON object", RERUN)
    return data


def _read_csv(path: Path) -> pd.DataFrame:
    """A stored CSV → a frame of text cells, blanks kept as ''."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise StoreError(path, f"cannot read stored table ({exc})", RERUN) from exc


def _parse_date(value: object, where: Path) -> date:
    """An ISO date string (or date) → a date, or a StoreError naming the file."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise StoreError(where, f"revision date {value!r} is not an ISO date", RERUN) from exc


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames → one frame (an empty one when there are none)."""
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _empty(model: Model) -> pd.DataFrame:
    """A model → an empty frame with its columns."""
    return pd.DataFrame({name: pd.Series([], dtype=object) for name in columns(model)})
