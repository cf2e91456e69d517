"""The lines of one table row → the cells merged across columns in it (e.g. one owner cell over both owner columns).

Evidence for a merged cell: in a ruled table, a column boundary that no vertical rule crosses within the row; in
a table without vertical rules, a text line that runs across a column boundary (a word straddles it, or the step
into the next column is no wider than a word space). A merged cell's text belongs to every column it covers.
"""

from __future__ import annotations

import statistics

from pipeline.read.layout import Line, PageLayout, Word

#: A vertical rule this close (points) to a column boundary rules it.
RULE_TOLERANCE = 6.0
#: A step between words narrower than this share of the font size is a word space inside one cell.
WORD_SPACE_EM = 0.6
#: A merged cell's centred text stands within this many points of the merged cell's centre.
CENTRE_TOLERANCE = 4.0
#: A borderless table's column boundary stands this many points left of where its column's text starts.
TEXT_LEAD = 2.0
#: A word starting this close (points) to where its column's text starts, after a step this many times wider than
#: its line's word spaces, begins that column's cell, however narrow the step (a table set with a point or two of
#: padding leaves less than a word space between columns).
TEXT_START_TOLERANCE = 0.5
GUTTER_SPACES = 1.25


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
        if b.x0 - a.x1 < WORD_SPACE_EM * size + 0.1:  # a monospaced space is exactly 0.6 em
            crossed |= {j for j in inner if a.xmid < bounds[j] < b.xmid and not gutter_step(ln, a, b, bounds, j)}
    return crossed


def gutter_step(ln: Line, a: Word, b: Word, bounds: list[float], j: int) -> bool:
    """Whether the step from word a to the next word b of a line is the gutter into column j: b starts where the
    column's text starts (its boundary plus `TEXT_LEAD`), and the step is wider than the line's word spaces."""
    if b.confidence is not None or abs(b.x0 - bounds[j] - TEXT_LEAD) > TEXT_START_TOLERANCE:
        return False  # OCR's word boxes are too rough to stand exactly at a column's start
    spaces = [d.x0 - c.x1 for c, d in zip(ln.words, ln.words[1:], strict=False) if d.x0 > c.x1]
    return bool(spaces) and b.x0 - a.x1 > GUTTER_SPACES * statistics.median(spaces)


def centred_spans(group: list[Line], bounds: list[float], edges: tuple[float, float], cells: list[list[str]],
                  spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A row without vertical rules → its merged cells, widened where only centring shows them: text centred on
    the middle of its cell and empty neighbours rather than on its own cell (e.g. "Not applicable" across
    self-service and both owners). `edges` are the table's left and right edges, `cells` the row's cells and
    `spans` the merged cells found so far; returns all merged cells. Column edges stand as far left of the
    boundaries (which stand `TEXT_LEAD` left of each column's text) as the first column's text stands from the
    table's left edge.
    """
    ncols = len(bounds) - 1
    pad = max(0.0, bounds[0] + TEXT_LEAD - edges[0])
    box = [edges[0]] + [x + TEXT_LEAD - pad for x in bounds[1:-1]] + [edges[1]]
    units = sorted(spans + [(j, j + 1) for j in range(ncols) if not any(a <= j < b for a, b in spans)])
    result: list[tuple[int, int]] = []
    for a, b in units:
        words = [w for ln in group for w in ln.words if bounds[a] <= w.xmid < bounds[b]]
        ragged = _ragged_right([[w for w in ln.words if bounds[a] <= w.xmid < bounds[b]] for ln in group])
        wider = _best_widening(words, a, b, box, cells, pad) if a >= 1 and cells[a] and not ragged else None
        if wider is not None and not any(wa < b and a < wb for wa, wb in result):
            result = [s for s in result if not (wider[0] <= s[0] and s[1] <= wider[1])] + [wider]
        elif b - a >= 2:
            result.append((a, b))
    return sorted(set(result))


def _ragged_right(lines: list[list[Word]]) -> bool:
    """A cell's words line by line → whether its lines start at one x and end at different ones: left-aligned text
    (an indented list, "• Partner AM" over "• Partner NOC"), not text centred in a wider cell."""
    extents = [(ws[0].x0, ws[-1].x1) for ws in lines if ws]
    if len(extents) < 2:
        return False
    starts = [x0 for x0, _ in extents]
    ends = [x1 for _, x1 in extents]
    return max(starts) - min(starts) <= TEXT_START_TOLERANCE < max(ends) - min(ends)


def _best_widening(words: list[Word], a: int, b: int, box: list[float], cells: list[list[str]],
                   pad: float) -> tuple[int, int] | None:
    """A cell's words → the wider cell over empty neighbours that its text is centred on, if clearly so."""
    if not words or min(w.x0 for w in words) <= box[a] + pad + 2:
        return None  # left-aligned: the cell is what it is
    centre = (min(w.x0 for w in words) + max(w.x1 for w in words)) / 2
    own = abs(centre - (box[a] + box[b]) / 2)
    best: tuple[float, tuple[int, int]] | None = None
    for lo in range(1, a + 1):
        for hi in range(b, len(box)):
            if (lo, hi) == (a, b) or any(cells[k] for k in range(lo, hi) if not a <= k < b):
                continue
            off = abs(centre - (box[lo] + box[hi]) / 2)
            if best is None or off < best[0]:
                best = (off, (lo, hi))
    if best is not None and best[0] <= CENTRE_TOLERANCE and best[0] < own / 4:
        return best[1]
    return None
