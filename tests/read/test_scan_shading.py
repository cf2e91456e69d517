"""Text on shading in a scan: white letters on light grey fills are read, dark letters on another fill gain no ink,
and a dark band's inverted text keeps none of the paper around the band."""

from __future__ import annotations

import importlib.util
import io

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from pipeline.read.raster import clean_page
from pipeline.read.shading import find_shades, invert_dark_boxes

DPI = 300.0
PX = DPI / 72.0
HAS_TESSEROCR = importlib.util.find_spec("tesserocr") is not None


def _pt(value: float) -> int:
    return round(value * PX)


def _shaded_rows() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A ruled table: a header row shaded #e8e8e8 with black letters over a phase row shaded #d9d9d9 with white
    letters (as a browser prints a light phase band), saved as a JPEG of quality 40 like a cheap grey scan.
    Returns the scan, and where the white and the black letters were drawn."""
    image = Image.new("L", (_pt(612), _pt(300)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=_pt(9))
    draw.rectangle([_pt(50), _pt(100), _pt(550), _pt(130)], fill=232)
    draw.rectangle([_pt(50), _pt(130), _pt(550), _pt(150)], fill=217)
    for y in (100, 130, 150, 200):
        draw.line([(_pt(50), _pt(y)), (_pt(550), _pt(y))], fill=0, width=2)
    for x in (50, 550):
        draw.line([(_pt(x), _pt(100)), (_pt(x), _pt(200))], fill=0, width=2)
    black = Image.new("L", image.size, 0)
    ImageDraw.Draw(black).text((_pt(56), _pt(108)), "Support Activity Owner", fill=255, font=font)
    white = Image.new("L", image.size, 0)
    ImageDraw.Draw(white).text((_pt(56), _pt(135)), "Quoting & Ordering", fill=255, font=font)
    image.paste(0, mask=black)
    image.paste(255, mask=white)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=40)
    scan = np.asarray(Image.open(buffer).convert("L"), dtype=np.uint8).copy()
    return scan, np.asarray(white) > 128, np.asarray(black) > 128


def _near(mask: np.ndarray, reach: int) -> np.ndarray:
    near = np.zeros_like(mask)
    for dy in range(-reach, reach + 1):
        for dx in range(-reach, reach + 1):
            near |= np.roll(np.roll(mask, dy, axis=0), dx, axis=1)
    return near


def test_white_letters_on_light_shading_become_ink_and_dark_letters_on_a_lighter_fill_stay_as_they_were() -> None:
    scan, white, black = _shaded_rows()
    page = clean_page(scan, DPI)
    assert page.angle == 0.0
    image = np.asarray(page.image) < 128
    assert image[white].mean() > 0.8  # the white letters are now dark, for OCR
    assert page.ink[white].mean() > 0.8
    header = np.zeros_like(black)
    header[_pt(101):_pt(129), _pt(51):_pt(549)] = True
    assert not (image & header & ~_near(black, 3)).any()  # no paper in or around the black letters turned into ink
    assert not (page.ink & header & ~_near(black, 3)).any()


def test_blurred_letters_are_not_shading_and_a_fill_behind_letters_is() -> None:
    dpi = 200.0  # a paragraph scanned out of focus at 200 dpi (its strokes greyed along their edges), read at 300
    image = Image.new("L", (round(612 * dpi / 72), round(200 * dpi / 72)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=round(9 * dpi / 72))
    for k in range(8):
        draw.text((round(56 * dpi / 72), round((30 + 11 * k) * dpi / 72)),
                  "Reseller may order on ECP or set EUC user permission to allow", fill=0, font=font)
    buffer = io.BytesIO()
    image.filter(ImageFilter.GaussianBlur(1.2)).save(buffer, "JPEG", quality=40)
    blurred = np.asarray(Image.open(buffer).convert("L").resize((_pt(612), _pt(200)), Image.Resampling.LANCZOS))
    assert find_shades(blurred.copy(), DPI) == []
    scan, _, _ = _shaded_rows()
    assert [(round(s.top), round(s.bottom)) for s in find_shades(scan, DPI)] == [(101, 150)]


def test_paper_around_a_dark_band_is_not_inverted_into_ink() -> None:
    gray = np.full((_pt(60), _pt(300)), 255, dtype=np.uint8)
    band = (slice(_pt(20), _pt(40)), slice(_pt(20), _pt(280)))
    gray[band] = 20
    letters = np.zeros(gray.shape, dtype=bool)
    letters[_pt(26):_pt(33), _pt(30):_pt(32)] = True  # an "l" printed white
    gray[letters] = 250
    ink = gray < 160
    top, bottom, left, right = band[0].start - 3, band[0].stop + 3, band[1].start - 4, band[1].stop + 4
    invert_dark_boxes(gray, ink, [(top, bottom, left, right)])  # a box found a little wider than the band
    assert ink[letters].all()
    assert ink.sum() == letters.sum()  # the paper between the band's edge and the box's is paper still
    assert (gray[~letters] == 255).all()


@pytest.mark.skipif(not HAS_TESSEROCR, reason="tesserocr is not installed (pip install tesserocr)")
def test_white_letters_on_light_shading_are_read() -> None:
    from pipeline.read.ocr import image_to_words

    scan, _, _ = _shaded_rows()
    words = [w.text for w in image_to_words(clean_page(scan, DPI).image, DPI)]
    assert " ".join(words) == "Support Activity Owner Quoting & Ordering"
