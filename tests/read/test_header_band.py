"""A ruled header's wrapped line that OCR judged in another weight still belongs to the header."""

from __future__ import annotations

from pipeline.profile import load_profile
from pipeline.read.layout import Line, PageLayout, Rule, Word
from pipeline.read.locate import layouts_to_grids

PROFILE = load_profile()


def _line(cells: list[tuple[float, str]], top: float, bold: bool, confidence: float | None) -> Line:
    words = []
    for x, text in cells:
        for piece in text.split():
            width = 5.0 * len(piece)
            words.append(Word(piece, x, x + width, top, top + 10, bold, 10.0, confidence))
            x += width + 3
    return Line(words)


def _page(confidence: float | None) -> PageLayout:
    """A ruled table whose header wraps "(EUC)" onto a second line, read as not bold, then one row."""
    header = [(40, "Support Activity"), (210, "End User Customer"), (300, "When EUC Buys from Reseller"),
              (555, "When EUC Buys Direct")]
    lines = [_line(header, 45, True, confidence), _line([(210, "(EUC)")], 57.5, False, confidence),
             _line([(40, "Order SmartView"), (210, "Self-service"), (300, "Reseller orders."),
                    (555, "EUC orders.")], 76, False, confidence)]
    rules = [Rule("h", y, 36, 806) for y in (40, 70.4, 92)]
    rules += [Rule("v", x, 40, 92) for x in (36, 205.5, 297.8, 552, 806)]
    return PageLayout(1, 842, 595, lines, rules)


def test_a_wrapped_header_line_ocr_read_in_another_weight_stays_in_a_ruled_header() -> None:
    grid = layouts_to_grids([_page(92.0)], PROFILE, [set()])[0]
    assert grid.header is not None and grid.header.texts[1] == "End User Customer (EUC)"
    assert [row.cells[1] for row in grid.rows] == [["Self-service"]]


def test_a_text_layer_header_still_ends_at_a_change_of_weight() -> None:
    grid = layouts_to_grids([_page(None)], PROFILE, [set()])[0]
    assert grid.header is not None and grid.header.texts[1] == "End User Customer"
