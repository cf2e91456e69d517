"""A page's OCR words and its ink → the words Tesseract's layout analysis passed over, read alone and added.

Tesseract sometimes leaves a short word out altogether (a bold glossary term alone at the start of its line, "MA"):
its ink is on the page but in no word's box. Ink outside every word box is gathered into word-sized patches, and each
patch as tall as a line of text that stands before words read on its line is read alone; what reads as a sure word
joins the page's words.
"""

from __future__ import annotations

import statistics

import numpy as np
from PIL import Image
from scipy import ndimage

from pipeline.read.ocr import SINGLE_LINE, OcrWord, image_to_words, on_white
from pipeline.read.shading import Mask

#: Word boxes are widened by this many pixels before ink is called left over (anti-aliased edges, accents).
BOX_MARGIN = 3
#: Left-over ink within this share of a line's height of other left-over ink is one patch (the letters of a word).
JOIN_SHARE = 0.5
#: Left-over ink is gathered in blocks of this many pixels square (a letter spans several).
BLOCK = 4
#: A patch is read when its height is within these shares of the page's usual line height (not a speck, not a logo)
#: and holds at least this share of ink.
MIN_HEIGHT, MAX_HEIGHT = 0.6, 1.6
MIN_INK = 0.08
#: A word read from a patch is kept when Tesseract is at least this sure of it and it holds a letter or digit (a
#: lone bold acronym reads with about 70; its cell is still listed as low-confidence).
MIN_CONFIDENCE = 60.0
#: A patch is read on white paper with a border of this share of its height.
BORDER = 0.5


def add_missed_words(found: list[OcrWord], image: Image.Image, ink: Mask, dpi: float) -> list[OcrWord]:
    """OCR words of a page → with the words read alone from ink no word's box covers (on lines of their own)."""
    if not found:
        return found
    height = statistics.median(w.row_height for w in found if w.row_height) if any(w.row_height for w in found) else 0
    if not height:
        return found
    covered = np.zeros_like(ink)
    for w in found:
        covered[max(w.top - BOX_MARGIN, 0):w.bottom + BOX_MARGIN, max(w.x0 - BOX_MARGIN, 0):w.x1 + BOX_MARGIN] = True
    left = ink & ~covered
    if not left.any():
        return found
    cells = _blocks(left)
    reach = max(1, round(JOIN_SHARE * height / BLOCK))
    patches, _ = ndimage.label(ndimage.binary_dilation(cells, np.ones((1, 2 * reach + 1), dtype=bool)))
    added: list[OcrWord] = []
    line = max(w.line for w in found) + 1
    for small in ndimage.find_objects(patches):
        if small is None or not MIN_HEIGHT * height <= (small[0].stop - small[0].start + 1) * BLOCK:
            continue
        if (small[0].stop - small[0].start - 1) * BLOCK > MAX_HEIGHT * height:
            continue
        rows, cols = (slice(s.start * BLOCK, s.stop * BLOCK) for s in small)
        piece = left[rows, cols]
        filled = np.nonzero(piece.any(axis=1))[0]
        if not len(filled):
            continue
        tall = int(filled[-1] - filled[0] + 1)
        if not MIN_HEIGHT * height <= tall <= MAX_HEIGHT * height or piece.mean() < MIN_INK:
            continue
        beside = covered[rows, max(cols.start - round(height), 0):cols.stop + round(height)]
        if beside.any():  # ink just beside a word is part of it (a letter Tesseract placed badly), not a lost word
            continue
        if not any(w.x0 > cols.stop and min(w.bottom, rows.stop) - max(w.top, rows.start) > 0.5 * tall for w in found):
            continue  # only a word left out before others on its line (a term before its definition), not a footer
        for word in _read_patch(image, dpi, (cols.start, rows.start, cols.stop, rows.stop), line):
            if word.confidence >= MIN_CONFIDENCE and any(c.isalnum() for c in word.text):
                added.append(word)
        line += 1
    return found + added


def _blocks(mask: Mask) -> Mask:
    """A page mask → one cell per BLOCK × BLOCK pixels, set where any of them is (a page labelled 16 times faster)."""
    rows, cols = mask.shape[0] // BLOCK * BLOCK, mask.shape[1] // BLOCK * BLOCK
    cells = mask[:rows, :cols].reshape(rows // BLOCK, BLOCK, cols // BLOCK, BLOCK)
    return np.asarray(cells.any(axis=(1, 3)), dtype=bool)


def _read_patch(image: Image.Image, dpi: float, box: tuple[int, int, int, int], line: int) -> list[OcrWord]:
    """A patch of a page image (x0, top, x1, bottom) → the words read on it alone, in page pixels, on one line."""
    x0, top, x1, bottom = box
    pad = max(1, round(BORDER * (bottom - top)))
    sheet = on_white(image.crop(box), pad)
    dx, dy = x0 - pad, top - pad
    return [OcrWord(w.text, w.x0 + dx, w.top + dy, w.x1 + dx, w.bottom + dy, w.confidence, line, w.baseline + dy,
                    w.row_height, tuple(type(s)(s.text, s.x0 + dx, s.top + dy, s.x1 + dx, s.bottom + dy, s.confidence)
                                        for s in w.symbols))
            for w in image_to_words(sheet, dpi, SINGLE_LINE)]
