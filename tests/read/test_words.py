"""Chars → words: the layout's own grouping gives exactly the words pdfplumber's extract_words gives."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pdfplumber.utils.text import extract_words

from pipeline.read.layout import Word, _word, chars_to_words
from tests.conftest import FIXTURES, RAW

PDFS = sorted((FIXTURES / "pdf").glob("*.pdf")) + sorted(RAW.glob("*.pdf"))


def pdfplumber_words(chars: list[dict[str, Any]]) -> list[Word]:
    """The reference: pdfplumber's extract_words with its default tolerances."""
    found = extract_words(chars, extra_attrs=["fontname", "size"], keep_blank_chars=False)
    return [_word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], w["fontname"], w["size"]) for w in found]


@pytest.mark.parametrize("path", PDFS, ids=[p.name for p in PDFS])
def test_fixture_words_are_pdfplumber_words(path: Path) -> None:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars = page.chars
            assert chars_to_words(chars) == pdfplumber_words(chars), page.page_number


def random_chars(seed: int) -> list[dict[str, Any]]:
    """Chars in tricky places: lines a few points apart, overlaps, steps back, blanks, empty texts, ligatures,
    font and size changes mid-line, and a share of rotated chars in some pages."""
    rng = random.Random(seed)
    chars = []
    rotated = seed % 5 == 0
    for _ in range(rng.randint(0, 120)):
        top = rng.choice([100.0, 101.5, 103.0, 104.0, 107.5, 110.0, 200.0]) + rng.choice([0.0, 0.25, 2.999, 3.0])
        x0 = rng.choice([10.0, 12.0, 15.0, 18.0, 21.5, 30.0]) + rng.random() * 20
        width = rng.choice([0.0, 2.5, 5.0, 6.0])
        size = rng.choice([9.0, 10.0, 10.0, 12.0])
        chars.append({
            "text": rng.choice(["a", "b", "C", "1", " ", "\t", "", "\ufb01", "\ufb03", "-", "\u00ad", "é"]),
            "x0": x0, "x1": x0 + width, "top": top, "bottom": top + size, "doctop": top,
            "upright": not (rotated and rng.random() < 0.2),
            "fontname": rng.choice(["Helvetica", "Helvetica", "Helvetica-Bold"]), "size": size,
        })
    return chars


@pytest.mark.parametrize("seed", range(300))
def test_random_chars_group_as_pdfplumber_groups_them(seed: int) -> None:
    chars = random_chars(seed)
    assert chars_to_words(chars) == pdfplumber_words(chars)
