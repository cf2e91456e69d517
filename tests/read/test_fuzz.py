"""Bounded fuzzing of the PDF entry point: mutated job aids must give data or one of our errors, never an
internal error, a hang or a crash of the run.

Mutations (flipped bytes, cut files, spliced or repeated chunks, altered numbers) are drawn by hypothesis
from real job aids. The number of examples comes from JOBAID_FUZZ_EXAMPLES (CI runs about two minutes'
worth, replaying a fixed set of inputs so a landing never depends on luck; local runs explore new ones).
Every input that once crashed is kept in tests/fuzz/crashes/ and checked on every run.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.errors import JobAidError
from pipeline.read.extract import Extraction, extract
from pipeline.read.sandbox import Limits, run_bounded
from tests.conftest import FIXTURES, RAW, ROOT

SEEDS = [
    RAW / "end-customer-support_10Feb20.pdf",
    FIXTURES / "pdf" / "borderless_no_rules.pdf",
    FIXTURES / "pdf" / "ruled_nested_rects_word.pdf",
    ROOT / "tests" / "hostile" / "files" / "valid_not_job_aid.pdf",
]
CRASHES = ROOT / "tests" / "fuzz" / "crashes"
LIMITS = Limits(timeout_s=20, memory_mb=1024, max_pages=200)
EXAMPLES = int(os.environ.get("JOBAID_FUZZ_EXAMPLES", "60"))


def read_safely(path: Path) -> Extraction | JobAidError:
    """The product's entry point for one file, as `extract` runs it (child process, limits)."""
    try:
        return run_bounded(extract, (path, None, LIMITS.max_pages), path, LIMITS)
    except JobAidError as exc:
        return exc


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "cut", "splice", "repeat", "number"]))
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "cut":
            del data[at:]
        elif kind == "splice":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "repeat":
            size = draw(st.integers(1, 512))
            data[at:at] = data[at : at + size] * draw(st.integers(2, 50))
        else:
            numbers = list(re.finditer(rb"\d+", bytes(data)))
            if numbers:
                m = numbers[draw(st.integers(0, len(numbers) - 1))]
                data[m.start() : m.end()] = str(draw(st.sampled_from([0, -1, 1, 2**31, 10**12, 99999]))).encode()
        if not data:
            break
    return bytes(data)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=mutated())
def test_mutated_job_aids_end_in_data_or_our_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzzed.pdf"
        path.write_bytes(data)
        try:
            read_safely(path)
        except BaseException:
            CRASHES.mkdir(parents=True, exist_ok=True)
            keep = CRASHES / f"crash-{abs(hash(data)) % 10**10:010d}.pdf"
            keep.write_bytes(data)
            raise


@pytest.mark.parametrize("path", sorted(CRASHES.glob("*.pdf")), ids=lambda p: p.name)
def test_inputs_that_once_crashed_now_give_data_or_our_error(path: Path) -> None:
    result = read_safely(path)
    assert isinstance(result, (Extraction, JobAidError))
