"""OCR words and the page's ink → the characters their ink contradicts put right.

Tesseract reads a word from its whole shape and its neighbours; the ink under a single character can prove it wrong:
a full stop has no tail below the baseline and a comma has one; a small letter never rises as high as a capital;
an apostrophe is a short stroke standing alone above the small letters. Each check here measures that ink in the
deskewed page mask and changes a character only when the measure is clear.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
from scipy import ndimage

from pipeline.read.ocr import OcrWord, Symbol
from pipeline.read.shading import Mask

#: A mark whose ink reaches below the baseline by at least this share of its line's height has a tail (a comma);
#: one reaching at most NO_TAIL has none (a full stop). Measured on the fixtures' scans with every non-paper pixel as
#: ink: commas 0.085–0.19, stops ≤ 0.031 (with dark pixels only, a faint tail made a comma 0.028 deep).
TAIL = 0.07
NO_TAIL = 0.05
#: Ink starting higher than this share of the line's height above the baseline is a letter's, not the mark's.
MARK_TOP = 0.35
#: A full stop or comma's head is at most this share of the line's height wide.
MARK_WIDTH = 0.25

#: Small letters as high as the x-height only; among them those whose capitals have the same shape, only bigger.
X_HEIGHT_LETTERS = frozenset("acemnorsuvwxz")
CASE_ALIKE = frozenset("cosuvwxz")
#: Small letters that rise as high as capitals: a word read with one has tall ink that letter explains.
ASCENDERS = frozenset("bdfhklt")
#: A letter's strokes come down to within this share of the line's height above the baseline.
LOW_BAND = 0.35
#: Ink is looked for this many line heights above the baseline (capitals rise about one line height).
REACH = 1.15
#: How high capitals and small letters rise, as shares of Tesseract's line height, on a page with fewer than
#: MIN_SAMPLES words of either kind to measure (measured on the fixtures: 0.75–0.81 and 0.55–0.61).
CAP_RISE, X_RISE = 0.78, 0.58
MIN_SAMPLES = 3
#: Touching letters are cut apart only where a letter's box ends at least this share of their ink's width from its
#: edges.
CUT_MARGIN = 0.25
#: A letter is as tall as a capital only when its ink also rises this many times as high as the page's small letters.
ABOVE_SMALL = 1.15
#: Short words only (acronyms, role names): in longer words Tesseract's dictionary already settles the case.
MAX_CAPITALS_WORD = 5
#: Inside a word, a gap between two pieces of ink at least this share of its line's usual word space, and this many
#: times as wide as any other gap between its letters, is a space Tesseract missed (lines with at least MIN_SPACES
#: word spaces only).
SPACE_SHARE = 0.75
LETTER_GAPS = 2.0
MIN_SPACES = 3
#: Ink after a word's box, closer to its last piece than this share of a word space, is still the word's.
RUN_ON = 0.5

#: An apostrophe is a stroke at least this much taller than wide, no taller than this share of the line's height,
#: standing clear of the baseline by at least this share of the x-height, with no ink under it so low.
APOSTROPHE_ASPECT = 1.4
APOSTROPHE_MAX = 0.5
APOSTROPHE_ABOVE = 0.5
#: ... and at least this share of the x-height tall (shorter ink is a speck), its top at least APOSTROPHE_TOP
#: x-heights above the baseline (it hangs from the capitals' height; a letter's stroke broken off in a low-resolution
#: scan, a v's or w's arm parted at the vertex, ends at the x-height).
APOSTROPHE_MIN = 0.25
APOSTROPHE_TOP = 1.15

#: Reads the ink in one box (x0, top, x1, bottom; pixels) as a single character ("" when nothing is read).
ReadGlyph = Callable[[tuple[int, int, int, int]], str]


def end_mark(word: OcrWord, ink: Mask) -> OcrWord:
    """A word ending in a comma → a full stop when the mark's ink has no tail below the baseline."""
    if len(word.symbols) < 2 or word.text[-1:] not in ",." or word.symbols[-1].text not in ",.":
        return word
    below = _mark_depth(word, word.symbols[-1], ink)
    if below is None:
        return word
    if word.text[-1] != "," or below > NO_TAIL * word.row_height:
        return word  # only a comma with no tail is put right: a tail found under a full stop may be a letter's
    mark = "."
    return replace(word, text=word.text[:-1] + mark, symbols=(*word.symbols[:-1], replace(word.symbols[-1], text=mark)))


def _mark_depth(word: OcrWord, mark: Symbol, ink: Mask) -> float | None:
    """How far (pixels) the largest low ink blob under a punctuation mark's box reaches below the baseline."""
    height = word.row_height
    top, bottom = max(round(word.baseline - 0.5 * height), 0), round(word.baseline + 0.5 * height)
    window = ink[top:bottom, max(mark.x0 - 2, 0):mark.x1 + 3]
    labels, _ = ndimage.label(window)
    best: tuple[int, float] | None = None
    for k, found in enumerate(ndimage.find_objects(labels), 1):
        if found is None or not word.baseline - MARK_TOP * height <= top + found[0].start < word.baseline:
            continue  # a letter's ink, or the line below's
        area = int(np.count_nonzero(labels[found] == k))
        if best is None or area > best[0]:
            best = (area, top + found[0].stop - word.baseline)
    return None if best is None else best[1]


def capitals_by_ink(words: list[OcrWord], ink: Mask, read_glyph: ReadGlyph) -> list[OcrWord]:
    """OCR words → a short word whose every letter stands as tall as a capital but that was read with small letters
    of another shape ("ve", "vce") read again letter by letter, in capitals ("VC"). Heights are measured against
    the page's own capitals and small letters. A word read with a small letter that rises (d in "End") is left:
    touching its neighbour in bold type, that letter makes their ink tall."""
    heights: tuple[float, float, float] | None = None  # measured once, and only when a word needs them
    fixed = []
    for word in words:
        core = letter_core(word)
        letters = word.text[core[0]:core[1]] if core else ""
        if core is None or not any(c in X_HEIGHT_LETTERS - CASE_ALIKE for c in letters) or any(
                c in ASCENDERS for c in letters):
            fixed.append(word)
            continue
        first, last = core
        if heights is None:
            heights = _case_heights(words, ink)
        cap, small, small_px = heights
        above_small = ABOVE_SMALL * small_px  # Tesseract's line height can be wrong: a tall letter is tall in pixels
        pieces = _letter_spans(ink, word, first, last, exact=False)
        rises = [stroke_rise(ink, word, x0, x1) for x0, x1 in pieces]
        if not pieces or max(rises) >= round(REACH * word.row_height) - 1:  # the line above's ink reaches in
            fixed.append(word)
            continue
        new = None
        taller = [r >= max((small + 0.5 * (cap - small)) * word.row_height, above_small) for r in rises]
        if len(pieces) >= 2 and all(taller):
            new = _read_each(pieces, word, read_glyph)
        fixed.append(word if new is None or new == letters else
                     replace(word, text=word.text[:first] + new + word.text[last:]))
    return fixed


def _letter_spans(ink: Mask, word: OcrWord, first: int, last: int, exact: bool = True) -> list[tuple[int, int]]:
    """The letters of a word → the runs of columns their ink fills; where there are fewer runs than letters (letters
    that touch), a run is cut where one letter's box ends well inside it (not near its edges: boxes overlap). No
    runs when the letters' boxes begin or end inside ink and `exact` is asked for."""
    symbols = word.symbols[first:last]
    x0, x1 = symbols[0].x0, symbols[-1].x1
    if exact and (_above_baseline(ink, word, x0 - 1, x0).any() or _above_baseline(ink, word, x1, x1 + 1).any()):
        return []  # the letters' boxes cut through ink: they do not stand where the ink is
    spans = _ink_spans(ink, word, x0, x1)
    if len(spans) >= len(symbols):
        return spans
    cuts = [(a.x1 + b.x0) // 2 for a, b in zip(symbols, symbols[1:], strict=False)]
    pieces = []
    for x0, x1 in spans:
        margin = CUT_MARGIN * (x1 - x0)
        edges = [x0, *(c for c in cuts if x0 + margin < c < x1 - margin), x1]
        pieces += list(zip(edges, edges[1:], strict=False))
    return pieces


def letter_core(word: OcrWord) -> tuple[int, int] | None:
    """A word → where its letters stand among its characters (punctuation around them left out), when it is a short
    word of letters read character by character (None otherwise)."""
    text = word.text
    if len(word.symbols) != len(text):
        return None
    first = next((i for i, c in enumerate(text) if c.isalpha()), len(text))
    last = len(text) - next((i for i, c in enumerate(reversed(text)) if c.isalpha()), len(text))
    letters = text[first:last]
    if not letters or not letters.isalpha() or len(letters) > MAX_CAPITALS_WORD or not word.row_height:
        return None
    return first, last


def _read_each(spans: list[tuple[int, int]], word: OcrWord, read_glyph: ReadGlyph) -> str | None:
    """Ink spans of one word, all as tall as capitals → each read alone as one capital (None when one is not a letter,
    or when the word has fewer than two)."""
    if len(spans) < 2:
        return None
    out = []
    for span in spans:
        letter = _glyph(read_glyph, span, word)
        if letter is None:
            return None
        out.append(letter.upper())
    return "".join(out)


def _glyph(read_glyph: ReadGlyph, span: tuple[int, int], word: OcrWord) -> str | None:
    """One letter's ink span → the letter read alone (its first character; None when that is not a letter)."""
    text = read_glyph((span[0], word.top, span[1], max(word.bottom, round(word.baseline))))
    return text[0] if text[:1].isalpha() else None


def _ink_spans(ink: Mask, word: OcrWord, x0: int, x1: int) -> list[tuple[int, int]]:
    """A stretch of a word → its runs of columns holding ink above the baseline (one a letter, unless they touch)."""
    columns = [bool(c) for c in np.count_nonzero(_above_baseline(ink, word, x0, x1), axis=0)]
    spans: list[tuple[int, int]] = []
    start = None
    for i, filled in enumerate([*columns, False]):
        if filled and start is None:
            start = i
        elif not filled and start is not None:
            spans.append((x0 + start, x0 + i))
            start = None
    return spans


def stroke_rise(ink: Mask, word: OcrWord, x0: int, x1: int) -> int:
    """How high the ink between two columns of a word rises above its baseline (pixels), counting only strokes that
    come down near the baseline (not the line above's descenders, nor an apostrophe or the dot of an i)."""
    box = _above_baseline(ink, word, x0, x1)
    if not box.any():
        return 0
    labels, _ = ndimage.label(box, structure=np.ones((3, 3), dtype=bool))  # diagonal steps join a curve
    low = round(box.shape[0] - LOW_BAND * word.row_height)
    tops = [found[0].start for found in ndimage.find_objects(labels) if found is not None]
    rising = [found[0].start for found in ndimage.find_objects(labels) if found is not None and found[0].stop > low]
    return int(box.shape[0] - min(rising or tops))


def grounded_rises(ink: Mask, word: OcrWord, spans: list[tuple[int, int]]) -> list[int]:
    """How high a word's ink rises above its baseline (pixels) between each pair of columns, counting only ink joined
    to strokes that come down near the baseline across the whole word (a letter touching the next, as on a
    thresholded scan, is still measured; the line above's descenders are not)."""
    box = _above_baseline(ink, word, word.x0, word.x1)
    if not box.any():
        return [0] * len(spans)
    labels, _ = ndimage.label(box, structure=np.ones((3, 3), dtype=bool))
    low = round(box.shape[0] - LOW_BAND * word.row_height)
    grounded = np.unique(labels[low:])
    kept = np.isin(labels, grounded[grounded > 0])
    rises = []
    for x0, x1 in spans:
        rows = np.flatnonzero(kept[:, max(x0 - word.x0, 0):max(x1 - word.x0, 0)].any(axis=1))
        rises.append(int(box.shape[0] - rows[0]) if len(rows) else 0)
    return rises


def ink_top(ink: Mask, word: OcrWord, x0: int, x1: int) -> int:
    """How high any ink between two columns of a word rises above its baseline (pixels)."""
    box = _above_baseline(ink, word, x0, x1)
    rows = np.flatnonzero(box.any(axis=1))
    return int(box.shape[0] - rows[0]) if len(rows) else 0


def _above_baseline(ink: Mask, word: OcrWord, x0: int, x1: int) -> Mask:
    """The ink between two columns of a word, from its baseline up to a capital's height and a little more (not so
    high as the line above's descenders)."""
    baseline = round(word.baseline)
    return ink[max(baseline - round(REACH * word.row_height), 0):baseline, max(x0, 0):max(x1, x0)]


def _case_heights(words: list[OcrWord], ink: Mask) -> tuple[float, float, float]:
    """OCR words → how high the page's capitals and its small letters rise, as shares of their line's height, and
    its small letters in pixels (medians over words in capitals only and over words of x-height letters only; usual
    values where a page has too few such words)."""
    caps, small, small_px = [], [], []
    for w in words:
        letters = w.text.strip(".,;:()'’")
        if len(letters) < 2 or not letters.isalpha() or not w.row_height:
            continue
        if letters.isupper() and not set(letters.lower()) <= CASE_ALIKE:
            caps.append(stroke_rise(ink, w, w.x0, w.x1) / w.row_height)
        elif set(letters) <= X_HEIGHT_LETTERS:
            small_px.append(stroke_rise(ink, w, w.x0, w.x1))
            small.append(small_px[-1] / w.row_height)
    heights = [w.row_height for w in words if w.row_height]
    usual = X_RISE * float(np.median(heights)) if heights else 0.0
    return (float(np.median(caps)) if len(caps) >= MIN_SAMPLES else CAP_RISE,
            float(np.median(small)) if len(small) >= MIN_SAMPLES else X_RISE,
            float(np.median(small_px)) if len(small_px) >= MIN_SAMPLES else usual)


def apostrophe(word: OcrWord, ink: Mask, small: float) -> OcrWord:
    """A word read without an apostrophe → with one where its ink shows a short upright stroke standing alone
    between two letters, above the small letters and over no letter ("Resellers" → "Reseller's")."""
    text = word.text
    if len(text) < 3 or len(word.symbols) != len(text) or not text.isalpha() or not word.row_height:
        return word
    height, baseline = word.row_height, round(word.baseline)
    top = max(baseline - round(REACH * height), 0)
    window = ink[top:baseline, max(word.x0, 0):word.x1]
    labels, _ = ndimage.label(window)
    x_line = small * height
    letters_top = window.shape[0] - stroke_rise(ink, word, word.x0, word.x1)  # where the letters' own ink begins
    for found in ndimage.find_objects(labels):
        if found is None or found[0].start < letters_top - APOSTROPHE_ABOVE * x_line:
            continue  # higher than the letters: the line above's descender
        rows, cols = found
        tall, wide = rows.stop - rows.start, cols.stop - cols.start
        above = baseline - (top + rows.stop)  # how far its bottom stands above the baseline
        below = window[window.shape[0] - round(APOSTROPHE_ABOVE * x_line):, cols]  # the band under it, near the line
        if (tall < APOSTROPHE_ASPECT * wide or tall > APOSTROPHE_MAX * height or tall < APOSTROPHE_MIN * x_line
                or above < APOSTROPHE_ABOVE * x_line or above + tall < APOSTROPHE_TOP * x_line or below.any()):
            continue
        middle = word.x0 + (cols.start + cols.stop) / 2
        at = sum((s.x0 + s.x1) / 2 < middle for s in word.symbols)
        if 0 < at < len(text):
            return replace(word, text=text[:at] + "'" + text[at:])
    return word


def letters_by_ink(words: list[OcrWord], ink: Mask, faint: Mask, read_glyph: ReadGlyph) -> list[OcrWord]:
    """A page's OCR words and its ink → each word's final comma or full stop, lost apostrophe and letter case as
    the ink shows them, and words parted where their ink leaves a word space (see split_at_spaces, end_mark,
    apostrophe and capitals_by_ink; lettercase.case_from_ink follows). `faint` is every mark on the paper, however
    light: a comma's thin tail may be lighter than ink."""
    words = split_at_spaces(words, ink)
    _, small, _ = _case_heights(words, ink)
    marked = [apostrophe(end_mark(w, faint), ink, small) for w in words]
    return capitals_by_ink(marked, ink, read_glyph)


def trim_to_ink(word: OcrWord, ink: Mask) -> OcrWord:
    """A word → its box's left and right edges moved in to its ink (Tesseract's last letter box often runs on into
    the space after it, which then looks too narrow to part two words); its characters' boxes stay as read."""
    columns = np.flatnonzero(np.count_nonzero(ink[max(word.top, 0):word.bottom, max(word.x0, 0):word.x1], axis=0))
    if not len(columns) or not word.symbols:
        return word
    x0, x1 = max(word.x0, 0) + int(columns[0]), max(word.x0, 0) + int(columns[-1]) + 1
    if (x0, x1) == (word.x0, word.x1):
        return word
    return replace(word, x0=x0, x1=x1)


def split_at_spaces(words: list[OcrWord], ink: Mask) -> list[OcrWord]:
    """OCR words → a word whose ink parts into one piece per character, with a gap between two pieces as wide as
    the word spaces of its line, parted there ("ECPto" → "ECP", "to"): Tesseract's letter boxes may be off, so the
    characters are given to the ink's pieces in order; ink inside the box of the word before, which Tesseract's
    boxes may overlap, is that word's."""
    lines: dict[int, list[OcrWord]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    spaces: dict[int, float] = {}
    ends: dict[int, int] = {}  # id of a word → where the next word on its line starts
    starts: dict[int, int] = {}  # id of a word → where the word before it on its line ends
    for line, group in lines.items():
        group = sorted(group, key=lambda w: w.x0)
        gaps = [b.x0 - a.x1 for a, b in zip(group, group[1:], strict=False) if b.x0 > a.x1]
        if len(gaps) >= MIN_SPACES:
            spaces[line] = float(np.median(gaps))
        ends.update({id(a): b.x0 for a, b in zip(group, group[1:], strict=False)})
        starts.update({id(b): a.x1 for a, b in zip(group, group[1:], strict=False)})
    out: list[OcrWord] = []
    for word in words:
        space = spaces.get(word.line)
        if space is None or len(word.text) < 2 or len(word.symbols) != len(word.text):
            out.append(word)
            continue
        end = max(ends.get(id(word), int(ink.shape[1])), word.x1)
        start = min(max(starts.get(id(word), 0), word.x0), word.x1)  # ink in the box before is that word's
        pieces = _run_on(_ink_spans(ink, word, start, end), word.x1, space)
        if len(pieces) != len(word.text):
            out.append(word)
            continue
        inner = [b[0] - a[1] for a, b in zip(pieces, pieces[1:], strict=False)]
        cut = max(range(len(inner)), key=inner.__getitem__)
        others = inner[:cut] + inner[cut + 1:]
        if inner[cut] < SPACE_SHARE * space or (others and inner[cut] < LETTER_GAPS * max(others)):
            out.append(word)
            continue
        for part, (x0, x1) in ((slice(0, cut + 1), (pieces[0][0], pieces[cut][1])),
                               (slice(cut + 1, None), (pieces[cut + 1][0], pieces[-1][1]))):
            out.append(replace(word, text=word.text[part], x0=x0, x1=x1, symbols=word.symbols[part]))
    return out


def _run_on(pieces: list[tuple[int, int]], x1: int, space: float) -> list[tuple[int, int]]:
    """Pieces of ink from a word's start to the next word's → those inside its box, and those after it still
    closer together than half a word space (Tesseract's box may stop short of its last letters)."""
    kept = [p for p in pieces if p[0] < x1]
    for piece in pieces[len(kept):]:
        if not kept or piece[0] - kept[-1][1] >= RUN_ON * space:
            break
        kept.append(piece)
    return kept


def ink_pieces(ink: Mask, word: OcrWord) -> list[tuple[int, int]]:
    """A word → the runs of columns its ink fills above the baseline, across its whole box (one per character unless
    characters touch or one is broken)."""
    return _ink_spans(ink, word, word.x0, word.x1)


def ends_in_mark(ink: Mask, word: OcrWord) -> bool:
    """Whether a word's ink ends in a piece as small and low as a full stop or a comma's head (its letters before)."""
    pieces = ink_pieces(ink, word)
    if len(pieces) < 2 or not word.row_height:
        return False
    x0, x1 = pieces[-1]
    return x1 - x0 <= MARK_WIDTH * word.row_height and stroke_rise(ink, word, x0, x1) <= MARK_TOP * word.row_height
