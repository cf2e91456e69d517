"""Extractions → the revision store on disk: one folder per revision, written atomically, under a lock."""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import errno
import fcntl
import functools
import json
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from pipeline.errors import RevisionNotFoundError, StoreError, writes_to
from pipeline.store.removal import is_pending, remove_folder
from pipeline.store.table_bytes import as_read, csv_bytes, json_bytes, parquet_bytes, read_csv, table_files

if TYPE_CHECKING:  # pandas is imported where frames are read or written: a run with nothing new never loads it
    import pandas as pd

LOCK_NAME = ".lock"
QUARANTINE_DIR = "_quarantine"
CHANGES_DIR = "changes"
#: The BI tables beside the documents: one DuckDB file and a folder of Parquet and CSV files.
WAREHOUSE_FILE = "warehouse.duckdb"
BI_DIR = "bi"
REVISION_FILE = "revision.json"
TMP_PREFIX = ".tmp-"
OLD_PREFIX = ".old-"


@dataclass(frozen=True)
class StoredRevision:
    """A revision folder in the store."""

    document_id: str
    revision_date: str
    path: Path

    def revision(self) -> dict[str, Any]:
        document: dict[str, Any] = json.loads((self.path / REVISION_FILE).read_text(encoding="utf-8"))
        return document

    def activities(self) -> pd.DataFrame:
        return read_csv(self.path / "activities.csv")

    def glossary(self) -> pd.DataFrame:
        return read_csv(self.path / "glossary.csv")


@contextlib.contextmanager
def store_lock(root: Path) -> Iterator[None]:
    """Serialise writers of one store: concurrent runs wait for each other."""
    with writes_to(root):
        root.mkdir(parents=True, exist_ok=True)
        failpoint("store-lock")
        handle = (root / LOCK_NAME).open("a")
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def fsync_path(path: Path) -> None:
    """A file or folder path → its content (or entries, e.g. a rename) flushed to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    """A folder → its entries (a rename) flushed to disk, where the OS allows it."""
    with contextlib.suppress(OSError):
        fsync_path(path)


def write_activities(folder: Path, activities: pd.DataFrame) -> None:
    """Activities → activities.csv and .parquet in `folder`, the Parquet file holding what a reader of the CSV gets."""
    text = csv_bytes(activities)
    write_files(folder, {"activities.csv": text, "activities.parquet": parquet_bytes(as_read(activities, text))})


def write_tables(folder: Path, tables: dict[str, pd.DataFrame], documents: dict[str, dict[str, Any]]) -> None:
    """Frames and JSON documents → their files in `folder`, each written atomically and fsynced."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}
    for name, frame in tables.items():
        files |= table_files(name, frame)
    for name, document in documents.items():
        files[name] = json_bytes(document)
    write_files(folder, files)


#: The private copy a document_transaction is preparing: files written inside it are flushed to disk once, when
#: it is committed, rather than one by one (each fsync costs milliseconds; a commit writes a dozen files).
_staged: contextvars.ContextVar[Path | None] = contextvars.ContextVar("staged", default=None)


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Named bytes → files in `folder`, each written to a temporary name, fsynced and renamed.

    A failed write (a full disk, say) leaves the file it was replacing as it was and no temporary file. Inside
    a document_transaction's copy the fsyncs are left to its commit, which flushes the whole copy at once.
    """
    for name, data in files.items():
        write_file_with(folder, name, functools.partial(_write_bytes, data), sync_dir=False)
    if not _deferred(folder):
        fsync_dir(folder)


def write_file_with(folder: Path, name: str, fill: Callable[[BinaryIO], object], sync_dir: bool = True) -> None:
    """A file name and a function that writes its contents to an open file → the file written as `write_files`
    writes one (a temporary name, fsynced, renamed), without its bytes held in memory at once."""
    deferred = _deferred(folder)
    temp = folder / f".{name}.tmp-{os.getpid()}"
    try:
        with temp.open("wb") as handle:
            failpoint(f"write-{name}")
            fill(handle)
            if not deferred:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temp, folder / name)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise
    if sync_dir and not deferred:
        fsync_dir(folder)


def _write_bytes(data: bytes, handle: BinaryIO) -> None:
    """Bytes and an open file → the bytes written to it."""
    handle.write(data)


def _deferred(folder: Path) -> bool:
    """Whether files written in `folder` are flushed later by the document_transaction that stages it."""
    staged = _staged.get()
    return staged is not None and folder.is_relative_to(staged)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    libc = _libc()
    if libc is None:
        return False
    result = libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def _libc(function: str = "renameat2") -> ctypes.CDLL | None:
    """The C library when it offers `function` (Linux system calls os does not wrap), else None."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc if hasattr(libc, function) else None
    except OSError:
        return None


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def replace_folder(staged: Path, final: Path) -> None:
    """Put a fully written folder in place of `final` in one atomic step; the old one is then removed.

    A new folder is one rename. An existing one is swapped with the staged one by RENAME_EXCHANGE; where
    that is unavailable, the old folder is renamed aside first and `recover` puts it back after a crash.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    if not final.exists():
        os.rename(staged, final)
    elif _exchange(staged, final):
        remove_folder(staged)  # the old content; `recover` drops what is left
    else:
        old = final.with_name(f"{OLD_PREFIX}{final.name}-{os.getpid()}")
        os.rename(final, old)
        failpoint("between-renames")
        os.rename(staged, final)
        shutil.rmtree(old, ignore_errors=True)
    fsync_dir(final.parent)


def staging_dir(root: Path) -> Path:
    """A fresh hidden temporary folder inside the store (same file system, so renames are atomic)."""
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=TMP_PREFIX, dir=root))


def recover(root: Path) -> None:
    """Undo what an interrupted writer left: put back a folder renamed aside, drop temporary files.

    Call only while holding the store lock.
    """
    if not root.is_dir():
        return
    for entry in root.iterdir():
        if entry.name.startswith(OLD_PREFIX):
            live = root / entry.name[len(OLD_PREFIX):].rsplit("-", 1)[0]
            if live.exists():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                os.rename(entry, live)
        elif entry.name.startswith(TMP_PREFIX) or ".tmp-" in entry.name:
            if is_pending(entry):
                continue
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
    bi = root / "bi"
    if bi.is_dir():
        for entry in bi.glob(".*.tmp-*"):
            entry.unlink(missing_ok=True)


def failpoint(name: str) -> None:
    """Test hook: when JOBAID_FAILPOINT names this point of a write, die at once (as by SIGKILL);
    when it is NAME:ERRNO (e.g. `write-report.html:ENOSPC`), fail here with that OSError instead."""
    wanted = os.environ.get("JOBAID_FAILPOINT")
    if not wanted:
        return
    point, _, code = wanted.rpartition(":")
    if point == name and isinstance(getattr(errno, code, None), int):
        number: int = getattr(errno, code)
        raise OSError(number, os.strerror(number))
    if wanted == name:
        os.kill(os.getpid(), signal.SIGKILL)


@contextlib.contextmanager
def document_transaction(root: Path, document_id: str) -> Iterator[Path]:
    """Yield a private copy of a document's folder; on success swap it in whole (the one commit point).

    Call while holding the store lock. On any error, or a kill, the live folder is untouched; a write
    that fails inside (a full disk, say) becomes a StoreError naming the document's folder. The copy's
    files are hard links to the live ones (a commit costs no copying, however long the history), so a
    file in it must be replaced (write_files), never rewritten in place.
    """
    live = root / document_id
    with writes_to(live):
        work_root = staging_dir(root)
        work = work_root / document_id
        try:
            if live.is_dir():
                _copy_tree(live, work)
            else:
                work.mkdir()
            failpoint("document-copied")
            token = _staged.set(work)
            try:
                yield work
            finally:
                _staged.reset(token)
            _flush_tree(work)
            failpoint("document-staged")
            replace_folder(work, live)
            failpoint("document-committed")
        finally:
            remove_folder(work_root)


def _copy_tree(source: Path | str, target: Path | str) -> None:
    """A folder → a copy of its tree whose files are hard links, stopping at the first error (copytree gathers them)."""
    os.mkdir(target)
    with os.scandir(source) as entries:
        for entry in entries:
            if entry.is_dir():
                _copy_tree(entry.path, os.path.join(target, entry.name))
            else:
                os.link(entry.path, os.path.join(target, entry.name))  # files are only ever replaced, never rewritten
    shutil.copystat(source, target)


def _flush_tree(folder: Path) -> None:
    """A staged folder → its files and directory entries on disk: one syncfs of its file system (Linux), else
    an fsync of every file and folder in it, deepest first (hard links to published files included)."""
    libc = _libc("syncfs")
    if libc is not None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            if libc.syncfs(fd) != 0:
                number = ctypes.get_errno()
                raise OSError(number, os.strerror(number), str(folder))
        finally:
            os.close(fd)
        return
    for path in sorted(folder.rglob("*"), reverse=True):
        fsync_path(path)
    fsync_path(folder)


def is_stored(root: Path, document_id: str, revision: dict[str, Any]) -> bool:
    """Whether this very file (same sha256), read by this pipeline version, is the stored revision of its date."""
    current = root / document_id / str(revision["revision_date"]) / REVISION_FILE
    if not current.exists():
        return False
    stored = json.loads(current.read_text(encoding="utf-8"))
    return all(stored.get(key) == revision.get(key) for key in ("source_sha256", "pipeline_version"))


def stored_sources(root: Path) -> dict[tuple[str, str], StoredRevision]:
    """The store → its revisions keyed by (sha256 of the file each was read from, pipeline version that read it)."""
    sources: dict[tuple[str, str], StoredRevision] = {}
    for document_id in list_documents(root):
        for rev in list_revisions(root, document_id):
            with contextlib.suppress(OSError, ValueError):
                meta = rev.revision()
                sources[(str(meta.get("source_sha256")), str(meta.get("pipeline_version")))] = rev
    return sources


def save_revision(document_dir: Path, revision: dict[str, Any], activities: pd.DataFrame | None,
                  glossary: pd.DataFrame) -> Path:
    """An extraction → its revision folder inside a document folder being prepared (replacing one of that date).

    Activities None: the caller writes them (with their ids) before the folder is committed.
    """
    folder = document_dir / str(revision["revision_date"])
    if folder.exists():
        shutil.rmtree(folder)
    tables = {"glossary": glossary} if activities is None else {"activities": activities, "glossary": glossary}
    write_tables(folder, tables, {REVISION_FILE: revision})
    return folder


def save_quarantine(root: Path, document_id: str, revision: dict[str, Any], activities: pd.DataFrame,
                    quarantine: pd.DataFrame) -> Path:
    """An extraction that failed validation → a folder beside the store, never a published revision."""
    final = root / QUARANTINE_DIR / document_id / str(revision.get("revision_date") or "undated")
    with writes_to(final):
        work_root = staging_dir(root)
        try:
            staged = work_root / final.name  # made by mkdir: the usual permissions, not mkdtemp's 0700
            write_tables(staged, {"activities": activities, "quarantine": quarantine}, {REVISION_FILE: revision})
            replace_folder(staged, final)
        finally:
            shutil.rmtree(work_root, ignore_errors=True)
    return final


def list_documents(root: Path) -> list[str]:
    """The store → the ids of the documents it holds."""
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")) and
                  any((c / REVISION_FILE).exists() for c in p.iterdir() if c.is_dir()))


def list_revisions(root: Path, document_id: str) -> list[StoredRevision]:
    """A document in the store → its revisions, oldest first."""
    require_store(root)
    return revisions_in(root / document_id, document_id)


def require_store(root: Path) -> None:
    """A store path → nothing when it is a folder or absent, a StoreError when a file stands in its place."""
    if root.exists() and not root.is_dir():
        raise StoreError(root, "is a file, not a store folder", "give the store folder")


def revisions_in(document_dir: Path, document_id: str) -> list[StoredRevision]:
    """A document folder → its revisions, oldest first."""
    if not document_dir.is_dir():
        return []
    return [StoredRevision(document_id, p.name, p) for p in sorted(document_dir.iterdir())
            if p.is_dir() and (p / REVISION_FILE).exists()]


def find_revision(root: Path, ref: str) -> StoredRevision:
    """"DOCUMENT@DATE", "DOCUMENT" (latest) or a folder path → a stored revision."""
    path = Path(ref)
    if (path / REVISION_FILE).exists():
        return StoredRevision(path.parent.name, path.name, path)
    document, _, day = ref.partition("@")
    revisions = list_revisions(root, document)
    if revisions and not day:
        return revisions[-1]
    for rev in revisions:
        if rev.revision_date == day:
            return rev
    raise RevisionNotFoundError(ref, f"no stored revision in {root}",
                                "give a PDF, a revision folder, DOCUMENT or DOCUMENT@YYYY-MM-DD (see `jobaid history`)")
