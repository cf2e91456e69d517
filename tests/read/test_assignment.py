"""Header-to-field assignment: the exhaustive search used for small matrices picks what scipy's solver picks,
and reading a digital job aid does not import scipy.optimize."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from pipeline.read.columns import BRUTE_FORCE_MAX, best_assignment
from tests.conftest import FIXTURES, ROOT

SHAPES = [(r, c) for r in range(1, BRUTE_FORCE_MAX + 1) for c in range(1, BRUTE_FORCE_MAX + 1)]


@pytest.mark.parametrize(("n_rows", "n_cols"), SHAPES)
def test_small_matrices_get_scipys_assignment(n_rows: int, n_cols: int) -> None:
    rng = np.random.default_rng(n_rows * 10 + n_cols)
    for _ in range(20):
        scores = rng.random((n_rows, n_cols))  # no ties: the best assignment is unique
        rows, cols = linear_sum_assignment(scores, maximize=True)
        assert best_assignment(scores) == ([int(r) for r in rows], [int(c) for c in cols])


@pytest.mark.parametrize(("n_rows", "n_cols"), SHAPES)
def test_small_matrices_with_ties_get_an_assignment_as_good_as_scipys(n_rows: int, n_cols: int) -> None:
    rng = np.random.default_rng(100 + n_rows * 10 + n_cols)
    for _ in range(20):
        scores = rng.integers(0, 3, (n_rows, n_cols)).astype(np.float64)  # header scores are mostly 0 and ties
        rows, cols = linear_sum_assignment(scores, maximize=True)
        got_rows, got_cols = best_assignment(scores)
        assert got_rows == sorted(got_rows) and len(set(got_cols)) == len(got_cols) == min(n_rows, n_cols)
        assert scores[got_rows, got_cols].sum() == scores[rows, cols].sum()


def test_large_matrices_are_left_to_scipy() -> None:
    scores = np.random.default_rng(7).random((BRUTE_FORCE_MAX + 2, BRUTE_FORCE_MAX + 1))
    rows, cols = linear_sum_assignment(scores, maximize=True)
    assert best_assignment(scores) == ([int(r) for r in rows], [int(c) for c in cols])


def test_reading_a_digital_job_aid_does_not_import_scipy_optimize() -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from pipeline.read.extract import extract\n"
        f"extract(Path({str(FIXTURES / 'pdf' / 'dividers_centred_header.pdf')!r}))\n"
        "print('scipy.optimize' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"
