"""A speck of scanner noise that Tesseract reads as a bar is dropped: between two columns it joined their text into
one cell across the table."""

from __future__ import annotations

import numpy as np
from PIL import Image

from pipeline.read.ocr import OcrWord, Symbol
from pipeline.read.raster import CleanPage
from pipeline.read.scan import tidy_words


def _word(text: str, x0: int, height: int) -> OcrWord:
    """One word on line 0 with baseline at 100 px, its letters `height` px tall and 20 px wide each."""
    symbols = tuple(Symbol(c, x0 + 20 * i, 100 - height, x0 + 20 * i + 18, 100, 95.0) for i, c in enumerate(text))
    return OcrWord(text, x0, 100 - height, x0 + 20 * len(text), 100, 95.0, 0, 100.0, 40.0, symbols)


def test_a_bar_far_shorter_than_its_lines_capitals_is_a_speck_and_a_bar_of_their_height_is_kept() -> None:
    page = CleanPage(Image.new("L", (800, 200), 255), np.ones((200, 800), dtype=bool), 0.0, [], [])
    speck = OcrWord("|", 300, 60, 302, 62, 44.0, 0, 100.0, 40.0, (Symbol("|", 300, 60, 302, 62, 44.0),))
    kept = tidy_words([_word("Service", 100, 30), speck, _word("EUC", 330, 30)], page, 300.0)
    assert [w.text for w in kept] == ["Service", "EUC"]
    bar = OcrWord("|", 300, 70, 304, 100, 71.0, 0, 100.0, 40.0, (Symbol("|", 300, 70, 304, 100, 71.0),))
    kept = tidy_words([_word("Service", 100, 30), bar, _word("EUC", 330, 30)], page, 300.0)
    assert [w.text for w in kept] == ["Service", "|", "EUC"]  # kept, to be read again alone
