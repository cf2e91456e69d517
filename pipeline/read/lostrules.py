"""A scanned page's rules and words → the row rules a black-and-white scan lost put back where the text shows them.

A hairline thresholded to one bit can vanish without a trace, depending on where it falls between pixel rows: a
ruled table then shows some of its row rules and not others. Between two rules that were found, text standing in
blocks apart by much more than the space a row's text keeps from its rules on both sides is two rows: a rule is put
back between them, as wide as the two rules around it.
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
        return rules
    pad = statistics.median(paddings)
    restored: list[Rule] = []
    for above, below, blocks in frames:
        lo, hi = max(above.start, below.start), min(above.end, below.end)
        for (_, end), (start, _) in zip(blocks, blocks[1:], strict=False):
            if start - end >= ROW_GAP_PADDINGS * pad:
                restored.append(Rule("h", (end + start) / 2, lo, hi))
    return rules + restored


def _blocks(words: list[Word]) -> list[tuple[float, float]]:
    """Words → the vertical extents (top, bottom) of their blocks: runs of text lines whose boxes touch or overlap."""
    blocks: list[list[float]] = []
    for w in sorted(words, key=lambda w: w.top):
        if blocks and w.top <= blocks[-1][1]:
            blocks[-1][1] = max(blocks[-1][1], w.bottom)
        else:
            blocks.append([w.top, w.bottom])
    return [(top, bottom) for top, bottom in blocks]


def _overlap(a: Rule, b: Rule) -> float:
    return min(a.end, b.end) - max(a.start, b.start)


def _length(rule: Rule) -> float:
    return rule.end - rule.start
