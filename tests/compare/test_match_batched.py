"""Matching's shortcuts give what the long way gives: the assignment without scipy when it is unambiguous, and
the scores of paired rows in one batch."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linear_sum_assignment

from pipeline.compare.match import _best_assignment, pair_scores, to_rows


def scipy_pairs(scores: np.ndarray) -> list[tuple[int, int]]:
    rows, cols = linear_sum_assignment(-scores)
    return [(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if scores[i, j] > 0]


def shortcut_pairs(scores: np.ndarray) -> list[tuple[int, int]]:
    rows, cols = _best_assignment(scores)
    return [(int(i), int(j)) for i, j in zip(rows, cols, strict=True) if scores[i, j] > 0]


@pytest.mark.parametrize("seed", range(40))
def test_best_assignment_is_scipys(seed: int) -> None:
    """Random score matrices, half with one candidate per row and column at most, give scipy's pairs."""
    rng = np.random.default_rng(seed)
    n, m = rng.integers(1, 12, size=2)
    scores = np.where(rng.random((n, m)) < 0.25, rng.uniform(0.6, 1.0, (n, m)), 0.0)
    if seed % 2:  # unambiguous: keep one candidate per row and column
        keep = np.zeros_like(scores, dtype=bool)
        for i, j in zip(rng.permutation(n), rng.permutation(m), strict=False):
            keep[i, j] = rng.random() < 0.7
        scores = np.where(keep, rng.uniform(0.6, 1.0, (n, m)), 0.0)
    assert shortcut_pairs(scores) == scipy_pairs(scores)


def rows(texts: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(texts, columns=["phase", "activity", "self_service", "reseller_owner", "direct_owner"])


def test_paired_scores_are_the_matrix_diagonal() -> None:
    """Scoring rows i with i in one batch gives exactly the diagonal of scoring every row with every row."""
    old = to_rows(rows([
        ("Quoting", "Customer requests a quote", "", "EUC contacts reseller.", "EUC contacts EQIX AE."),
        ("Quoting", "Create ticket", "", "Reseller", "EQIX AE leads."),
        ("Support", "Add services to existing footprint", "", "Reseller engages CSM.", "EUC CSM provides support."),
        ("Support", "", "", "", ""),
    ]))
    new = to_rows(rows([
        ("Quoting", "Customer asks for a quote & pricing", "", "EUC contacts reseller.", "EUC contacts EQIX AE"),
        ("Quoting", "Update ticket", "", "reseller", "EQIX AE leads."),
        ("Help", "Add services to a footprint", "Yes", "Reseller engages CSM.", "EUC CSM supports."),
        ("Support", "Order PDUs", "", "", ""),
    ]))
    labels = list(range(4))
    score, text = pair_scores(old, new, labels, labels)
    paired_score, paired_text = pair_scores(old, new, labels, labels, paired=True)
    assert np.array_equal(paired_text, np.diag(text))
    assert np.array_equal(paired_score, np.diag(score))


def test_unambiguous_diff_imports_no_scipy() -> None:
    """A diff whose similar pairs are plain (one candidate each) does not pay for importing scipy.optimize."""
    code = """
import sys
import pandas as pd
from pipeline.compare.diff import diff_revisions
columns = ["phase", "activity", "self_service", "reseller_owner", "direct_owner"]
old = pd.DataFrame([("P", "Order PDUs for the cage", "", "Reseller", "EUC"),
                    ("P", "Create ticket", "", "Reseller", "EUC")], columns=columns)
new = pd.DataFrame([("P", "Order the PDUs for a cage", "", "Reseller", "EUC"),
                    ("P", "Create ticket", "", "Reseller", "EUC")], columns=columns)
changes = diff_revisions(old, new)
assert changes["change"].tolist() == ["reworded"], changes
assert "scipy.optimize" not in sys.modules
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
