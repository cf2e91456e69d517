"""Note marks: a small raised mark is joined onto the word it follows, and header words are matched without it."""

from __future__ import annotations

from pipeline.profile import load_profile
from pipeline.read.layout import Word, words_to_lines
from pipeline.read.notemarks import attach_note_marks


def _word(text: str, x0: float, top: float, size: float = 9.0, confidence: float | None = None) -> Word:
    return Word(text, x0, x0 + 5.0 * len(text), top, top + size, False, size, confidence)


def test_a_raised_mark_ending_a_wrapped_line_joins_that_line_not_the_one_above() -> None:
    # "GSD leads." on the first line, "NOC supports." + a superscript "1" on the second: the mark's top is nearer
    # the first line's than the second's.
    words = [_word("GSD", 100, 160), _word("leads.", 120, 160), _word("NOC", 100, 171), _word("supports.", 120, 171)]
    mark = _word("1", 165, 168.4, size=6.3)
    lines = words_to_lines(attach_note_marks([*words, mark]))
    assert [ln.text for ln in lines] == ["GSD leads.", "NOC supports.1"]


def test_words_apart_of_the_same_size_or_read_by_ocr_are_left_alone() -> None:
    apart = [_word("Partner", 100, 160), _word("2", 137, 160, size=6.3)]  # a gap after the word: not its mark
    same = [_word("Tier", 100, 160), _word("1", 120, 160)]
    ocr = [_word("NOC", 100, 160, confidence=90.0), _word("1", 115, 158, size=6.3, confidence=90.0)]
    for words in (apart, same, ocr):
        assert attach_note_marks(words) == words


def test_header_words_are_matched_without_their_note_marks() -> None:
    rules = {rule.field: rule for rule in load_profile().columns}
    assert rules["direct_owner"].score("Direct\u00b3") > 0
    assert rules["direct_owner"].score("Direct3") > 0
    assert rules["self_service"].score("Self-service*") > 0
    assert rules["direct_owner"].score("Directory") == 0
