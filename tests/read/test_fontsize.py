"""A line's font size from OCR: from its row height, or from its fixed advance when every character is as wide as
the next (Courier), which its row height understates."""

from __future__ import annotations

from pipeline.read.fontsize import MONO_ADVANCE, SIZE_PER_ROW_HEIGHT, line_sizes
from pipeline.read.ocr import OcrWord, Symbol

DPI = 300.0
POINT = 72.0 / DPI


def _line(text: str, line: int, advances: list[int], row_height: float = 27.0) -> OcrWord:
    """One word whose characters step by the given advances (pixels), cycled."""
    symbols, x = [], 100
    for i, c in enumerate(text):
        width = advances[i % len(advances)]
        symbols.append(Symbol(c, x + 2, 0, x + width - 2, 30, 95.0))
        x += width
    return OcrWord(text, 100, 0, x, 30, 95.0, line, 30.0 + 60 * line, row_height, tuple(symbols))


def test_a_line_set_at_a_fixed_advance_takes_its_size_from_the_advance() -> None:
    mono = _line("administers", 0, [20])  # 8 pt Courier at 300 dpi: 0.6 em is 20 pixels
    sizes = line_sizes([mono], DPI)
    assert sizes[0] == round(20 * POINT / MONO_ADVANCE, 1) == 8.0  # its row height alone says 7.1


def test_a_proportional_line_keeps_the_size_its_row_height_gives() -> None:
    proportional = _line("administers", 0, [18, 9, 26, 14, 21], row_height=38.0)  # 'i' narrow, 'm' wide
    assert line_sizes([proportional], DPI)[0] == round(38.0 * POINT * SIZE_PER_ROW_HEIGHT, 1)


def test_short_lines_on_a_monospaced_page_are_scaled_as_its_monospaced_lines() -> None:
    lines = [_line("permissions", k, [20]) for k in range(3)] + [_line("AE", 3, [20])]  # too short to judge
    sizes = line_sizes(lines, DPI)
    assert sizes[3] == sizes[0] == 8.0


def test_a_monospaced_title_does_not_rescale_a_proportional_page() -> None:
    body = [_line("administers", k, [18, 9, 26, 14, 21], row_height=38.0) for k in range(3)]
    title = _line("Confidential", 3, [20])
    short = _line("AE", 4, [20], row_height=38.0)
    sizes = line_sizes([*body, title, short], DPI)
    assert sizes[4] == sizes[0] == round(38.0 * POINT * SIZE_PER_ROW_HEIGHT, 1)
    assert sizes[3] == 8.0
