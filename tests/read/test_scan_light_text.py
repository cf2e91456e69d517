"""White letters printed on light grey shading survive cleaning a grey scan for OCR; dark letters gain no fringe."""

from __future__ import annotations

import importlib.util
import io

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from pipeline.read.raster import clean_page

DPI = 300.0
PX = DPI / 72.0
HAS_TESSEROCR = importlib.util.find_spec("tesserocr") is not None


def _pt(value: float) -> int:
    return round(value * PX)


def _shaded_rows() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A ruled table: a header row shaded #e1e1e1 with black letters over a phase row shaded #d9d9d9 with white
    letters (as a browser prints a light phase band), saved as a JPEG of quality 40 like a cheap grey scan.
    Returns the scan, and where the white and the black letters were drawn."""
    image = Image.new("L", (_pt(612), _pt(300)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=_pt(9))
    draw.rectangle([_pt(50), _pt(100), _pt(550), _pt(130)], fill=225)
    draw.rectangle([_pt(50), _pt(130), _pt(550), _pt(150)], fill=217)
    for y in (100, 130, 150, 200):
        draw.line([(_pt(50), _pt(y)), (_pt(550), _pt(y))], fill=0, width=2)
    for x in (50, 550):
        draw.line([(_pt(x), _pt(100)), (_pt(x), _pt(200))], fill=0, width=2)
    black = Image.new("L", image.size, 0)
    ImageDraw.Draw(black).text((_pt(56), _pt(108)), "Support Activity", fill=255, font=font)
    white = Image.new("L", image.size, 0)
    ImageDraw.Draw(white).text((_pt(56), _pt(135)), "Quoting & Ordering", fill=255, font=font)
    image.paste(0, mask=black)
    image.paste(255, mask=white)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=40)
    scan = np.asarray(Image.open(buffer).convert("L"), dtype=np.uint8).copy()
    return scan, np.asarray(white) > 128, np.asarray(black) > 128


def test_white_letters_on_light_shading_become_ink_and_dark_letters_stay_as_they_were() -> None:
    scan, white, black = _shaded_rows()
    page = clean_page(scan, DPI)
    assert page.angle == 0.0
    image = np.asarray(page.image) < 128
    assert image[white].mean() > 0.8  # the white letters are now dark, for OCR
    header = np.zeros_like(black)
    header[_pt(101):_pt(129), _pt(51):_pt(549)] = True
    near_black = np.zeros_like(black)
    for dy in range(-3, 4):
        for dx in range(-3, 4):
            near_black |= np.roll(np.roll(black, dy, axis=0), dx, axis=1)
    assert not (image & header & ~near_black).any()  # no fringe around the black letters turned into ink


@pytest.mark.skipif(not HAS_TESSEROCR, reason="tesserocr is not installed (pip install tesserocr)")
def test_white_letters_on_light_shading_are_read() -> None:
    from pipeline.read.ocr import image_to_words

    scan, _, _ = _shaded_rows()
    words = [w.text for w in image_to_words(clean_page(scan, DPI).image, DPI)]
    assert " ".join(words) == "Support Activity Quoting & Ordering"
