"""The lines of one table row → the cells merged across columns in it (e.g. one owner cell over both owner columns).

Evidence for a merged cell: in a ruled table, a column boundary that no vertical rule crosses within the row; in
a table without vertical rules, a text line that runs across a column boundary (a word straddles it, or the step
into the next column is no wider than a word space). A merged cell's text belongs to every column it covers.
"""

from __future__ import annotations

import statistics

from pipeline.read.layout import Line, PageLayout

#: A vertical rule this close (points) to a column boundary rules it.
RULE_TOLERANCE = 6.0
#: A step between words narrower than this share of the font size is a word space inside one cell.
WORD_SPACE_EM = 0.6


def merged_spans(group: list[Line], layout: PageLayout, bounds: list[float], ruled: bool) -> list[tuple[int, int]]:
    """A row's lines → column ranges [a, b) of two or more columns that hold one merged cell."""
    ncols = len(bounds) - 1
    joined = [False] * (ncols + 1)  # joined[j]: boundary j (between columns j-1 and j) is inside a merged cell
    if ruled:
        mid = (min(ln.top for ln in group) + max(ln.bottom for ln in group)) / 2
        vrules = layout.vrules()
        for j in range(1, ncols):
            joined[j] = not any(abs(r.position - bounds[j]) <= RULE_TOLERANCE and r.start - 1 <= mid <= r.end + 1
                                for r in vrules)
    else:
        for ln in group:
            for j in _crossed(ln, bounds):
                joined[j] = True
    spans: list[tuple[int, int]] = []
    a = 0
    for j in range(1, ncols + 1):
        if j == ncols or not joined[j]:
            if j - a >= 2:
                spans.append((a, j))
            a = j
    return spans


def _crossed(ln: Line, bounds: list[float]) -> set[int]:
    """A text line → the inner column boundaries its text runs across."""
    size = statistics.median(w.size for w in ln.words) or 10.0
    crossed = set()
    inner = range(1, len(bounds) - 1)
    for w in ln.words:
        crossed |= {j for j in inner if w.x0 < bounds[j] - 1 and w.x1 > bounds[j] + 1}
    for a, b in zip(ln.words, ln.words[1:], strict=False):
        if b.x0 - a.x1 < WORD_SPACE_EM * size:
            crossed |= {j for j in inner if a.xmid < bounds[j] < b.xmid}
    return crossed
