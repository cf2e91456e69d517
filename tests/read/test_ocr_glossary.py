"""Glossary lines read by OCR: a dash or speck OCR read between a term and its definition parts them (and is left
out); on a text layer such a mark stays part of the text."""

from __future__ import annotations

from pipeline.read.glossary import lines_to_glossary
from pipeline.read.layout import Line, Word


def _line(top: float, cells: list[tuple[float, str]], confidence: float | None) -> Line:
    """Cells (x, text) → one line of 9 pt words, 5 pt a letter and 2.5 pt apart, with the given OCR confidence."""
    words = []
    for x, text in cells:
        for piece in text.split():
            words.append(Word(piece, x, x + 5.0 * len(piece), top, top + 9, False, 9.0, confidence))
            x += 5.0 * len(piece) + 2.5
    return Line(words)


def _glossary(confidence: float | None) -> list[Line]:
    """A glossary in two columns of entries; OCR read a speck before one definition as "~—"."""
    return [_line(100, [(36, "CPM"), (73, "Equinix Customer Project Manager"), (421, "NSD"),
                        (458, "Network Service Desk")], confidence),
            _line(112, [(36, "CSM"), (73, "Equinix Customer Success Manager"), (421, "PSSA"),
                        (445, "~—"), (458, "Partner Support Services Admin")], confidence)]


def test_a_dash_ocr_read_between_a_term_and_its_definition_parts_them() -> None:
    got = lines_to_glossary(_glossary(90.0)).to_dict("records")
    assert got == [{"term": "CPM", "definition": "Equinix Customer Project Manager"},
                   {"term": "CSM", "definition": "Equinix Customer Success Manager"},
                   {"term": "NSD", "definition": "Network Service Desk"},
                   {"term": "PSSA", "definition": "Partner Support Services Admin"}]


def test_a_text_layer_dash_is_text() -> None:
    got = lines_to_glossary(_glossary(None)).to_dict("records")
    assert {"term": "PSSA", "definition": "Partner Support Services Admin"} not in got
