"""A scanned page's rules and words → the row rules a black-and-white scan lost put back where the text shows them.

A hairline thresholded to one bit can vanish without a trace, depending on where it falls between pixel rows: a
ruled table then shows some of its row rules and not others. Between two rules that were found, text standing in
blocks apart by much more than the space a row's text keeps from its rules on both sides is two rows: a rule is put
back between them, as wide as the two rules around it. Vertical rules ending together where no rule was found (the
edges of a row merged across columns) show a rule lost there too.

Beside it, a merged cell (a phase column) may show where the lost rule ran on: the cell there, between the vertical
rules next to the restored one, holds a block of text that fits neither its found rules' frame nor anything but a
cell beginning at the restored rule (its text at that cell's top, or centred in it). The restored rule then crosses
that cell too.
"""

from __future__ import annotations

import statistics

from pipeline.read.layout import Rule, Word

#: Row rules are at least this long (points); shorter ones (a cell's underline) are not looked between.
MIN_ROW_RULE = 36.0
#: Two rules frame the same rows when they overlap by this share of the shorter one.
SAME_ROWS = 0.8
#: A block of text keeps this much space (points, at least) from the rule above or below it; fewer measured
#: spaces than this tell nothing.
MIN_PADDINGS = 6
#: Whitespace across all the rows' columns at least this many times the usual space between text and rule (on
#: one side) is a row boundary: the space below one row's text and above the next one's.
ROW_GAP_PADDINGS = 1.5
#: A vertical rule this close (points) to a restored rule's end bounds the cell beside it; rules' ends this close
#: meet.
END_TOLERANCE = 2.0
#: At least this many vertical rules ending at one height show a row rule there (one may end at a speck or a gap).
MIN_ENDS = 2
#: A rule crosses a merged cell when it covers this share of the cell's width.
CROSS_SHARE = 0.6
#: Text fits a cell when it stands this share of the usual text-to-rule space (at least FIT_POINTS) from where a cell's
#: text stands: top-aligned, one space below the rule; centred, midway between its rules.
FIT_PADDINGS = 0.5
FIT_POINTS = 1.5


def restore_lost_rules(rules: list[Rule], words: list[Word]) -> list[Rule]:
    """A page's rules and words (points) → the rules with row rules lost between found ones put back."""
    rows = sorted((r for r in rules if r.orientation == "h" and r.end - r.start >= MIN_ROW_RULE),
                  key=lambda r: r.position)
    frames: list[tuple[Rule, Rule, list[tuple[float, float]]]] = []
    for i, above in enumerate(rows):
        below = next((b for b in rows[i + 1:] if _overlap(above, b) >= SAME_ROWS * min(_length(above), _length(b))),
                     None)
        if below is None:
            continue
        lo, hi = max(above.start, below.start), min(above.end, below.end)
        inside = [w for w in words if lo <= w.xmid <= hi and above.position < w.ymid < below.position]
        frames.append((above, below, _blocks(inside)))
    paddings = [p for above, below, blocks in frames if blocks
                for p in (blocks[0][0] - above.position, below.position - blocks[-1][1])]
    if len(paddings) < MIN_PADDINGS:
        return rules + _at_vertical_ends(rules, [])
    pad = statistics.median(paddings)
    restored: list[Rule] = []
    for above, below, blocks in frames:
        lo, hi = max(above.start, below.start), min(above.end, below.end)
        for (_, end), (start, _) in zip(blocks, blocks[1:], strict=False):
            if start - end >= ROW_GAP_PADDINGS * pad:
                restored.append(Rule("h", (end + start) / 2, lo, hi))
    restored += _at_vertical_ends(rules, restored)
    return rules + _across_merged_cells(restored, rules, words, pad)


def _at_vertical_ends(rules: list[Rule], restored: list[Rule]) -> list[Rule]:
    """Rules and the row rules put back → the row rules where vertical rules end together (a row merged across
    columns begins or ends there) with none found across them: each across the cells on either side of those ends."""
    verticals = [r for r in rules if r.orientation == "v"]
    ends = sorted({round(y, 1) for v in verticals for y in (v.start, v.end)})
    horizontal = [r for r in rules + restored if r.orientation == "h"]
    added: list[Rule] = []
    for y in ends:
        ending = sorted(v.position for v in verticals if min(abs(v.start - y), abs(v.end - y)) <= END_TOLERANCE)
        if len(ending) < MIN_ENDS:
            continue
        through = [v.position for v in verticals if v.start + END_TOLERANCE < y < v.end - END_TOLERANCE]
        left = max((x for x in through if x < ending[0]), default=ending[0])
        right = min((x for x in through if x > ending[-1]), default=ending[-1])
        near = [h for h in horizontal + added if abs(h.position - y) <= END_TOLERANCE
                and h.start <= left + END_TOLERANCE and h.end >= right - END_TOLERANCE]
        if near or any(abs(a.position - y) <= END_TOLERANCE for a in added):
            continue
        added.append(Rule("h", y, left, right))
    return added


def _across_merged_cells(restored: list[Rule], rules: list[Rule], words: list[Word], pad: float) -> list[Rule]:
    """Restored rules → each widened over a merged cell beside it whose text shows the cell begins at that rule."""
    verticals = [r for r in rules if r.orientation == "v"]
    across = [r for r in rules if r.orientation == "h"]
    fit = max(FIT_POINTS, FIT_PADDINGS * pad)
    widened = {id(r): r for r in restored}
    for side in ("left", "right"):
        by_cell: dict[tuple[float, float, float, float], list[tuple[float, Rule]]] = {}
        for rule in restored:
            cell = _cell_beside(rule, side, verticals, across)
            if cell is None:
                continue
            x0, x1, above, below = cell
            blocks = _blocks([w for w in words if x0 <= w.xmid <= x1 and above < w.ymid < below],
                             ROW_GAP_PADDINGS * pad)
            later = [b for b in blocks if b[0] > rule.position]
            if not later or any(top < rule.position < bottom for top, bottom in blocks):
                continue
            if later[0] == blocks[0] and _misfit(blocks[0], above, below, pad) <= fit:
                continue  # the found rules' cell explains its text
            error = _misfit(later[0], rule.position, below, pad)
            if error <= fit:
                by_cell.setdefault(cell, []).append((error, rule))
        for (x0, x1, _, _), candidates in by_cell.items():
            _, best = min(candidates, key=lambda c: c[0])
            old = widened[id(best)]
            widened[id(best)] = Rule("h", old.position, min(old.start, x0), max(old.end, x1))
    return list(widened.values())


def _cell_beside(rule: Rule, side: str, verticals: list[Rule], across: list[Rule]
                 ) -> tuple[float, float, float, float] | None:
    """A restored rule → the cell beside its `side` end (x0, x1, the found rules above and below it), if vertical
    rules bound it there."""
    y, end = rule.position, rule.start if side == "left" else rule.end
    through = sorted(v.position for v in verticals if v.start - 1 <= y <= v.end + 1)
    if not any(abs(x - end) <= END_TOLERANCE for x in through):
        return None
    beyond = [x for x in through if (x < end - END_TOLERANCE if side == "left" else x > end + END_TOLERANCE)]
    if not beyond:
        return None
    x0, x1 = (max(beyond), end) if side == "left" else (end, min(beyond))
    crossing = [h.position for h in across if min(h.end, x1) - max(h.start, x0) >= CROSS_SHARE * (x1 - x0)]
    above = max((p for p in crossing if p < y), default=None)
    below = min((p for p in crossing if p > y), default=None)
    if above is None or below is None:
        return None
    return x0, x1, above, below


def _misfit(block: tuple[float, float], top: float, bottom: float, pad: float) -> float:
    """How far (points) a block of text stands from where a cell between `top` and `bottom` puts its text: one
    text-to-rule space below its top, or centred."""
    return min(abs(block[0] - (top + pad)), abs((block[0] + block[1]) / 2 - (top + bottom) / 2))


def _blocks(words: list[Word], join: float = 0.0) -> list[tuple[float, float]]:
    """Words → the vertical extents (top, bottom) of their blocks: runs of text lines whose boxes touch or overlap
    (or stand less than `join` points apart)."""
    blocks: list[list[float]] = []
    for w in sorted(words, key=lambda w: w.top):
        if blocks and w.top <= blocks[-1][1] + join:
            blocks[-1][1] = max(blocks[-1][1], w.bottom)
        else:
            blocks.append([w.top, w.bottom])
    return [(top, bottom) for top, bottom in blocks]


def _overlap(a: Rule, b: Rule) -> float:
    return min(a.end, b.end) - max(a.start, b.start)


def _length(rule: Rule) -> float:
    return rule.end - rule.start
