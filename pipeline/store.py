"""Extractions → the revision store on disk: one folder per revision, written atomically, under a lock."""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.errors import RevisionNotFoundError, StoreError

LOCK_NAME = ".lock"
QUARANTINE_DIR = "_quarantine"
CHANGES_DIR = "changes"
REVISION_FILE = "revision.json"


@dataclass(frozen=True)
class StoredRevision:
    """A revision folder in the store."""

    document_id: str
    revision_date: str
    path: Path

    def revision(self) -> dict[str, Any]:
        return json.loads((self.path / REVISION_FILE).read_text(encoding="utf-8"))

    def activities(self) -> pd.DataFrame:
        return read_csv(self.path / "activities.csv")

    def glossary(self) -> pd.DataFrame:
        return read_csv(self.path / "glossary.csv")


def read_csv(path: Path) -> pd.DataFrame:
    """A store CSV → a frame with text kept as text ("" not NaN) and `order` as int."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if "order" in frame:
        frame["order"] = frame["order"].astype("int64")
    return frame


@contextlib.contextmanager
def store_lock(root: Path) -> Iterator[None]:
    """Serialise writers of one store: concurrent runs wait for each other."""
    root.mkdir(parents=True, exist_ok=True)
    with (root / LOCK_NAME).open("a") as handle:
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


def table_files(name: str, frame: pd.DataFrame) -> dict[str, bytes]:
    """A frame → the bytes of NAME.csv, plus NAME.parquet for the tables BI tools read directly."""
    files = {f"{name}.csv": frame.to_csv(index=False, lineterminator="\n").encode("utf-8")}
    if name in ("activities", "changes"):
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        files[f"{name}.parquet"] = buffer.getvalue()
    return files


def json_bytes(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_tables(folder: Path, tables: dict[str, pd.DataFrame], documents: dict[str, dict[str, Any]]) -> None:
    """Frames and JSON documents → their files in `folder`, each written atomically and fsynced."""
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}
    for name, frame in tables.items():
        files |= table_files(name, frame)
    for name, document in documents.items():
        files[name] = json_bytes(document)
    write_files(folder, files)


def write_files(folder: Path, files: dict[str, bytes]) -> None:
    """Named bytes → files in `folder`, each written to a temporary name, fsynced and renamed."""
    for name, data in files.items():
        temp = folder / f".{name}.tmp-{os.getpid()}"
        with temp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, folder / name)
    fsync_dir(folder)


def replace_folder(staged: Path, final: Path) -> None:
    """Swap a fully written folder into place in one rename; the old one is removed afterwards."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = None
    if final.exists():
        old = final.with_name(f".old-{final.name}-{os.getpid()}")
        os.rename(final, old)
    os.rename(staged, final)
    fsync_dir(final.parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def staging_dir(root: Path) -> Path:
    """A fresh temporary folder inside the store (same file system, so a rename is atomic)."""
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))


def save_revision(root: Path, document_id: str, revision: dict[str, Any], activities: pd.DataFrame,
                  glossary: pd.DataFrame) -> tuple[Path, bool]:
    """A valid extraction → its revision folder; returns the folder and whether anything changed."""
    final = root / document_id / revision["revision_date"]
    current = final / REVISION_FILE
    if current.exists() and json.loads(current.read_text(encoding="utf-8")).get("source_sha256") == revision["source_sha256"]:
        return final, False
    staged = staging_dir(root)
    try:
        write_tables(staged, {"activities": activities, "glossary": glossary}, {REVISION_FILE: revision})
        replace_folder(staged, final)
    except OSError as exc:
        shutil.rmtree(staged, ignore_errors=True)
        raise StoreError(final, f"cannot be written ({exc.strerror})", "check free space and permissions") from exc
    return final, True


def save_quarantine(root: Path, document_id: str, revision: dict[str, Any], activities: pd.DataFrame,
                    quarantine: pd.DataFrame) -> Path:
    """An extraction that failed validation → a folder beside the store, never a published revision."""
    final = root / QUARANTINE_DIR / document_id / str(revision.get("revision_date") or "undated")
    staged = staging_dir(root)
    write_tables(staged, {"activities": activities, "quarantine": quarantine}, {REVISION_FILE: revision})
    replace_folder(staged, final)
    return final


def list_documents(root: Path) -> list[str]:
    """The store → the ids of the documents it holds."""
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")) and
                  any((c / REVISION_FILE).exists() for c in p.iterdir() if c.is_dir()))


def list_revisions(root: Path, document_id: str) -> list[StoredRevision]:
    """A document in the store → its revisions, oldest first."""
    folder = root / document_id
    if not folder.is_dir():
        return []
    return [StoredRevision(document_id, p.name, p) for p in sorted(folder.iterdir())
            if p.is_dir() and (p / REVISION_FILE).exists()]


def find_revision(root: Path, ref: str) -> StoredRevision:
    """"DOCUMENT@DATE", "DOCUMENT" (latest) or a folder path → a stored revision."""
    path = Path(ref)
    if (path / REVISION_FILE).exists():
        return StoredRevision(path.parent.name, path.name, path)
    document, _, day = ref.partition("@")
    revisions = list_revisions(root, document)
    for rev in revisions:
        if not day or rev.revision_date == day:
            if day or rev is revisions[-1]:
                return rev
    raise RevisionNotFoundError(ref, f"no stored revision in {root}",
                                "give a PDF, a revision folder, DOCUMENT or DOCUMENT@YYYY-MM-DD (see `jobaid history`)")
