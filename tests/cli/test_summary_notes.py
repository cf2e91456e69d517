"""The terminal summary's notes: what OCR read and what looks odd, parted by "; " with nothing dangling."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from pipeline import summary


def _outcome(warnings: list[str]) -> SimpleNamespace:
    """An outcome of a scanned file read by OCR on pages 1 and 2, with the given warnings."""
    revision = {"revision_date": "2020-02-10", "revision_label": "10Feb20", "page_count": 2,
                "counts": {"activities": 3, "phases": 1, "glossary_terms": 0}, "ocr": {"pages": [1, 2]}}
    extraction = SimpleNamespace(revision=revision, warnings=warnings, quarantine=pd.DataFrame())
    return SimpleNamespace(path=Path("scan.pdf"), stored=None, extraction=extraction, error=None, changed=False,
                           bi_error=None, folder=None)


def test_the_ocr_note_ends_the_notes_when_there_is_no_warning(capsys: pytest.CaptureFixture[str]) -> None:
    summary.print_summary([_outcome([])], Path("output"))
    out = capsys.readouterr().out
    assert "read by OCR" in out and "OCR;" not in out
    summary.print_summary([_outcome(["a warning"])], Path("output"))
    assert "OCR; a" in capsys.readouterr().out
