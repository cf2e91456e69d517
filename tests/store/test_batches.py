"""Batches: files already stored are not read again, parallel reading stores what serial reading stores, and a
new revision rewrites only the diffs it touches."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import pipeline.run as run
from pipeline.compare.refresh import refresh_document
from pipeline.run import ingest
from pipeline.store.files import save_revision
from pipeline.store.table_bytes import read_csv
from tests.conftest import RAW

OLD = RAW / "end-customer-support_10Feb20.pdf"
NEW = RAW / "end-customer-support_2023-03-07.pdf"
DOC = "end-customer-support-comparison-reseller-vs-direct"


def published(root: Path) -> dict[str, bytes]:
    """Every published file but the DuckDB file (its bytes vary run to run) → its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith(".") and p.suffix != ".duckdb"}


@pytest.fixture(scope="module")
def two_revisions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("batch") / "store"
    outcomes = ingest([OLD, NEW], root, jobs=2)
    assert all(o.changed and o.error is None for o in outcomes)
    return root


def test_parallel_reading_stores_what_serial_reading_stores(two_revisions: Path, tmp_path: Path) -> None:
    serial = tmp_path / "serial"
    ingest([OLD, NEW], serial, jobs=1)
    assert published(serial) == published(two_revisions)


def test_unchanged_files_are_not_read_again(two_revisions: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "store"
    shutil.copytree(two_revisions, root)
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}

    def no_reading(*args: object) -> object:
        raise AssertionError("an unchanged file was read again")

    monkeypatch.setattr(run, "read_many", no_reading)
    outcomes = ingest([OLD, NEW], root)
    assert [o.stored is not None and not o.changed and o.error is None for o in outcomes] == [True, True]
    assert {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()} == before


def test_force_reads_again_and_stores_the_same(two_revisions: Path, tmp_path: Path) -> None:
    root = tmp_path / "store"
    shutil.copytree(two_revisions, root)
    outcomes = ingest([OLD], root, force=True)
    assert outcomes[0].extraction is not None and outcomes[0].stored is None
    assert published(root) == published(two_revisions)


def test_a_file_read_by_another_pipeline_version_is_read_again(two_revisions: Path, tmp_path: Path) -> None:
    root = tmp_path / "store"
    shutil.copytree(two_revisions, root)
    meta_path = root / DOC / "2020-02-10" / "revision.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps({**meta, "pipeline_version": "0.0.0"}), encoding="utf-8")
    [outcome] = ingest([OLD], root)
    assert outcome.extraction is not None and outcome.changed
    assert json.loads(meta_path.read_text(encoding="utf-8"))["pipeline_version"] == meta["pipeline_version"]


def add_revision(document_dir: Path, source: str, day: str, edit: int) -> None:
    """A stored revision → a copy dated `day` with one activity reworded (as a later revision would be)."""
    meta = json.loads((document_dir / source / "revision.json").read_text(encoding="utf-8"))
    activities = read_csv(document_dir / source / "activities.csv").drop(columns=["activity_id"])
    activities.loc[edit, "activity"] = activities.loc[edit, "activity"] + " (revised)"
    glossary = read_csv(document_dir / source / "glossary.csv")
    save_revision(document_dir, {**meta, "revision_date": day, "revision_label": day}, activities, glossary)


@pytest.mark.parametrize("day", ["2024-01-01", "2021-01-01", "2019-01-01"], ids=["appended", "inserted", "first"])
def test_refreshing_from_the_changed_revision_equals_refreshing_everything(two_revisions: Path, tmp_path: Path,
                                                                           day: str) -> None:
    incremental, full = tmp_path / "incremental", tmp_path / "full"
    for folder in (incremental, full):
        shutil.copytree(two_revisions / DOC, folder)
        add_revision(folder, "2023-03-07", day, edit=3)
    untouched = incremental / "changes" / "2020-02-10__2023-03-07" / "changes.csv"
    inode = untouched.stat().st_ino

    refresh_document(incremental, DOC, {day})
    refresh_document(full, DOC)

    assert published(incremental) == published(full)
    assert (untouched.exists() and untouched.stat().st_ino == inode) == (day == "2024-01-01")
