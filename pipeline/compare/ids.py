"""A document's revisions and their matches → stable activity ids: an activity keeps its id while it can be
followed from one revision to the next; a new one gets a fresh id."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Hashable, MutableSet, Sequence

import pandas as pd

from pipeline.compare.match import Match, Rows, match_rows, to_rows
from pipeline.compare.settings import DEFAULT_SETTINGS, DiffSettings
from pipeline.compare.similarity import match_key


def _hashed_id(parts: Sequence[object], settings: DiffSettings) -> str:
    """Parts of an identity to a short, deterministic activity id."""
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return settings.id_prefix + digest[: settings.id_hex_length]


def _fresh_ids(
    activities: Rows,
    labels: Sequence[Hashable],
    document_id: str,
    position: int | None,
    taken: MutableSet[str],
    settings: DiffSettings,
) -> dict[Hashable, str]:
    """New activities of one revision to fresh ids unique among `taken` (which is updated).

    `position` is None for the first revision, whose ids hash only document, text and occurrence.
    """
    ids: dict[Hashable, str] = {}
    occurrences: Counter[str] = Counter()
    for label in labels:
        text = match_key(activities.text(label, "activity"))
        occurrence = occurrences[text]
        occurrences[text] += 1
        parts: tuple[object, ...] = (document_id, text, occurrence)
        if position is not None:
            parts = (document_id, text, position, occurrence)
        candidate, salt = _hashed_id(parts, settings), 0
        while candidate in taken:
            salt += 1
            candidate = _hashed_id((*parts, salt), settings)
        taken.add(candidate)
        ids[label] = candidate
    return ids


def assign_activity_ids(
    revisions: Sequence[pd.DataFrame],
    document_id: str,
    settings: DiffSettings = DEFAULT_SETTINGS,
) -> list[pd.DataFrame]:
    """Revisions in date order to copies with an `activity_id` that follows each activity.

    The first revision's ids hash the document id, the activity text and its occurrence; a later
    activity inherits the id of the activity it matches in the revision before, and a new one
    gets a fresh id that also hashes the revision's position.
    """
    taken: set[str] = set()
    result: list[pd.DataFrame] = []
    for position, revision in enumerate(revisions):
        result.append(follow_activity_ids(result[-1] if result else None, revision, position, document_id, taken,
                                          settings))
    return result


def follow_activity_ids(
    previous: pd.DataFrame | None,
    revision: pd.DataFrame,
    position: int,
    document_id: str,
    taken: MutableSet[str],
    settings: DiffSettings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """The revision before (with ids, or None), a revision and its position → a copy of it with ids.

    `taken` holds every id of the revisions before and is updated with the fresh ids given here.
    """
    current = to_rows(revision)
    before = None if previous is None else to_rows(previous)
    matches = [] if before is None else match_rows(before, current, settings)
    ids = activity_ids(before, current, matches, position, document_id, taken, settings)
    with_ids = revision.copy()
    with_ids["activity_id"] = [ids[label] for label in revision.index]
    return with_ids


def activity_ids(
    previous: Rows | None,
    current: Rows,
    matches: Sequence[Match],
    position: int,
    document_id: str,
    taken: MutableSet[str],
    settings: DiffSettings = DEFAULT_SETTINGS,
) -> dict[Hashable, str]:
    """The revision before (with ids, or None), a revision, their matches and its position → its ids by row label.

    A matched activity keeps the id it had before; `taken` holds every id of the revisions before and is updated
    with the fresh ids given here.
    """
    ids: dict[Hashable, str] = {}
    if previous is not None:
        for m in matches:
            if m.old is not None and m.new is not None:
                ids[m.new] = previous.text(m.old, "activity_id")
    fresh_position = None if previous is None else position
    missing = [label for label in current.by_label if label not in ids]
    ids.update(_fresh_ids(current, missing, document_id, fresh_position, taken, settings))
    return ids
