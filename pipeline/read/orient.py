"""A page image whose words read badly → how many quarter turns make it stand upright (text read from a patch of it
turned each way).

No orientation model ships with the English one (Tesseract's OSD needs osd.traineddata). A page turned a quarter or
upside down reads as garbage of low confidence; its inkiest patch is read turned each way as one block of lines
running across (Tesseract's page mode would read vertical lines too, and score two turns alike), and the turn under
which most letters read surely wins. Pages that read well are never looked at again, so this costs nothing on them.
"""

from __future__ import annotations

import statistics

import numpy as np
from PIL import Image

from pipeline.read.ocr import SINGLE_BLOCK, OcrWord, image_to_words

#: A page whose words' median confidence is below this may be turned.
UPRIGHT_CONFIDENCE = 60.0
#: The patch read each way is a square this share of the page's shorter side, where the page is inkiest.
PATCH_SHARE = 1 / 3
#: Letters count when they stand in a word of letters only, this long at least, read at least this surely.
SURE_LETTERS = 3
SURE_CONFIDENCE = 80.0
#: A turn wins over the page as it came when its patch reads this many times as many sure letters, and some.
TURN_GAIN = 2.0
MIN_SURE = 20
INK = 128


def reads_badly(words: list[OcrWord]) -> bool:
    """Whether a page's words read so badly that the page may be turned."""
    return not words or statistics.median(w.confidence for w in words) < UPRIGHT_CONFIDENCE


def inkiest_patch(image: Image.Image) -> Image.Image:
    """A page image → its square patch (PATCH_SHARE of its shorter side) holding the most ink."""
    ink = (np.asarray(image, dtype=np.uint8) < INK).astype(np.int64)
    side = max(1, round(min(ink.shape) * PATCH_SHARE))
    total = np.zeros((ink.shape[0] + 1, ink.shape[1] + 1), dtype=np.int64)
    total[1:, 1:] = ink.cumsum(axis=0).cumsum(axis=1)
    step = max(1, side // 4)
    best, where = -1, (0, 0)
    for top in range(0, max(1, ink.shape[0] - side + 1), step):
        for left in range(0, max(1, ink.shape[1] - side + 1), step):
            bottom, right = min(top + side, ink.shape[0]), min(left + side, ink.shape[1])
            amount = int(total[bottom, right] - total[top, right] - total[bottom, left] + total[top, left])
            if amount > best:
                best, where = amount, (top, left)
    top, left = where
    return image.crop((left, top, left + side, top + side))


def sure_letters(words: list[OcrWord]) -> int:
    """OCR words → how many letters they hold in words read surely (letters only, long enough)."""
    return sum(len(w.text) for w in words
               if w.confidence >= SURE_CONFIDENCE and len(w.text) >= SURE_LETTERS and w.text.isalpha())


def upright_turns(image: Image.Image, dpi: float) -> int:
    """A page image → the quarter turns (counter-clockwise, as numpy.rot90 counts them) that make it upright."""
    patch = np.asarray(inkiest_patch(image), dtype=np.uint8)
    read = {turns: sure_letters(image_to_words(Image.fromarray(np.ascontiguousarray(np.rot90(patch, turns))), dpi,
                                               SINGLE_BLOCK))
            for turns in range(4)}
    best = max(read, key=lambda turns: read[turns])
    if best and read[best] >= MIN_SURE and read[best] >= TURN_GAIN * read[0]:
        return best
    return 0
