"""Write batches of job aids for benchmarking: many documents of two revisions, or one document with a long history.

The drawing code is the fixture generator's (tests/fixtures/generate.py): the two sample revisions in raw/
(3 and 4 pages), each document told apart by a number in its title.
"""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

from make_long import _generator


def make_batch(folder: Path, documents: int = 100) -> list[Path]:
    """Write `documents` job aids × the two sample revisions into `folder`; return the paths."""
    g = _generator()
    paths = []
    for number in range(1, documents + 1):
        for name, (doc, style, _) in g.samples().items():
            path = folder / f"doc{number:03d}_{name}.pdf"
            g.build(dataclasses.replace(doc, title=f"{doc.title} {number:03d}"), style, path)
            paths.append(path)
    return paths


def make_history(folder: Path, revisions: int = 51) -> list[Path]:
    """Write one job aid in `revisions` revisions, a month apart, each changing one activity; oldest first."""
    g = _generator()
    doc, style, _ = g.samples()["sample_10Feb20"]
    paths = []
    for number in range(revisions):
        day = date(2020, 1, 1) + timedelta(days=31 * number)
        rows = [dict(row) for row in doc.rows]
        row = rows[number % len(rows)]
        row["activity"] = f"{row['activity']} (v{number})"
        revision = dataclasses.replace(doc, rows=rows, label=day.strftime("%d%b%y"), revision_date=day.isoformat())
        path = folder / f"history_{day.isoformat()}.pdf"
        g.build(revision, style, path)
        paths.append(path)
    return paths
