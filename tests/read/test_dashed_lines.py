"""Lines broken into dashes (a hairline on a one-bit or faint scan) found from their first to their last ink."""

from __future__ import annotations

import numpy as np

from pipeline.read.layout import Rule
from pipeline.read.raster import find_rules

DPI = 300.0
PX = DPI / 72.0


def _x(points: float) -> int:
    return round(points * PX)


def _horizontal(rules: list[Rule]) -> list[tuple[float, float]]:
    return [(round(r.start, 1), round(r.end, 1)) for r in rules if r.orientation == "h"]


def _dashed_page(start: float, end: float, dash: float, period: float) -> np.ndarray:
    """A page with one faint dashed line at y = 100 pt from `start` to `end` (points)."""
    faint = np.zeros((_x(200), _x(620)), dtype=bool)
    x = start
    while x < end:
        faint[_x(100), _x(x):_x(min(x + dash, end))] = True
        x += period
    return faint


def test_a_faint_solid_line_ends_where_its_ink_ends() -> None:
    """The density window found a faint divider 7 pt past either end; owner columns centred between such dividers
    took their bounds from them."""
    faint = _dashed_page(36.0, 576.0, dash=540.0, period=540.0)
    ink = np.zeros_like(faint)
    (found,) = _horizontal(find_rules(ink, DPI, faint)[0])
    assert abs(found[0] - 36.0) <= 0.5 and abs(found[1] - 576.0) <= 0.5


def test_a_speck_beyond_a_line_does_not_lengthen_it() -> None:
    faint = _dashed_page(36.0, 576.0, dash=540.0, period=540.0)
    faint[_x(100), _x(586)] = True  # a speck of scanner noise 10 pt past the end, in the line's row
    (found,) = _horizontal(find_rules(np.zeros_like(faint), DPI, faint)[0])
    assert abs(found[1] - 576.0) <= 0.5


def test_a_dashed_line_starting_with_a_gap_reaches_the_rule_it_meets() -> None:
    """A word processor's dashed border may begin with a gap: its first dash stands 11 pt from the vertical rule it
    starts at; the rule's end is put on that vertical rule, not left 11 pt short."""
    faint = _dashed_page(130.0, 553.0, dash=10.0, period=23.0)
    ink = np.zeros_like(faint)
    for x in (119.0, 560.0):  # vertical rules the dashed line runs between
        ink[_x(60):_x(140), _x(x):_x(x) + 3] = True
    (found,) = _horizontal(find_rules(ink, DPI, faint)[0])
    assert abs(found[0] - 119.0) <= 0.5 and abs(found[1] - 560.0) <= 0.5


def test_a_dashed_line_stops_at_a_rule_that_crosses_it() -> None:
    """Ink in the line's row beyond a vertical rule (the next cell's text) is not part of the line."""
    faint = _dashed_page(130.0, 553.0, dash=10.0, period=23.0)
    ink = np.zeros_like(faint)
    ink[_x(60):_x(140), _x(119.0):_x(119.0) + 3] = True
    for x in (114.0, 101.0, 88.0):  # letters' bars in the row of the line, left of the rule, as far apart as dashes
        faint[_x(100), _x(x):_x(x + 1)] = True
    (found,) = _horizontal(find_rules(ink, DPI, faint)[0])
    assert abs(found[0] - 119.0) <= 0.5
