"""Header words OCR misread by a letter or two are read as the profile spells them; text-layer words never are."""

from __future__ import annotations

from pipeline.profile import load_profile
from pipeline.read.headerwords import nearest_word
from pipeline.read.layout import Line, PageLayout, Rule, Word
from pipeline.read.locate import find_header

PROFILE = load_profile()


def _line(cells: list[tuple[float, str]], top: float, confidence: float | None) -> Line:
    """Cells (x, text) → one bold line of words about 5 pt apart, with the given OCR confidence."""
    words = []
    for x, text in cells:
        for piece in text.split():
            width = 5.0 * len(piece)
            words.append(Word(piece, x, x + width, top, top + 10, True, 10.0, confidence))
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
