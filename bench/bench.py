"""Benchmark: `extract` (whole process) against bare pdfplumber `extract_tables()` on the same files.

Run with `make bench`. Prints, each measured in this one run: the long job aid; a batch of 200 files
(100 documents × 2 revisions) read fresh and then again unchanged; the cost of adding a revision to a
document with a long history (the 2nd against the 51st); peak memory as pages and files grow; seconds
a page for the 300 dpi scans read by OCR (tests/fixtures/scans/); and the start-up time of
`extract --help`. Ratios are against bare pdfplumber timed in the same run, so a loaded machine slows
both sides.
"""

from __future__ import annotations

import importlib.util
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

from make_batch import make_batch, make_history  # noqa: E402
from make_long import make_long  # noqa: E402


def bare_pdfplumber(paths: list[Path]) -> float:
    """Seconds for one fresh process to open each file and run pdfplumber's extract_tables() on every page."""
    code = (
        "import sys, pdfplumber\n"
        "for name in sys.argv[1:]:\n"
        "    with pdfplumber.open(name) as pdf:\n"
        "        for page in pdf.pages:\n"
        "            page.extract_tables(); page.close()\n"
    )
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *map(str, paths)], check=True)
    return time.perf_counter() - start


def whole_extract(paths: list[Path], store: Path) -> float:
    """Seconds for one `extract` command on the files into a fresh store (validation, store, diffs, BI tables)."""
    start = time.perf_counter()
    result = subprocess.run(
        [str(BIN / "extract"), *map(str, paths), "--output", str(store)], capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"extract failed: {result.stderr}")
    return elapsed


def peak_rss_kib(paths: list[Path], store: Path) -> int:
    """Peak resident memory (KiB) of one `extract` run, measured with /usr/bin/time-like rusage in a wrapper."""
    code = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(BIN / "extract"), *map(str, paths), "--output", str(store)],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip())


def scan_pages(path: Path) -> int:
    """A PDF → its page count."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        return len(document)
    finally:
        document.close()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        long_pdf = tmpdir / "long_job_aid.pdf"
        info = make_long(long_pdf, n_activities=1000)
        short_pdf = tmpdir / "short_job_aid.pdf"
        short = make_long(short_pdf, n_activities=100)
        batch = make_batch(tmpdir / "batch", documents=100)
        history = make_history(tmpdir / "history", revisions=51)
        print(f"long job aid: {info['pages']} pages, 1000 activities; batch: {len(batch)} files; "
              f"history: {len(history)} revisions of one document")

        bare_long = min(bare_pdfplumber([long_pdf]) for _ in range(2))
        ours_long = min(whole_extract([long_pdf], tmpdir / f"s{i}") for i in range(2))
        print(f"long job aid     pdfplumber: {bare_long:6.2f} s   extract: {ours_long:6.2f} s   "
              f"ratio {ours_long / bare_long:.2f}   (target <= 0.75)")

        bare_batch = bare_pdfplumber(batch)
        first = whole_extract(batch, tmpdir / "batch-store")
        again = whole_extract(batch, tmpdir / "batch-store")
        print(f"200-file batch   pdfplumber: {bare_batch:6.2f} s   extract: {first:6.2f} s   "
              f"ratio {first / bare_batch:.2f}   (target <= 0.5)")
        print(f"same batch again extract: {again:6.2f} s   {100 * again / first:.1f} % of the first run   "
              "(target <= 5 %)")

        store = tmpdir / "history-store"
        whole_extract(history[:1], store)
        second = whole_extract(history[1:2], store)
        whole_extract(history[2:50], store)
        last = whole_extract(history[50:], store)
        print(f"long history     adding the 2nd revision: {second:5.2f} s   the 51st: {last:5.2f} s   "
              f"ratio {last / second:.2f}   (target about 1)")

        short_rss = peak_rss_kib([short_pdf], tmpdir / "m1")
        long_rss = peak_rss_kib([long_pdf], tmpdir / "m2")
        few_rss = peak_rss_kib(batch[:20], tmpdir / "m3")
        many_rss = peak_rss_kib(batch, tmpdir / "m4")
        print(f"peak memory      {short['pages']} pages: {short_rss / 1024:.0f} MiB   "
              f"{info['pages']} pages: {long_rss / 1024:.0f} MiB   "
              f"20 files: {few_rss / 1024:.0f} MiB   {len(batch)} files: {many_rss / 1024:.0f} MiB")

        scans = sorted((ROOT / "tests" / "fixtures" / "scans").glob("*300dpi*.pdf"))
        if scans and importlib.util.find_spec("tesserocr") is not None:
            pages = sum(scan_pages(p) for p in scans)
            ocr = whole_extract(scans, tmpdir / "ocr")
            rss = peak_rss_kib([scans[0]], tmpdir / "m3")
            print(f"scans (OCR)    {len(scans)} files, {pages} pages at 300 dpi: extract {ocr:6.2f} s, "
                  f"{ocr / pages:.2f} s a page; peak memory {rss / 1024:.0f} MiB")

        helps = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([str(BIN / "extract"), "--help"], capture_output=True, check=True)
            helps.append(time.perf_counter() - start)
        print(f"extract --help:  {min(helps):.3f} s (best of 5; target < 0.3 s)")


if __name__ == "__main__":
    main()
