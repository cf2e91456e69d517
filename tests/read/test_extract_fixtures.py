"""Every generated fixture PDF, named for the layout case it covers, extracts exactly to its golden JSON."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.read.extract import extract
from schemas.activities import CORE_COLUMNS
from tests.conftest import FIXTURES, RAW, expected

CASES = sorted(p.stem for p in (FIXTURES / "pdf").glob("*.pdf"))
SAMPLES = {"sample_10Feb20": RAW / "end-customer-support_10Feb20.pdf",
           "sample_2023-03-07": RAW / "end-customer-support_2023-03-07.pdf"}
PDFS = {name: FIXTURES / "pdf" / f"{name}.pdf" for name in CASES} | SAMPLES


def test_there_is_a_fixture_per_layout_case() -> None:
    assert len(CASES) >= 20


@pytest.fixture(scope="module", params=sorted(PDFS))
def case(request: pytest.FixtureRequest) -> tuple[dict, object]:
    name = request.param
    return expected(name), extract(Path(PDFS[name]))


def test_rows_are_exact(case: tuple[dict, object]) -> None:
    truth, got = case
    rows = got.activities[list(CORE_COLUMNS)].to_dict("records")
    assert rows == truth["rows"]


def test_glossary_is_exact(case: tuple[dict, object]) -> None:
    truth, got = case
    assert got.glossary.to_dict("records") == truth["glossary"]


def test_revision_metadata(case: tuple[dict, object]) -> None:
    truth, got = case
    for key in ("title", "subtitle", "revision_label", "revision_date", "revision_date_source"):
        assert got.revision[key] == truth[key], key


def test_extraction_validates(case: tuple[dict, object]) -> None:
    _, got = case
    assert got.quarantine.empty, got.quarantine.to_string()
