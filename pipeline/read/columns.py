"""Header texts → which table column holds which contract field, by meaning, never by position."""

from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from pipeline.errors import NotAJobAidError
from pipeline.profile import ColumnRule, Profile

#: Up to this many header texts or fields, every one-to-one assignment is tried (at most 720); beyond it scipy's
#: solver is used, imported only then (importing scipy.optimize costs 0.3-0.8 s on the reading path).
BRUTE_FORCE_MAX = 6


def map_columns(headers: list[str], profile: Profile, strict: bool = True,
                own: list[str] | None = None) -> dict[str, int] | None:
    """Header texts → {field: column index}; None (or NotAJobAidError when strict) if a field is unmapped.

    A phase column ("phase") is mapped too when the profile names one and a header says so. `own`: each column's
    text without the group heading over it, which a header may match by alone ("Customer" under "Who does it").
    """
    rules = profile.columns + ((profile.phase_column,) if profile.phase_column else ())
    texts = [[" ".join(h.split())] for h in headers]
    for alone, text in zip(own or [], texts, strict=False):
        text.append(" ".join(alone.split()))
    scores = np.array([[max(rule.score(t) for t in text) for rule in rules] for text in texts])
    if scores.size == 0:
        _unmapped(headers, profile, strict)
        return None
    rows, cols = best_assignment(scores + _required_bonus(scores, rules))
    mapping = {rules[c].field: int(r) for r, c in zip(rows, cols, strict=True) if scores[r, c] > 0}
    if any(rule.required and rule.field not in mapping for rule in rules):
        _unmapped(headers, profile, strict)
        return None
    if "phase" in mapping and mapping["activity"] < mapping["phase"] < len(headers) - 1:
        del mapping["phase"]  # a group column stands before what it groups, or closes the table on its right
    return mapping


def _required_bonus(scores: npt.NDArray[np.float64], rules: tuple[ColumnRule, ...]) -> npt.NDArray[np.float64]:
    """Scores → a bonus on every matching pair of a required field, larger than all scores together, so the best
    assignment fills every required field it can before weighing words ("Step" heads the activity column of a table
    without a phase column, though alone it reads most like a phase column's header)."""
    bonus = float(scores.sum()) + 1.0
    required = np.array([rule.required for rule in rules])
    return np.where((scores > 0) & required[np.newaxis, :], bonus, 0.0)


def best_assignment(scores: npt.NDArray[np.float64]) -> tuple[list[int], list[int]]:
    """A score matrix → the rows and columns paired by the one-to-one assignment with the highest total (as many
    pairs as the smaller side has), rows ascending: what `scipy.optimize.linear_sum_assignment(maximize=True)`
    returns."""
    n_rows, n_cols = scores.shape
    if max(n_rows, n_cols) > BRUTE_FORCE_MAX:
        from scipy.optimize import linear_sum_assignment

        rows, cols = linear_sum_assignment(scores, maximize=True)
        return [int(r) for r in rows], [int(c) for c in cols]
    if n_rows > n_cols:
        by_col, by_row = best_assignment(scores.T)
        pairs = sorted(zip(by_row, by_col, strict=True))
        return [r for r, _ in pairs], [c for _, c in pairs]
    choices = _injections(n_rows, n_cols)
    totals = scores[np.arange(n_rows), choices].sum(axis=1)
    return list(range(n_rows)), [int(c) for c in choices[int(np.argmax(totals))]]


@lru_cache(maxsize=64)
def _injections(n_rows: int, n_cols: int) -> npt.NDArray[np.intp]:
    """Two sizes → every way to give each row its own column, one per line (row i's column in position i)."""
    return np.array(list(itertools.permutations(range(n_cols), n_rows)), dtype=np.intp).reshape(-1, n_rows)


def _unmapped(headers: list[str], profile: Profile, strict: bool) -> None:
    """Headers that do not map → NotAJobAidError naming them (nothing when not strict)."""
    if not strict:
        return
    found = " | ".join(h or "(blank)" for h in headers)
    needed = ", ".join(rule.field for rule in profile.columns if rule.required)
    raise NotAJobAidError(None, f"cannot map the table's columns ({needed}); headers found: {found}",
                          "add the header words to the profile in schemas/profiles/")
