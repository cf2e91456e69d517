"""A table's phase column → its cells: the phase text set apart from the rows, and the stretch each cell covers.

A phase column is often one cell merged down all activities of a phase, its text printed once at the top
(and only on the first page when the cell breaks across pages). Its text therefore does not line up with
the rows: it is taken out of the body before rows are split, cut into cells at the horizontal rules that
cross the column and, in a table without vertical rules, also at whitespace as wide as between two rows (a
scan can lose some of its row rules, or all of them), and each activity row later takes the phase of the cell it
stands in; an empty cell continues the one before it. A block of text cut off by whitespace begins its cell at its
top, or, when it is centred in its cell (its top stands at no row's top), as far above its middle as the cell's end
is below it.
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
    by more than `gap`, each reaching down to the next block.

    A block begins its cell at its text (the first one under a rule at that rule) or, when its text stands at no
    row's top, where the rows it is centred on begin; blocks are placed from the bottom up, each cell ending where
    the next one begins (the last at the rows' end).
    """
    blocks: list[list[Line]] = []
    for ln in lines:
        if blocks and ln.top - blocks[-1][-1].bottom <= gap:
            blocks[-1].append(ln)
        else:
            blocks.append([ln])
    lines_between = row_boundaries(rows)
    end = bottom if bottom != math.inf or not lines_between else lines_between[-1]
    starts = [top] * len(blocks)
    for k in reversed(range(len(blocks))):
        text_top = blocks[k][0].top
        if k == 0 and top != -math.inf:
            break
        above = blocks[k - 1][-1].bottom if k > 0 else top
        centred = _centred_start(blocks[k], rows, lines_between, above, end)
        starts[k] = max(top, text_top - TOP_TOLERANCE) if centred is None else centred
        end = centred if centred is not None else max((y for y in lines_between if y <= text_top), default=starts[k])
    cells = [PhaseCell(top, bottom)]
    for k, block in enumerate(blocks):
        if k > 0 or top == -math.inf:
            cells[-1].bottom = starts[k]
            cells.append(PhaseCell(starts[k], bottom))
        cells[-1].lines += [ln.text for ln in block]
    return [c for c in cells if c.lines or c.bottom > c.top]


def row_boundaries(rows: Sequence[tuple[float, float]]) -> list[float]:
    """Rows (top, bottom), top to bottom → where a rule between them would run: the middle of the whitespace between
    two rows, and half the usual whitespace above the first row and below the last."""
    if not rows:
        return []
    spaces = [b[0] - a[1] for a, b in zip(rows, rows[1:], strict=False)]
    half = statistics.median(spaces) / 2 if spaces else TOP_TOLERANCE
    return [rows[0][0] - half, *((a[1] + b[0]) / 2 for a, b in zip(rows, rows[1:], strict=False)), rows[-1][1] + half]


def _centred_start(block: list[Line], rows: Sequence[tuple[float, float]], lines_between: list[float], above: float,
                   end: float) -> float | None:
    """A block of phase text, the rows beside it, the boundaries between them, the bottom of the text block above and
    where the block's cell ends → where its cell begins when the text is centred in it rather than at its top: the
    row boundary as far above the text's middle as `end` is below it (None when the text stands at a row's top, or no
    boundary is there)."""
    text_top, text_bottom = block[0].top, block[-1].bottom
    if not rows or end == math.inf or any(abs(r[0] - text_top) <= TOP_TOLERANCE for r in rows):
        return None
    mirrored = text_top + text_bottom - end
    near = [y for y in lines_between if above <= y <= text_top and abs(y - mirrored) <= 2 * CENTRE_TOLERANCE]
    return min(near, key=lambda y: abs(y - mirrored)) if near else None


def cell_at(cells: list[PhaseCell], y: float) -> PhaseCell | None:
    """The phase cell covering height `y` (a row's top), if any."""
    for cell in cells:
        if cell.top <= y < cell.bottom:
            return cell
    return None
