"""A borderless table's header and body lines → column boundaries: the estimator follows left-aligned cells,
recognises text centred across columns as one merged cell, and falls back on centred header texts."""

from __future__ import annotations

from pipeline.read.boundaries import estimate_bounds, ocr_word_space, text_runs
from pipeline.read.layout import Line, PageLayout, Word


def _line(top: float, *cells: tuple[float, str], bold: bool = False) -> Line:
    """Cells (left x, text) set on one baseline in a 10 pt font: 5 pt a letter, 2.5 pt a word space."""
    words = []
    for x, text in cells:
        for part in text.split():
            words.append(Word(part, x, x + 5 * len(part), top, top + 10, bold, 10.0))
            x += 5 * len(part) + 2.5
    return Line(words)


def _width(text: str) -> float:
    return sum(5 * len(part) for part in text.split()) + 2.5 * (len(text.split()) - 1)


def _centred(text: str, left: float, right: float) -> tuple[float, str]:
    """A cell's text centred between two x positions."""
    return ((left + right - _width(text)) / 2, text)


# Three columns with edges at 36, 236, 436 and 636; text starts 3 pt inside a column (2 pt right of a boundary).
EDGES = (36.0, 236.0, 436.0, 636.0)
PAGE = PageLayout(1, 672.0, 800.0, [])  # equal margins; no rules or shading
TITLES = ("Activity", "Reseller", "Direct")


def _centred_header() -> tuple[list[float], list[Line]]:
    """A header whose texts are centred in their columns → the boundaries read from it, and its line."""
    cells = [_centred(t, EDGES[j], EDGES[j + 1]) for j, t in enumerate(TITLES)]
    line = _line(80, *cells, bold=True)
    return [cells[0][0] - 2, cells[1][0] - 2, cells[2][0] - 2, 700.0], [line]


def _left_header() -> tuple[list[float], list[Line]]:
    """A header whose texts start where the cells below them do."""
    line = _line(80, *((x + 3, t) for x, t in zip(EDGES, TITLES, strict=False)), bold=True)
    return [37.0, 237.0, 437.0, 700.0], [line]


def test_boundaries_move_to_where_left_aligned_cells_start_under_a_centred_header() -> None:
    bounds, heading = _centred_header()
    body = [_line(100, (39, "Order the kit"), (239, "Reseller orders it for the customer."), (439, "Equinix does.")),
            _line(120, (39, "Book a slot"), (239, "Equinix books it."), (439, "Equinix books it for the EUC.")),
            _line(140, (39, "Watch it"), (239, "Reseller watches."), (439, "EUC watches."))]
    assert estimate_bounds(bounds, heading, body, PAGE)[1:3] == [237.0, 437.0]


def test_cells_too_short_to_reach_a_centred_header_text_still_show_where_their_column_starts() -> None:
    bounds, heading = _centred_header()
    short = [_line(100, (39, "Order the kit for the customer"), (239, "Yes"), (439, "No")),
             _line(120, (39, "Book a slot"), (239, "No"), (439, "Yes"))]
    assert all(w.x1 < bounds[1] for ln in short for w in ln.words if w.x0 > 200 and w.x0 < 400)
    assert estimate_bounds(bounds, heading, short, PAGE)[1:3] == [237.0, 437.0]


def test_cells_all_alike_and_a_single_row_are_read_as_left_aligned() -> None:
    bounds, heading = _centred_header()
    alike = [_line(100 + 20 * i, (39, "Order the kit"), (239, "Not applicable"), (439, "Not applicable"))
             for i in range(2)]
    assert estimate_bounds(bounds, heading, alike, PAGE)[1:3] == [237.0, 437.0]
    one = [_line(100, (39, "Order the kit"), (239, "Reseller orders it."), (439, "EUC orders it."))]
    assert estimate_bounds(bounds, heading, one, PAGE)[1:3] == [237.0, 437.0]


def test_a_left_aligned_header_keeps_its_boundaries_though_merged_text_stands_before_one() -> None:
    bounds, heading = _left_header()
    merged = _centred("Reseller or EUC", EDGES[1], EDGES[3])  # starts left of the direct column, after a gutter
    body = [_line(100, (39, "Order the kit for the customer"), (239, "Equinix orders it."), (439, "EUC does.")),
            _line(120, (39, "Book a slot"), merged)]
    assert merged[0] < 437.0
    assert estimate_bounds(bounds, heading, body, PAGE)[1:3] == [237.0, 437.0]


def test_text_centred_across_two_columns_is_one_merged_cell_not_a_column_start() -> None:
    bounds, heading = _centred_header()
    texts = ["Reseller orders it for the customer.", "Equinix books it.", "Not applicable", "EUC watches it."]
    body = [_line(100 + 20 * i, (39, "Activity text"), _centred(t, EDGES[1], EDGES[3])) for i, t in enumerate(texts)]
    body.append(_line(200, (39, "Order it"), (239, "Reseller orders it."), (439, "EUC orders it.")))
    assert estimate_bounds(bounds, heading, body, PAGE)[1:3] == [237.0, 437.0]


def test_a_row_whose_only_cell_is_centred_across_columns_takes_its_boundaries_from_the_centred_header() -> None:
    bounds, heading = _centred_header()
    body = [_line(100, (39, "Order the kit"), _centred("Not applicable", EDGES[1], EDGES[3]))]
    assert estimate_bounds(bounds, heading, body, PAGE)[1:3] == [237.0, 437.0]


def test_a_centred_header_alone_places_the_boundaries_when_the_body_shows_nothing() -> None:
    bounds, heading = _centred_header()
    body = [_line(100, (39, "Order the kit"))]  # nothing in the owner columns
    assert estimate_bounds(bounds, heading, body, PAGE)[1:3] == [237.0, 437.0]


def test_a_page_without_evidence_keeps_the_boundaries_an_earlier_page_of_the_table_found() -> None:
    bounds, _ = _centred_header()
    body = [_line(100, (39, "Order the kit"))]
    known = [37.0, 237.0, 437.0, 700.0]
    assert estimate_bounds(bounds, [], body, PAGE, known)[1:3] == [237.0, 437.0]
    assert estimate_bounds(bounds, [], body, PAGE)[1:3] == bounds[1:3]  # nothing else moves them


def test_bold_heading_lines_across_the_table_are_not_evidence() -> None:
    bounds, heading = _left_header()
    body = [_line(100, (39, "Quoting and ordering everything the customer needs"), bold=True),
            _line(120, (39, "Order the kit"), (239, "Equinix orders it."), (439, "EUC does."))]
    assert estimate_bounds(bounds, heading, body, PAGE)[1:3] == [237.0, 437.0]


def _ocr_line(top: float, *cells: tuple[float, str], space: float) -> Line:
    """Cells (left x, text) read by OCR in an 8 pt typewriter face: 5 pt a letter, `space` pt between words' ink."""
    words = []
    for x, text in cells:
        for part in text.split():
            words.append(Word(part, x, x + 5 * len(part), top, top + 8, False, 8.0, 90.0))
            x += 5 * len(part) + space
    return Line(words)


def test_ocr_words_set_as_far_apart_as_the_pages_word_spaces_are_one_run() -> None:
    bounds, heading = _centred_header()
    one = [_ocr_line(100, (39, "Order the kit"), (239, "Reseller orders it for the customer."),
                     (439, "EUC orders it."), space=6.0)]
    page = PageLayout(1, 672.0, 800.0, one)
    assert ocr_word_space(page) == 6.0  # wider than a typewriter's 0.6 em (4.8 pt): its letters' ink is narrower
    assert text_runs(one[0], ocr_word_space(page)) == [(39, 106), (239, 424), (439, 511)]
    assert len(text_runs(one[0])) == 12  # measured by the font size alone, every word is a run of its own
    assert estimate_bounds(bounds, heading, one, page)[1:3] == [237.0, 437.0]
