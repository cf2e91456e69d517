"""Words OCR split by a gap much narrower than their line's word spaces are joined; words whose boxes overlap are
not (Tesseract's boxes are off there, and the ink decides)."""

from __future__ import annotations

from pipeline.read.ocr import OcrWord
from pipeline.read.scan import join_split_words


def _word(text: str, x0: int, x1: int) -> OcrWord:
    return OcrWord(text, x0, 70, x1, 100, 95.0, 0, 100.0, 28.0)


def test_a_narrow_gap_joins_and_overlapping_boxes_do_not() -> None:
    line = [_word("Order", 0, 80), _word("the", 96, 140), _word("Deploy", 156, 250), _word("ment", 253, 320),
            _word("on", 336, 370), _word("ECP", 386, 450), _word("to", 449, 480), _word("install", 496, 600)]
    assert [w.text for w in join_split_words(line)] == ["Order", "the", "Deployment", "on", "ECP", "to", "install"]
