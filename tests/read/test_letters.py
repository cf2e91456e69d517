"""Characters OCR misread are put right from the ink under them: end marks, apostrophes, letter case, lost words."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.read.lettercase import (
    before_digits,
    case_by_height,
    first_by_descender,
    first_by_height,
    plurals_by_height,
)
from pipeline.read.letters import (
    apostrophe,
    capitals_by_ink,
    end_mark,
    letters_by_ink,
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


def test_a_comma_whose_tail_is_lighter_than_ink_keeps_it() -> None:
    ink = np.zeros((200, 400), dtype=bool)
    comma = _word("Connects,", 10, ink)
    faint = ink.copy()
    faint[BASELINE:BASELINE + 5, comma.symbols[-1].x0 + 1:comma.symbols[-1].x1] = True  # a grey tail, not ink

    def read(box: tuple[int, int, int, int]) -> str:
        raise AssertionError("no letter is read again here")

    assert [w.text for w in letters_by_ink([comma], ink, faint, read)] == ["Connects,"]
    assert [w.text for w in letters_by_ink([comma], ink, ink, read)] == ["Connects."]


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
    touching = _word("Euc", 200, ink, rises=[CAP, CAP, CAP], gap=0)
    one_start = replace(touching, symbols=(touching.symbols[0], replace(touching.symbols[1], x0=touching.x0),
                                           touching.symbols[2]))  # Tesseract boxed the "u" from the "E"'s start
    assert [w.text for w in case_by_height([one_start], ink)] == ["EUC"]


def test_a_last_capital_as_low_as_a_small_letter_after_capitals_is_a_plural() -> None:
    ink = np.zeros((200, 1400), dtype=bool)
    words = [_word("VCS.", 10, ink, rises=[CAP, CAP, SMALL, 0]), _word("PDUS", 150, ink, rises=[CAP, CAP, CAP, SMALL]),
             _word("ECS", 300, ink), _word("VS", 450, ink, rises=[CAP, SMALL]),
             _word("CSMS", 600, ink, rises=[CAP, CAP, SMALL, CAP]), _word("EUCS", 750, ink, rises=[CAP, CAP, CAP, 19])]
    assert [w.text for w in plurals_by_height(words, ink)] == ["VCs.", "PDUs", "ECS", "VS", "CSMS", "EUCS"]
    touching = _word("VCS.", 900, ink, rises=[CAP, CAP, SMALL, 0], gap=0)
    assert plurals_by_height([touching], ink)[0].text == "VCS."  # one piece of ink: its letters cannot be told apart
    capitals_touch = _word("VC", 1050, ink, gap=0)
    plural = _word("S.", capitals_touch.x1 + 3, ink, rises=[SMALL, 0])
    vcs = replace(capitals_touch, text="VCS.", x1=plural.x1, symbols=capitals_touch.symbols + plural.symbols)
    assert plurals_by_height([vcs], ink)[0].text == "VCs."  # capitals touching each other, not the last letter
    speck = _word("SOS", 1200, ink, rises=[CAP, CAP, CAP])
    ink[BASELINE - 5:BASELINE, speck.x1 + 2:speck.x1 + 5] = True  # a speck after the word, inside its box
    assert plurals_by_height([replace(speck, x1=speck.x1 + 5)], ink)[0].text == "SOS"


def test_a_first_p_g_or_y_is_small_when_its_ink_descends_and_a_capital_when_it_stands_on_the_baseline() -> None:
    ink = np.zeros((200, 1700), dtype=bool)
    tailed = _word("Partner", 10, ink)
    ink[BASELINE:BASELINE + 6, tailed.symbols[0].x0:tailed.symbols[0].x0 + 4] = True  # a p's tail
    standing = _word("partner", 200, ink)
    shallow = _word("Yes", 400, ink)
    ink[BASELINE:BASELINE + 2, shallow.symbols[0].x0:shallow.symbols[0].x0 + 4] = True  # in between: as read
    below = _word("Grid", 500, ink)
    ink[BASELINE + 4:BASELINE + 12, below.symbols[0].x0:below.symbols[0].x1] = True  # the next line's ascender
    other = _word("Partner", 700, ink)
    ink[BASELINE:BASELINE + 6, other.symbols[1].x0:other.symbols[1].x0 + 4] = True  # a tail under another letter
    touching = _word("Partner", 1300, ink)
    ink[BASELINE - SMALL:BASELINE, touching.symbols[1].x0 + 2:touching.symbols[3].x1] = True  # "art" in one piece
    ink[BASELINE:BASELINE + 6, touching.symbols[0].x0:touching.symbols[0].x0 + 4] = True
    glued = _word("Partner", 1450, ink)
    ink[BASELINE - SMALL:BASELINE, glued.symbols[0].x1:glued.symbols[1].x0] = True  # "P" touches "a"
    ink[BASELINE:BASELINE + 6, glued.symbols[1].x0:glued.symbols[1].x0 + 4] = True
    words = [tailed, standing, shallow, below, other, _word("PDU", 900, ink), _word("gap,", 1100, ink), touching, glued]
    assert [w.text for w in first_by_descender(words, ink)] == [
        "partner", "Partner", "Yes", "Grid", "Partner", "PDU", "gap,", "partner", "Partner"]


def test_a_first_letter_takes_the_case_its_height_against_the_words_small_letters_shows() -> None:
    ink = np.zeros((200, 1500), dtype=bool)
    low = _word("Supports", 10, ink, rises=[SMALL] + [SMALL] * 7)  # an s as low as the u and o after it
    tall = _word("project", 200, ink, rises=[CAP] + [SMALL] * 6)  # a P as tall as capitals
    kept = _word("Cause", 400, ink)  # a real capital
    under = _word("cause", 600, ink, rises=[SMALL] * 5)
    ink[BASELINE - 27:BASELINE - 20, under.symbols[0].x0:under.symbols[0].x1] = True  # the line above's descender
    touching = _word("Supports", 800, ink, rises=[SMALL] * 8, gap=0)  # a thresholded scan: letters touch
    between = _word("Smart", 1000, ink, rises=[19, SMALL, SMALL, SMALL, CAP])  # neither height: as read
    crossed = _word("sap", 1200, ink, rises=[CAP, SMALL, SMALL])
    crossed = replace(crossed, symbols=(crossed.symbols[0], replace(crossed.symbols[1], x0=crossed.symbols[0].x0),
                                        crossed.symbols[2]))  # OCR's boxes overlap: the letters are not apart
    words = [low, tall, kept, under, touching, between, crossed]
    assert [w.text for w in first_by_height(words, ink)] == [
        "supports", "Project", "Cause", "cause", "supports", "Smart", "sap"]


def test_a_letter_before_digits_takes_the_case_its_height_beside_them_shows() -> None:
    ink = np.zeros((200, 1000), dtype=bool)
    words = [_word("V2023.03", 10, ink, rises=[SMALL, CAP, CAP, CAP, CAP, 0, CAP, CAP]),
             _word("v2", 300, ink, rises=[CAP, CAP]), _word("V3", 400, ink, rises=[19, CAP]),
             _word("S2", 500, ink, rises=[CAP, CAP], gap=0), _word("E2", 600, ink, rises=[SMALL, CAP])]
    assert [w.text for w in before_digits(words, ink)] == ["v2023.03", "V2", "V3", "S2", "E2"]


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
