"""A page's OCR words and vertical rules → the words of a column whose text lines OCR tangled, read again from the
column alone.

With a table's rules erased, Tesseract finds text lines across the whole page. A column whose lines stand between
the lines of the next column (a phase column's text set apart from the rows' text) can have one printed line split
between two found lines, each holding half of its letters ("and Logistics" read as "d Logisti" on one line and
"ANG OBISTIES" on the next). Two found lines whose words in one column stand at the same height show it: text lines
in one column never overlap. The strip between the column's vertical rules is then read again alone, on white
paper, and its words replace those read from the page. Rules are never drawn back for OCR (that splits words of a
row merged across columns).
"""

from __future__ import annotations

from PIL import Image

from pipeline.read.layout import Rule
from pipeline.read.ocr import OcrWord, Symbol, image_to_words, on_white

#: Two vertical rules bound one column when they run beside each other over at least this share of the longer one (a
#: short rule in a header cell bounds no column of the body).
SAME_STRETCH = 0.8
#: Words of two found lines in one column are tangled when their boxes overlap (across, and down by this share of the
#: taller box).
TANGLED = 0.5
#: The strip is cut this many pixels inside its rules (what is left of an erased rule stays out) and read on white
#: paper with a border of this many pixels.
INSET = 2
BORDER = 20


def reread_tangled_columns(image: Image.Image, dpi: float, words: list[OcrWord], rules: list[Rule]) -> list[OcrWord]:
    """OCR words of a page (pixels) and its rules (points) → with each column whose found lines are tangled read
    again alone."""
    px = dpi / 72.0
    for x0, top, x1, bottom in column_strips(rules, px):
        inside = [w for w in words if x0 <= (w.x0 + w.x1) / 2 < x1 and top <= (w.top + w.bottom) / 2 < bottom]
        if not tangled(inside):
            continue
        again = _read_strip(image, dpi, (x0 + INSET, top + INSET, x1 - INSET, bottom - INSET),
                            max((w.line for w in words), default=-1) + 1)
        if again:
            words = [w for w in words if w not in inside] + again
    return words


def column_strips(rules: list[Rule], px: float) -> list[tuple[int, int, int, int]]:
    """A page's rules (points) and pixels per point → the strips (x0, top, x1, bottom; pixels) between each vertical
    rule and the next one to its right that runs beside it."""
    verticals = sorted((r for r in rules if r.orientation == "v"), key=lambda r: r.position)
    strips: list[tuple[int, int, int, int]] = []
    for i, left in enumerate(verticals):
        for right in verticals[i + 1:]:
            top, bottom = max(left.start, right.start), min(left.end, right.end)
            longer = max(left.end - left.start, right.end - right.start)
            if right.position > left.position and bottom - top >= SAME_STRETCH * longer > 0:
                strips.append((round(left.position * px), round(top * px), round(right.position * px),
                               round(bottom * px)))
                break
    return strips


def tangled(words: list[OcrWord]) -> bool:
    """Words of one column → whether two of OCR's lines hold words standing at the same height, in the same place
    (words side by side may be two columns' lines that OCR numbered apart)."""
    texts = [w for w in words if any(c.isalnum() for c in w.text)]  # specks and rule pieces stand anywhere
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if a.line == b.line:
                continue
            overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
            beside = min(a.x1, b.x1) <= max(a.x0, b.x0)
            if not beside and overlap > 0 and overlap >= TANGLED * max(a.bottom - a.top, b.bottom - b.top):
                return True
    return False


def _read_strip(image: Image.Image, dpi: float, box: tuple[int, int, int, int], first_line: int) -> list[OcrWord]:
    """A strip of a page image (x0, top, x1, bottom; pixels) → the words read on it alone, in page pixels, their lines
    numbered from `first_line`."""
    x0, top, x1, bottom = box
    if x1 <= x0 or bottom <= top:
        return []
    dx, dy = x0 - BORDER, top - BORDER
    read = image_to_words(on_white(image.crop(box), BORDER), dpi)
    return [OcrWord(w.text, w.x0 + dx, w.top + dy, w.x1 + dx, w.bottom + dy, w.confidence, first_line + w.line,
                    w.baseline + dy, w.row_height,
                    tuple(Symbol(s.text, s.x0 + dx, s.top + dy, s.x1 + dx, s.bottom + dy, s.confidence)
                          for s in w.symbols))
            for w in read]
