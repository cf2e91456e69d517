"""A table's phase column → its cells: the phase text set apart from the rows, and the stretch each cell covers.

A phase column is often one cell merged down all activities of a phase, its text printed once at the top
(and only on the first page when the cell breaks across pages). Its text therefore does not line up with
the rows: it is taken out of the body before rows are split, cut into cells at the horizontal rules that
cross the column and, in a table without vertical rules, also at whitespace as wide as between two rows (a
scan can lose some of its row rules, or all of them), and each activity row later takes the phase of the cell it
stands in; an empty cell continues the one before it.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.read.layout import Line, PageLayout, Word
from pipeline.read.rows import row_gap

#: A rule counts as crossing the phase column when it covers at least this share of the column's width.
CROSS_SHARE = 0.6
#: Words further apart than this share of the font size are in different cells, not one running text.
WORD_SPACE_EM = 0.6
#: How far (points) a row's top may stand above the top of the phase text beside it.
TOP_TOLERANCE = 2.5
#: Text centred in a cell stands with its middle this close (points) to the middle of the cell's rows.
CENTRE_TOLERANCE = 2.5


@dataclass
class PhaseCell:
    """One cell of the phase column on one page: the stretch it covers and its printed lines."""

    top: float
    bottom: float
    lines: list[str] = field(default_factory=list)


def split_phase_column(lines: list[Line], bounds: list[float], col: int, layout: PageLayout,
                       ruled: bool) -> tuple[list[Line], list[Line]]:
    """Body lines → (the lines without phase-column words, the phase column's own lines).

    A line whose text runs on from the phase column into the next one (a phase heading row) stays whole.
    """
    left, right = bounds[col], bounds[col + 1]
    body: list[Line] = []
    phase: list[Line] = []
    for ln in lines:
        inside = [w for w in ln.words if left <= w.xmid < right]
        if not inside:
            body.append(ln)
            continue
        rest = [w for w in ln.words if w not in inside]
        if rest and _runs_across(ln, inside, rest, right, layout, ruled):
            body.append(ln)
            continue
        phase.append(Line(inside))
        if rest:
            body.append(Line(rest))
    return body, phase


def _runs_across(ln: Line, inside: list[Word], rest: list[Word], edge: float, layout: PageLayout,
                 ruled: bool) -> bool:
    """Whether a line's text runs from the phase column into the next column: one spanning cell."""
    if ruled:
        return not any(abs(r.position - edge) <= 6.0 and r.start - 1 <= ln.ymid <= r.end + 1
                       for r in layout.vrules())
    last = max(inside, key=lambda w: w.x1)
    following = [w for w in rest if w.x0 >= last.x1 - 1]
    if not following:
        return False
    step = min(w.x0 for w in following) - last.x1
    size = statistics.median(w.size for w in ln.words) or 10.0
    return step < WORD_SPACE_EM * size or any(w.x0 < edge - 1 < edge + 1 < w.x1 for w in ln.words)


def phase_cells(phase: list[Line], layout: PageLayout, bounds: list[float], col: int,
                body_top: float, ruled: bool, rows: Sequence[tuple[float, float]] = ()) -> list[PhaseCell]:
    """The phase column's lines on one page → its cells, top to bottom, covering the whole page.

    A ruled table's cells are cut at rules alone when it has two or more; between the rules of a table without
    vertical rules, and in a table without row rules, text blocks apart by a row's whitespace are cells too. `rows`
    are the page's rows (top, bottom) without the phase column: a block cut by whitespace that is centred in its cell
    rather than at its top begins where its rows begin (`_centred_start`).
    """
    left, right = bounds[col], bounds[col + 1]
    width = right - left
    cuts = sorted(
        r.position for r in layout.hrules()
        if r.position >= body_top - 2
        and min(r.end, right) - max(r.start, left) >= CROSS_SHARE * width
    )
    merged: list[float] = []
    for y in cuts:
        if not merged or y - merged[-1] > 3.0:
            merged.append(y)
    edges = [-math.inf, *merged, math.inf] if len(merged) >= 2 else [-math.inf, math.inf]
    split = not ruled or len(merged) < 2
    gap = row_gap(statistics.median(w.size for ln in phase for w in ln.words)) if phase else 0.0
    cells: list[PhaseCell] = []
    for top, bottom in zip(edges, edges[1:], strict=False):
        inside = sorted((ln for ln in phase if top <= ln.ymid < bottom), key=lambda ln: ln.top)
        if not split:
            cells.append(PhaseCell(top, bottom, [ln.text for ln in inside]))
            continue
        within = [r for r in rows if top <= (r[0] + r[1]) / 2 < bottom]
        cells += _blocks_by_whitespace(inside, top, bottom, gap, within)
    return cells


def _blocks_by_whitespace(lines: list[Line], top: float, bottom: float, gap: float,
                          rows: Sequence[tuple[float, float]]) -> list[PhaseCell]:
    """Phase lines between `top` and `bottom`, top to bottom, and the rows there → one cell per block of text apart
    by more than `gap`, each reaching down to the next block."""
    blocks: list[list[Line]] = []
    for ln in lines:
        if blocks and ln.top - blocks[-1][-1].bottom <= gap:
            blocks[-1].append(ln)
        else:
            blocks.append([ln])
    cells = [PhaseCell(top, bottom)]
    for k, block in enumerate(blocks):
        if k > 0 or top == -math.inf:
            above = blocks[k - 1][-1].bottom if k > 0 else top
            below = blocks[k + 1][0].top if k + 1 < len(blocks) else bottom
            start = _centred_start(block, rows, above, below)
            start = max(top, block[0].top - TOP_TOLERANCE if start is None else start)
            cells[-1].bottom = start
            cells.append(PhaseCell(start, bottom))
        cells[-1].lines += [ln.text for ln in block]
    return [c for c in cells if c.lines or c.bottom > c.top]


def _centred_start(block: list[Line], rows: Sequence[tuple[float, float]], above: float, below: float
                   ) -> float | None:
    """A block of phase text and the rows beside it (top, bottom) → where its cell begins when the text is centred
    in its cell rather than at its top (None when it stands at a row's top, or no run of rows is centred on it).

    The rows' boundaries are the middles of the whitespace between them (and half that whitespace beyond the first
    and last row); of the runs of whole rows between the text blocks `above` and `below` centred on the block, the
    longest is its cell.
    """
    text_top, text_bottom = block[0].top, block[-1].bottom
    if not rows or any(abs(r[0] - text_top) <= TOP_TOLERANCE for r in rows):
        return None
    spaces = [b[0] - a[1] for a, b in zip(rows, rows[1:], strict=False)]
    half = statistics.median(spaces) / 2 if spaces else TOP_TOLERANCE
    lines = [rows[0][0] - half] + [(a[1] + b[0]) / 2 for a, b in zip(rows, rows[1:], strict=False)]
    lines.append(rows[-1][1] + half)
    centre = (text_top + text_bottom) / 2
    runs = [(a, b) for i, a in enumerate(lines) for b in lines[i + 1:]
            if above <= a <= text_top and text_bottom <= b <= below and abs((a + b) / 2 - centre) <= CENTRE_TOLERANCE]
    return min(runs, key=lambda run: run[0] - run[1])[0] if runs else None


def cell_at(cells: list[PhaseCell], y: float) -> PhaseCell | None:
    """The phase cell covering height `y` (a row's top), if any."""
    for cell in cells:
        if cell.top <= y < cell.bottom:
            return cell
    return None
