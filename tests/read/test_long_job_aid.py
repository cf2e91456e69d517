"""A long job aid (1,000 activities over 70+ pages, rows split across pages) extracts exactly."""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.read.extract import extract
from schemas.activities import CORE_COLUMNS
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from make_long import make_long  # noqa: E402


def test_long_job_aid_is_exact(tmp_path: Path) -> None:
    path = tmp_path / "long.pdf"
    truth = make_long(path, n_activities=1000)
    assert truth["pages"] >= 70
    got = extract(path)
    assert got.quarantine.empty, got.quarantine.head().to_string()
    assert got.activities[list(CORE_COLUMNS)].to_dict("records") == truth["rows"]
    assert got.glossary.to_dict("records") == truth["glossary"]
    assert got.revision["page_count"] == truth["pages"]
