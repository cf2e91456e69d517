"""Columns on scans: a column whose OCR lines tangle is read again alone; a phase block centred in its rows begins
where they begin; a merged cell is centred within the page's margins when no rule shows the table's edges; the steps a
slanted hairline leaves beside its line are erased with it."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PIL import Image

from pipeline.read import strips
from pipeline.read.layout import Line, PageLayout, Rule, Word
from pipeline.read.ocr import OcrWord, Symbol
from pipeline.read.phasecol import phase_cells
from pipeline.read.raster import find_rules, rule_steps
from pipeline.read.rows import lines_to_rows

DPI = 300.0


def _ocr(text: str, x0: int, top: int, line: int, height: int = 30) -> OcrWord:
    """An OCR word in pixels, its characters side by side in its box."""
    width = 20 * len(text)
    symbols = tuple(Symbol(c, x0 + 20 * i, top, x0 + 20 * (i + 1), top + height, 95.0) for i, c in enumerate(text))
    return OcrWord(text, x0, top, x0 + width, top + height, 95.0, line, top + height - 6.0, 38.0, symbols)


def test_two_ocr_lines_standing_at_one_height_in_a_column_are_tangled() -> None:
    stacked = [_ocr("Cage", 170, 1000, 11), _ocr("and", 170, 1040, 12)]
    assert not strips.tangled(stacked)
    # "and Logistics" split between the found lines beside it: its halves stand at one height
    assert strips.tangled([*stacked, _ocr("d", 210, 1036, 12, 29), _ocr("ANG", 170, 1046, 13, 20)])
    # a speck on the next line, or a word of the same line, is not a second line there
    assert not strips.tangled([*stacked, _ocr(".", 300, 1040, 13, 5), _ocr("Logistics", 260, 1040, 12)])


def test_column_strips_lie_between_each_vertical_rule_and_the_next_running_beside_it() -> None:
    rules = [Rule("v", x, 176.0, 524.0) for x in (36.0, 128.5, 313.0)]
    rules += [Rule("v", 220.0, 176.0, 200.0), Rule("h", 176.0, 36.0, 313.0)]  # a short rule in a header cell
    px = DPI / 72.0
    assert strips.column_strips(rules, px) == [(150, 733, 535, 2183), (535, 733, 1304, 2183)]


def test_a_tangled_column_is_read_again_from_its_strip_and_its_words_replace_the_pages(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rules = [Rule("v", x, 72.0, 144.0) for x in (72.0, 144.0, 216.0)]  # two strips: 300-600 and 600-900 px
    page = [_ocr("Cage", 320, 400, 3), _ocr("d", 360, 436, 4, 29), _ocr("ANG", 320, 446, 5, 20),
            _ocr("Move", 620, 436, 4), _ocr("Smart", 620, 476, 5)]
    seen: list[tuple[int, int]] = []

    def read(image: Image.Image, dpi: float) -> list[OcrWord]:
        seen.append(image.size)
        return [_ocr("Cage", 20 + 18, 20 + 98, 0), _ocr("and", 20 + 18, 20 + 136, 1)]

    monkeypatch.setattr(strips, "image_to_words", read)
    words = strips.reread_tangled_columns(Image.new("L", (1000, 800), 255), DPI, page, rules)
    assert seen == [(300 - 2 * strips.INSET + 2 * strips.BORDER, 300 - 2 * strips.INSET + 2 * strips.BORDER)]
    again = [w for w in words if w.line > 5]
    assert [(w.text, w.x0, w.top, w.line) for w in again] == [("Cage", 320, 400, 6), ("and", 320, 438, 7)]
    assert again[1].symbols[0].x0 == 320 and again[1].baseline == 438 + 30 - 6.0
    assert [w.text for w in words if w.line <= 5] == ["Move", "Smart"]  # the column beside is not tangled


def _line(text: str, x0: float, x1: float, top: float) -> Line:
    return Line([Word(text, x0, x1, top, top + 9.6, False, 9.6, 95.0)])


#: Rows (top, bottom) of a page without row rules: one-, two- and three-line rows 10 pt apart.
ROWS = [(207.0, 237.0), (247.0, 267.0), (277.0, 297.0), (307.0, 347.0), (357.0, 387.0), (397.0, 427.0),
        (437.0, 457.0)]
BOUNDS = [39.0, 109.0, 233.0, 299.0, 439.0, 592.0]


def _cells(lines: list[Line], rows: list[tuple[float, float]]) -> list[tuple[float, list[str]]]:
    layout = PageLayout(1, 612.0, 792.0, lines)
    return [(round(c.top, 1), c.lines) for c in phase_cells(lines, layout, BOUNDS, 0, 190.0, False, rows)]


def test_a_phase_block_centred_in_its_rows_begins_where_its_first_row_begins() -> None:
    """"Quoting & Ordering" centred on the first five rows (202-392), the next phase at the top of its rows."""
    middle = (202.0 + 392.0) / 2
    lines = [_line("Quoting &", 41.0, 90.0, middle - 10.3), _line("Ordering", 41.0, 85.0, middle + 0.7),
             _line("Equinix", 41.0, 80.0, 397.0), _line("Support", 41.0, 80.0, 408.0)]
    assert _cells(lines, ROWS) == [(-math.inf, []), (202.0, ["Quoting &", "Ordering"]),
                                   (394.5, ["Equinix", "Support"])]
    # the last block on the page, centred on the rows from the second to the table's end
    lines = [_line("Equinix", 41.0, 80.0, (242.0 + 462.0) / 2 - 10.3), _line("Support", 41.0, 80.0, 352.7)]
    assert _cells(lines, ROWS) == [(-math.inf, []), (242.0, ["Equinix", "Support"])]
    # text at the top of its rows begins there, and text centred on no run of rows at its own top
    assert _cells([_line("Equinix", 41.0, 80.0, 307.0)], ROWS) == [(-math.inf, []), (304.5, ["Equinix"])]
    assert _cells([_line("Equinix", 41.0, 80.0, 412.0)], ROWS) == [(-math.inf, []), (409.5, ["Equinix"])]


def test_without_table_edges_a_merged_cell_is_centred_within_margins_as_wide_as_the_left_one() -> None:
    """"Not applicable" centred over self-service and both owners of a table 30.8-581.2 pt wide on a 612 pt page,
    its text 10.2 pt inside its columns' edges; no rule on the page shows where the table ends."""
    bounds = [39.0, 109.0, 233.4, 298.7, 439.1, 592.0]  # 2 pt left of each column's text; the last one the page's
    centre = (233.4 + 2.0 - 10.2 + 581.2) / 2
    lines = [Line([Word("Order", 111.0, 140.0, 594.0, 603.6, False, 9.6), Word("PTP", 143.0, 160.0, 594.0, 603.6,
                                                                              False, 9.6),
                   Word("Not", centre - 30.0, centre - 12.0, 594.0, 603.6, False, 9.6),
                   Word("applicable", centre - 9.5, centre + 30.0, 594.0, 603.6, False, 9.6)])]
    layout = PageLayout(1, 612.0, 792.0, lines)
    [row] = lines_to_rows(lines, [], layout, bounds, ruled=False, edges=None)
    assert row.merged == [(2, 5)]
    assert row.cells == [[], ["Order PTP"], ["Not applicable"], ["Not applicable"], ["Not applicable"]]


def test_steps_of_a_slanted_hairline_left_beside_its_line_are_erased_with_it_and_letters_are_not() -> None:
    px = DPI / 72.0
    ink = np.zeros((400, 1600), dtype=bool)
    y = 200
    ink[y:y + 2, 100:1400] = True  # the rule found
    ink[y - 3, 300:340] = True  # a step a pixel row off its line
    ink[y - 2:y, 1400:1410] = True  # its end, past where the rule was measured to end
    ink[y - 30:y - 2, 600:606] = True  # a letter's stem reaching down to the rule
    ink[y + 4:y + 6, 800:812] = True  # a thin stroke joined to the letter below it
    ink[y + 6:y + 30, 806:812] = True
    rules, lines = find_rules(ink, DPI)
    assert [(r.orientation, round(r.position * px)) for r in rules] == [("h", y + 1)]
    steps = rule_steps(ink, lines, rules, DPI)
    assert steps[y - 3, 300:340].all() and steps[y - 2:y, 1400:1410].all()
    assert not steps[:, 590:620].any() and not steps[:, 790:820].any()
    assert steps.sum() == 40 + 2 * 10
