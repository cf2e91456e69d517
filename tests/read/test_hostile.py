"""Hostile and broken PDFs: each ends in one clear error of its class, in bounded time, store untouched."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline.read.sandbox import Limits
from pipeline.run import ingest
from tests.cli.test_cli import tree_digest
from tests.conftest import ROOT
from tests.hostile import manifest

HOSTILE = ROOT / "tests" / "hostile"
LIMITS = Limits(timeout_s=30, memory_mb=1024, max_pages=2000)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("store")
    outcomes = ingest([ROOT / "raw" / "end-customer-support_10Feb20.pdf"], root)
    assert outcomes[0].error is None
    return root


@pytest.mark.parametrize("name", sorted(manifest.SMALL_NAMES))
def test_small_hostile_file_gives_its_error(name: str, store: Path) -> None:
    case = manifest.CASES[name]
    before = tree_digest(store)
    start = time.monotonic()
    [outcome] = ingest([HOSTILE / "files" / name], store, limits=LIMITS)
    assert time.monotonic() - start < 60
    assert outcome.error is not None, "a hostile file must not be stored as a job aid"
    assert case.accepts(outcome.error.kind), f"{outcome.error.kind}: {outcome.error}"
    assert name in str(outcome.error) and "\n" not in str(outcome.error)
    assert tree_digest(store) == before


@pytest.mark.parametrize("name", sorted(n for n in manifest.SMALL_NAMES if manifest.CASES[n].password))
def test_encrypted_file_opens_with_its_password(name: str, tmp_path: Path) -> None:
    case = manifest.CASES[name]
    [outcome] = ingest([HOSTILE / "files" / name], tmp_path, password=case.password, limits=LIMITS)
    assert outcome.error is not None and outcome.error.kind == case.kind_with_password


@pytest.fixture(scope="module")
def large_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.hostile.generate import make_large

    folder = tmp_path_factory.mktemp("large")
    make_large(folder)
    return folder


@pytest.mark.parametrize("name", sorted(manifest.LARGE_NAMES))
def test_large_hostile_file_is_stopped_by_a_limit(name: str, large_files: Path, store: Path) -> None:
    case = manifest.CASES[name]
    before = tree_digest(store)
    start = time.monotonic()
    [outcome] = ingest([large_files / name], store, limits=Limits(timeout_s=15, memory_mb=1024, max_pages=2000))
    assert time.monotonic() - start < 30
    assert outcome.error is not None and case.accepts(outcome.error.kind), outcome.error
    assert tree_digest(store) == before
