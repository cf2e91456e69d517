"""The store survives a killed run: before the commit point nothing visible changes, after it the new state
is whole; the next run cleans up and finishes the job."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.store.files import document_transaction, recover, store_lock, write_files
from tests.conftest import BIN, RAW, run_cli

OLD = RAW / "end-customer-support_10Feb20.pdf"
NEW = RAW / "end-customer-support_2023-03-07.pdf"
DOC = "end-customer-support-comparison-reseller-vs-direct"


def visible_digest(root: Path) -> dict[str, bytes]:
    """Every published file (hidden lock and temporary entries aside) → its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }


def leftovers(root: Path) -> list[str]:
    return [str(p.relative_to(root)) for p in root.rglob("*") if ".tmp-" in p.name or p.name.startswith(".old-")]


@pytest.fixture(scope="module")
def one_revision(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("base") / "store"
    assert run_cli("extract", str(OLD), "--output", str(root)).returncode == 0
    return root


@pytest.fixture
def store(one_revision: Path, tmp_path: Path) -> Path:
    root = tmp_path / "store"
    shutil.copytree(one_revision, root)
    return root


def extract_with_failpoint(root: Path, point: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JOBAID_FAILPOINT": point}
    return subprocess.run(
        [str(BIN / "extract"), str(NEW), "--output", str(root)], capture_output=True, text=True, env=env, timeout=300
    )


def revisions_in_warehouse(root: Path) -> int:
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        return int(con.execute("select count(*) from dim_revision").fetchone()[0])


@pytest.mark.parametrize("point", ["document-staged"])
def test_killed_before_commit_leaves_published_files_identical(store: Path, point: str) -> None:
    before = visible_digest(store)
    result = extract_with_failpoint(store, point)
    assert result.returncode == -signal.SIGKILL
    assert visible_digest(store) == before
    history = run_cli("jobaid", "history", DOC, "--output", str(store))
    assert history.returncode == 0 and "2023-03-07" not in history.stdout
    assert run_cli("extract", str(NEW), "--output", str(store)).returncode == 0
    assert leftovers(store) == []
    assert revisions_in_warehouse(store) == 2


@pytest.mark.parametrize("point", ["document-committed", "warehouse-bi-written", "warehouse-staged"])
def test_killed_after_commit_keeps_the_new_revision_whole(store: Path, point: str) -> None:
    result = extract_with_failpoint(store, point)
    assert result.returncode == -signal.SIGKILL
    folder = store / DOC / "2023-03-07"
    assert (folder / "activities.csv").read_text(encoding="utf-8").count("\n") == 34
    assert (store / DOC / "changes" / "2020-02-10__2023-03-07" / "changes.csv").exists()
    assert revisions_in_warehouse(store) == 1  # the BI tables lag behind but are readable
    assert run_cli("extract", str(NEW), "--output", str(store)).returncode == 0  # nothing new: only catches up
    assert revisions_in_warehouse(store) == 2
    assert leftovers(store) == []


@pytest.mark.parametrize("delay", [0.8, 1.4, 2.0, 2.6, 3.2])
def test_killed_at_any_moment_leaves_old_or_new_state(store: Path, delay: float) -> None:
    before = visible_digest(store)
    proc = subprocess.Popen(
        [str(BIN / "extract"), str(NEW), "--output", str(store)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    time.sleep(delay)
    proc.kill()
    proc.wait()
    after = visible_digest(store)
    new_revision = f"{DOC}/2023-03-07/revision.json"
    if new_revision not in after:  # not committed: the published files are exactly as before
        assert {k: v for k, v in after.items()} == before
    history = run_cli("jobaid", "history", DOC, "--output", str(store))
    assert history.returncode == 0
    assert run_cli("extract", str(NEW), "--output", str(store)).returncode == 0
    assert leftovers(store) == [] and revisions_in_warehouse(store) == 2


def test_recover_puts_back_a_folder_renamed_aside(tmp_path: Path) -> None:
    live = tmp_path / "doc"
    live.mkdir()
    (live / "x.csv").write_text("a\n", encoding="utf-8")
    os.rename(live, tmp_path / ".old-doc-1234")  # a writer died between its two renames
    (tmp_path / ".tmp-abc").mkdir()
    with store_lock(tmp_path):
        recover(tmp_path)
    assert (live / "x.csv").read_text(encoding="utf-8") == "a\n"
    assert not (tmp_path / ".tmp-abc").exists()


def test_an_error_inside_a_transaction_changes_nothing(tmp_path: Path) -> None:
    live = tmp_path / "doc"
    live.mkdir()
    (live / "x.csv").write_text("a\n", encoding="utf-8")
    with store_lock(tmp_path), pytest.raises(RuntimeError), document_transaction(tmp_path, "doc") as work:
        write_files(work, {"x.csv": b"b\n"})  # files in a transaction are replaced, never rewritten in place
        raise RuntimeError("boom")
    assert (live / "x.csv").read_text(encoding="utf-8") == "a\n"
    assert leftovers(tmp_path) == []
