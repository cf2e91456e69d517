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
#: A merged cell's centred text stands within this many points of the merged cell's centre.
CENTRE_TOLERANCE = 4.0


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


def text_lefts(lines: list[Line], bounds: list[float]) -> list[float | None]:
    """A page's body lines → per column, where its cells' text usually starts (the commonest left edge)."""
    starts: list[list[float]] = [[] for _ in range(len(bounds) - 1)]
    for ln in lines:
        seen: set[int] = set()
        for w in ln.words:
            j = next((k for k in range(len(bounds) - 1) if bounds[k] <= w.xmid < bounds[k + 1]), None)
            if j is not None and j not in seen:
                seen.add(j)
                starts[j].append(round(w.x0))
    return [float(statistics.mode(xs)) if xs else None for xs in starts]


def centred_spans(group: list[Line], bounds: list[float], lefts: list[float | None], edges: tuple[float, float],
                  cells: list[list[str]], taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A row without vertical rules → merged cells shown only by centring: text in one column, centred on the
    middle of that column and its empty neighbours rather than on its own column (e.g. "Not applicable" across
    self-service and both owners). `edges` are the table's left and right edges; `cells` the row's cells.
    """
    ncols = len(bounds) - 1
    if any(x is None for x in lefts):
        return []
    pad = max(0.0, float(lefts[0] or 0.0) - edges[0])
    box = [float(x or 0.0) - pad for x in lefts] + [edges[1]]
    busy = {j for a, b in taken for j in range(a, b)}
    found: list[tuple[int, int]] = []
    for j in range(1, ncols):
        if not cells[j] or j in busy:
            continue
        words = [w for ln in group for w in ln.words if bounds[j] <= w.xmid < bounds[j + 1]]
        starts = [min(w.x0 for w in ln.words if bounds[j] <= w.xmid < bounds[j + 1])
                  for ln in group if any(bounds[j] <= w.xmid < bounds[j + 1] for w in ln.words)]
        if not words or min(starts) <= box[j] + pad + 2:
            continue  # left-aligned: an ordinary cell
        centre = (min(w.x0 for w in words) + max(w.x1 for w in words)) / 2
        own = abs(centre - (box[j] + box[j + 1]) / 2)
        best: tuple[float, tuple[int, int]] | None = None
        for a in range(1, j + 1):
            for b in range(j + 1, ncols + 1):
                if b - a < 2 or any(cells[k] for k in range(a, b) if k != j) or busy & set(range(a, b)):
                    continue
                off = abs(centre - (box[a] + box[b]) / 2)
                if best is None or off < best[0]:
                    best = (off, (a, b))
        if best is not None and best[0] <= CENTRE_TOLERANCE and best[0] < own / 4:
            found.append(best[1])
            busy |= set(range(*best[1]))
    return found
