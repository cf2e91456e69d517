"""Header lines in two tiers → the group headings standing over several columns ("Who owns it" over "Reseller" and
"Direct"), and lines without them."""

from __future__ import annotations

import math

from pipeline.read.layout import Line


def without(line: Line, extents: list[tuple[float, float]]) -> Line:
    """A line → the line without its words whose centre falls in one of the x-extents."""
    if not extents:
        return line
    return Line([w for w in line.words if not any(a <= w.xmid <= b for a, b in extents)])


def group_headings(upper: list[list[float]], lower: list[list[float]],
                   apart: bool = False) -> list[tuple[float, float, float, float]]:
    """The x-extents of a header's upper-tier cells and of its lower tier's → the group headings: upper cells with two
    or more lower cells between their neighbours and standing over some of them (not a cell's own heading beside them,
    "Activity" left of what "Who does it" groups), as (text from, text to, columns from, columns to). Unless the tiers
    are `apart` (a rule or a gap between them), a group heading must be centred over its cells rather than start or
    stand over one of them: the first line of a wrapped header does."""
    groups = []
    for j, (a, b) in enumerate(upper):
        left = upper[j - 1][1] if j else -math.inf
        right = upper[j + 1][0] if j + 1 < len(upper) else math.inf
        under = [cell for cell in lower if left < (cell[0] + cell[1]) / 2 < right]
        over_one = any(abs(x0 - a) <= 2 or x0 <= (a + b) / 2 <= x1 for x0, x1 in lower)
        beside = not under or b < under[0][0] or a > under[-1][1]
        if len(under) >= 2 and not beside and (apart or not over_one):
            groups.append((a, b, under[0][0] - 4, right))
    return groups
