"""A write that fails (full disk, quota, read-only, permission, I/O) at any write point: exit 10, one short line,
published revisions whole, and the next run with the fault gone finishes the job.

Faults are injected through the failpoints (JOBAID_FAILPOINT=NAME:ERRNO raises that OSError at the point).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.errors import EXIT_CODES, MAX_SHOWN_PATH, WRITE_FAULTS, store_error
from pipeline.read.extract import Extraction
from pipeline.run import BI_STALE_NOTE, warehouse_is_stale
from tests.conftest import BIN
from tests.store.conftest import (
    DOC,
    INVALID,
    NEW,
    OLD,
    assert_one_short_line,
    assert_revisions_complete,
    revisions_in_warehouse,
    run_in_process,
    stored,
)
from tests.store.test_store_crash import leftovers, visible_digest

STORE_ERROR = EXIT_CODES["store-error"]
CAUSES = {"ENOSPC": "no space left on device", "EDQUOT": "disk quota exceeded", "EROFS": "read-only file system",
          "EACCES": "permission denied", "EPERM": "operation not permitted", "EIO": "input/output error"}


@pytest.fixture(scope="module")
def one_revision(tmp_path_factory: pytest.TempPathFactory, extractions: dict[Path, Extraction]) -> Path:
    return stored(tmp_path_factory.mktemp("one") / "store", extractions, OLD)


@pytest.fixture
def store(one_revision: Path, tmp_path: Path, cached_reading: None) -> Path:
    root = tmp_path / "store"
    shutil.copytree(one_revision, root)
    return root


def bi_digest(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root / "bi")): p.read_bytes() for p in sorted((root / "bi").rglob("*")) if p.is_file()}


def assert_recovers(root: Path, revisions: int = 2) -> None:
    """The next run without the fault: exit 0, nothing left over, every revision stored and in the BI tables."""
    result = run_in_process("extract", str(NEW), "--output", str(root))
    assert result.exit_code == 0, result.stderr
    assert leftovers(root) == []
    assert assert_revisions_complete(root) == revisions
    assert revisions_in_warehouse(root) == revisions and not warehouse_is_stale(root)
    assert (root / "bi").stat().st_mode == (root / DOC).stat().st_mode  # not mkdtemp's 0700


# A fault before the commit point: nothing published changes; the file is "not stored".
BEFORE_COMMIT = [
    ("store-lock:EROFS", "store"),
    ("document-copied:ENOSPC", DOC),
    ("write-activities.csv:ENOSPC", DOC),  # the revision's own files
    ("write-glossary.csv:EDQUOT", DOC),
    ("write-revision.json:EIO", DOC),
    ("write-changes.csv:ENOSPC", DOC),  # the diff against the previous revision
    ("write-changes.parquet:EPERM", DOC),
    ("write-report.html:EACCES", DOC),  # the reports
    ("document-staged:EIO", DOC),  # the commit itself
]


@pytest.mark.parametrize(("point", "folder"), BEFORE_COMMIT, ids=[p for p, _ in BEFORE_COMMIT])
def test_a_fault_before_the_commit_leaves_the_store_as_it_was(store: Path, point: str, folder: str) -> None:
    before = visible_digest(store)
    result = run_in_process("extract", str(NEW), "--output", str(store), failpoint=point)
    assert result.exit_code == STORE_ERROR
    line = assert_one_short_line(result.stderr, f"{folder}: {CAUSES[point.split(':')[1]]}; ")
    assert "not stored" in result.stdout and "invalid" not in result.stdout, result.stdout
    assert visible_digest(store) == before, line
    assert leftovers(store) == []
    assert assert_revisions_complete(store) == 1
    assert_recovers(store)


# A fault after the commit point, while the BI tables are rebuilt: the revision stays, the tables are stale.
AFTER_COMMIT = [
    ("write-dim_revision.parquet:ENOSPC", "bi"),
    ("write-datapackage.json:EDQUOT", "bi"),
    ("warehouse-bi-written:EROFS", "warehouse.duckdb"),
    ("warehouse-staged:ENOSPC", "warehouse.duckdb"),
]


@pytest.mark.parametrize(("point", "folder"), AFTER_COMMIT, ids=[p for p, _ in AFTER_COMMIT])
def test_a_fault_in_the_bi_tables_keeps_the_revision_and_marks_them_stale(store: Path, point: str,
                                                                           folder: str) -> None:
    bi_before = bi_digest(store)
    result = run_in_process("extract", str(NEW), "--output", str(store), failpoint=point)
    assert result.exit_code == STORE_ERROR
    assert_one_short_line(result.stderr, f"{folder}: {CAUSES[point.split(':')[1]]}; ", BI_STALE_NOTE)
    assert "stored; BI tables not rebuilt" in result.stdout, result.stdout
    assert assert_revisions_complete(store) == 2
    assert revisions_in_warehouse(store) == 1 and warehouse_is_stale(store)
    if folder == "bi":
        assert bi_digest(store) == bi_before  # the BI folder is swapped in whole or not at all
    assert leftovers(store) == []
    assert_recovers(store)


def test_a_stale_warehouse_that_still_cannot_be_rebuilt_is_reported(store: Path) -> None:
    run_in_process("extract", str(NEW), "--output", str(store), failpoint="warehouse-staged:ENOSPC")
    result = run_in_process("extract", str(NEW), "--output", str(store), failpoint="warehouse-staged:EIO")
    assert result.exit_code == STORE_ERROR
    assert_one_short_line(result.stderr, "warehouse.duckdb: input/output error", BI_STALE_NOTE)
    assert "unchanged; BI tables not rebuilt" in result.stdout
    assert_recovers(store)


def test_a_fault_writing_the_quarantine_is_not_stored_not_invalid(store: Path) -> None:
    before = visible_digest(store)
    result = run_in_process("extract", str(INVALID), "--output", str(store), failpoint="write-quarantine.csv:ENOSPC")
    assert result.exit_code == STORE_ERROR
    assert_one_short_line(result.stderr, f"_quarantine/{DOC}/2023-03-07: no space left on device")
    assert "not stored" in result.stdout and "invalid" not in result.stdout
    assert visible_digest(store) == before and leftovers(store) == []
    again = run_in_process("extract", str(INVALID), "--output", str(store))
    assert again.exit_code == EXIT_CODES["validation-failed"] and "invalid" in again.stdout
    quarantined = store / "_quarantine" / DOC / "2023-03-07"
    assert (quarantined / "quarantine.csv").is_file()
    assert quarantined.stat().st_mode == (store / DOC).stat().st_mode  # not mkdtemp's 0700


def test_a_store_path_that_is_a_file(tmp_path: Path, cached_reading: None) -> None:
    blocker = tmp_path / "store"
    blocker.write_text("not a folder\n", encoding="utf-8")
    result = run_in_process("extract", str(OLD), "--output", str(blocker))
    assert result.exit_code == STORE_ERROR and "not stored" in result.stdout
    assert_one_short_line(result.stderr, str(blocker), "is a file")
    inside = run_in_process("extract", str(OLD), "--output", str(blocker / "sub"))
    assert inside.exit_code == STORE_ERROR
    assert_one_short_line(inside.stderr, "a file is in the way")
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"


def test_an_overlay_folder_that_cannot_be_written(store: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "overlays"
    blocker.write_bytes(b"")
    before = visible_digest(store)
    result = run_in_process("extract", str(NEW), "--output", str(store), "--overlay", str(blocker))
    assert result.exit_code == STORE_ERROR and "not stored" in result.stdout
    assert_one_short_line(result.stderr, f"{blocker}: is a file")
    assert visible_digest(store) == before


@pytest.fixture(scope="module")
def two_revisions(tmp_path_factory: pytest.TempPathFactory, extractions: dict[Path, Extraction]) -> Path:
    return stored(tmp_path_factory.mktemp("two") / "store", extractions, OLD, NEW)


@pytest.mark.parametrize("point", ["write-report.html:ENOSPC", "write-changes.json:EACCES"])
def test_jobaid_diff_into_a_folder_that_fails(two_revisions: Path, tmp_path: Path, point: str) -> None:
    output = tmp_path / "diff"
    refs = (f"{DOC}@2020-02-10", f"{DOC}@2023-03-07", "--store", str(two_revisions), "--output", str(output))
    result = run_in_process("diff", *refs, failpoint=point)
    assert result.exit_code == STORE_ERROR
    assert_one_short_line(result.stderr, f"{output}: {CAUSES[point.split(':')[1]]}")
    assert not [p.name for p in output.iterdir() if ".tmp-" in p.name]
    assert run_in_process("diff", *refs).exit_code == 0
    assert (output / "report.html").is_file()


@pytest.mark.parametrize("command", [
    ("diff", f"{DOC}@2020-02-10", DOC, "--output", "{tmp}", "--store", "{file}"),
    ("diff", f"{DOC}@2020-02-10", f"{DOC}@2023-03-07", "--store", "{store}", "--output", "{file}"),
    ("history", DOC, "--output", "{file}"),
    ("export", "--to", "postgresql://nobody@127.0.0.1:9/none", "--output", "{file}"),
], ids=["diff-store", "diff-output", "history", "export"])
def test_a_path_that_is_a_file_is_one_store_error(two_revisions: Path, tmp_path: Path,
                                                  command: tuple[str, ...]) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x\n", encoding="utf-8")
    args = [a.format(tmp=tmp_path / "out", file=blocker, store=two_revisions) for a in command]
    result = run_in_process(*args)
    assert result.exit_code == STORE_ERROR, result.output
    assert_one_short_line(result.stderr, f"{blocker}: ", "is a file")


def test_debug_shows_the_os_error_behind_the_line(tmp_path: Path) -> None:
    """Through the real console script: the failpoint reaches it by the environment; --debug adds the rest."""
    root = tmp_path / "store"
    env = {**os.environ, "JOBAID_FAILPOINT": "store-lock:EDQUOT"}
    command = [str(BIN / "extract"), str(OLD), "--output", str(root)]
    plain = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    assert plain.returncode == STORE_ERROR
    assert_one_short_line(plain.stderr, f"{root}: disk quota exceeded; free space or raise the quota")
    debug = subprocess.run([*command, "--debug"], capture_output=True, text=True, env=env, timeout=300)
    assert debug.returncode == STORE_ERROR
    assert "Traceback" in debug.stderr and "OSError: [Errno 122] Disk quota exceeded" in debug.stderr


@pytest.mark.parametrize("code", sorted(WRITE_FAULTS))
def test_every_write_fault_has_a_short_cause_and_advice(code: int) -> None:
    error = store_error(OSError(code, os.strerror(code), "/x/.hidden.tmp-1"), Path("output") / "bi")
    assert str(error).startswith("output/bi: ") and ".tmp-" not in str(error)
    assert error.exit_code == STORE_ERROR and error.advice and len(str(error)) < MAX_MESSAGE_BODY


MAX_MESSAGE_BODY = 120


def test_a_long_folder_name_is_shortened_from_the_left() -> None:
    deep = Path("/").joinpath(*[f"level-{i:03d}" for i in range(40)])
    error = store_error(OSError(28, "No space left on device"), deep)
    assert str(error.path).startswith("…/") and str(error.path).endswith("level-039")
    assert len(str(error.path)) <= MAX_SHOWN_PATH
    assert len(f"error: {error}") <= 200
