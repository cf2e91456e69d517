"""Headers read by OCR: words misread by a letter or two are read as the profile spells them (text-layer words never
are), and a ruled header's wrapped line that OCR judged in another weight still belongs to the header."""

from __future__ import annotations

import re

from pipeline.profile import load_profile
from pipeline.read.headerwords import MIN_LETTERS, nearest_word
from pipeline.read.layout import Line, PageLayout, Rule, Word
from pipeline.read.locate import find_header, layouts_to_grids

PROFILE = load_profile()


def _line(cells: list[tuple[float, str]], top: float, confidence: float | None, bold: bool = True) -> Line:
    """Cells (x, text) → one line of words about 5 pt apart, bold or not, with the given OCR confidence."""
    words = []
    for x, text in cells:
        for piece in text.split():
            width = 5.0 * len(piece)
            words.append(Word(piece, x, x + width, top, top + 10, bold, 10.0, confidence))
            x += width + 3
    return Line(words)


def _header_page(reseller_word: str, confidence: float | None) -> PageLayout:
    """A ruled page whose header reads "Support Activity | End User Customer | ... from <reseller_word> | Direct"."""
    cells = [(40, "Support Activity"), (240, "End User Customer"), (340, f"When EUC Buys from {reseller_word}"),
             (550, "When EUC Buys Direct")]
    rules = [Rule("v", x, 170, 400) for x in (35, 235, 335, 545, 757)]
    rules += [Rule("h", y, 35, 757) for y in (170, 200, 400)]
    return PageLayout(1, 792, 612, [_line(cells, 180, confidence)], rules)


def test_an_ocr_header_word_a_letter_off_maps_its_column() -> None:
    found = find_header(_header_page("Reselier", 85.0), PROFILE, set())
    assert found is not None
    assert found[0].texts == ["Support Activity", "End User Customer", "When EUC Buys from Reseller",
                              "When EUC Buys Direct"]


def test_a_text_layer_header_is_read_as_printed() -> None:
    assert find_header(_header_page("Reselier", None), PROFILE, set()) is None
    assert find_header(_header_page("Reseller", None), PROFILE, set()) is not None


def test_only_a_misreading_near_one_word_alone_is_respelled() -> None:
    vocabulary = PROFILE.header_words
    assert [nearest_word(w, vocabulary) for w in ("Reselier", "Dlrect", "Custorner", "Self-servlce")] == [
        "reseller", "direct", "customer", "self-service"]
    assert nearest_word("Reseller", vocabulary) is None  # already a vocabulary word
    assert nearest_word("directly", vocabulary) is None  # another word of the stem, not a misreading
    assert nearest_word("Channels", vocabulary) is None
    assert nearest_word("stop", vocabulary) is None  # too short to tell from "step"
    assert nearest_word("Resellerz", ("reseller", "resellers")) is None  # as near to two words: no choice made


def _page(confidence: float | None) -> PageLayout:
    """A ruled table whose header wraps "(EUC)" onto a second line, read as not bold, then one row."""
    header = [(40, "Support Activity"), (210, "End User Customer"), (300, "When EUC Buys from Reseller"),
              (555, "When EUC Buys Direct")]
    lines = [_line(header, 45, confidence), _line([(210, "(EUC)")], 57.5, confidence, bold=False),
             _line([(40, "Order SmartView"), (210, "Self-service"), (300, "Reseller orders."),
                    (555, "EUC orders.")], 76, confidence, bold=False)]
    rules = [Rule("h", y, 36, 806) for y in (40, 70.4, 92)]
    rules += [Rule("v", x, 40, 92) for x in (36, 205.5, 297.8, 552, 806)]
    return PageLayout(1, 842, 595, lines, rules)


def test_a_wrapped_header_line_ocr_read_in_another_weight_stays_in_a_ruled_header() -> None:
    grid = layouts_to_grids([_page(92.0)], PROFILE, [set()])[0]
    assert grid.header is not None and grid.header.texts[1] == "End User Customer (EUC)"
    assert [row.cells[1] for row in grid.rows] == [["Self-service"]]


def test_a_text_layer_header_keeps_a_plain_line_under_its_columns_but_ends_at_one_in_the_first() -> None:
    grid = layouts_to_grids([_page(None)], PROFILE, [set()])[0]
    assert grid.header is not None and grid.header.texts[1] == "End User Customer (EUC)"
    page = _page(None)
    page.lines[1] = _line([(40, "Note"), (210, "(EUC)")], 57.5, None, bold=False)
    grid = layouts_to_grids([page], PROFILE, [set()])[0]
    assert grid.header is not None and grid.header.texts[1] == "End User Customer"


def _pattern_words(profile_rules: list[str]) -> set[str]:
    """Column patterns → the words written in them (escapes such as \\b and \\W taken out; "tasks?" gives both)."""
    found = [m for p in profile_rules for m in re.findall(r"([a-z]+)(\??)", re.sub(r"\\[a-zA-Z]", " ", p.lower()))]
    return {w for word, optional in found for w in ((word, word[:-1]) if optional else (word,))}


def test_the_header_words_are_the_words_of_the_column_patterns() -> None:
    rules = [*PROFILE.columns, *([PROFILE.phase_column] if PROFILE.phase_column else [])]
    written = _pattern_words([p.pattern for rule in rules for p, _ in rule.patterns])
    vocabulary = PROFILE.header_words
    # every pattern word long enough to be respelled begins a header word ("activit" → "activity") ...
    missing = {w for w in written if len(w) >= MIN_LETTERS and not any(v.startswith(w) for v in vocabulary)}
    assert not missing, f"add to [header_words]: {sorted(missing)}"
    # ... and every header word is, or extends, a pattern word ("customers"), or is one half of one ("end-user")
    stray = {v for v in vocabulary if not any(v.startswith(w) or w in v.split("-") for w in written if len(w) >= 3)}
    assert not stray, f"not in any column pattern: {sorted(stray)}"


def _three_line_header(confidence: float | None) -> PageLayout:
    """A ruled table whose header's first line is not bold (OCR misjudged it on a grey fill) and whose two wrapped
    lines are, with the rule under the last; then one row."""
    header = [(40, "Support Activity"), (210, "End User"), (300, "When EUC Buys from Reseller"),
              (555, "When EUC Buys Direct")]
    lines = [_line(header, 45, confidence, bold=False), _line([(210, "Customer"), (555, "from Equinix")], 56,
                                                               confidence),
             _line([(210, "(EUC)")], 67, confidence),
             _line([(40, "Order SmartView"), (210, "Self-service"), (300, "Reseller orders."),
                    (555, "EUC orders.")], 88, confidence, bold=False)]
    rules = [Rule("h", y, 36, 806) for y in (40, 81, 104)]
    rules += [Rule("v", x, 40, 104) for x in (36, 205.5, 297.8, 552, 806)]
    return PageLayout(1, 842, 595, lines, rules)


def test_an_ocr_header_line_in_another_weight_stays_in_the_header_when_a_rule_closes_the_lines_under_it() -> None:
    grid = layouts_to_grids([_three_line_header(92.0)], PROFILE, [set()])[0]
    assert grid.header is not None
    assert grid.header.texts[1:4:2] == ["End User Customer (EUC)", "When EUC Buys Direct from Equinix"]
    assert [row.cells[1] for row in grid.rows] == [["Self-service"]]
    text_layer = layouts_to_grids([_three_line_header(None)], PROFILE, [set()])[0]  # its lines stand under the
    assert text_layer.header is not None and text_layer.header.texts[1] == "End User Customer (EUC)"  # columns


def _borderless(confidence: float | None) -> PageLayout:
    """A borderless table whose header wraps "(EUC)" under "End User Customer", read as not bold, then a row."""
    header = [(40, "Support Activity"), (240, "End User Customer"), (350, "When EUC Buys from Reseller"),
              (560, "When EUC Buys Direct")]
    lines = [_line(header, 45, confidence), _line([(250, "(EUC)")], 56.5, confidence, bold=False),
             _line([(40, "Order SmartView"), (240, "Self-service"), (350, "Reseller orders."),
                    (560, "EUC orders.")], 76, confidence, bold=False)]
    return PageLayout(1, 842, 595, lines, [])


def test_an_ocr_line_in_another_weight_wholly_under_a_header_cells_text_stays_in_the_header() -> None:
    grid = layouts_to_grids([_borderless(92.0)], PROFILE, [set()])[0]
    assert grid.header is not None and grid.header.texts[1] == "End User Customer (EUC)"
    assert [row.cells[1] for row in grid.rows] == [["Self-service"]]
    text_layer = layouts_to_grids([_borderless(None)], PROFILE, [set()])[0]
    assert text_layer.header is not None and text_layer.header.texts[1] == "End User Customer (EUC)"


def _no_rules(confidence: float | None) -> PageLayout:
    """A table with neither rules nor shading (a scan lost them), whose second row's "Not applicable" stands
    centred across self-service and both owners."""
    header = [(40, "Support Activity"), (240, "Self-service"), (340, "When EUC Buys from Reseller"),
              (560, "When EUC Buys Direct")]
    lines = [_line(header, 45, confidence),
             _line([(40, "Order SmartView"), (240, "Self-service"), (340, "Reseller orders."), (560, "EUC orders.")],
                   80, confidence, bold=False),
             _line([(40, "Legacy billing"), (462, "Not applicable")], 110, confidence, bold=False)]
    return PageLayout(1, 792, 612, lines, [])


def test_text_centred_across_columns_of_a_scan_without_rules_is_one_merged_cell() -> None:
    grid = layouts_to_grids([_no_rules(92.0)], PROFILE, [set()])[0]
    assert grid.rows[1].cells == [["Legacy billing"], ["Not applicable"], ["Not applicable"], ["Not applicable"]]
    text_layer = layouts_to_grids([_no_rules(None)], PROFILE, [set()])[0]  # the same from a text layer
    assert text_layer.rows[1].cells == grid.rows[1].cells


def _tiered_page(confidence: float | None, underlined: bool = True) -> PageLayout:
    """A ruled page whose header has a group heading "Who owns it" over the two owner columns (its cell ruled under,
    or not), its first tier bold and its second not (as OCR may judge them)."""
    upper = _line([(39, "Activity"), (180, "Self-serve"), (259, "Who owns it")], 44, confidence, bold=True)
    lower = _line([(259, "Partner-led"), (411, "Equinix-direct")], 62, confidence, bold=False)
    body = _line([(39, "Order"), (180, "Self"), (259, "Reseller"), (411, "EUC")], 80, confidence, bold=False)
    rules = [Rule("v", x, 40, 400) for x in (36, 177.5, 256, 559.7)] + [Rule("v", 407.8, 58, 400)]
    rules += [Rule("h", 40, 35.5, 560), Rule("h", 76, 35.5, 560), Rule("h", 400, 35.5, 560)]
    rules += [Rule("h", 58, 255.6, 560)] if underlined else []
    return PageLayout(2, 792, 612, [upper, lower, body], rules)


def test_an_ocr_header_in_two_tiers_of_different_weights_is_one_header() -> None:
    found = find_header(_tiered_page(90.0), PROFILE, set())
    assert found is not None
    assert found[0].texts[2:] == ["Who owns it Partner-led", "Who owns it Equinix-direct"]
    assert find_header(_tiered_page(None), PROFILE, set()) is None  # a text layer's weights are what was printed
    assert find_header(_tiered_page(90.0, underlined=False), PROFILE, set()) is None  # a paragraph, then a header


def test_a_table_read_by_ocr_ends_where_another_tables_vertical_rules_cut_its_lines() -> None:
    """An escalation matrix under a borderless job-aid table on a scan: its rows are not activities."""
    header = _line([(40, "Support Activity"), (240, "End User Customer"), (340, "When EUC Buys from Reseller"),
                    (550, "When EUC Buys Direct")], 100, 90.0)
    row = _line([(40, "Customer requests a quote"), (340, "Reseller quotes."), (550, "EQIX AE quotes.")], 130, 90.0,
                bold=False)
    other = _line([(40, "Level 1"), (150, "Partner NOC"), (450, "Within 4 hours")], 220, 90.0, bold=False)
    rules = [Rule("v", x, 210, 240) for x in (35, 140, 300, 440, 757)] + [Rule("h", y, 35, 757) for y in (210, 240)]
    grids = layouts_to_grids([PageLayout(1, 792, 612, [header, row, other], rules)], PROFILE, [set()])
    assert [cells[0] for cells in (r.cells for r in grids[0].rows)] == [["Customer requests a quote"]]
