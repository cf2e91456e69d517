"""Two revisions' activities → which old activity is which new one, and renamed phases.

Matching runs in stages: exact matches on normalised activity text first, then a similarity
assignment (`scipy.optimize.linear_sum_assignment`) over what is left, with weak pairs dropped so
that they show as removed + added, then rows that kept their place and every cell but the activity
text (a strong rewording). Renamed phases are found from the matches in `pipeline.compare.phases`.
Pure: DataFrames in, DataFrames out; inside, rows are plain dicts (row-wise pandas access costs more than
the matching itself).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from pipeline.read.responsibility import (
    collapse_layout,
)
from schemas.changes import CHANGE_FIELDS

#: Dash glyphs that mean the same as "-" when matching activity names.
DASH_GLYPHS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_AND_VARIANTS = re.compile(r"\s*-n-\s*|\s+'?n'?\s+|\s*&\s*", re.IGNORECASE)
_EDGE_PUNCTUATION = " .,;:"
_WHITESPACE = re.compile(r"\s+")
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]+")
#: Words that carry no meaning of their own when activity texts are compared word by word.
FUNCTION_WORDS = frozenset({
    "a", "an", "the", "and", "or", "of", "for", "to", "in", "on", "with", "by", "from", "at", "as", "per", "via",
    "its", "their",
})


@dataclass(frozen=True)
class DiffSettings:
    """The tuning values of matching and phase-rename detection, checked on creation."""

    #: Weights of the pair score: activity text, owner cells, same phase (they sum to 1).
    text_weight: float = 0.75
    owner_weight: float = 0.15
    phase_weight: float = 0.10
    #: Share of `fuzz.ratio` in the character similarity; the rest is `fuzz.token_sort_ratio`.
    ratio_share: float = 0.5
    #: Share of the word overlap in the text similarity; the rest is the character similarity.
    word_share: float = 0.5
    #: A pair below either threshold is not the same activity: removed + added instead.
    match_threshold: float = 0.6
    min_text_similarity: float = 0.6
    #: A row that kept its place and every cell needs only this text similarity to be the same activity reworded;
    #: below it, it is an activity replaced by another in its place (removed + added), as revisers often do.
    kept_place_similarity: float = 0.45
    #: A phase is renamed when more than this share of its matched activities went to one phase…
    phase_rename_share: float = 0.5
    #: …whose name is at least this similar, or which stands at the same position.
    phase_name_similarity: float = 0.5
    #: Length of the hex part of an activity id.
    id_hex_length: int = 10
    id_prefix: str = "a"

    def __post_init__(self) -> None:
        """Check that weights sum to one and every share or threshold lies in 0..1."""
        weights = (self.text_weight, self.owner_weight, self.phase_weight)
        if abs(sum(weights) - 1) > 1e-9 or min(weights) < 0:
            raise ValueError(f"score weights must be non-negative and sum to 1, got {weights}")
        for name in (
            "ratio_share",
            "word_share",
            "match_threshold",
            "min_text_similarity",
            "phase_rename_share",
            "phase_name_similarity",
        ):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"{name} must lie in 0..1, got {value}")
        if not 4 <= self.id_hex_length <= 40:
            raise ValueError(f"id_hex_length must lie in 4..40, got {self.id_hex_length}")


DEFAULT_SETTINGS = DiffSettings()


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


#: collapse_layout, remembered: the same cells are collapsed again for matching, ids and the diff.
collapsed = lru_cache(maxsize=1 << 14)(collapse_layout)

#: One matching stage: old and new activities and their unmatched row labels → the pairs it finds.
Stage = Callable[[Rows, Rows, list[Hashable], list[Hashable]], list[Match]]

# ---------------------------------------------------------------- text keys and similarity


@lru_cache(maxsize=1 << 14)
def match_key(text: str | None) -> str:
    """Activity or phase text to the key used to match it: casefolded, dashes and "and" unified."""
    key = collapsed(text).casefold()
    key = key.translate({ord(ch): "-" for ch in DASH_GLYPHS})
    key = _AND_VARIANTS.sub(" and ", key)
    return _WHITESPACE.sub(" ", key).strip(_EDGE_PUNCTUATION)


@lru_cache(maxsize=1 << 14)
def wording_key(text: str | None) -> str:
    """Cell text to what a reader compares: letters and digits casefolded, no spaces, punctuation or hyphens.

    Two cells with equal keys differ only in case, punctuation or layout ("e-mail" / "Email."): no change. A cell
    of marks only ("✓", "--") keeps its marks: it says something, unlike a blank one.
    """
    key = _NOT_ALPHANUMERIC.sub("", collapsed(text).casefold())
    return key or _WHITESPACE.sub("", match_key(text))


def _word_stem(word: str) -> str:
    """A casefolded word to its stem for word overlap: a plural or third-person "s" dropped."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def content_words(key: str) -> frozenset[str]:
    """A match key to its content words, stemmed (function words left out)."""
    return frozenset(_word_stem(w) for w in _WORD.findall(key) if w not in FUNCTION_WORDS)


def text_similarity(a: str, b: str, settings: DiffSettings = DEFAULT_SETTINGS) -> float:
    """Two match keys to a similarity in 0..1: characters (ratio and token-sort ratio, never token-set) and words."""
    if a == b:
        return 1.0
    return float(_similarity_matrix([a], [b], settings)[0, 0])


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


def _word_overlap(old_texts: list[str], new_texts: list[str]) -> np.ndarray:
    """Two lists of match keys to the Dice overlap of their content words in 0..1 (rows old, columns new).

    A changed verb weighs as much as any other word: "create ticket" and "update ticket" share half their words.
    """
    old_words, new_words = [content_words(t) for t in old_texts], [content_words(t) for t in new_texts]
    vocabulary = {w: i for i, w in enumerate(sorted(set().union(*old_words, *new_words)))}
    old_bag = np.zeros((len(old_words), len(vocabulary)))
    new_bag = np.zeros((len(new_words), len(vocabulary)))
    for bag, words in ((old_bag, old_words), (new_bag, new_words)):
        for row, found in enumerate(words):
            bag[row, [vocabulary[w] for w in found]] = 1.0
    shared = old_bag @ new_bag.T
    sizes = old_bag.sum(axis=1)[:, None] + new_bag.sum(axis=1)[None, :]
    overlap: np.ndarray = np.divide(2 * shared, sizes, out=np.zeros_like(shared), where=sizes > 0)
    return overlap


def _similarity_matrix(old_texts: list[str], new_texts: list[str], settings: DiffSettings) -> np.ndarray:
    """Two lists of match keys to their text similarities in 0..1 (rows old, columns new)."""
    ratio = process.cdist(old_texts, new_texts, scorer=fuzz.ratio)
    token_sort = process.cdist(old_texts, new_texts, scorer=fuzz.token_sort_ratio)
    characters = (settings.ratio_share * ratio + (1 - settings.ratio_share) * token_sort) / 100
    words = _word_overlap(old_texts, new_texts)
    return settings.word_share * words + (1 - settings.word_share) * characters


def _keys(activities: Rows, labels: list[Hashable], column: str) -> list[str]:
    """Activities, row labels and a column to the match keys of those cells."""
    if column not in activities.columns:
        return [""] * len(labels)
    return [match_key(activities.text(label, column)) for label in labels]


def _cell_similarity(
    old: Rows, new: Rows, old_labels: list[Hashable], new_labels: list[Hashable], column: str
) -> np.ndarray:
    """Rows of two revisions and a cell's column to the similarity of those cells in 0..1 (rows old, columns new):
    half for being the same cell (case, punctuation and layout aside), half by `fuzz.ratio`.

    A cell kept as it was weighs more than one rewritten alike, so that of two look-alike activities the one that
    kept its cells is paired (fewer changes to report).
    """
    old_keys, new_keys = _keys(old, old_labels, column), _keys(new, new_labels, column)
    ratio = process.cdist(old_keys, new_keys, scorer=fuzz.ratio) / 100
    old_words = np.array([wording_key(k) for k in old_keys], dtype=object)
    new_words = np.array([wording_key(k) for k in new_keys], dtype=object)
    same: np.ndarray = (old_words[:, None] == new_words[None, :]).astype(float)
    similarity: np.ndarray = (ratio + same) / 2
    return similarity


def pair_scores(
    old: Rows,
    new: Rows,
    old_labels: list[Hashable],
    new_labels: list[Hashable],
    settings: DiffSettings = DEFAULT_SETTINGS,
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of two revisions to (pair score, text similarity) matrices, rows old, columns new.

    The pair score weighs activity text, the owner cells and being in the same phase.
    """
    text = _similarity_matrix(
        _keys(old, old_labels, "activity"), _keys(new, new_labels, "activity"), settings
    )
    owners = np.mean([_cell_similarity(old, new, old_labels, new_labels, col) for col in CHANGE_FIELDS], axis=0)
    old_phases = np.array(_keys(old, old_labels, "phase"), dtype=object)
    new_phases = np.array(_keys(new, new_labels, "phase"), dtype=object)
    same_phase = (old_phases[:, None] == new_phases[None, :]).astype(float)
    score = (
        settings.text_weight * text
        + settings.owner_weight * owners
        + settings.phase_weight * same_phase
    )
    return score, text


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
    from scipy.optimize import linear_sum_assignment  # imported only here: it costs 0.3-0.8 s, a first revision none

    rows, cols = linear_sum_assignment(-scores)
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

    pairs: list[Match] = []
    for gap, olds in olds_in.items():
        news = news_in.get(gap, [])
        if len(olds) != len(news):
            continue
        phases = neighbour_phases(gap)
        candidates = []
        for old_label, new_label in zip(olds, news, strict=True):
            cells = _cells_key(old, old_label)
            old_phase, new_phase = wording_key(old.text(old_label, "phase")), wording_key(new.text(new_label, "phase"))
            same_phase = old_phase == new_phase or (old_phase, new_phase) in phases
            if not any(cells) or cells != _cells_key(new, new_label) or not same_phase:
                break
            score, text = pair_scores(old, new, [old_label], [new_label], settings)
            if text[0, 0] < settings.kept_place_similarity:
                break
            candidates.append(Match(old_label, new_label, round(float(min(score[0, 0], 1.0)), 4)))
        else:
            pairs += candidates
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
        old_left = [label for label in old_left if label not in {m.old for m in found}]
        new_left = [label for label in new_left if label not in {m.new for m in found}]
    by_new = {m.new: m for m in pairs}
    ordered = [by_new.get(label, Match(None, label, 0.0)) for label in new.by_label]
    return ordered + [Match(label, None, 0.0) for label in old_left]
