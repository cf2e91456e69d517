"""A page of a table whose row rules a scan lost (or shows one, its ends measured roughly) keeps the table's edges from
the page before: a merged cell centred across columns is still recognised there."""

from __future__ import annotations

import pytest

from pipeline.profile import load_profile
from pipeline.read.layout import Line, PageLayout, Rule, Word
from pipeline.read.locate import layouts_to_grids

PROFILE = load_profile()
EDGES = (36.0, 756.0)


def _line(cells: list[tuple[float, str]], top: float, bold: bool = False) -> Line:
    """Cells (x, text) → one line of words 5 pt a letter, 3 pt apart, as OCR gives them (confidence 96)."""
    words = []
    for x, text in cells:
        for piece in text.split():
            width = 5.0 * len(piece)
            words.append(Word(piece, x, x + width, top, top + 9, bold, 9.0, 96.0))
            x += width + 3
    return Line(words)


def _page(number: int, rows: list[list[tuple[float, str]]], ruled: bool, rough: bool = False) -> PageLayout:
    """A borderless table's page: its header, then one line per row 30 pt apart; with or without row rules, or with
    only the rule under the header, its ends 6 and 4 pt off (a dashed hairline's ends are found only roughly)."""
    header = _line([(41, "Support Activity"), (236, "End User Customer"), (343, "When EUC Buys from Reseller"),
                    (552, "When EUC Buys Direct")], 60, bold=True)
    lines = [header] + [_line(cells, 100 + 30 * i) for i, cells in enumerate(rows)]
    rules = [Rule("h", y, *EDGES) for y in (55, 75, 95, 125, 155)] if ruled else []
    if rough:
        rules = [Rule("h", 75, EDGES[0] - 6, EDGES[1] - 4)]
    return PageLayout(number, 792, 612, lines, rules)


@pytest.mark.parametrize("rough", [False, True])
def test_a_merged_cell_is_centred_within_the_edges_the_table_had_on_the_page_before(rough: bool) -> None:
    owners = [(41, "Order SmartView"), (236, "Self-service"), (343, "Reseller orders."), (552, "EUC orders.")]
    first = _page(1, [owners], ruled=True)
    not_applicable = 493.5 - (5 * len("Not applicable") - 2) / 2  # centred on self-service and both owner columns
    second = _page(2, [[(41, "Legacy billing disputes"), (not_applicable, "Not applicable")]], ruled=False,
                   rough=rough)
    grids = layouts_to_grids([first, second], PROFILE, [set(), set()])
    assert [g.edges for g in grids] == [EDGES, EDGES]
    row = grids[1].rows[0]
    assert row.merged == [(1, 4)]
    assert row.cells == [["Legacy billing disputes"]] + [["Not applicable"]] * 3
