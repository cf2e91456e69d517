"""Tables set tight or with indented lists: columns a narrow step apart, rows a little further apart than wraps."""

from __future__ import annotations

from pipeline.profile import load_profile
from pipeline.read.layout import Line, PageLayout, Word
from pipeline.read.locate import find_header
from pipeline.read.merged import centred_spans, merged_spans
from pipeline.read.rows import lines_to_rows

BOUNDS = [35.5, 186.7, 262.3, 418.9, 592.0]


def _w(text: str, x0: float, top: float, size: float = 8.0) -> Word:
    return Word(text, x0, x0 + 4.0 * len(text), top, top + size, False, size)


def _run(text: str, x1: float, top: float, char: float = 3.889, space: float = 2.2) -> list[Word]:
    """A run of words set with ordinary word spaces, ending at x1."""
    words, x = [], x1 - char * len(text.replace(" ", "")) - space * text.count(" ")
    for piece in text.split():
        words.append(Word(piece, x, x + char * len(piece), top, top + 8.0, False, 8.0))
        x += char * len(piece) + space
    return words


def test_a_word_starting_where_its_column_starts_begins_that_cell_however_narrow_the_step() -> None:
    # "... Manager." ends 3.9 pt (less than a word space) before "Account" starts the direct column's text
    line = Line([_w("Submit", 37.5, 100), *_run("Partner contacts Partner Account Manager.", 417.0, 100),
                 *_run("Account Executive", 420.9 + 3.889 * 16 + 2.2, 100)])
    page = PageLayout(1, 792, 612, [line], [])
    assert line.words[6].text == "Account" and abs(line.words[6].x0 - 420.9) < 0.01
    assert merged_spans([line], page, BOUNDS, ruled=False) == []
    # one running text whose word happens to start there after an ordinary word space: a merged cell
    running = Line(_run("Partner contacts Partner Account Manager owns", 420.9 + 3.889 * 4, 100))
    assert abs(running.words[-1].x0 - 420.9) < 0.01
    assert merged_spans([running], page, BOUNDS, ruled=False) == [(2, 4)]


def test_an_indented_list_is_left_aligned_not_centred_across_an_empty_neighbour() -> None:
    # the list's centre happens to fall on the middle of the self-service and reseller columns together
    group = [Line([_w("Request", 37.5, 100), _w("•", 272.1, 100), _w("Partner", 277.8, 100), _w("AM", 309.3, 100)]),
             Line([_w("•", 272.1, 110), _w("Partner", 277.8, 110), _w("NOC-desk", 309.3, 110)])]
    cells = [["Request"], [], ["• Partner AM", "• Partner NOC-desk"], []]
    assert centred_spans(group, BOUNDS, (36.0, 576.0), cells, []) == []


def test_rows_set_tight_split_where_the_gap_is_wider_than_a_wrap_and_a_new_activity_starts() -> None:
    lines, top = [], 100.0
    for i in range(6):  # each row: an activity and an owner cell wrapped over two lines 1.5 pt apart; rows 3.5 apart
        lines.append(Line([_w(f"Activity{i}", 37.5, top), _w("Owner", 264.3, top)]))
        lines.append(Line([_w("wrapped", 264.3, top + 9.5)]))
        top += 9.5 + 8.0 + 3.5
    page = PageLayout(1, 792, 612, lines, [])
    rows = lines_to_rows(lines, [], page, BOUNDS, ruled=False)
    assert [r.cells[0] for r in rows] == [[f"Activity{i}"] for i in range(6)]
    assert all(r.cells[2] == ["Owner", "wrapped"] for r in rows)


def _header_page(second: list[tuple[float, str]], gap: float) -> PageLayout:
    """A borderless page: a bold header line, a bold second line `gap` pt under it, then rows whose owner cells wrap
    with 1.5 pt between lines (the page's wrapped lines)."""
    def line(cells: list[tuple[float, str]], top: float, bold: bool) -> Line:
        words = []
        for x, text in cells:
            for piece in text.split():
                words.append(Word(piece, x, x + 4.0 * len(piece), top, top + 8.0, bold, 8.0))
                x += 4.0 * len(piece) + 2.2
        return Line(words)

    lines = [line([(37.5, "Support"), (188.7, "Self-service"), (264.3, "Reseller"), (420.9, "Direct")], 100, True),
             line(second, 108 + gap, True)]
    top = 108 + gap + 8 + 3.5
    for i in range(4):
        lines += [line([(37.5, f"Task{i}"), (264.3, "Partner leads."), (420.9, "TAM leads.")], top, False),
                  line([(264.3, "NOC helps."), (420.9, "GSD helps.")], top + 9.5, False)]
        top += 9.5 + 8 + 3.5
    return PageLayout(1, 792, 612, lines, [])


def test_a_bold_phase_heading_set_apart_under_a_tight_header_is_not_header_text() -> None:
    page = _header_page([(37.5, "Onboarding")], 3.5)
    page.lines[0].words[0] = Word("Activity", 37.5, 69.5, 100, 108, True, 8.0)
    found = find_header(page, load_profile(), set())
    assert found is not None and found[0].texts[0] == "Activity"


def test_a_header_cell_in_two_paragraphs_set_apart_stays_one_header() -> None:
    found = find_header(_header_page([(37.5, "Activity")], 3.5), load_profile(), set())
    assert found is not None and found[0].texts[0] == "Support Activity"
