"""The old copy of a committed document is removed by a background thread, not by the commit itself."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from pipeline.store import removal
from pipeline.store.files import TMP_PREFIX, document_transaction, recover
from pipeline.store.removal import removals_in_background, remove_folder

DOC = "doc"
HISTORY = 30


def put(folder: Path, name: str, data: bytes) -> None:
    """A file written in a folder made for it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def long_history(root: Path) -> Path:
    """A store with one document of HISTORY revision folders and as many change folders."""
    for number in range(HISTORY):
        put(root / DOC / f"2020-01-{number + 1:02d}", "revision.json", b"{}")
        put(root / DOC / "changes" / f"pair{number}", "changes.csv", b"")
    return root


def rmdir_threads(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """os.rmdir watched: for each call, whether the main thread made it."""
    calls: list[bool] = []
    real = os.rmdir

    def rmdir(path: str, *args: object, **kwargs: object) -> None:
        calls.append(threading.current_thread() is threading.main_thread())
        real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rmdir", rmdir)
    return calls


def test_a_commit_leaves_the_removal_of_the_old_copy_to_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = long_history(tmp_path / "store")
    calls = rmdir_threads(monkeypatch)
    with removals_in_background():
        with document_transaction(root, DOC) as work:
            put(work / "2020-02-01", "revision.json", b"{}")
        assert not any(calls)  # the commit itself removed no folder, however long the history
    assert len(calls) > 2 * HISTORY  # every folder of the old copy was removed, by the other thread
    assert not [p for p in root.iterdir() if p.name.startswith(TMP_PREFIX)]
    assert (root / DOC / "2020-02-01" / "revision.json").is_file()
    assert len(list((root / DOC).iterdir())) == HISTORY + 2


def test_outside_the_block_folders_are_removed_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = long_history(tmp_path / "store")
    calls = rmdir_threads(monkeypatch)
    with document_transaction(root, DOC) as work:
        put(work / "2020-02-01", "revision.json", b"{}")
    assert calls and all(calls)
    assert not [p for p in root.iterdir() if p.name.startswith(TMP_PREFIX)]


def test_recover_leaves_a_folder_being_removed_to_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "store"
    leftover = root / f"{TMP_PREFIX}crashed"
    pending = root / f"{TMP_PREFIX}pending"
    for folder in (leftover, pending):
        put(folder / "sub", "file", b"x")
    release = threading.Event()
    real = removal.shutil.rmtree

    def slow_rmtree(path: Path, ignore_errors: bool = False) -> None:
        release.wait(10)
        real(path, ignore_errors=ignore_errors)

    monkeypatch.setattr(removal.shutil, "rmtree", slow_rmtree)
    with removals_in_background():
        remove_folder(pending)
        monkeypatch.setattr(removal.shutil, "rmtree", real)  # recover's own removals are not held back
        recover(root)
        assert pending.exists() and not leftover.exists()
        release.set()
    assert not pending.exists()
