"""Benchmark the parent's commit path: whole `extract` processes of this checkout against others, and bare pdfplumber.

    python bench/commit_path.py [--documents 30] [--revisions 21] [--against LABEL=PYTHON[:PYTHONPATH]] ...

Prints, for each interpreter (this checkout's first): a batch of `documents` × 2 revisions into an empty
store and the same batch again; adding the 2nd revision of a document and adding its last (of `revisions`).
Each figure is the best of `--repeat` runs, every interpreter measured in the same round, so a loaded
machine slows all sides alike; bare pdfplumber `extract_tables()` over the batch is the yardstick.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_batch import make_batch, make_history  # noqa: E402

from bench import bare_pdfplumber  # noqa: E402

EXTRACT = "from pipeline.cli import extract_main; extract_main()"


def run_extract(python: str, pythonpath: str | None, paths: list[Path], store: Path) -> float:
    """Seconds for one `extract` process (of the given interpreter and path) on the files into `store`."""
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    start = time.perf_counter()
    result = subprocess.run([python, "-c", EXTRACT, *map(str, paths), "--output", str(store)],
                            capture_output=True, text=True, env=env, cwd=tempfile.gettempdir())
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"extract failed ({python}): {result.stderr}")
    return elapsed


def measure(
    python: str, pythonpath: str | None, batch: list[Path], history: list[Path], work: Path
) -> dict[str, float]:
    """One interpreter → seconds for the fresh batch, the batch again, the 2nd and the last revision of a history."""
    shutil.rmtree(work, ignore_errors=True)
    figures = {"batch": run_extract(python, pythonpath, batch, work / "batch")}
    figures["again"] = run_extract(python, pythonpath, batch, work / "batch")
    store = work / "history"
    run_extract(python, pythonpath, history[:1], store)
    figures["2nd"] = run_extract(python, pythonpath, history[1:2], store)
    run_extract(python, pythonpath, history[2:-1], store)
    figures["last"] = run_extract(python, pythonpath, history[-1:], store)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=30)
    parser.add_argument("--revisions", type=int, default=21)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--against", action="append", default=[], help="LABEL=PYTHON[:PYTHONPATH]")
    args = parser.parse_args()
    sides: list[tuple[str, str, str | None]] = [("this", sys.executable, None)]
    for spec in args.against:
        label, _, rest = spec.partition("=")
        python, _, pythonpath = rest.partition(":")
        sides.append((label, python, pythonpath or None))
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        batch = make_batch(tmpdir / "batch", documents=args.documents)
        history = make_history(tmpdir / "history", revisions=args.revisions)
        best: dict[str, dict[str, float]] = {}
        bare = float("inf")
        for _ in range(args.repeat):
            bare = min(bare, bare_pdfplumber(batch))
            for label, python, pythonpath in sides:
                got = measure(python, pythonpath, batch, history, tmpdir / label)
                best[label] = {k: min(v, best.get(label, {}).get(k, v)) for k, v in got.items()}
        print(f"{len(batch)} files ({args.documents} documents x 2 revisions); history of {len(history)} revisions; "
              f"best of {args.repeat}")
        print(f"bare pdfplumber over the batch: {bare:6.2f} s")
        for label, figures in best.items():
            print(f"{label:>8}: batch {figures['batch']:6.2f} s (ratio {figures['batch'] / bare:.2f})   "
                  f"again {figures['again']:5.2f} s   2nd revision {figures['2nd']:5.2f} s   "
                  f"revision {len(history)} {figures['last']:5.2f} s (ratio {figures['last'] / figures['2nd']:.2f})")


if __name__ == "__main__":
    main()
