"""Folders no longer needed (the old content of a swapped folder) → removed at once, or, inside
`removals_in_background`, by one background thread while the caller goes on.

Removing a folder is mostly waiting on the file system (each directory removed can cost milliseconds where
freed blocks are discarded at once), and the old copy of a document holds a folder per revision and per pair:
done in the background, it overlaps with the rest of the run instead of adding to it. A folder left behind by
a kill is a temporary folder of the store, which `recover` drops.
"""

from __future__ import annotations

import contextlib
import contextvars
import shutil
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

_pool: contextvars.ContextVar[ThreadPoolExecutor | None] = contextvars.ContextVar("removals", default=None)
#: Folders handed to the background thread and not yet removed: `recover` leaves them to it.
_pending: set[Path] = set()
_pending_lock = threading.Lock()


@contextlib.contextmanager
def removals_in_background() -> Iterator[None]:
    """Within the block (or the function it decorates), folders given to `remove_folder` are removed by one
    background thread; the block ends when all of them are removed, also on an error."""
    if _pool.get() is not None:
        yield
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="remove-folder") as pool:
        token = _pool.set(pool)
        try:
            yield
        finally:
            _pool.reset(token)


def remove_folder(path: Path) -> None:
    """A folder → removed with all it holds, errors ignored (in the background inside `removals_in_background`)."""
    pool = _pool.get()
    if pool is None:
        shutil.rmtree(path, ignore_errors=True)
        return
    with _pending_lock:
        _pending.add(path)
    pool.submit(_remove, path)


def is_pending(path: Path) -> bool:
    """Whether a folder is being removed in the background (and so is not another writer's leftover)."""
    with _pending_lock:
        return path in _pending


def _remove(path: Path) -> None:
    """A folder → removed, then no longer pending."""
    try:
        shutil.rmtree(path, ignore_errors=True)
    finally:
        with _pending_lock:
            _pending.discard(path)
