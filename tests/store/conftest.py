"""Shared by the write-fault tests: the sample revisions read once, and `extract` run in-process on them."""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import Result
from typer.testing import CliRunner

import pipeline.run
from pipeline.read.extract import Extraction, extract
from pipeline.read.validate import validate_extraction
from pipeline.store.files import REVISION_FILE
from tests.conftest import RAW

OLD = RAW / "end-customer-support_10Feb20.pdf"
NEW = RAW / "end-customer-support_2023-03-07.pdf"
INVALID = RAW / "blank-cell-copy-of-2023-03-07.pdf"  # never read: served from the cache below
DOC = "end-customer-support-comparison-reseller-vs-direct"
REVISION_FILES = ("activities.csv", "activities.parquet", "glossary.csv", REVISION_FILE)
CHANGE_FILES = ("changes.csv", "changes.json", "changes.parquet", "report.md", "report.html")
MAX_MESSAGE = 200


@pytest.fixture(scope="session")
def extractions() -> dict[Path, Extraction]:
    """The two sample revisions, read once, and a copy of the newer one with an empty activity cell."""
    old, new = extract(OLD), extract(NEW)
    activities = new.activities.copy()
    activities.loc[0, "activity"] = ""
    quarantine = validate_extraction(activities, new.glossary, new.revision)
    assert not quarantine.empty
    invalid = dataclasses.replace(new, activities=activities, quarantine=quarantine)
    return {OLD: old, NEW: new, INVALID: invalid}


def serve_cached(patch: pytest.MonkeyPatch, extractions: dict[Path, Extraction]) -> None:
    """`ingest` gets the cached extractions instead of reading the PDFs again: these tests are about writing."""

    def read_many(func: object, work: list[tuple[Path, object]], *_: object) -> Iterator[tuple[int, Extraction]]:
        for index, (path, _) in enumerate(work):
            yield index, dataclasses.replace(extractions[Path(path)])  # a copy: ingest drops its page grids

    patch.setattr(pipeline.run, "read_many", read_many)


@pytest.fixture
def cached_reading(monkeypatch: pytest.MonkeyPatch, extractions: dict[Path, Extraction]) -> None:
    serve_cached(monkeypatch, extractions)


@pytest.fixture(autouse=True)
def wide_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    """The summary table printed wide enough that no status cell wraps, so tests can look for it."""
    import pipeline.summary

    monkeypatch.setattr(pipeline.summary.console, "width", 300)


def stored(root: Path, extractions: dict[Path, Extraction], *pdfs: Path) -> Path:
    """A store at `root` holding the given sample revisions (read from the cache)."""
    with pytest.MonkeyPatch.context() as patch:
        serve_cached(patch, extractions)
        for pdf in pdfs:
            result = run_in_process("extract", str(pdf), "--output", str(root))
            assert result.exit_code == 0, result.output
    return root


def run_in_process(*args: str, failpoint: str | None = None) -> Result:
    """`jobaid ARGS` in this process (optionally with JOBAID_FAILPOINT set) → exit code, stdout and stderr."""
    from pipeline.cli import app

    env = {"JOBAID_FAILPOINT": failpoint} if failpoint else {}
    assert "JOBAID_FAILPOINT" not in os.environ
    return CliRunner().invoke(app, list(args), env=env)


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.strip()]


def assert_one_short_line(stderr: str, *words: str) -> str:
    """stderr → its one line, checked: `error: ...`, at most MAX_MESSAGE characters, naming `words`."""
    lines = error_lines(stderr)
    assert len(lines) == 1, stderr
    line = lines[0]
    assert line.startswith("error: ") and len(line) <= MAX_MESSAGE, line
    assert "Traceback" not in stderr and "[Errno" not in line
    for word in words:
        assert word in line, (word, line)
    return line


def assert_revisions_complete(root: Path) -> int:
    """Every published revision and change folder of the store holds all its files, readable; returns the
    number of revisions."""
    count = 0
    documents = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")) and p.name != "bi"]
    for document in documents:
        for folder in (p for p in document.iterdir() if p.is_dir() and not p.name.startswith(".")):
            if folder.name == "changes":
                for pair in folder.iterdir():
                    assert sorted(p.name for p in pair.iterdir()) == sorted(CHANGE_FILES), pair
                    assert list(pd.read_csv(pair / "changes.csv").columns[:6]) == [
                        "change", "phase", "activity", "field", "old", "new"]
                continue
            assert sorted(p.name for p in folder.iterdir()) == sorted(REVISION_FILES), folder
            assert json.loads((folder / REVISION_FILE).read_text(encoding="utf-8"))["revision_date"] == folder.name
            assert len(pd.read_csv(folder / "activities.csv")) == 33
            assert len(pd.read_parquet(folder / "activities.parquet")) == 33
            count += 1
    return count


def revisions_in_warehouse(root: Path) -> int:
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        row = con.execute("select count(*) from dim_revision").fetchone()
    assert row is not None
    return int(row[0])
