"""Running footers read by OCR are recognised though OCR misreads or drops their page number; on a text layer a
footer is recognised as before: by a page number, or by repeating on other pages (digits aside)."""

from __future__ import annotations

from pipeline.profile import load_profile
from pipeline.read.layout import Line, PageLayout, Word
from pipeline.read.running import running_lines

PROFILE = load_profile()
FOOTER = "Equinix Confidential - Job Aid 10Feb20"


def _line(text: str, top: float, confidence: float | None, x: float = 36.0) -> Line:
    """Text → one line of words 5 pt a letter, 3 pt apart, with the given OCR confidence (None: a text layer)."""
    words = []
    for piece in text.split():
        words.append(Word(piece, x, x + 5.0 * len(piece), top, top + 8, False, 8.0, confidence))
        x += 5.0 * len(piece) + 3
    return Line(words)


def _page(number: int, footer: str, confidence: float | None) -> PageLayout:
    body = [_line(f"Body text of page {number}", 150, confidence), _line("More body text", 400, confidence)]
    return PageLayout(number, 595, 842, [*body, _line(footer, 812, confidence)])


def test_an_ocr_footer_that_lost_its_page_number_repeats_the_footer_of_the_other_page() -> None:
    pages = [_page(1, f"{FOOTER} Page 1", 90.0), _page(2, FOOTER, 90.0)]
    assert running_lines(pages, PROFILE) == [{2}, {2}]


def test_a_page_number_misread_as_a_bar_is_still_a_page_number_on_a_lone_ocr_page() -> None:
    assert running_lines([_page(1, f"{FOOTER} Page |", 90.0)], PROFILE) == [{2}]
    assert running_lines([_page(1, f"{FOOTER} Page l", 90.0)], PROFILE) == [{2}]


def test_text_layer_footers_are_recognised_as_before() -> None:
    pages = [_page(1, f"{FOOTER} Page 1", None), _page(2, FOOTER, None)]
    assert running_lines(pages, PROFILE) == [{2}, set()]  # only the page number shows the first a footer
    assert running_lines([_page(1, f"{FOOTER} Page |", None)], PROFILE) == [set()]
    pages = [_page(1, f"{FOOTER} Page 1", None), _page(2, f"{FOOTER} Page 2", None)]
    assert running_lines(pages, PROFILE) == [{2}, {2}]


def test_an_ocr_line_alike_to_another_pages_footer_but_not_at_its_height_is_not_a_footer() -> None:
    second = _page(2, FOOTER, 90.0)
    second.lines[-1] = _line(FOOTER, 770, 90.0)
    assert running_lines([_page(1, f"{FOOTER} Page 1", 90.0), second], PROFILE) == [{2}, set()]
