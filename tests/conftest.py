"""Shared test helpers: where the fixtures are and how to run the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
RAW = ROOT / "raw"
BIN = Path(sys.executable).parent


def expected(name: str) -> dict:
    return json.loads((FIXTURES / "expected" / f"{name}.json").read_text(encoding="utf-8"))


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run a console script of this project (`extract ...` or `jobaid ...`) and capture its output."""
    return subprocess.run([str(BIN / args[0]), *args[1:]], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "store"


def printed_date(text: str) -> tuple[str, date, str] | None:
    """A line of text → the revision date the default profile reads in it (label, date, source), or None."""
    from pipeline.profile import load_profile
    from pipeline.read.revision import find_date

    profile = load_profile()
    found = find_date(text, profile.revision_prefixes, profile.not_revision_words, profile.created_words,
                      profile.version_words)
    return None if found is None else (found.label, found.value, found.source)
