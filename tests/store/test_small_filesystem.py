"""The store on a real small (or read-only) file system: a tmpfs mounted for the test, which needs root.

Whatever stage the space runs out at: exit 10, one short line, no traceback, every published revision whole;
with the file system grown (or made writable again) the next run finishes the job.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.bi.build import store_to_tables
from pipeline.bi.database import parquet_to_duckdb
from pipeline.bi.formats import arrow_schema, frame_to_arrow, write_parquet
from pipeline.errors import EXIT_CODES
from pipeline.read.extract import Extraction
from pipeline.run import BI_STALE_NOTE, warehouse_is_stale
from schemas.warehouse import TABLES
from tests.conftest import BIN
from tests.store.conftest import (
    DOC,
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
ROOMY = "64m"


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True, timeout=30)


@contextlib.contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted on `folder` for the block, unmounted after; skips where it cannot mount."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root and mount(8); CI runs as root")
    folder.mkdir(parents=True, exist_ok=True)
    result = _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder))
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)], capture_output=True, timeout=30).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=30)


def remount(folder: Path, options: str) -> None:
    result = _mount("-o", f"remount,{options}", str(folder))
    assert result.returncode == 0, result.stderr


def test_extract_end_to_end_on_a_200k_file_system(tmp_path: Path) -> None:
    """The real console script reading the real PDFs into a store that does not fit, then with room."""
    with tmpfs(tmp_path / "fs", "200k") as fs:
        root = fs / "output"
        command = [str(BIN / "extract"), str(OLD), str(NEW), "--output", str(root)]
        full = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert full.returncode == STORE_ERROR, full.stderr
        # One line per distinct failure: a file not stored, and/or the BI tables not rebuilt.
        lines = [assert_one_short_line(line, "no space left on device; free space and rerun")
                 for line in full.stderr.splitlines()]
        assert 1 <= len(lines) <= 2 and "invalid" not in full.stdout
        committed = assert_revisions_complete(root) if root.is_dir() else 0
        assert any(BI_STALE_NOTE in line for line in lines) == (committed > 0), lines  # said to be kept
        remount(fs, f"size={ROOMY}")
        again = subprocess.run(command, capture_output=True, text=True, timeout=300)
        assert again.returncode == 0, again.stderr
        assert assert_revisions_complete(root) == 2
        assert revisions_in_warehouse(root) == 2 and leftovers(root) == []


@pytest.mark.parametrize(("size", "committed"), [("40k", 0), ("600k", 2)])
def test_running_out_of_space_at_each_stage(tmp_path: Path, cached_reading: None, size: str, committed: int) -> None:
    """40k: the first revision does not fit (nothing published); 600k: both revisions fit, the BI tables
    do not (the revisions stay, the tables are stale)."""
    with tmpfs(tmp_path / "fs", size) as fs:
        root = fs / "output"
        result = run_in_process("extract", str(OLD), str(NEW), "--output", str(root))
        assert result.exit_code == STORE_ERROR
        line = assert_one_short_line(result.stderr, "no space left on device")
        assert assert_revisions_complete(root) == committed
        if committed:
            assert BI_STALE_NOTE in line and result.stdout.count("stored; BI tables not rebuilt") == 2
            assert warehouse_is_stale(root)
        else:
            assert f"output/{DOC}: no space left on device" in line and result.stdout.count("not stored") == 2
        remount(fs, f"size={ROOMY}")
        again = run_in_process("extract", str(OLD), str(NEW), "--output", str(root))
        assert again.exit_code == 0, again.stderr
        assert assert_revisions_complete(root) == 2 and revisions_in_warehouse(root) == 2
        assert leftovers(root) == [] and not warehouse_is_stale(root)


def test_a_read_only_store(tmp_path: Path, extractions: dict[Path, Extraction], cached_reading: None) -> None:
    with tmpfs(tmp_path / "fs", ROOMY) as fs:
        root = stored(fs / "output", extractions, OLD)
        before = visible_digest(root)
        remount(fs, "ro")
        result = run_in_process("extract", str(NEW), "--output", str(root))
        assert result.exit_code == STORE_ERROR and "not stored" in result.stdout
        assert_one_short_line(result.stderr, f"{root}: read-only file system; choose a writable folder")
        assert run_in_process("history", DOC, "--output", str(root)).exit_code == 0  # reading still works
        remount(fs, "rw")
        assert visible_digest(root) == before
        assert run_in_process("extract", str(NEW), "--output", str(root)).exit_code == 0
        assert assert_revisions_complete(root) == 2 and revisions_in_warehouse(root) == 2


def test_overlays_on_a_full_file_system(tmp_path: Path, cached_reading: None) -> None:
    with tmpfs(tmp_path / "fs", "16k") as fs:
        root = tmp_path / "output"
        result = run_in_process("extract", str(OLD), "--output", str(root), "--overlay", str(fs))
        assert result.exit_code == STORE_ERROR and "not stored" in result.stdout
        assert_one_short_line(result.stderr, f"{fs}: no space left on device")
        assert not root.exists() or assert_revisions_complete(root) == 0


def test_duckdb_on_a_full_file_system_raises_the_os_error(tmp_path: Path,
                                                         extractions: dict[Path, Extraction]) -> None:
    """DuckDB reports a full disk as its own exception: it comes out as ENOSPC, with no file left behind."""
    tables = store_to_tables(stored(tmp_path / "output", extractions, OLD))
    parquet = tmp_path / "parquet"
    parquet.mkdir()
    for name, model in TABLES.items():
        with (parquet / f"{name}.parquet").open("wb") as sink:
            write_parquet(frame_to_arrow(tables[name], model).to_batches(), arrow_schema(model), sink)
    with tmpfs(tmp_path / "fs", "256k") as fs:
        with pytest.raises(OSError) as caught:
            parquet_to_duckdb(parquet, fs / "warehouse.duckdb")
        assert caught.value.errno == errno.ENOSPC
        assert list(fs.iterdir()) == []
