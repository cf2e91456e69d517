"""A brace OCR read for a round bracket is that bracket when the line pairs it with one; other braces stay."""

from __future__ import annotations

from pipeline.read.brackets import mend_brackets
from pipeline.read.ocr import OcrWord


def _line(texts: str, line: int = 0) -> list[OcrWord]:
    """Words on OCR line `line`, lines 40 pixels apart (rows 30 pixels high)."""
    base = 30 + 40 * line
    return [OcrWord(t, 20 * i, base - 30, 20 * i + 15, base, 90.0, line, float(base), 30.0)
            for i, t in enumerate(texts.split())]


def _texts(words: list[OcrWord]) -> list[str]:
    return [w.text for w in words]


def test_a_brace_that_closes_or_opens_a_round_bracket_is_that_bracket() -> None:
    found = _line("Executive (field sales}") + _line("{rack-n-stack) and (ECP}", line=1)
    assert _texts(mend_brackets(found)) == ["Executive", "(field", "sales)", "(rack-n-stack)", "and", "(ECP)"]


def test_words_are_paired_in_reading_order_not_in_list_order() -> None:
    found = _line("(limited access}")
    assert _texts(mend_brackets(found[::-1])) == ["access)", "(limited"]


def test_a_brace_closes_a_bracket_left_open_on_the_line_above() -> None:
    found = _line("Order Network Edge services (ECX", line=3) + _line("Portal} now", line=4)
    assert _texts(mend_brackets(found))[-2:] == ["Portal)", "now"]


def test_braces_that_pair_with_each_other_or_with_nothing_stay_as_read() -> None:
    found = _line("{name} stays; a lone } and { too") + _line("(open", line=2) + _line("close}", line=5)
    assert _texts(mend_brackets(found)) == _texts(found)
