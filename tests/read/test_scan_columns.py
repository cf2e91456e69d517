"""Tesseract is shown a ruled table's vertical rules, so that it keeps the table's columns apart."""

from __future__ import annotations

import importlib.util

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.read.raster import clean_page, ocr_image

DPI = 300.0
PX = DPI / 72.0
HAS_TESSEROCR = importlib.util.find_spec("tesserocr") is not None
COLUMNS = (36, 128, 313, 806)


def _pt(value: float) -> int:
    return round(value * PX)


def _phase_column_table() -> np.ndarray:
    """A ruled row: a four-line phase cell beside two-line cells set lower, so that the phase's last line stands
    level with the next columns' third line (as a merged phase cell beside rows does)."""
    image = Image.new("L", (_pt(842), _pt(180)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=_pt(9))
    for y in (40, 140):
        draw.line([(_pt(COLUMNS[0]), _pt(y)), (_pt(COLUMNS[-1]), _pt(y))], fill=0, width=3)
    for x in COLUMNS:
        draw.line([(_pt(x), _pt(40)), (_pt(x), _pt(140))], fill=0, width=3)
    cells = [(COLUMNS[0], 45.0, ["Customer IBX", "Access & Product,", "Cage Deployment", "and Logistics"]),
             (COLUMNS[1], 45.0, ["Customer Requests guest IBX", "access (limited access)"]),
             (COLUMNS[1], 81.6, ["Move equipment from loading", "dock to Cage"]),
             (COLUMNS[2], 45.0, ["Reseller instructs EUC user to register for IBX", "access on ECP portal."]),
             (COLUMNS[2], 81.6, ["Reseller may provide their own tech support in",
                                 "IBX or issue ECP ticket for IBX Smart Hands."])]
    for x, top, lines in cells:
        for i, text in enumerate(lines):
            draw.text((_pt(x + 3), _pt(top + 12.2 * i)), text, fill=0, font=font)
    return np.asarray(image, dtype=np.uint8).copy()


def test_vertical_rules_are_drawn_back_for_ocr_and_nothing_else() -> None:
    clean = clean_page(_phase_column_table(), DPI)
    erased, shown = np.asarray(clean.image) < 128, np.asarray(ocr_image(clean, DPI)) < 128
    row = _pt(90)
    assert not erased[row, [_pt(x) for x in COLUMNS]].any()  # cleaning erased the rules
    assert shown[row, [_pt(x) for x in COLUMNS]].all()
    near_rules = np.zeros_like(shown)
    for x in COLUMNS:
        near_rules[_pt(39):_pt(141), _pt(x) - 4:_pt(x) + 4] = True
    assert not (shown & ~erased & ~near_rules).any()  # the rules, and nothing else


@pytest.mark.skipif(not HAS_TESSEROCR, reason="tesserocr is not installed (pip install tesserocr)")
def test_no_text_line_runs_across_a_vertical_rule() -> None:
    from pipeline.read.ocr import image_to_words

    clean = clean_page(_phase_column_table(), DPI)
    words = image_to_words(ocr_image(clean, DPI), DPI)
    columns: dict[int, set[int]] = {}
    for w in words:
        columns.setdefault(w.line, set()).add(int(np.searchsorted(COLUMNS, (w.x0 + w.x1) / 2 / PX)))
    assert all(len(found) == 1 for found in columns.values())
    assert "Cage Deployment and Logistics" in " ".join(w.text for w in words)
