"""Documents → read in up to N bounded child processes at once, each answer handed back as it arrives; the parts
of one long document → read side by side in helper processes."""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing as mp
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from pipeline.read.sandbox import (
    Child,
    Limits,
    collect_bounded,
    reap_stopped,
    start_bounded,
    stop_bounded,
    usable_cores,
)

Part = TypeVar("Part")
Result = TypeVar("Result")
#: prctl(2) option: the signal a process gets when the thread that started it ends
PR_SET_PDEATHSIG = 1


def available_cores() -> int:
    """The number of cores this process may run on (its CPU affinity), at least 1."""
    return usable_cores()


def read_many(
    func: Callable[..., Any], work: Sequence[tuple[Path, tuple[Any, ...]]], limits: Limits, jobs: int
) -> Iterator[tuple[int, Any]]:
    """(path, args) pairs → (index, func(*args) or the exception it raised), in order of completion.

    Each call runs in its own child with its own deadline and memory cap (see sandbox.py); at most
    `jobs` children run at once. A child started when fewer documents wait than cores are idle may use the
    idle ones too (for the pages of a long document). Children are started from this thread only, so
    forking stays safe. A child asking for more time (OCR) is answered without waiting for it.
    """
    waiting = deque(enumerate(work))
    running: dict[Any, tuple[int, Child]] = {}
    jobs = max(1, jobs)

    def fill() -> None:
        while waiting and len(running) < jobs:
            index, (path, args) = waiting.popleft()
            cores = max(1, jobs - len(running) - len(waiting))
            child = start_bounded(func, args, path, limits, cores)
            running[child.connection] = (index, child)

    try:
        while waiting or running:
            fill()
            nearest = min(child.deadline for _, child in running.values())
            ready = set(wait(list(running), timeout=max(0.0, nearest - time.monotonic())))
            now = time.monotonic()
            finished = []
            for connection in list(running):
                index, child = running[connection]
                if connection not in ready and child.deadline > now:
                    continue
                try:
                    answered, result = collect_bounded(child, limits, block=False)
                except Exception as exc:  # handed back: the caller decides which errors stop the run
                    answered, result = True, exc
                if answered:
                    del running[connection]
                    finished.append((index, result))
            fill()  # before handing results back: the readers keep every core busy while the caller works
            yield from finished
    finally:
        for _, child in running.values():
            stop_bounded(child)
        reap_stopped(wait=True)


def map_split(func: Callable[[Part], Result], parts: Sequence[Part]) -> list[Result | None]:
    """Parts → func(part) for each, in order: the first here, each other one in a helper process forked for it.

    A helper that fails or dies gives None for its part (the caller reads that part itself and meets the error
    in order). Helpers die with the thread that started them, so a child killed at its deadline leaves none.
    """
    if not parts:
        return []
    helpers: list[tuple[int, Any]] = []
    try:
        for part in parts[1:]:
            receiver, sender = mp.Pipe(duplex=False)
            parent = os.getpid()
            pid = os.fork()
            if pid == 0:  # the helper: never returns
                receiver.close()
                _helper(sender, func, part, parent)
            sender.close()
            helpers.append((pid, receiver))
        results: list[Result | None] = [func(parts[0])]
        for _, receiver in helpers:
            try:
                results.append(receiver.recv())
            except (EOFError, OSError):  # it failed or died: nothing said
                results.append(None)
        return results
    finally:
        for pid, receiver in helpers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            receiver.close()


def _helper(sender: Any, func: Callable[[Any], Any], part: Any, parent: int) -> NoReturn:
    """In a helper: die with the thread that started it, compute one part and send it (say nothing on failure)."""
    code = 1
    try:
        with contextlib.suppress(AttributeError, OSError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() == parent:  # else the starter ended before the signal was asked for
            sender.send(func(part))
            code = 0
    finally:  # whatever happens, the helper never runs its parent's code on
        os._exit(code)
