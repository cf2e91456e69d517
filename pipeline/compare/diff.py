"""Two revisions' activities → the list of changes between them (pure: DataFrames in, DataFrame out)."""

from __future__ import annotations

import functools
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pipeline.compare.match import Match, Rows, match_rows, to_rows
from pipeline.compare.phases import detect_phase_renames, same_phase
from pipeline.compare.settings import DEFAULT_SETTINGS, DiffSettings
from pipeline.compare.similarity import collapsed, match_key, text_similarity, wording_key
from pipeline.read.involvement import activity_roles, describe_role_changes, role_changes
from pipeline.read.responsibility import (
    Roles,
    default_roles,
    parse_owner_cell,
    parse_self_service,
)
from schemas.changes import CHANGE_FIELDS, COLUMNS, PARTY_CHANGE_COLUMNS

# ---------------------------------------------------------------- change rows


#: One activity row: column → value.
Row = Mapping[str, Any]


def _cell(row: Row | None, column: str) -> str:
    """A row (or None) and a column to its layout-collapsed text ("" when absent)."""
    if row is None or column not in row:
        return ""
    value = row[column]
    return collapsed(value) if isinstance(value, str) else ""


def _party_values(changes: dict[str, list[tuple[str, str]]]) -> dict[str, Any]:
    """Gained and lost parts to the party columns of a change record and its responsibility flag."""
    values: dict[str, Any] = {
        key: ";".join(f"{path}:{party}" for path, party in changes.get(key, []))
        for key in PARTY_CHANGE_COLUMNS
    }
    values["responsibility_change"] = any(values[key] for key in PARTY_CHANGE_COLUMNS)
    return values


#: One cell's parts: ((path, party), role) pairs, in the order `activity_roles` gives them.
CellParts = tuple[tuple[tuple[str, str], str], ...]


@functools.lru_cache(maxsize=1 << 12)
def _cell_parts(column: str, text: str, roles: Roles) -> CellParts:
    """A cell's column and text to the parts it gives, remembered (owner cells recur from row to row and revision
    to revision, and reading one costs more than the rest of its diff)."""
    return tuple(activity_roles({column: text}, roles).items())


#: parse_owner_cell, remembered for the same reason.
_owner_reading = functools.lru_cache(maxsize=1 << 12)(parse_owner_cell)


def _cell_shift(column: str, old: str, new: str, roles: Roles) -> tuple[dict[str, Any], str]:
    """A changed cell's old and new text to (party columns and flag, what changed in words)."""
    changes = role_changes(dict(_cell_parts(column, old, roles)), dict(_cell_parts(column, new, roles)))
    words = describe_role_changes(changes)
    if column == "self_service":
        old_status, new_status = parse_self_service(old, roles), parse_self_service(new, roles)
        if old_status != new_status:
            status = f"self-service {old_status} → {new_status}".replace("_", " ")
            words = status if words == "wording only" else f"{status}; {words}"
    return _party_values(changes), words


def _owners_phrase(row: Row, roles: Roles) -> str:
    """An activity row to a short phrase naming its leads on each path."""
    parts = []
    status = parse_self_service(_cell(row, "self_service"), roles)
    if status != "not_stated":
        parts.append(f"self-service {status.replace('_', ' ')}")
    for column, label in (("reseller_owner", "via reseller"), ("direct_owner", "direct")):
        reading = _owner_reading(_cell(row, column), roles)
        if reading.not_available:
            parts.append(f"{label}: not available")
        elif reading.leads:
            verb = "leads" if len(reading.leads) == 1 else "lead"
            parts.append(f"{label}: {', '.join(reading.leads)} {verb}")
    return "; ".join(parts)


def _record(change: str, **values: Any) -> dict[str, Any]:
    """A change kind and column values to one change record with every column filled."""
    record: dict[str, Any] = dict.fromkeys(COLUMNS, "")
    record.update(change=change, similarity=np.nan, responsibility_change=False)
    record.update(values)
    return record


def _activity_id(old_row: Row | None, new_row: Row | None) -> str:
    """The rows of one activity to its id (the new row's first), "" when there is none."""
    return _cell(new_row, "activity_id") or _cell(old_row, "activity_id")


def _lone_rows(change: str, row: Row, roles: Roles) -> list[dict[str, Any]]:
    """An added or removed activity row to its one change record."""
    phase, activity = _cell(row, "phase"), _cell(row, "activity")
    verb = "Added under" if change == "added" else "Removed from"
    owners = _owners_phrase(row, roles)
    parts = dict(part for column in CHANGE_FIELDS for part in _cell_parts(column, _cell(row, column), roles))
    changes = role_changes({}, parts) if change == "added" else role_changes(parts, {})
    return [
        _record(
            change,
            phase=phase,
            activity=activity,
            activity_id=_activity_id(row, None),
            **_party_values(changes),
            old_phase=phase if change == "removed" else "",
            new_phase=phase if change == "added" else "",
            summary=f"{verb} {phase}" + (f" ({owners})" if owners else ""),
        )
    ]


def _pair_rows(
    match: Match, old_row: Row, new_row: Row, renames: dict[str, str], roles: Roles
) -> list[dict[str, Any]]:
    """A matched pair of activity rows to its change records (reworded, moved, modified)."""
    old_phase, new_phase = _cell(old_row, "phase"), _cell(new_row, "phase")
    old_text, new_text = _cell(old_row, "activity"), _cell(new_row, "activity")
    common = {
        "phase": new_phase,
        "activity": new_text,
        "activity_id": _activity_id(old_row, new_row),
        "similarity": match.similarity,
        "old_phase": old_phase,
        "new_phase": new_phase,
    }
    records = []
    if wording_key(old_text) != wording_key(new_text):
        records.append(
            _record("reworded", **common, old=old_text, new=new_text, summary="Activity reworded")
        )
    if not same_phase(old_phase, new_phase, renames):
        summary = f"Moved from {old_phase} to {new_phase}"
        records.append(
            _record("moved", **common, old=old_phase, new=new_phase, summary=summary)
        )
    for column in CHANGE_FIELDS:
        before, after = _cell(old_row, column), _cell(new_row, column)
        if wording_key(before) != wording_key(after):
            parties, words = _cell_shift(column, before, after, roles)
            records.append(
                _record(
                    "modified", **common, field=column, old=before, new=after,
                    **parties, summary=words[:1].upper() + words[1:],
                )
            )
    return records


@functools.cache
def _no_changes() -> pd.DataFrame:
    return _typed_changes(pd.DataFrame(columns=list(COLUMNS)))


def _empty_changes() -> pd.DataFrame:
    """No changes to an empty changes frame with the contract's columns and types."""
    return _no_changes().copy()


def _typed_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """A changes frame to the same frame with the contract's column types."""
    types: dict[str, Any] = dict.fromkeys(COLUMNS, str)
    types.update(similarity=float, responsibility_change=bool)
    return changes.astype(types).reset_index(drop=True)


def diff_revisions(
    old: pd.DataFrame,
    new: pd.DataFrame,
    settings: DiffSettings = DEFAULT_SETTINGS,
    roles: Roles | None = None,
) -> pd.DataFrame:
    """Two revisions' activities to their changes, one row per change, in new document order."""
    old_rows, new_rows = to_rows(old), to_rows(new)
    matches = match_rows(old_rows, new_rows, settings)
    return changes_frame(diff_rows(old_rows, new_rows, matches, settings, roles))


def diff_rows(
    old: Rows,
    new: Rows,
    matches: Sequence[Match],
    settings: DiffSettings = DEFAULT_SETTINGS,
    roles: Roles | None = None,
) -> list[dict[str, Any]]:
    """Two revisions' rows and their matches to change records, one per change, in new document order."""
    roles = roles or default_roles()
    renames = detect_phase_renames(old, new, matches, settings)
    olds, news = old.by_label, new.by_label
    new_position = {label: i for i, label in enumerate(news)}
    old_position = {label: i for i, label in enumerate(olds)}
    keyed: list[tuple[tuple[int, int, int, int], dict[str, Any]]] = []

    def emit(key: tuple[int, int, int], records: list[dict[str, Any]]) -> None:
        keyed.extend(((*key, seq), rec) for seq, rec in enumerate(records))

    anchor_of_old: dict[Hashable, int] = {}
    anchor = -1
    matched_new = {m.old: m.new for m in matches if m.old is not None and m.new is not None}
    for label in olds:
        if label in matched_new:
            anchor = new_position[matched_new[label]]
        anchor_of_old[label] = anchor
    for m in matches:
        if m.old is not None and m.new is not None:
            records = _pair_rows(m, olds[m.old], news[m.new], renames, roles)
            emit((new_position[m.new], 0, 0), records)
        elif m.new is not None:
            emit((new_position[m.new], 0, 0), _lone_rows("added", news[m.new], roles))
        elif m.old is not None:
            key = (anchor_of_old[m.old], 1, old_position[m.old])
            emit(key, _lone_rows("removed", olds[m.old], roles))
    new_phase_texts = [collapsed(row["phase"]) for row in news.values()]
    for old_phase, new_phase in renames.items():
        similarity = text_similarity(match_key(old_phase), match_key(new_phase), settings)
        record = _record(
            "phase_renamed", phase=new_phase, old=old_phase, new=new_phase,
            similarity=round(similarity, 4), old_phase=old_phase, new_phase=new_phase,
            summary=f"Phase renamed from {old_phase} to {new_phase}",
        )
        emit((new_phase_texts.index(new_phase), -1, 0), [record])
    keyed.sort(key=lambda item: item[0])
    return [rec for _key, rec in keyed]


def changes_frame(records: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """Change records to the changes frame: the contract's columns, in order, with its types."""
    if not records:
        return _empty_changes()
    frame = pd.DataFrame({column: [record[column] for record in records] for column in COLUMNS})
    if any(frame[column].dtype != dtype for column, dtype in _no_changes().dtypes.items()):
        return _typed_changes(frame)  # a value of another type: converted as the contract says
    return frame


def unlisted_edits(old: Rows, new: Rows, matches: Sequence[Match]) -> int:
    """Two revisions' rows and their matches to how many cells were edited in case or punctuation only (no change
    in the change list, which is about who is responsible): the activity, self-service and owner cells of matched
    rows, and each phase name once. A change of layout (line wraps, spaces) alone is not counted."""
    def edited_only_so(before: str, after: str) -> bool:
        return before != after and wording_key(before) == wording_key(after)

    cells = 0
    phases: set[tuple[str, str]] = set()
    for m in matches:
        if m.old is None or m.new is None:
            continue
        old_row, new_row = old.by_label[m.old], new.by_label[m.new]
        cells += sum(edited_only_so(_cell(old_row, c), _cell(new_row, c)) for c in ("activity", *CHANGE_FIELDS))
        old_phase, new_phase = _cell(old_row, "phase"), _cell(new_row, "phase")
        if edited_only_so(old_phase, new_phase):
            phases.add((old_phase, new_phase))
    return cells + len(phases)
