"""Documents → read in up to N bounded child processes at once, each answer handed back as it arrives."""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import wait
from pathlib import Path
from typing import Any

from pipeline.read.sandbox import Child, Limits, finish_bounded, start_bounded, stop_bounded


def available_cores() -> int:
    """The number of cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def read_many(
    func: Callable[..., Any], work: Sequence[tuple[Path, tuple[Any, ...]]], limits: Limits, jobs: int
) -> Iterator[tuple[int, Any]]:
    """(path, args) pairs → (index, func(*args) or the exception it raised), in order of completion.

    Each call runs in its own child with its own deadline and memory cap (see sandbox.py); at most
    `jobs` children run at once. Children are started from this thread only, so forking stays safe.
    """
    waiting = deque(enumerate(work))
    running: dict[Any, tuple[int, Child]] = {}

    def fill() -> None:
        while waiting and len(running) < max(1, jobs):
            index, (path, args) = waiting.popleft()
            child = start_bounded(func, args, path, limits)
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
                del running[connection]
                try:
                    result: Any = finish_bounded(child, limits)
                except Exception as exc:  # handed back: the caller decides which errors stop the run
                    result = exc
                finished.append((index, result))
            fill()  # before handing results back: the readers keep every core busy while the caller works
            yield from finished
    finally:
        for _, child in running.values():
            stop_bounded(child)
