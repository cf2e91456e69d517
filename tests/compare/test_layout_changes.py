"""A change of layout is no change: the same job aid printed in another table layout diffs to nothing, and a
real revision diffs to its planted changes whatever layout either side is printed in."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from pipeline.compare.diff import diff_revisions
from pipeline.read.extract import extract
from tests.conftest import FIXTURES, RAW, expected

PDF = FIXTURES / "pdf"
SAMPLE_OLD = RAW / "end-customer-support_10Feb20.pdf"
SAMPLE_NEW = RAW / "end-customer-support_2023-03-07.pdf"

#: (a layout, the same content in another layout): phase rows vs a phase column, owner cells apart vs merged.
SAME_CONTENT = [
    ("multipage_repeated_header", "phase_column_merged_seed"),
    ("multipage_repeated_header", "dividers_seed"),
    ("multipage_repeated_header", "html_dividers_seed"),
    ("merged_owners_apart", "merged_owners_ruled"),
    ("merged_owners_apart", "html_merged_owners_grid"),
    ("sibling_job_aid", "phase_column_merged_sibling"),
    ("sibling_job_aid", "html_dividers_sibling"),
    ("sibling_job_aid", "dividers_sibling"),
    ("end-customer-support_2023-03-07", "phase_column_merged_revision"),
    ("end-customer-support_2023-03-07", "html_phase_column_revision"),
    ("end-customer-support_2023-03-07", "dividers_revision"),
    ("end-customer-support_2023-03-07", "writer_phase_column_revision"),
    ("sibling_job_aid", "writer_phase_column_sibling"),
    ("merged_owners_apart", "writer_phase_column_merged_owners"),
    ("merged_owners_apart", "phase_column_repeated_dividers_not_applicable"),
    ("merged_owners_apart", "html_phase_column_repeated_not_applicable"),
    ("multipage_repeated_header", "dividers_centred_header"),
    ("multipage_repeated_header", "html_dividers_centred_header"),
    ("multipage_repeated_header", "phase_continued_label"),  # "(continued)" phase headings atop pages
    ("multipage_repeated_header", "dividers_phase_continued_cont"),
]


def _path(name: str) -> Path:
    return RAW / f"{name}.pdf" if name.startswith("end-customer-support") else PDF / f"{name}.pdf"


@cache
def activities(name: str) -> pd.DataFrame:
    got = extract(_path(name))
    assert got.valid, name
    return got.activities


@pytest.mark.parametrize(("old", "new"), SAME_CONTENT)
def test_same_content_in_another_layout_diffs_to_nothing(old: str, new: str) -> None:
    changes = diff_revisions(activities(old), activities(new))
    assert changes.empty, changes[["change", "activity", "field", "old", "new"]].to_string()
    assert diff_revisions(activities(new), activities(old)).empty


@pytest.mark.parametrize("new", ["phase_column_merged_revision", "html_phase_column_revision", "dividers_revision"])
def test_a_real_revision_in_a_new_layout_diffs_to_its_planted_changes(new: str) -> None:
    changes = diff_revisions(activities("end-customer-support_10Feb20"), activities(new))
    got = changes[["change", "phase", "activity", "field", "old", "new"]].to_dict("records")
    assert sorted(map(str, got)) == sorted(map(str, expected("sample_changes")))
