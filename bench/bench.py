"""Benchmark: `extract` (whole process) against bare pdfplumber `extract_tables()` on the same files.

Run with `make bench`. Prints seconds for each, their ratio, peak memory for a short and a long
job aid (to show it stays flat as pages grow) and the start-up time of `extract --help`.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from make_long import make_long  # noqa: E402


def bare_pdfplumber(path: Path) -> float:
    """Seconds for pdfplumber to open the file and run extract_tables() on every page, in a fresh process."""
    code = (
        "import sys, pdfplumber\n"
        "with pdfplumber.open(sys.argv[1]) as pdf:\n"
        "    for page in pdf.pages:\n"
        "        page.extract_tables(); page.close()\n"
    )
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)
    return time.perf_counter() - start


def whole_extract(path: Path, store: Path) -> tuple[float, int]:
    """Seconds for the `extract` command on one file into a fresh store, and its peak child memory (KiB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run([str(BIN / "extract"), str(path), "--output", str(store)], capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"extract failed on {path}: {result.stderr}")
    return elapsed, max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def peak_rss_kib(path: Path, store: Path) -> int:
    """Peak resident memory (KiB) of one `extract` run, measured with /usr/bin/time-like rusage in a wrapper."""
    code = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(BIN / "extract"), str(path), "--output", str(store)],
                         capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        long_pdf = tmpdir / "long_job_aid.pdf"
        info = make_long(long_pdf, n_activities=1000)
        short_pdf = tmpdir / "short_job_aid.pdf"
        make_long(short_pdf, n_activities=100)
        files = [long_pdf, *sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf")), *sorted((ROOT / "raw").glob("*.pdf"))]
        print(f"long job aid: {info['pages']} pages, 1000 activities; {len(files)} files in all")

        bare_long = min(bare_pdfplumber(long_pdf) for _ in range(2))
        ours_long = min(whole_extract(long_pdf, tmpdir / f"s{i}")[0] for i in range(2))
        print(f"long job aid   pdfplumber extract_tables(): {bare_long:6.2f} s   extract: {ours_long:6.2f} s   "
              f"ratio {ours_long / bare_long:.2f}")

        bare_all = sum(bare_pdfplumber(f) for f in files)
        ours_all = sum(whole_extract(f, tmpdir / "all")[0] for f in files)
        print(f"all files      pdfplumber extract_tables(): {bare_all:6.2f} s   extract: {ours_all:6.2f} s   "
              f"ratio {ours_all / bare_all:.2f}")

        short_rss = peak_rss_kib(short_pdf, tmpdir / "m1")
        long_rss = peak_rss_kib(long_pdf, tmpdir / "m2")
        print(f"peak memory    {info['pages'] // 10 or 1}-ish pages: {short_rss / 1024:.0f} MiB   "
              f"{info['pages']} pages: {long_rss / 1024:.0f} MiB")

        helps = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([str(BIN / "extract"), "--help"], capture_output=True, check=True)
            helps.append(time.perf_counter() - start)
        print(f"extract --help: {min(helps):.3f} s (best of 5)")


if __name__ == "__main__":
    main()
