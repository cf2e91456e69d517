"""Characters OCR misread are put right from the ink under them: end marks, apostrophes, letter case, lost words."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.read.letters import (
    apostrophe,
    capitals_by_ink,
    case_by_height,
    end_mark,
    split_at_spaces,
)
from pipeline.read.ocr import OcrWord, Symbol

BASELINE, ROW = 100, 28.0
CAP, SMALL = 22, 16  # how high capitals and small letters rise (pixels): 0.79 and 0.57 of the line height
TALL_SMALL = frozenset("bdfhklt")
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def _word(text: str, x0: int, ink: np.ndarray, rises: list[int] | None = None, width: int = 14,
          gap: int = 3) -> OcrWord:
    """A word whose letters are solid blocks of ink `width` wide, `gap` pixels apart, each rising as its case does
    (or as `rises` says); a comma or full stop is a small block on the baseline."""
    symbols = []
    x = x0
    for i, c in enumerate(text):
        if c in ",.":
            symbols.append(Symbol(c, x, BASELINE - 4, x + 4, BASELINE, 90.0))
            ink[BASELINE - 4:BASELINE, x:x + 4] = True
            x += 7
            continue
        rise = rises[i] if rises else CAP if c.isupper() or c in TALL_SMALL else SMALL
        ink[BASELINE - rise:BASELINE, x:x + width] = True
        symbols.append(Symbol(c, x, BASELINE - rise, x + width, BASELINE, 90.0))
        x += width + gap
    return OcrWord(text, x0, min(s.top for s in symbols), x, BASELINE, 90.0, 0, float(BASELINE), ROW, tuple(symbols))


def test_a_full_stop_read_as_a_comma_is_a_full_stop_and_a_comma_with_a_tail_stays() -> None:
    ink = np.zeros((200, 400), dtype=bool)
    stop = _word("kVA,", 10, ink)
    assert end_mark(stop, ink).text == "kVA."
    comma = _word("EUC,", 200, ink)
    ink[BASELINE:BASELINE + 5, comma.symbols[-1].x0 + 1:comma.symbols[-1].x1] = True  # a tail below the baseline
    assert end_mark(comma, ink).text == "EUC,"
    assert end_mark(_word("EUC.", 300, ink), ink).text == "EUC."


def test_a_lost_apostrophe_is_put_back_only_for_a_lone_raised_stroke_between_letters() -> None:
    ink = np.zeros((200, 600), dtype=bool)
    word = _word("Resellers", 10, ink, gap=7)
    r, s = word.symbols[7], word.symbols[8]
    assert apostrophe(word, ink, SMALL / ROW).text == "Resellers"
    ink[BASELINE - CAP:BASELINE - CAP + 8, r.x1 + 2:r.x1 + 5] = True  # a short upright stroke in the gap, up high
    assert apostrophe(word, ink, SMALL / ROW).text == "Reseller's"
    ink[BASELINE - 6:BASELINE, r.x1:s.x0] = True  # ink under it near the baseline: part of a letter
    assert apostrophe(word, ink, SMALL / ROW).text == "Resellers"
    hands = _word("Hands", 300, ink, gap=7)
    h = hands.symbols[0]
    ink[BASELINE - CAP - 12:BASELINE - CAP - 4, h.x1 + 2:h.x1 + 5] = True  # higher than the letters: a descender
    assert apostrophe(hands, ink, SMALL / ROW).text == "Hands"


def test_a_letters_arm_broken_off_at_the_x_height_is_no_apostrophe() -> None:
    ink = np.zeros((200, 600), dtype=bool)
    word = _word("every", 10, ink, gap=7)
    v = word.symbols[1]
    ink[BASELINE - SMALL:BASELINE - SMALL // 2, v.x1 + 2:v.x1 + 5] = True  # a v's right arm parted at the vertex
    assert apostrophe(word, ink, SMALL / ROW).text == "every"


def _page(ink: np.ndarray) -> list[OcrWord]:
    """Words in capitals and in small letters, for the page's two heights."""
    return [_word(t, 10 + 80 * i, ink) for i, t in enumerate(["ECX", "CSM", "AE", "on", "ace", "now"])]


def test_a_word_as_tall_as_capitals_read_in_small_letters_is_read_again_letter_by_letter() -> None:
    ink = np.zeros((200, 1200), dtype=bool)
    page = _page(ink)
    ve = _word("ve.", 600, ink, rises=[CAP, CAP, 0])
    lowercase = _word("and", 700, ink)  # "d" rises as high, "a" and "n" do not: nothing to read again
    asked: list[tuple[int, int, int, int]] = []

    def read(box: tuple[int, int, int, int]) -> str:
        asked.append(box)
        return "Vv" if box[0] == ve.symbols[0].x0 else "Cc"

    fixed = capitals_by_ink([*page, ve, lowercase], ink, read)
    assert [w.text for w in fixed[len(page):]] == ["VC.", "and"]
    assert [box[0] for box in asked] == [ve.symbols[0].x0, ve.symbols[1].x0]


def test_a_small_letter_as_tall_as_its_words_capital_is_a_capital() -> None:
    ink = np.zeros((200, 1400), dtype=bool)
    words = [_word("Euc.", 600, ink, rises=[CAP, CAP, CAP, 0]), _word("Eux", 700, ink, rises=[CAP, CAP, SMALL]),
             _word("Use", 800, ink, rises=[CAP, SMALL, SMALL]), _word("VCS", 900, ink, rises=[CAP, CAP, SMALL]),
             _word("Nov", 1000, ink, rises=[CAP, SMALL, SMALL]), _word("Desk", 1100, ink, rises=[CAP, SMALL, CAP, CAP])]
    assert [w.text for w in case_by_height(words, ink)] == ["EUC.", "EUx", "Use", "VCS", "Nov", "Desk"]
    bold = [_word("Euc", 10, ink, rises=[CAP, CAP, CAP], gap=0), _word("Eux", 100, ink, rises=[CAP, CAP, SMALL], gap=0)]
    assert [w.text for w in case_by_height(bold, ink)] == ["EUC", "EUx"]  # letters touching: their boxes' middles


@pytest.mark.skipif(importlib.util.find_spec("tesserocr") is None or not FONT.is_file(),
                    reason="needs tesserocr and the DejaVu fonts")
def test_a_word_ocr_passed_over_is_read_from_the_ink_no_word_covers() -> None:
    from pipeline.read.missed import add_missed_words

    image = Image.new("L", (900, 120), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 40)
    draw.text((20, 30), "MA", font=font, fill=0)
    draw.text((300, 30), "Master Admin", font=font, fill=0)
    ink = np.asarray(image) < 160
    left, top, right, bottom = (int(v) for v in draw.textbbox((300, 30), "Master Admin", font=font))
    known = OcrWord("Master Admin", left, top, right, bottom, 95.0, 0, float(bottom), float(bottom - top))
    found = add_missed_words([known], image, ink, 300.0)
    assert [w.text for w in found] == ["Master Admin", "MA"]
    assert found[1].line != known.line and found[1].x1 < left


def test_a_word_whose_ink_leaves_a_word_space_is_parted_there() -> None:
    ink = np.zeros((200, 1400), dtype=bool)
    line = [_word("on", 10, ink), _word("it", 60, ink), _word("is", 110, ink)]  # word spaces of 16 to 19 pixels
    ecpto = _word("ECPto", 160, ink, gap=3)
    space = ecpto.symbols[3].x0 - ecpto.symbols[2].x1
    ink[:, ecpto.symbols[3].x0 - 1:] = np.roll(ink[:, ecpto.symbols[3].x0 - 1:], 14, axis=1)  # "to" moved right
    kept = _word("kVA", 400, ink)  # letters close together: one word
    words = split_at_spaces([*line, ecpto, kept], ink)
    assert [w.text for w in words] == ["on", "it", "is", "ECP", "to", "kVA"]
    assert words[3].x1 == ecpto.symbols[2].x1 and words[4].x0 == ecpto.symbols[2].x1 + space + 14


def test_a_character_whose_box_misses_its_ink_is_kept_when_the_ink_has_a_piece_for_every_character() -> None:
    from dataclasses import replace

    from pipeline.read.raster import CleanPage
    from pipeline.read.scan import tidy_words

    ink = np.zeros((200, 400), dtype=bool)
    word = _word("portal.", 10, ink, gap=5)
    stop = word.symbols[-1]
    off = replace(word, x1=stop.x1 + 12, symbols=(*word.symbols[:-1], replace(stop, x0=stop.x1 + 10, x1=stop.x1 + 12)))
    page = CleanPage(Image.new("L", (400, 200), 255), ink, 0.0, [], [])
    assert [w.text for w in tidy_words([off], page, 300.0)] == ["portal."]  # Tesseract's box for "." is beside it
    blank = replace(word, x1=stop.x1 + 40, symbols=(*word.symbols, replace(stop, text="-", x0=stop.x1 + 30,
                                                                            x1=stop.x1 + 40)))
    assert [w.text for w in tidy_words([blank], page, 300.0)] == ["portal."]  # a "-" read from blank paper goes


def test_dashes_shorter_than_a_rule_are_not_a_dashed_line() -> None:
    """The bottoms of a short word in capitals ("ECP.") in a turned one-bit scan look like a dashed line's dashes;
    erased as one, "ECP." read "FCP" and lost its full stop."""
    from pipeline.read.raster import dashed_runs

    px = 300.0 / 72.0

    def dashes(length_pt: float) -> np.ndarray:
        mask = np.zeros((200, 1000), dtype=bool)
        for x in range(50, 50 + round(length_pt * px), 8):
            mask[100, x:x + 5] = True  # dashes covering 5/8 of the length, paper above and below
        return dashed_runs(mask, 300.0)

    assert not dashes(24.0)[100].any()  # a word's width: letters' strokes
    assert dashes(120.0)[100].any()  # a cell's width: a line


def test_a_final_full_stop_whose_box_misses_its_ink_is_kept_when_the_words_ink_ends_in_a_mark() -> None:
    from dataclasses import replace

    from pipeline.read.raster import CleanPage
    from pipeline.read.scan import tidy_words

    ink = np.zeros((200, 400), dtype=bool)
    word = _word("portal.", 10, ink, gap=5)
    r, t, stop = word.symbols[2], word.symbols[3], word.symbols[-1]
    ink[BASELINE - SMALL:BASELINE, r.x1:t.x0] = True  # "r" and "t" touch: fewer pieces of ink than characters
    off = replace(word, x1=stop.x1 + 12, symbols=(*word.symbols[:-1], replace(stop, x0=stop.x1 + 10, x1=stop.x1 + 12)))
    page = CleanPage(Image.new("L", (400, 200), 255), ink, 0.0, [], [])
    assert [w.text for w in tidy_words([off], page, 300.0)] == ["portal."]


def test_ink_after_a_words_box_that_runs_on_from_its_last_letter_is_the_words() -> None:
    from dataclasses import replace

    ink = np.zeros((200, 1400), dtype=bool)
    line = [_word("on", 10, ink), _word("it", 60, ink), _word("is", 110, ink)]
    ecpto = _word("ECPto", 160, ink, gap=3)
    ink[:, ecpto.symbols[3].x0 - 1:] = np.roll(ink[:, ecpto.symbols[3].x0 - 1:], 14, axis=1)  # "to" moved right
    short = replace(ecpto, x1=ecpto.symbols[3].x1 + 14)  # Tesseract's box stops inside "o"
    assert [w.text for w in split_at_spaces([*line, short, _word("now", 300, ink)], ink)][3:5] == ["ECP", "to"]


def test_a_word_read_with_a_rising_small_letter_is_not_read_again_in_capitals() -> None:
    ink = np.zeros((200, 1200), dtype=bool)
    page = _page(ink)
    end = _word("End", 600, ink, gap=3)
    n, d = end.symbols[1], end.symbols[2]
    ink[BASELINE - SMALL:BASELINE, n.x1:d.x0] = True  # bold: "n" and "d" touch, so the ink of "nd" rises as high as "E"
    boxes = (end.symbols[0], Symbol("n", n.x0, n.top, n.x0 + 8, n.bottom, 90.0),
             Symbol("d", n.x0, d.top, d.x1, d.bottom, 90.0))
    end = OcrWord("End", end.x0, end.top, end.x1, end.bottom, 90.0, 0, float(BASELINE), ROW, boxes)  # Tesseract's boxes
    asked: list[tuple[int, int, int, int]] = []

    def read(box: tuple[int, int, int, int]) -> str:
        asked.append(box)
        return "D"

    assert [w.text for w in capitals_by_ink([*page, end], ink, read)][-1] == "End"
    assert asked == []


def test_ink_inside_the_box_of_the_word_before_is_that_words_not_a_letter_parted_off() -> None:
    from dataclasses import replace

    ink = np.zeros((200, 1400), dtype=bool)
    line = [_word("on", 10, ink), _word("it", 60, ink), _word("is", 110, ink)]  # word spaces of 16 to 19 pixels
    ecp = _word("ECP", 160, ink)
    ecp = replace(ecp, x1=ecp.symbols[-1].x1)
    to = _word("to", ecp.x1 + 16, ink, gap=0)  # "t" and "o" touch: one piece of ink
    overlapping = replace(to, x0=ecp.x1 - 1)  # Tesseract's box for "to" starts inside "P"
    words = split_at_spaces([*line, ecp, overlapping, _word("now", to.x1 + 16, ink)], ink)
    assert [w.text for w in words][3:6] == ["ECP", "to", "now"]
