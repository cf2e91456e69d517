"""Body lines of a page's table → its row bands: split at rules or whitespace, cells per column, merged cells."""

from __future__ import annotations

import bisect
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.read.layout import Line, PageLayout
from pipeline.read.merged import centred_spans, gutter_step, merged_spans

#: Ruling lines closer than this (points) are one line (Word draws each border twice).
SNAP_TOLERANCE = 6.0
#: A horizontal rule separates rows when it spans at least this share of the table width.
ROW_RULE_SHARE = 0.6
#: Lines further apart than this many times the usual in-cell spacing start a new row.
ROW_GAP_FACTOR = 2.2
#: Smallest whitespace (points) between two rows of a borderless table, and its least share of the font size.
MIN_ROW_GAP = 2.5
ROW_GAP_EM = 0.45
#: A gap narrower than this share of the font size is a word space, never a column gutter.
WORD_SPACE_EM = 0.6
#: In a borderless table set tight (a point or two of padding) rows stand closer than MIN_ROW_GAP; the whitespace
#: between them is still wider than between a cell's wrapped lines, by at least this many points and share of the
#: font size, and splitting there must give at least TIGHT_ROWS_FACTOR times as many rows.
TIGHT_STEP = 0.8
TIGHT_STEP_EM = 0.08
TIGHT_ROWS_FACTOR = 2


@dataclass
class GridRow:
    """One row band of the table on one page, its cells' text lines per column."""

    page: int
    top: float
    bottom: float
    cells: list[list[str]]
    spanning: bool = False
    bold: bool = False
    shaded: bool = False
    merged: list[tuple[int, int]] = field(default_factory=list)


def snap(xs: list[float], tolerance: float = SNAP_TOLERANCE) -> list[float]:
    """Positions → one position per cluster of positions closer than `tolerance`."""
    clusters: list[list[float]] = []
    for x in sorted(xs):
        if clusters and x - clusters[-1][-1] <= tolerance:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    return [sum(c) / len(c) for c in clusters]


def lines_to_cells(lines: list[Line], bounds: list[float], merged: Sequence[tuple[int, int]] = ()) -> list[list[str]]:
    """Text lines → per column, the printed lines falling in it (words placed by their centre).

    A merged cell's lines (columns [a, b) in `merged`) go to every column it covers.
    """
    cells: list[list[str]] = [[] for _ in range(len(bounds) - 1)]
    home = {j: a for a, b in merged for j in range(a, b)}
    for ln in lines:
        parts: dict[int, list[str]] = {}
        for w in ln.words:
            j = column_of(w.xmid, bounds)
            if j is not None:
                parts.setdefault(home.get(j, j), []).append(w.text)
        for j, texts in parts.items():
            cells[j].append(" ".join(texts))
    for a, b in merged:
        for j in range(a + 1, b):
            cells[j] = list(cells[a])
    return cells


def column_of(x: float, bounds: list[float]) -> int | None:
    """An x position → the index of the column it falls in (None outside the table)."""
    if x < bounds[0] - SNAP_TOLERANCE or x > bounds[-1] + SNAP_TOLERANCE:
        return None
    for j in range(len(bounds) - 1):
        if x < bounds[j + 1]:
            return j
    return len(bounds) - 2


def row_gap(size: float) -> float:
    """A table's font size → the least whitespace (points) between the lines of two rows without a rule between."""
    return max(MIN_ROW_GAP, ROW_GAP_EM * size)


def row_separators(layout: PageLayout, bounds: list[float], body_top: float) -> list[float]:
    """Horizontal rules across most of the table below `body_top` → their y positions, snapped."""
    width = bounds[-1] - bounds[0]
    ys = []
    for r in layout.hrules():
        overlap = min(r.end, bounds[-1]) - max(r.start, bounds[0])
        if r.position >= body_top - 1 and overlap >= ROW_RULE_SHARE * width:
            ys.append(r.position)
    return snap(ys, 3.0)


def lines_to_rows(
    lines: list[Line], separators: list[float], layout: PageLayout, bounds: list[float], ruled: bool,
    edges: tuple[float, float] | None = None,
) -> list[GridRow]:
    """Body lines → row bands: split at ruling lines, and at wide whitespace when rows have no rules.

    `edges` are the table's left and right edges (`table_edges`), which merged cells are centred within; without
    them, its first column boundary and as far from the page's right side as that is from its left side (a page's
    margins are alike; the padding between the table's edges and its text then cancels out of the middle of a cell
    merged up to the right edge).
    """
    if not lines:
        return []
    size = statistics.median(w.size for ln in lines for w in ln.words) or 10.0
    threshold = row_gap(size)
    split_on_gaps = not ruled or len(separators) < 3
    groups = _split_rows(lines, separators, threshold if split_on_gaps else math.inf)
    by_ocr = any(ln.by_ocr for ln in lines)  # OCR's line boxes are too rough to tell a wrap from a tight row
    tight = _tight_gap(lines, size, threshold) if split_on_gaps and not by_ocr else None
    if tight is not None:
        starts = [any(column_of(w.xmid, bounds) == 0 for w in ln.words) for ln in lines]
        closer = _split_rows(lines, separators, tight, starts)
        if len(closer) >= TIGHT_ROWS_FACTOR * len(groups):
            groups = closer
    centring = None
    if not ruled:
        centring = edges or (bounds[0], layout.width - bounds[0])
    return [_group_to_row(g, layout, bounds, ruled, size, centring) for g in groups]


def _split_rows(lines: list[Line], separators: list[float], gap: float,
                starts: list[bool] | None = None) -> list[list[Line]]:
    """Body lines → groups of lines, one per row: a row ends at a rule, or at whitespace wider than `gap` above a
    line that (when `starts` says which may) starts a row."""
    rules = sorted(separators)
    mids = [ln.ymid for ln in lines]
    tops, bottoms = [ln.top for ln in lines], [ln.bottom for ln in lines]
    groups: list[list[Line]] = [[lines[0]]]
    for k in range(1, len(lines)):
        after = bisect.bisect_right(rules, mids[k - 1])  # the first rule below the line above
        ruled_between = after < len(rules) and rules[after] < mids[k]
        gap_between = tops[k] - bottoms[k - 1] > gap and (starts is None or starts[k])
        if ruled_between or gap_between:
            groups.append([lines[k]])
        else:
            groups[-1].append(lines[k])
    return groups


def _tight_gap(lines: list[Line], size: float, threshold: float) -> float | None:
    """Body lines of a table without row rules → the whitespace that parts rows set closer than `threshold`: half
    way across the widest step between the line gaps under it, when that step is wide enough (None otherwise)."""
    gaps = sorted(g for prev, ln in zip(lines, lines[1:], strict=False)
                  if 0 <= (g := ln.top - prev.bottom) <= threshold)
    steps = [(b - a, (a + b) / 2) for a, b in zip(gaps, gaps[1:], strict=False)]
    if not steps:
        return None
    step, middle = max(steps)
    return middle if step >= max(TIGHT_STEP, TIGHT_STEP_EM * size) else None


def table_edges(layout: PageLayout, separators: list[float]) -> tuple[float, float] | None:
    """A page's row separators → the table's left and right edges, where its row rules start and end (None when the
    page shows no row rules)."""
    rules = [r for r in layout.hrules() if any(abs(r.position - y) <= 3.0 for y in separators)]
    if not rules:
        return None
    return min(r.start for r in rules), max(r.end for r in rules)


def _group_to_row(group: list[Line], layout: PageLayout, bounds: list[float], ruled: bool, size: float,
                  centring: tuple[float, float] | None = None) -> GridRow:
    """The lines of one row → its cells (text lines per column) and its style."""
    ncols = len(bounds) - 1
    top = min(ln.top for ln in group)
    bottom = max(ln.bottom for ln in group)
    row = GridRow(layout.number, top, bottom, [])
    row.bold = all(ln.bold for ln in group)
    row.shaded = any(
        min(s.bottom, bottom) - max(s.top, top) >= 0.5 * (bottom - top) and s.x0 < bounds[1]
        for s in layout.shades
    )
    row.spanning = _is_spanning(group, layout, bounds, ruled, size, row.bold or row.shaded)
    if row.spanning:
        row.cells = [[ln.text for ln in group]] + [[] for _ in range(ncols - 1)]
    else:
        row.merged = merged_spans(group, layout, bounds, ruled)
        row.cells = lines_to_cells(group, bounds, row.merged)
        if centring is not None:
            widened = centred_spans(group, bounds, centring, row.cells, row.merged)
            if widened != row.merged:
                row.merged = widened
                row.cells = lines_to_cells(group, bounds, row.merged)
    return row


def _is_spanning(group: list[Line], layout: PageLayout, bounds: list[float], ruled: bool, size: float,
                 styled: bool) -> bool:
    """Whether a row is one cell across the table: no inner rules (ruled), or text running across columns.

    Borderless text runs across when a word straddles a boundary, when the step into the next column is no
    wider than an ordinary word space, or, for a bold or shaded row, no wider than the line's own word spaces.
    """
    inner = bounds[1:-1]
    if ruled:
        mid = (min(ln.top for ln in group) + max(ln.bottom for ln in group)) / 2
        for x in inner:
            if any(abs(r.position - x) <= SNAP_TOLERANCE and r.start - 1 <= mid <= r.end + 1 for r in layout.vrules()):
                return False
        return True
    for ln in group:  # text running across from the first column; further right it is a merged cell
        if any(w.x0 < inner[0] - 1 and w.x1 > inner[0] + 1 for w in ln.words):
            return True
        pairs = [(a, b, column_of(a.xmid, bounds), column_of(b.xmid, bounds))
                 for a, b in zip(ln.words, ln.words[1:], strict=False)]
        spaces = [b.x0 - a.x1 for a, b, ja, jb in pairs if ja == jb]
        own_space = 1.5 * statistics.median(spaces) if spaces else 0.0
        for a, b, ja, jb in pairs:
            if ja != 0 or jb is None or jb <= ja:
                continue
            step = b.x0 - a.x1
            if gutter_step(ln, a, b, bounds, jb):
                continue
            if step < WORD_SPACE_EM * size or (styled and step <= own_space):
                return True
    return False
