"""Page objects → layout: doubled glyphs (fake bold) and ligatures do not leak into the text; a borderless
table's column boundaries follow its left-aligned cells, not text centred across them."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from fpdf import FPDF

from pipeline.read.layout import LIGATURES, Line, Word, page_to_layout
from pipeline.read.locate import refine_borderless_bounds


def test_text_printed_twice_reads_once(tmp_path: Path) -> None:
    pdf = FPDF(unit="pt", format="Letter")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for dx in (0.0, 0.25):  # the second pass a quarter point to the right, as fake bold does
        pdf.text(72 + dx, 100, "Quoting & Ordering")
    pdf.text(72, 130, "Customer requests a quote")
    path = tmp_path / "doubled.pdf"
    pdf.output(str(path))
    with pdfplumber.open(path) as doc:
        layout = page_to_layout(doc.pages[0])
    assert [ln.text for ln in layout.lines] == ["Quoting & Ordering", "Customer requests a quote"]


def test_ligatures_are_spelled_out() -> None:
    assert "\ufb01le of\ufb02ine sta\ufb00".translate(LIGATURES) == "file offline staff"


def _line(top: float, *cells: tuple[float, str]) -> Line:
    """Cells (left x, text) set on one baseline in a 10 pt font: 5 pt a letter, 2.5 pt a word space."""
    words = []
    for x, text in cells:
        for part in text.split():
            words.append(Word(part, x, x + 5 * len(part), top, top + 10, False, 10.0))
            x += 5 * len(part) + 2.5
    return Line(words)


def _width(text: str) -> float:
    return sum(5 * len(part) for part in text.split()) + 2.5 * (len(text.split()) - 1)


def test_a_boundary_moves_to_where_the_cells_under_a_centred_header_start() -> None:
    header = [38.0, 240.0, 500.0]  # the second header text is centred, 40 pt right of its column's edge
    body = [_line(100, (40, "Order the kit"), (202, "Reseller orders it for the customer.")),
            _line(120, (40, "Book a slot"), (202, "Equinix books it.")),
            _line(140, (40, "Watch it"), (202, "Reseller watches."))]
    assert refine_borderless_bounds(header, body)[1] == 200.0


def test_a_boundary_moves_to_the_body_gutter_before_cells_shorter_than_a_centred_header() -> None:
    header = [38.0, 240.0, 500.0]  # the second header text is centred, 40 pt right of its column's edge
    short = [_line(100, (40, "Order the kit for the customer"), (202, "Yes")),
             _line(120, (40, "Book a slot"), (202, "No"))]
    assert all(ln.x1 < 240 for ln in short)  # no body text runs across the header's boundary
    assert refine_borderless_bounds(header, short)[1] == 200.0
    alike = [_line(100 + 20 * i, (40, "Order the kit for the customer"), (202, "Self-service tools")) for i in range(3)]
    assert refine_borderless_bounds(header, alike)[1] == 200.0  # cells alike: no two widths start together


def test_a_left_aligned_header_keeps_its_boundary_though_a_gutter_stands_before_it() -> None:
    header = [38.0, 240.0, 500.0]  # body cells start where the header text does: the header shows the column's edge
    body = [_line(100, (40, "Order the kit for the customer"), (242, "Equinix orders it.")),
            _line(120, (40, "Book a slot"), (200, "N/A"))]  # e.g. merged text, after a gutter
    assert refine_borderless_bounds(header, body)[1] == 240.0


def test_a_boundary_stays_under_text_centred_across_it() -> None:
    header = [38.0, 240.0, 500.0]  # merged cells: each text centred on x = 270, across the boundary
    texts = ["Reseller orders it for the customer.", "Equinix books it.", "Reseller watches it.", "Equinix books it."]
    body = [_line(100 + 20 * i, (40, "Activity"), (270 - _width(t) / 2, t)) for i, t in enumerate(texts)]
    assert all(ln.words[1].x0 < 240 < ln.x1 for ln in body)
    assert refine_borderless_bounds(header, body)[1] == 240.0


def test_one_row_under_a_centred_header_keeps_the_header_boundary_unless_an_earlier_page_moved_it() -> None:
    header = [38.0, 240.0, 500.0]
    body = [_line(100, (40, "Order the kit"), (202, "Reseller orders it for the customer."))]
    assert refine_borderless_bounds(header, body)[1] == 240.0  # one line: left-aligned or centred cannot be told
    assert refine_borderless_bounds(header, body, [38.0, 200.0, 500.0])[1] == 200.0
