"""Run one document's extraction in a child process bounded by a deadline and a memory cap."""

from __future__ import annotations

import contextlib
import errno
import faulthandler
import gc
import multiprocessing as mp
import os
import resource
import signal
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import DamagedPdfError, JobAidError, LimitExceededError

DEFAULT_TIMEOUT_S = 45.0
DEFAULT_MEMORY_MB = 2048
#: Stack of the reading thread: pdfminer recurses on nested objects and chained cross-reference tables.
READER_STACK_BYTES = 64 * 1024 * 1024

#: In a bounded child: its end of the pipe to the parent (None in any other process).
_to_parent: Any = None
#: Children stopped after they answered, not yet reaped (their address space takes a while to tear down).
_stopping: list[Any] = []
#: In a bounded child: how many cores it may use (its parent had no other document for them); 1 elsewhere.
_cores = 1


@dataclass(frozen=True)
class Limits:
    """What one document may cost: wall-clock seconds, address space in MiB, and pages."""

    timeout_s: float = DEFAULT_TIMEOUT_S
    memory_mb: int = DEFAULT_MEMORY_MB
    max_pages: int = 2000

    def __post_init__(self) -> None:
        if self.timeout_s <= 0 or self.memory_mb < 256 or self.max_pages < 1:
            raise ValueError("limits must be positive (memory at least 256 MiB)")


def _child(conn: Any, func: Callable[..., Any], args: tuple[Any, ...], memory_mb: int, cores: int) -> None:
    """In the child: run the work on a thread with a deep stack, under an address-space cap, and report back.

    The thread (and its stack) is created before the cap is set, so the cap is all for the document.
    """
    global _to_parent, _cores
    _to_parent, _cores = conn, cores
    faulthandler.disable()  # a reader killed by a signal is reported by the parent, not dumped on stderr
    go = threading.Event()
    threading.stack_size(READER_STACK_BYTES)  # deep recursion ends in RecursionError, not a C stack overflow

    def start_when_capped() -> None:
        go.wait()
        _work(conn, func, args)

    worker = threading.Thread(target=start_when_capped)
    worker.start()
    limit = _address_space() + memory_mb * 1024 * 1024
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    go.set()
    worker.join()
    conn.close()


def extend_deadline(seconds: float) -> None:
    """In a bounded child: give the document `seconds` more before its deadline (slow work ahead, e.g. OCR)."""
    if _to_parent is not None:
        _to_parent.send(("extend", seconds))


def granted_cores() -> int:
    """How many cores the work in this process may use at once: more than 1 only in a bounded child given spare ones."""
    return _cores


def _address_space() -> int:
    """The address space this process already uses (inherited from the parent), in bytes."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):
        return 0


def _work(conn: Any, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        message: tuple[str, Any] = ("ok", func(*args))
    except JobAidError as exc:
        message = ("error", (exc, traceback.format_exc()))
    except MemoryError:
        message = ("memory", "")
    except OSError as exc:
        message = ("memory", "") if exc.errno == errno.ENOMEM else (
            "crash", (f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    except BaseException as exc:  # report, never hang the parent
        message = ("crash", (f"{type(exc).__name__}: {exc}", traceback.format_exc()))
    try:
        conn.send(message)
    except MemoryError:  # too little memory left even to report: say so in the smallest message
        conn.send(("memory", ""))


def _died(path: Path, exitcode: int | None, limits: Limits) -> JobAidError:
    """A reader that died without a word → the error that best explains its exit."""
    if exitcode is not None and exitcode < 0 and -exitcode in (signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT):
        name = signal.Signals(-exitcode).name
        error = DamagedPdfError(path, f"is damaged (it crashed the PDF reader with {name})",
                                "export or download it again")
        error.crash_signal = name  # type: ignore[attr-defined]
        return error
    return LimitExceededError(path, f"stopped the reader (exit {exitcode}; likely over {limits.memory_mb} MiB "
                              "of memory)", "raise --memory-mb or check the file")


@dataclass
class Child:
    """One document being read in a child process: where its answer arrives and by when."""

    path: Path
    process: Any
    connection: Any
    deadline: float
    #: seconds it may take in all (the limit, plus what it asked for)
    allowed: float


def start_bounded(func: Callable[..., Any], args: tuple[Any, ...], path: Path, limits: Limits,
                  cores: int = 1) -> Child:
    """Start func(*args) in a child process under the limits, free to use `cores` cores (see `granted_cores`);
    collect its answer with `finish_bounded` or `collect_bounded`."""
    import pdfplumber  # noqa: F401  (imported before the fork: the child's memory cap is for the document)
    import pypdfium2  # noqa: F401

    reap_stopped()
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, func, args, limits.memory_mb, max(1, cores)),
                       daemon=True)
    gc.freeze()  # the child's collector leaves the inherited objects alone: far fewer copy-on-write pages
    try:
        proc.start()
    finally:
        gc.unfreeze()  # the parent's own objects stay collectable
    child.close()
    return Child(path, proc, parent, time.monotonic() + limits.timeout_s, limits.timeout_s)


def finish_bounded(child: Child, limits: Limits) -> Any:
    """A started child → its result once it answered (or its deadline passed); raise what it raised."""
    while True:
        answered, result = collect_bounded(child, limits)
        if answered:
            return result


def collect_bounded(child: Child, limits: Limits, block: bool = True) -> tuple[bool, Any]:
    """A started child → (True, its result) once it answered, raising what it raised or LimitExceededError past
    its deadline; (False, None) while it is still at work (it asked for more time, or, not blocking, said nothing).

    A child that reads pages by OCR asks for more time first ("extend"): its deadline moves on by that much.
    """
    path, proc, parent = child.path, child.process, child.connection
    try:
        if not parent.poll(max(0.0, child.deadline - time.monotonic()) if block else 0):
            if not block and child.deadline > time.monotonic():
                return False, None
            raise LimitExceededError(path, f"took longer than {child.allowed:g} s to read",
                                     "raise --timeout if the file is really that large")
        try:
            status, payload = parent.recv()
        except EOFError:
            proc.join(5)
            raise _died(path, proc.exitcode, limits) from None
        if status == "extend":
            child.deadline += float(payload)
            child.allowed += float(payload)
            return False, None
    except BaseException:
        stop_bounded(child)
        raise
    stop_bounded(child, wait=False)  # it answered: its exit is reaped later, the parent goes on at once
    if status == "ok":
        return True, payload
    if status == "error":
        exc, trace = payload
        exc.child_traceback = trace
        raise exc
    if status == "memory":
        raise LimitExceededError(path, f"needs more than {limits.memory_mb} MiB of memory to read",
                                 "raise --memory-mb or check the file")
    message, trace = payload
    raise RuntimeError(f"{path}: internal error while reading: {message}\n{trace}")


def stop_bounded(child: Child, wait: bool = True) -> None:
    """A child → killed if still running, its pipe closed, and reaped now (or, not waiting, by `reap_stopped`)."""
    if child.process.is_alive():
        child.process.kill()
    if wait:
        child.process.join(5)
    else:
        _stopping.append(child.process)
    child.connection.close()


def reap_stopped(wait: bool = False) -> None:
    """Children stopped without waiting → those that have exited reaped (all of them, waiting for each)."""
    for process in list(_stopping):
        process.join(5 if wait else 0)
        if process.exitcode is not None or wait:
            _stopping.remove(process)


def reader_crashed(result: object) -> bool:
    """Whether a result is the error of a reader that died of a signal (SIGSEGV, SIGBUS, SIGABRT)."""
    return isinstance(result, DamagedPdfError) and hasattr(result, "crash_signal")


def run_bounded(func: Callable[..., Any], args: tuple[Any, ...], path: Path, limits: Limits) -> Any:
    """Call func(*args) in a child process free to use every core; raise LimitExceededError on deadline or memory
    exhaustion."""
    return finish_bounded(start_bounded(func, args, path, limits, usable_cores()), limits)


def usable_cores() -> int:
    """The number of cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)
