"""A borderless table's header and body lines → its column boundaries, all candidate positions scored together.

The model of such a table: every column has a left edge; each text run (a cell line) is either left-aligned at
its column's text start, or centred on its own column, or centred across several columns (a merged cell, e.g.
"Not applicable" over self-service and both owners); header texts the same. For each boundary between two
header texts the candidates are the header text's own start, the starts of body runs between the two header
texts (left-aligned cells, the right end of a body gutter), where centring the neighbouring header text puts
it, vertical rules there, and where an earlier page of the table put it. A set of boundaries scores one point
for each run it explains (left-aligned at its column's start, or centred on the columns it covers) and loses
one for each run it cuts that is not centred across the cut. The boundaries move one at a time to their best
candidate until none moves (coordinate ascent from the header's own positions, or an earlier page's).

Ambiguous evidence, and the rule chosen:
- Text that stands alone between two header texts (one row, or cells all alike) is read as left-aligned at its
  column's start: a boundary just before it explains it, the header position explains nothing. Centred text
  that is really a merged cell is recognised by also being centred on the columns it covers.
- A one-row table whose only cell text is centred across columns shows no column start at all; there the
  centred header texts decide: each column edge is placed where the neighbouring header text is centred
  between it and the next edge (chained from the table's left edge). With a left-aligned header, the header
  positions stand (its text start is the column's start).
- When nothing separates two candidates, the boundary stays where it stood (the header's position, or an
  earlier page's).
- Without a rule or shading to show them, the table's left edge is taken `DEFAULT_PAD` left of its first
  column's text and its right edge as far from the page's right side as the left edge is from its left side.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from pipeline.read.layout import Line, PageLayout
from pipeline.read.merged import TEXT_LEAD, WORD_SPACE_EM

#: A boundary stands this many points left of where its column's left-aligned text starts.
LEAD = TEXT_LEAD
#: A run starting within this many points of its column's text start is left-aligned there.
ALIGN_TOLERANCE = 0.5
#: A run whose middle stands within this many points of the middle of the columns it covers is centred on them.
CENTRE_TOLERANCE = 3.0
#: Padding (points) assumed between a column's edge and its text when no rule or shading shows the table's edge.
DEFAULT_PAD = 3.0
#: A rule or shading spanning at least this share of the header's width shows the table's left and right edges.
EDGE_SHARE = 0.6
#: Score added to the position an earlier page of the same table gave a boundary.
KNOWN_BONUS = 0.5
#: Rounds of moving one boundary at a time to its best candidate (the ascent stops sooner when nothing moves).
MAX_ROUNDS = 6
#: On a line read by OCR, words closer than this many of the page's usual word spaces are one run: OCR's word boxes
#: are the ink's, so a typewriter face's spaces (its letters narrower than their cells) read wider than 0.6 em.
OCR_RUN_SPACES = 1.5

Floats = npt.NDArray[np.float64]


def estimate_bounds(bounds: list[float], heading: list[Line], body: list[Line], layout: PageLayout,
                    known: Sequence[float] = ()) -> list[float]:
    """Header-derived boundaries, the header's lines, the body's lines and the page → the column boundaries that
    explain the most text runs (see the module docstring). `known`: an earlier page's boundaries of the same
    table. Bold body lines (phase headings run across the table) are left out unless every line is bold.
    """
    plain = [ln for ln in body if not ln.bold] or body
    words = [w for ln in plain for w in ln.words]
    if not words or len(bounds) < 3:
        return bounds
    ncols = len(bounds) - 1
    first = min(bounds[0], min(w.x0 for w in words) - LEAD)
    last = max(bounds[-1], max(w.x1 for w in words) + LEAD)
    space = ocr_word_space(layout)
    body_runs = [run for ln in plain for run in text_runs(ln, space)]
    head_runs = [run for ln in heading for run in text_runs(ln, space)]
    heads = _header_extents(head_runs, bounds)
    left, right = table_edges(layout, bounds, min((ln.top for ln in heading), default=0.0))
    pad = first + LEAD - left if left is not None and 0 < first + LEAD - left < 20 else DEFAULT_PAD
    model = _Model(body_runs + head_runs, pad, (left, right), heads, max(w.x1 for w in words) + pad, layout.width)

    b = np.array([first, *bounds[1:-1], last], dtype=np.float64)
    use_known = len(known) == len(bounds)
    ranges = [_range(j, bounds, heads) for j in range(ncols + 1)]
    options: list[list[float]] = [[] for _ in range(ncols + 1)]
    vrules = [r.position for r in layout.vrules()]
    for j in range(1, ncols):
        lo, hi = ranges[j]
        lefts = [x0 - LEAD for x0, _ in body_runs if lo < x0 <= hi + LEAD + ALIGN_TOLERANCE]
        here = [bounds[j], *lefts, *(x for x in vrules if lo - LEAD <= x <= hi)]
        if use_known and lo - LEAD <= known[j] <= hi:
            here.append(known[j])
            b[j] = known[j]
        options[j] = _distinct(here)

    def bonus(j: int, x: float) -> float:
        return KNOWN_BONUS if use_known and abs(x - known[j]) <= ALIGN_TOLERANCE else 0.0

    scores: dict[tuple[float, ...], float] = {}

    def score(b: Floats) -> float:
        key = tuple(b.tolist())
        if key not in scores:
            scores[key] = model.score(b) + sum(bonus(j, b[j]) for j in range(1, ncols))
        return scores[key]

    def ascend(b: Floats) -> tuple[float, Floats]:
        """Boundaries → the best set reached by moving one at a time to its best candidate, and its score."""
        for _ in range(MAX_ROUNDS):
            moved = False
            for j in range(1, ncols):
                lo, hi = ranges[j]
                tried = options[j] + [x for x in model.centring(j, b) if lo - LEAD <= x <= hi]
                best, best_score = b[j], score(b)
                for x in tried:
                    trial = b.copy()
                    trial[j] = x
                    if score(trial) > best_score + 1e-9:
                        best, best_score = x, score(trial)
                if best != b[j]:
                    b[j] = best
                    moved = True
            if not moved:
                break
        return score(b), b

    header_start = b.copy()
    best = ascend(header_start)
    for centred_start in (model.centred_header(b, ranges), model.centred_header(b, ranges, from_right=True)):
        if not np.array_equal(centred_start, b):
            other = ascend(centred_start)
            best = other if other[0] > best[0] else best  # the header's (or earlier page's) start wins ties
    return [float(x) for x in best[1]]


class _Model:
    """Text runs and the table's edges → the score of a set of boundaries, and where centring puts one."""

    def __init__(self, runs: list[tuple[float, float]], pad: float, edges: tuple[float | None, float | None],
                 heads: list[tuple[float, float] | None], text_right: float, page_width: float) -> None:
        self.x0: Floats = np.array([r[0] for r in runs], dtype=np.float64)
        self.x1: Floats = np.array([r[1] for r in runs], dtype=np.float64)
        self.mid: Floats = (self.x0 + self.x1) / 2
        self.shift = pad - LEAD  # a column's edge stands this far left of its boundary
        self.left, self.right = edges
        self.heads, self.text_right, self.page_width = heads, text_right, page_width

    def edges(self, b: Floats) -> Floats:
        """Boundaries → the columns' edges: the table's edges outside, each boundary less the padding inside.

        With no rule or shading to show it, the right edge stands as far from the page's right side as the left
        edge from its left side (tables span the text block between equal margins), and past all the text.
        """
        c = b - self.shift
        if self.left is not None:
            c[0] = self.left
        c[-1] = self.right if self.right is not None else max(self.text_right, self.page_width - float(c[0]))
        return c

    def score(self, b: Floats) -> float:
        """Boundaries → runs explained (left-aligned at their column's start, or centred on the columns they
        cover) less runs cut by a boundary without being centred across it."""
        n = len(b) - 1
        c = self.edges(b)
        a = np.minimum(np.maximum(np.searchsorted(b, self.x0 + 1.0, side="right") - 1, 0), n - 1)
        z = np.maximum(a, np.minimum(np.searchsorted(b, self.x1 - 1.0, side="left") - 1, n - 1))
        left = np.abs(self.x0 - (b[a] + LEAD)) <= ALIGN_TOLERANCE
        centred = np.abs(self.mid - (c[a] + c[z + 1]) / 2) <= CENTRE_TOLERANCE
        inside = a == z
        heading = (a == 0) & left  # a line from the first column's start across the table: a heading
        cut = np.where(centred, 1.0, np.where(heading, 0.0, -1.0))
        points = np.where(inside, (left | centred).astype(np.float64), cut)
        return float(points.sum())

    def centred_header(self, b: Floats, ranges: list[tuple[float, float]], from_right: bool = False) -> Floats:
        """Boundaries → the set that stands every header text centred in its column, chained from the table's left
        edge, or from its right edge (`from_right`: a left-aligned first column and centred columns after it);
        boundaries whose header text is blank, or that would leave their range, stay."""
        out = b.copy()
        c = self.edges(out)
        for j in range(len(b) - 2, 0, -1) if from_right else range(1, len(b) - 1):
            head = self.heads[j] if from_right else self.heads[j - 1]
            if head is None:
                continue
            x = head[0] + head[1] - float(c[j + 1 if from_right else j - 1]) + self.shift
            if ranges[j][0] - LEAD <= x <= ranges[j][1]:
                out[j] = x
                c = self.edges(out)
        return out

    def centring(self, j: int, b: Floats) -> list[float]:
        """Boundary j and the others as they stand → where it goes for the header text before it, or after it,
        to stand centred in its column."""
        c = self.edges(b)
        out = []
        before, after = self.heads[j - 1], self.heads[j]
        if before is not None:
            out.append(before[0] + before[1] - float(c[j - 1]) + self.shift)
        if after is not None:
            out.append(after[0] + after[1] - float(c[j + 1]) + self.shift)
        return out


def _range(j: int, bounds: list[float], heads: list[tuple[float, float] | None]) -> tuple[float, float]:
    """A boundary's index → the x range its column's text start may take: after the header text before it, up to
    the start of the header text after it."""
    if j == 0 or j == len(bounds) - 1:
        return bounds[j], bounds[j]
    before, after = heads[j - 1], heads[j]
    lo = before[1] if before is not None else (bounds[j - 1] + bounds[j]) / 2
    hi = after[0] if after is not None else bounds[j] + LEAD
    return lo, hi


def _header_extents(runs: list[tuple[float, float]], bounds: list[float]) -> list[tuple[float, float] | None]:
    """Header text runs and the header's boundaries → per column, the x-extent of its header text (None: blank)."""
    extents: list[tuple[float, float] | None] = [None] * (len(bounds) - 1)
    for x0, x1 in runs:
        j = next((k for k in range(len(bounds) - 1) if (x0 + x1) / 2 < bounds[k + 1]), len(bounds) - 2)
        got = extents[j]
        extents[j] = (x0, x1) if got is None else (min(got[0], x0), max(got[1], x1))
    return extents


def _distinct(xs: list[float]) -> list[float]:
    """Positions → one per cluster closer than the alignment tolerance (its first, in the order given)."""
    out: list[float] = []
    for x in xs:
        if all(abs(x - y) > ALIGN_TOLERANCE for y in out):
            out.append(x)
    return out


def table_edges(layout: PageLayout, bounds: list[float], top: float) -> tuple[float | None, float | None]:
    """A page, a table's header boundaries and its top → the table's left and right edges where rules or shading
    running across the table show them (the median of their ends), else (None, None)."""
    width = bounds[-1] - bounds[0]
    spans = [(r.start, r.end) for r in layout.hrules()
             if r.position >= top - 1 and r.end - r.start >= EDGE_SHARE * width]
    spans += [(s.x0, s.x1) for s in layout.shades if s.bottom >= top - 1 and s.x1 - s.x0 >= EDGE_SHARE * width]
    if not spans:
        return None, None
    return statistics.median(s[0] for s in spans), statistics.median(s[1] for s in spans)


def ocr_word_space(layout: PageLayout) -> float:
    """A page → the usual gap (points) between neighbouring words on its lines read by OCR, counting gaps narrower
    than their line's font size (0.0 when no line was read by OCR)."""
    gaps = [b.x0 - a.x1 for ln in layout.lines if ln.by_ocr
            for a, b in zip(ln.words, ln.words[1:], strict=False) if 0 < b.x0 - a.x1 < ln.size]
    return statistics.median(gaps) if gaps else 0.0


def text_runs(ln: Line, ocr_space: float = 0.0) -> list[tuple[float, float]]:
    """A line (and its page's usual word space on lines read by OCR) → the x-extents of its runs of words set no
    wider apart than a word space."""
    size = statistics.median(w.size for w in ln.words) or 10.0
    limit = WORD_SPACE_EM * size + 0.1  # a monospaced space is exactly 0.6 em
    if ln.by_ocr:
        limit = max(limit, OCR_RUN_SPACES * ocr_space)
    runs: list[tuple[float, float]] = []
    for w in ln.words:
        if runs and w.x0 - runs[-1][1] < limit:
            runs[-1] = (runs[-1][0], w.x1)
        else:
            runs.append((w.x0, w.x1))
    return runs
