"""A doubtful OCR word one character off a word its page uses often is spelled as that word; nothing else is."""

from __future__ import annotations

from pipeline.read.lexicon import respell_from_page
from pipeline.read.ocr import OcrWord


def _words(texts: str, confidence: float = 96.0) -> list[OcrWord]:
    return [OcrWord(t, 20 * i, 0, 20 * i + 15, 30, confidence, 0, 30.0, 30.0) for i, t in enumerate(texts.split())]


def test_a_doubtful_word_one_letter_off_a_word_used_often_is_that_word() -> None:
    page = _words("EQIX CPM IBX. EQIX IBX EQIX portal IBX portal portal, VCs VCs. VCs")
    doubtful = _words("EQLX (BX. porial, VCS. CSN", confidence=70.0)
    assert [w.text for w in respell_from_page(page + doubtful)][-5:] == ["EQIX", "IBX.", "portal,", "VCs.", "CSN"]


def test_sure_words_rare_look_alikes_ties_and_short_words_stay_as_read() -> None:
    page = _words("ECP ECP ECP ECX EUC EUC EUC on on on")
    sure = _words("EQP", confidence=86.0)  # read fairly surely: a word of its own
    tie = _words("ECC", confidence=70.0)  # one letter off both ECP and EUC
    twice = _words("ECQ ECQ", confidence=70.0)  # used twice: a word of the page's own
    short = _words("oh", confidence=70.0)
    found = page + sure + tie + twice + short
    assert [w.text for w in respell_from_page(found)] == [w.text for w in found]
