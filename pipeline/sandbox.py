"""Run one document's extraction in a child process bounded by a deadline and a memory cap."""

from __future__ import annotations

import errno
import multiprocessing as mp
import resource
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import JobAidError, LimitExceededError

DEFAULT_TIMEOUT_S = 60.0
DEFAULT_MEMORY_MB = 2048


@dataclass(frozen=True)
class Limits:
    """What one document may cost: wall-clock seconds, address space in MiB, and pages."""

    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB
    max_pages: int = 2000

    def __post_init__(self) -> None:
        if self.timeout_s <= 0 or self.memory_mb < 256 or self.max_pages < 1:
            raise ValueError("limits must be positive (memory at least 256 MiB)")


def _child(conn: Any, func: Callable[..., Any], args: tuple[Any, ...], memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass
    try:
        conn.send(("ok", func(*args)))
    except JobAidError as exc:
        conn.send(("error", (exc, traceback.format_exc())))
    except MemoryError:
        conn.send(("memory", traceback.format_exc()))
    except OSError as exc:
        if exc.errno != errno.ENOMEM:
            conn.send(("crash", (f"{type(exc).__name__}: {exc}", traceback.format_exc())))
        else:
            conn.send(("memory", traceback.format_exc()))
    except BaseException as exc:  # report, never hang the parent
        conn.send(("crash", (f"{type(exc).__name__}: {exc}", traceback.format_exc())))
    finally:
        conn.close()


def run_bounded(func: Callable[..., Any], args: tuple[Any, ...], path: Path, limits: Limits) -> Any:
    """Call func(*args) in a child process; raise LimitExceededError on deadline or memory exhaustion."""
    import pdfplumber  # noqa: F401  (imported before the fork: the child's memory cap is for the document)

    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, func, args, limits.memory_mb), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(limits.timeout_s):
            raise LimitExceededError(path, f"took longer than {limits.timeout_s:g} s to read",
                                     "raise --timeout if the file is really that large")
        try:
            status, payload = parent.recv()
        except EOFError:
            proc.join(5)
            raise LimitExceededError(path, f"stopped the reader (exit {proc.exitcode}; likely over "
                                     f"{limits.memory_mb} MiB of memory)", "raise --memory-mb or check the file") from None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        parent.close()
    if status == "ok":
        return payload
    if status == "error":
        exc, trace = payload
        exc.child_traceback = trace
        raise exc
    if status == "memory":
        raise LimitExceededError(path, f"needs more than {limits.memory_mb} MiB of memory to read",
                                 "raise --memory-mb or check the file")
    message, trace = payload
    raise RuntimeError(f"{path}: internal error while reading: {message}\n{trace}")
