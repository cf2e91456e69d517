"""Score OCR on scans of every fixture layout: per case cell accuracy, glossary exact, revision date right, s/page.

Run ``.venv/bin/python bench/score_scans.py [--only SUBSTRING ...] [--kind 200dpi|300dpi_skewed] [--jobs N]
[--scans DIR] [--show]``. The scans are made by ``tests/fixtures/make_scans.py --all`` into a temporary folder
(or read from --scans DIR when given, so repeated runs skip making them). Each scan is read by ``extract()`` in a
child process with one OCR thread (as the pipeline's readers do) and scored against
``tests/fixtures/expected/<case>.json``.

A golden date taken from the source PDF's metadata ("pdf-metadata") cannot be on a scan, whose file has the
scanner's metadata (none here): for those the right answer is no date (and the label printed without one, if any).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
os.environ["OMP_THREAD_LIMIT"] = "1"

FIELDS = ("phase", "activity", "self_service", "reseller_owner", "direct_owner")
DATE_KEYS = ("revision_label", "revision_date", "revision_date_source")


def score_one(path: Path) -> dict[str, Any]:
    """One scan → its scores and the cells it got wrong."""
    import pypdfium2

    from pipeline.read.extract import extract

    case = path.stem.split("__")[0]
    truth = json.loads((ROOT / "tests" / "fixtures" / "expected" / f"{case}.json").read_text(encoding="utf-8"))
    document = pypdfium2.PdfDocument(path)
    pages = len(document)
    document.close()
    start = time.perf_counter()
    try:
        got = extract(path)
    except Exception as exc:  # noqa: BLE001 - a scan that fails to read scores zero, with the reason shown
        return {"name": path.stem, "pages": pages, "seconds": time.perf_counter() - start, "right": 0,
                "cells": len(truth["rows"]) * len(FIELDS), "glossary": False, "date": False, "rows": "error",
                "wrong": [f"{type(exc).__name__}: {exc}"]}
    seconds = time.perf_counter() - start
    rows = got.activities[list(FIELDS)].to_dict("records")
    cells = max(len(rows), len(truth["rows"])) * len(FIELDS)
    wrong = [f"{k}: {b[k]!r} read {a[k]!r}" for a, b in zip(rows, truth["rows"], strict=False) for k in FIELDS
             if a[k] != b[k]]
    right = sum(a[k] == b[k] for a, b in zip(rows, truth["rows"], strict=False) for k in FIELDS)
    glossary = got.glossary.to_dict("records")
    if glossary != truth["glossary"]:
        wrong += [f"glossary: {b} read {a}" for a, b in zip(glossary, truth["glossary"], strict=False) if a != b]
        if len(glossary) != len(truth["glossary"]):
            wrong.append(f"glossary: {len(truth['glossary'])} terms read {len(glossary)}")
    if truth["revision_date_source"] == "pdf-metadata":  # no date on a scan, but a printed "Rev C" is
        want = {k: None for k in DATE_KEYS} | {"revision_label": truth["revision_label"]}
    else:
        want = {k: truth[k] for k in DATE_KEYS}
    date = all(got.revision[k] == want[k] for k in DATE_KEYS)
    if not date:
        wrong.append(f"date: {want} read {({k: got.revision[k] for k in DATE_KEYS})}")
    if got.revision["title"] != truth["title"]:
        wrong.append(f"title: {truth['title']!r} read {got.revision['title']!r}")
    return {"name": path.stem, "pages": pages, "seconds": seconds, "right": right, "cells": cells,
            "glossary": glossary == truth["glossary"], "date": date,
            "rows": f"{len(rows)}/{len(truth['rows'])}", "wrong": wrong}


def make_all(folder: Path) -> None:
    """Every fixture PDF → its scans in `folder`."""
    subprocess.run([sys.executable, str(ROOT / "tests" / "fixtures" / "make_scans.py"), "--all", "--out", str(folder)],
                   check=True, capture_output=True)


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=[], help="cases whose name contains one of these")
    parser.add_argument("--kind", help="only this kind of scan (the part after '__': 200dpi, 300dpi_skewed, a variant)")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--scans", type=Path, help="read scans from (and make them into) this folder")
    parser.add_argument("--show", action="store_true", help="list the wrong cells")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.scans or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        if not any(folder.glob("*__*.pdf")):
            make_all(folder)
        paths = [p for p in sorted(folder.glob("*.pdf"))
                 if not p.stem.endswith("mixed") and (not args.only or any(s in p.stem for s in args.only))
                 and (args.kind is None or p.stem.endswith("__" + args.kind))]
        with ProcessPoolExecutor(args.jobs) as pool:
            results = list(pool.map(score_one, paths))
    report(results, args.show)


def report(results: list[dict[str, Any]], show: bool) -> None:
    """Scores → one line per scan and totals per kind."""
    print(f"{'scan':58} {'rows':>7} {'cells':>9} {'acc %':>7} gloss date {'s/page':>6}")
    for r in results:
        acc = 100.0 * r["right"] / r["cells"] if r["cells"] else 100.0
        glossary, date = ("yes" if r[k] else "NO" for k in ("glossary", "date"))
        print(f"{r['name']:58} {r['rows']:>7} {r['right']:>4}/{r['cells']:<4} {acc:7.2f}"
              f" {glossary:>5} {date:>4} {r['seconds'] / r['pages']:6.2f}")
        if show:
            for line in r["wrong"]:
                print("      ", line)
    for kind in sorted({r["name"].split("__")[-1] for r in results}):
        part = [r for r in results if r["name"].endswith("__" + kind)]
        right, cells = sum(r["right"] for r in part), sum(r["cells"] for r in part)
        pages, seconds = sum(r["pages"] for r in part), sum(r["seconds"] for r in part)
        print(f"{kind:14} {len(part)} scans: cells {right}/{cells} = {100.0 * right / cells:.2f} %, "
              f"glossary exact {sum(r['glossary'] for r in part)}/{len(part)}, "
              f"date right {sum(r['date'] for r in part)}/{len(part)}, "
              f"all cells exact {sum(r['right'] == r['cells'] for r in part)}/{len(part)}, "
              f"{seconds / pages:.2f} s/page (in process, model loaded once)")


if __name__ == "__main__":
    main(sys.argv[1:])
