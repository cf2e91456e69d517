"""Two revisions' activities → which old activity is which new one, and renamed phases.

Matching runs in stages: exact matches on activity text keys first (`pipeline.compare.similarity`), then a similarity
assignment (`scipy.optimize.linear_sum_assignment`) over what is left, with weak pairs dropped so
that they show as removed + added, then rows that kept their place and every cell but the activity
text (a strong rewording). Renamed phases are found from the matches in `pipeline.compare.phases`.
Pure: DataFrames in, DataFrames out; inside, rows are plain dicts (row-wise pandas access costs more than
the matching itself).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from pipeline.compare.settings import DEFAULT_SETTINGS, DiffSettings
from pipeline.compare.similarity import (
    cell_similarity,
    collapsed,
    keys_equal,
    match_key,
    similarity_matrix,
    wording_key,
)
from schemas.changes import CHANGE_FIELDS


@dataclass(frozen=True)
class Match:
    """One old activity paired with one new one (either may be None: removed or added)."""

    old: Hashable | None
    new: Hashable | None
    similarity: float = field(default=0.0)


@dataclass(frozen=True)
class Rows:
    """One revision's activities as plain dicts: row label → column → value, in document order."""

    by_label: dict[Hashable, dict[str, Any]]
    columns: tuple[str, ...]

    @property
    def labels(self) -> list[Hashable]:
        return list(self.by_label)

    def text(self, label: Hashable, column: str) -> str:
        """A row label and a column → that cell (cells of activities are text)."""
        value: str = self.by_label[label][column]
        return value

    def with_ids(self, ids: dict[Hashable, str]) -> Rows:
        """Activity ids by row label → these rows with their `activity_id` set."""
        by_label = {label: {**row, "activity_id": ids[label]} for label, row in self.by_label.items()}
        columns = self.columns if "activity_id" in self.columns else (*self.columns, "activity_id")
        return Rows(by_label, columns)


def frame_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame → its rows as dicts keyed by column name, with Python values (what `to_dict("records")` gives,
    without its per-cell cost)."""
    columns = [str(column) for column in frame.columns]
    return [dict(zip(columns, row, strict=True)) for row in frame.to_numpy(dtype=object).tolist()]


def to_rows(activities: pd.DataFrame) -> Rows:
    """Activities (with a unique index) → their rows as dicts, sorted by `order` when present (else as given)."""
    if not activities.index.is_unique:
        raise ValueError("activities must have a unique index to be matched")
    by_label = dict(zip(activities.index, frame_rows(activities), strict=True))
    if "order" in activities.columns:
        by_label = dict(sorted(by_label.items(), key=lambda item: item[1]["order"]))  # stable, like kind="stable"
    return Rows(by_label, tuple(str(column) for column in activities.columns))


#: One matching stage: old and new activities and their unmatched row labels → the pairs it finds.
Stage = Callable[[Rows, Rows, list[Hashable], list[Hashable]], list[Match]]

# ---------------------------------------------------------------- matching


def _exact_pairs(
    old: Rows,
    new: Rows,
    old_left: list[Hashable],
    new_left: list[Hashable],
    key: Callable[[str], str],
) -> list[Match]:
    """Unmatched rows to pairs with equal keys; a repeated key pairs by phase, then by order."""
    olds_by_key: dict[str, list[Hashable]] = defaultdict(list)
    for label in old_left:
        olds_by_key[key(old.text(label, "activity"))].append(label)
    news_by_key: dict[str, list[Hashable]] = defaultdict(list)
    for label in new_left:
        news_by_key[key(new.text(label, "activity"))].append(label)
    pairs: list[Match] = []
    for text_key, news in news_by_key.items():
        olds = olds_by_key.get(text_key, [])
        if not olds:
            continue
        free_news = []
        for new_label in news:
            phase = match_key(new.text(new_label, "phase"))
            same = [o for o in olds if match_key(old.text(o, "phase")) == phase]
            if same:
                olds.remove(same[0])
                pairs.append(Match(same[0], new_label, 1.0))
            else:
                free_news.append(new_label)
        for old_label, new_label in zip(list(olds), free_news, strict=False):
            olds.remove(old_label)
            pairs.append(Match(old_label, new_label, 1.0))
    return pairs


def _keys(activities: Rows, labels: list[Hashable], column: str) -> list[str]:
    """Activities, row labels and a column to the match keys of those cells."""
    if column not in activities.columns:
        return [""] * len(labels)
    return [match_key(activities.text(label, column)) for label in labels]


def pair_scores(
    old: Rows,
    new: Rows,
    old_labels: list[Hashable],
    new_labels: list[Hashable],
    settings: DiffSettings = DEFAULT_SETTINGS,
    paired: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of two revisions to (pair score, text similarity) matrices, rows old, columns new (vectors when
    `paired`: the i-th old row with the i-th new one).

    The pair score weighs activity text, the owner cells and being in the same phase.
    """
    def keys(column: str) -> tuple[list[str], list[str]]:
        """A column to the match keys of its old and its new cells."""
        return _keys(old, old_labels, column), _keys(new, new_labels, column)

    text = similarity_matrix(*keys("activity"), settings, paired)
    owners = np.mean([cell_similarity(*keys(column), paired) for column in CHANGE_FIELDS], axis=0)
    same_phase = keys_equal(*keys("phase"), paired)
    score = (
        settings.text_weight * text
        + settings.owner_weight * owners
        + settings.phase_weight * same_phase
    )
    return score, text


def _best_assignment(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pair scores (0: not a pair) → the rows and columns of the one-to-one pairs with the highest total, rows
    ascending (pairs of score 0 may be among them).

    When no row and no column has two candidates, the candidates themselves are the one best pairing, found without
    `scipy.optimize.linear_sum_assignment` (importing it costs 0.3-0.8 s; it is imported only when needed).
    """
    candidates = scores > 0
    if candidates.sum(axis=0).max(initial=0) <= 1 and candidates.sum(axis=1).max(initial=0) <= 1:
        rows, cols = np.nonzero(candidates)
        return rows, cols
    from scipy.optimize import linear_sum_assignment

    best: tuple[np.ndarray, np.ndarray] = linear_sum_assignment(-scores)
    return best


def _similar_pairs(
    old: Rows,
    new: Rows,
    old_left: list[Hashable],
    new_left: list[Hashable],
    settings: DiffSettings,
) -> list[Match]:
    """Unmatched rows to the best one-to-one pairs by similarity, weak pairs dropped."""
    if not old_left or not new_left:
        return []
    score, text = pair_scores(old, new, old_left, new_left, settings)
    strong = (score >= settings.match_threshold) & (text >= settings.min_text_similarity)
    scores = np.where(strong, score, 0.0)
    rows, cols = _best_assignment(scores)
    return [
        Match(old_left[i], new_left[j], round(float(min(scores[i, j], 1.0)), 4))
        for i, j in zip(rows, cols, strict=True)
        if scores[i, j] > 0
    ]


def _gaps(rows: Rows, partner: dict[Hashable, Hashable], left: list[Hashable]) -> dict[Hashable, tuple[object, ...]]:
    """Rows in document order, matched labels → their partners, and unmatched labels → the gap each unmatched
    row sits in: the matched rows just before and after it, named by their old labels (None at either end)."""
    gaps: dict[Hashable, tuple[object, ...]] = {}
    waiting: list[Hashable] = []
    before: object = None
    unmatched = set(left)
    for label in rows.labels:
        if label in partner:
            for held in waiting:
                gaps[held] = (before, partner[label])
            waiting, before = [], partner[label]
        elif label in unmatched:
            waiting.append(label)
    for held in waiting:
        gaps[held] = (before, None)
    return gaps


def _cells_key(rows: Rows, label: Hashable) -> tuple[str, ...]:
    """A row to the wording keys of its owner and self-service cells."""
    return tuple(wording_key(rows.by_label[label].get(column)) for column in CHANGE_FIELDS)


def _kept_place_pairs(
    old: Rows,
    new: Rows,
    old_left: list[Hashable],
    new_left: list[Hashable],
    matched: list[Match],
    settings: DiffSettings,
) -> list[Match]:
    """Unmatched rows to pairs that kept their place and every cell: the same number of unmatched rows on each
    side between the same two matched rows, paired in order, each pair with equal non-empty cells under the same
    phase (or the phase its neighbours went to), and texts at least `kept_place_similarity` alike. Only the
    activity text changed: a strong rewording. Less alike, it is another activity put in its place."""
    new_of = {m.old: m.new for m in matched if m.old is not None and m.new is not None}
    old_gaps = _gaps(old, {label: label for label in new_of}, old_left)
    new_gaps = _gaps(new, {new_label: old_label for old_label, new_label in new_of.items()}, new_left)
    olds_in: dict[tuple[object, ...], list[Hashable]] = defaultdict(list)
    news_in: dict[tuple[object, ...], list[Hashable]] = defaultdict(list)
    for label, gap in old_gaps.items():
        olds_in[gap].append(label)
    for label, gap in new_gaps.items():
        news_in[gap].append(label)

    def neighbour_phases(gap: tuple[object, ...]) -> set[tuple[str, str]]:
        """A gap to the (old, new) phase keys of the matched rows around it."""
        found = set()
        for anchor in gap:
            if anchor is not None:
                found.add((wording_key(old.text(anchor, "phase")), wording_key(new.text(new_of[anchor], "phase"))))
        return found

    def kept_cells(old_label: Hashable, new_label: Hashable, phases: set[tuple[str, str]]) -> bool:
        """A pair of rows in one gap to whether they have equal non-empty cells under the same phase."""
        cells = _cells_key(old, old_label)
        old_phase, new_phase = wording_key(old.text(old_label, "phase")), wording_key(new.text(new_label, "phase"))
        same_phase = old_phase == new_phase or (old_phase, new_phase) in phases
        return any(cells) and cells == _cells_key(new, new_label) and same_phase

    gaps: list[list[tuple[Hashable, Hashable]]] = []
    for gap, olds in olds_in.items():
        news = news_in.get(gap, [])
        if len(olds) != len(news):
            continue
        phases = neighbour_phases(gap)
        if all(kept_cells(o, n, phases) for o, n in zip(olds, news, strict=True)):
            gaps.append(list(zip(olds, news, strict=True)))
    in_gaps = [pair for gap_pairs in gaps for pair in gap_pairs]
    if not in_gaps:
        return []
    score, text = pair_scores(
        old, new, [o for o, _ in in_gaps], [n for _, n in in_gaps], settings, paired=True
    )  # every pair at once: rapidfuzz's batched `cpdist` rather than one call per pair
    pairs: list[Match] = []
    start = 0
    for gap_pairs in gaps:
        end = start + len(gap_pairs)
        if (text[start:end] >= settings.kept_place_similarity).all():
            pairs += [
                Match(o, n, round(float(min(score[i], 1.0)), 4)) for i, (o, n) in enumerate(gap_pairs, start)
            ]
        start = end
    return pairs


def match_rows(old: Rows, new: Rows, settings: DiffSettings = DEFAULT_SETTINGS) -> list[Match]:
    """Two revisions' rows (in document order) to matches: pairs and added rows in new order, then removed."""
    old_left = old.labels
    new_left = new.labels
    pairs: list[Match] = []
    stages: tuple[Stage, ...] = (
        lambda o, n, ol, nl: _exact_pairs(o, n, ol, nl, collapsed),
        lambda o, n, ol, nl: _exact_pairs(o, n, ol, nl, match_key),
        lambda o, n, ol, nl: _exact_pairs(o, n, ol, nl, wording_key),
        lambda o, n, ol, nl: _similar_pairs(o, n, ol, nl, settings),
        lambda o, n, ol, nl: _kept_place_pairs(o, n, ol, nl, pairs, settings),  # `pairs`: every pair so far
    )
    for stage in stages:
        found = stage(old, new, old_left, new_left)
        pairs += found
        old_found, new_found = {m.old for m in found}, {m.new for m in found}
        old_left = [label for label in old_left if label not in old_found]
        new_left = [label for label in new_left if label not in new_found]
    by_new = {m.new: m for m in pairs}
    ordered = [by_new.get(label, Match(None, label, 0.0)) for label in new.by_label]
    return ordered + [Match(label, None, 0.0) for label in old_left]
