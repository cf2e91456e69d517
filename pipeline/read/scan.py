"""Scanned pages → the same layout model a text layer gives: words (with OCR confidence), lines, rules, shading."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.read.brackets import mend_brackets
from pipeline.read.fontsize import SIZE_PER_ROW_HEIGHT, line_sizes
from pipeline.read.layout import PageLayout, Rule, Word, words_to_lines
from pipeline.read.lettercase import case_from_ink, fix_case
from pipeline.read.letters import ends_in_mark, ink_pieces, letters_by_ink, trim_to_ink
from pipeline.read.lexicon import respell_from_page
from pipeline.read.lostrules import restore_lost_rules
from pipeline.read.missed import add_missed_words
from pipeline.read.ocr import REREAD_BELOW, OcrWord, Symbol, image_to_words, read_glyph, reread_doubtful
from pipeline.read.orient import reads_badly, upright_turns
from pipeline.read.raster import PAPER_LEVEL, CleanPage, clean_page
from pipeline.read.shading import Gray, Mask
from pipeline.read.strips import reread_tangled_columns

#: Pages are read at their scan's own resolution kept within these bounds (dots per inch): Tesseract reads small
#: type better at 300 dpi than at 200, so lower resolutions are scaled up.
MIN_DPI, MAX_DPI = 300.0, 300.0
#: Where a font's em box stands around its baseline, as shares of its size (Helvetica-like faces).
ASCENT, DESCENT = 0.785, 0.215
#: A text layer's word box includes its glyphs' side bearings (share of the font size); ink boxes are widened by it
#: (OCR's boxes, measured against the fixtures' text layers: 0.01 to 0.05 on either side).
SIDE_BEARING = 0.03
#: Within a line, a gap wider than this share of the font size separates two runs of text (cells, terms).
RUN_GAP_EM = 1.0
#: Inside one OCR word, a gap wider than this share of the font size is a column gap: the word is split there.
SPLIT_GAP_EM = 0.8
#: A character box with less ink than this share of its area was read from blank paper (an erased rule) and dropped.
MIN_SYMBOL_INK = 0.03
#: Two words on a line closer than this share of its usual word space are one word that OCR split.
JOIN_GAP_SHARE = 0.5
#: A dash or bar this close to a ruling line (share of its line's height) is what is left of the erased rule; a bar
#: taller than this many capitals is a rule too.
GHOST_NEAR_RULE = 0.5
GHOST_HEIGHT = 1.6
#: A bar shorter than this share of its line's capitals is a speck of scanner noise that Tesseract read as a bar.
SPECK_HEIGHT = 0.5
RULE_LIKE = frozenset("—–_|")
#: What Tesseract reads a short piece of a vertical rule as: a bar, or a quote mark standing on the rule's line.
VRULE_PIECES = frozenset("|‘’'`")
#: Punctuation that never stands alone as a word: alone, it is a speck (an underscore: a piece of a hairline rule
#: too short to be found).
STRAY_MARKS = frozenset(".,'`‘’:;_")
#: Capitals whose shape shows their case and that stand on the baseline (J and Q may descend).
CAP_SHAPES = frozenset("ABDEFGHIKLMNPRTY")

#: A run of text is bold when its strokes are this much thicker, for its size, than the page's usual text.
BOLD_STROKE_RATIO = 1.2


@dataclass(frozen=True)
class ScannedPage:
    """What OCR found on one page: its layout and the skew the scan was turned back by."""

    layout: PageLayout
    angle: float
    dpi: float


def render_dpi(native: float | None) -> float:
    """A scan's own resolution (None when unknown) → the resolution to read the page at."""
    return MAX_DPI if native is None else min(MAX_DPI, max(MIN_DPI, native))


def gray_to_layout(gray: Gray, dpi: float, number: int, width: float, height: float) -> ScannedPage:
    """A page rendered in grey at `dpi` → its layout in points (deskewed, turned upright), as if it had a text layer."""
    clean = clean_page(gray, dpi)
    first = image_to_words(clean.image, dpi)
    turns = upright_turns(clean.image, dpi) if reads_badly(first) else 0
    if turns:
        gray = np.ascontiguousarray(np.rot90(gray, turns))
        width, height = (height, width) if turns % 2 else (width, height)
        clean = clean_page(gray, dpi)
        first = image_to_words(clean.image, dpi)
    found = reread_tangled_columns(clean.image, dpi, first, clean.rules)
    found = add_missed_words(found, clean.image, clean.ink, dpi)
    found = tidy_words([trim_to_ink(w, clean.ink) for w in found], clean, dpi)
    found = drop_rule_pieces(reread_doubtful(clean.image, dpi, found, [_doubtful(w) for w in found]), clean, dpi)
    found = fix_case(found, clean.ink)
    faint = np.asarray(clean.image) <= PAPER_LEVEL  # every mark left on the paper, however light
    found = letters_by_ink(found, clean.ink, faint, lambda box: read_glyph(clean.image, dpi, box))
    found = case_from_ink(found, clean.ink)
    found = mend_brackets(respell_from_page(found))
    words = ocr_to_words(found, clean, dpi)
    layout = PageLayout(
        number=number,
        width=width,
        height=height,
        lines=words_to_lines(words),
        rules=restore_lost_rules(clean.rules, words),
        shades=clean.shades,
        image_count=1,
        char_count=sum(len(w.text) for w in words),
    )
    return ScannedPage(layout, clean.angle, dpi)


def tidy_words(found: list[OcrWord], clean: CleanPage, dpi: float) -> list[OcrWord]:
    """OCR words → without characters read from blank paper or from what is left of an erased rule, and split where
    a column gap runs through them."""
    ink = clean.ink
    px = dpi / 72.0
    rules = [Rule(r.orientation, r.position * px, r.start * px, r.end * px) for r in clean.rules]
    caps = _cap_heights(found)
    tidy: list[OcrWord] = []
    for word in found:
        inked = len(ink_pieces(ink, word)) == len(word.symbols)  # then every character has ink, whatever its box
        mark = ends_in_mark(ink, word)  # and a final full stop or comma has its ink last
        kept = [s for i, s in enumerate(word.symbols)
                if (inked or _has_ink(ink, s) or (mark and i == len(word.symbols) - 1 and s.text in ".,"))
                and not _is_ghost(s, word, rules, caps)]
        if len(kept) == len(word.symbols) and not _gaps(kept, word):
            tidy.append(word)
            continue
        pieces: list[list[Symbol]] = []
        for i, symbol in enumerate(kept):
            if i == 0 or i in _gaps(kept, word):
                pieces.append([symbol])
            else:
                pieces[-1].append(symbol)
        for piece in pieces:
            confidence = min(word.confidence if len(pieces) == 1 and len(kept) == len(word.symbols) else 100.0,
                             *(s.confidence for s in piece))
            tidy.append(OcrWord("".join(s.text for s in piece), min(s.x0 for s in piece), min(s.top for s in piece),
                                max(s.x1 for s in piece), max(s.bottom for s in piece), confidence, word.line,
                                word.baseline, word.row_height, tuple(piece)))
    return fix_case(join_split_words([w for w in tidy if not _is_stray_mark(w)]), ink)


def drop_rule_pieces(found: list[OcrWord], clean: CleanPage, dpi: float) -> list[OcrWord]:
    """OCR words (some read again alone, with whatever ink their box held) → without the characters read from a
    piece of a rule."""
    px = dpi / 72.0
    rules = [Rule(r.orientation, r.position * px, r.start * px, r.end * px) for r in clean.rules]
    caps = _cap_heights(found)
    kept_words: list[OcrWord] = []
    for word in found:
        kept = [s for s in word.symbols if not _is_ghost(s, word, rules, caps)]
        if len(kept) == len(word.symbols):
            kept_words.append(word)
        elif kept:
            kept_words.append(OcrWord("".join(s.text for s in kept), min(s.x0 for s in kept), min(s.top for s in kept),
                                      max(s.x1 for s in kept), max(s.bottom for s in kept), word.confidence, word.line,
                                      word.baseline, word.row_height, tuple(kept)))
    return kept_words


def join_split_words(found: list[OcrWord]) -> list[OcrWord]:
    """OCR words → words split by a gap much narrower than the line's word spaces joined again ("Deploy ment"); words
    whose boxes overlap are left apart (Tesseract's boxes are off there: split_at_spaces measures their ink)."""
    lines: dict[int, list[OcrWord]] = {}
    for w in found:
        lines.setdefault(w.line, []).append(w)
    joined: list[OcrWord] = []
    for words in lines.values():
        words.sort(key=lambda w: w.x0)
        em = words[0].row_height * SIZE_PER_ROW_HEIGHT
        pairs = [(a, b) for a, b in zip(words, words[1:], strict=False) if 0 <= b.x0 - a.x1 < em]
        narrow = JOIN_GAP_SHARE * statistics.median(b.x0 - a.x1 for a, b in pairs) if len(pairs) >= 3 else 0.0
        out = [words[0]]
        for w in words[1:]:
            last = out[-1]
            if last.text[-1:].isalpha() and 0 <= w.x0 - last.x1 < narrow and w.text[:1].islower():
                out[-1] = OcrWord(last.text + w.text, last.x0, min(last.top, w.top), w.x1, max(last.bottom, w.bottom),
                                  min(last.confidence, w.confidence), last.line, last.baseline, last.row_height,
                                  last.symbols + w.symbols)
            else:
                out.append(w)
        joined += out
    return joined


def _is_stray_mark(word: OcrWord) -> bool:
    """Whether a word is one punctuation mark that never stands alone in text (a speck read as a comma)."""
    return len(word.text) == 1 and word.text in STRAY_MARKS


def _has_ink(ink: Mask, symbol: Symbol) -> bool:
    box = ink[max(symbol.top, 0):symbol.bottom, max(symbol.x0, 0):symbol.x1]
    return box.size > 0 and float(box.mean()) >= MIN_SYMBOL_INK


def _is_ghost(symbol: Symbol, word: OcrWord, rules: list[Rule], caps: dict[int, float]) -> bool:
    """Whether a character is a phantom Tesseract reads where a rule was erased: a dash or bar along a rule, or a
    bar much taller than its line's capitals (a narrow bar elsewhere is a letter or digit misread, read again); or
    a bar much shorter than them (a speck); or a bar or quote mark on a vertical rule's line, reaching its found
    pieces (a skewed one-bit scan breaks a vertical rule into pieces, and pieces too short to be found are left for
    OCR)."""
    if symbol.text not in RULE_LIKE and symbol.text not in VRULE_PIECES:
        return False
    cap = caps.get(word.line, 0.0)
    if symbol.text == "|" and cap and not SPECK_HEIGHT * cap <= symbol.bottom - symbol.top <= GHOST_HEIGHT * cap:
        return True
    near = GHOST_NEAR_RULE * word.row_height
    for rule in rules:
        if rule.orientation == "v" and symbol.text in VRULE_PIECES:
            along = symbol.top <= rule.end + near and symbol.bottom >= rule.start - near
            on_line = (abs(rule.position - (symbol.x0 + symbol.x1) / 2) <= near if symbol.text == "|"
                       else symbol.x0 - 1 <= rule.position <= symbol.x1 + 1)
            if along and on_line:
                return True
        if rule.orientation == "h" and symbol.text in RULE_LIKE and symbol.text != "|":
            along = rule.start - near <= (symbol.x0 + symbol.x1) / 2 <= rule.end + near
            if along and abs(rule.position - (symbol.top + symbol.bottom) / 2) <= near:
                return True
    return False


def _doubtful(word: OcrWord) -> bool:
    """Whether a word should be read again alone: OCR is unsure of it, or it holds a bar (a misread 1, l or I)."""
    return word.confidence < REREAD_BELOW or "|" in word.text


def _cap_heights(found: list[OcrWord]) -> dict[int, float]:
    """OCR words → per OCR line, the height (pixels) of its capitals (letters whose shape shows their case), or the
    page's where a line has none."""
    caps: dict[int, list[int]] = {}
    for w in found:
        for s in w.symbols:
            if s.text in CAP_SHAPES:
                caps.setdefault(w.line, []).append(s.bottom - s.top)
    everywhere = [h for hs in caps.values() for h in hs]
    page = statistics.median(everywhere) if everywhere else 0.0
    return {w.line: statistics.median(caps[w.line]) if w.line in caps else page for w in found}


def _gaps(symbols: list[Symbol], word: OcrWord) -> set[int]:
    """Characters of one word → indexes of those that stand after a column-wide gap."""
    limit = SPLIT_GAP_EM * word.row_height * SIZE_PER_ROW_HEIGHT
    return {i for i in range(1, len(symbols)) if symbols[i].x0 - symbols[i - 1].x1 > limit}


def ocr_to_words(found: list[OcrWord], clean: CleanPage, dpi: float) -> list[Word]:
    """OCR words in pixels → layout words in points: boxes from each line's baseline and size, bold from strokes."""
    scale = 72.0 / dpi
    sizes = line_sizes(found, dpi)
    runs = _runs(found, sizes, scale)
    strokes = [_stroke(clean.ink, run) / (sizes[run[0].line] / scale) for run in runs]
    usual = statistics.median(strokes) if strokes else 0.0
    words: list[Word] = []
    for run, stroke in zip(runs, strokes, strict=True):
        bold = usual > 0 and stroke > BOLD_STROKE_RATIO * usual
        for w in run:
            size = sizes[w.line]
            baseline = w.baseline * scale
            bearing = SIDE_BEARING * size
            words.append(Word(text=w.text, x0=w.x0 * scale - bearing, x1=w.x1 * scale + bearing,
                              top=baseline - ASCENT * size,
                              bottom=baseline + DESCENT * size, bold=bold, size=size, confidence=w.confidence))
    return words


def _runs(found: list[OcrWord], sizes: dict[int, float], scale: float) -> list[list[OcrWord]]:
    """OCR words → runs of words on one line with no wide gap between them (a cell's line, a term)."""
    runs: list[list[OcrWord]] = []
    for w in sorted(found, key=lambda w: (w.line, w.x0)):
        if runs and runs[-1][-1].line == w.line and (w.x0 - runs[-1][-1].x1) * scale <= RUN_GAP_EM * sizes[w.line]:
            runs[-1].append(w)
        else:
            runs.append([w])
    return runs


def _stroke(ink: Mask, run: list[OcrWord]) -> float:
    """The ink of some words → their mean stroke width in pixels (twice the ink area over its outline), measured from
    their first to their last letter or digit where OCR gave their boxes (brackets are thin in bold type too)."""
    area = edges = 0
    for w in run:
        glyphs = [s for s in w.symbols if s.text.isalnum()]
        x0, x1 = (glyphs[0].x0, glyphs[-1].x1) if glyphs else (w.x0, w.x1)
        box = ink[max(w.top, 0):w.bottom, max(x0, 0):x1].astype(np.int8)
        area += int(box.sum())
        edges += int(np.count_nonzero(np.diff(box, axis=0))) + int(np.count_nonzero(np.diff(box, axis=1)))
    return 2.0 * area / edges if edges else 0.0


def native_dpi(page_width: float, image_sizes: list[tuple[float, float]]) -> float | None:
    """A page's width and its images' (pixel width, width in points) → the resolution of its widest image."""
    widest = max(image_sizes, key=lambda s: s[1], default=None)
    if widest is None or widest[1] < 0.5 * page_width or widest[1] <= 0:
        return None
    return widest[0] / widest[1] * 72.0


def scan_pages(path: Path, password: str | None, pages: dict[int, float | None],
               sizes: dict[int, tuple[float, float]]) -> dict[int, ScannedPage]:
    """Page numbers (1-based) with their scans' resolutions → each page rendered in grey and read by OCR."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path, password=password)
    try:
        result = {}
        for number, native in pages.items():
            dpi = render_dpi(native)
            page = document[number - 1]
            bitmap = page.render(scale=dpi / 72.0, grayscale=True)
            gray = np.asarray(bitmap.to_pil().convert("L"), dtype=np.uint8)
            page.close()
            width, height = sizes[number]
            result[number] = gray_to_layout(gray, dpi, number, width, height)
    finally:
        document.close()
    return result

