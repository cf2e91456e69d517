"""OCR words → each line's font size in points: from Tesseract's row height, or from the fixed advance of type in
which every character is as wide as the next (Courier and its clones)."""

from __future__ import annotations

import statistics

from pipeline.read.lettercase import SAME_BASELINE
from pipeline.read.ocr import OcrWord

#: Tesseract's row height (x-height plus ascenders, whole pixels) → the font size: 10 pt Helvetica reads as 38 pixels
#: at 300 dpi, the same whether the scan was grey or black-and-white and turned back (the height the ink rises to is
#: not: thresholding and turning a scan thickens its strokes). Faces with larger x-heights read a little larger.
SIZE_PER_ROW_HEIGHT = 1.096
#: A monospaced face advances every character this share of its size (Courier, Courier New, Liberation and Nimbus
#: Mono: 600 of 1000 units). Its row height says less: Courier's short ascenders read 8 pt as 6.9 to 7.4.
MONO_ADVANCE = 0.6
#: A line is set in a monospaced face when at least this share of the steps between its characters' centres (within
#: words) lie within MONO_SPREAD of their median; proportional faces measure 0.1 to 0.4, Courier 0.9 or more.
MONO_SHARE = 0.8
MONO_SPREAD = 0.1
#: The fewest steps between characters a line needs for its spacing to be judged.
MONO_STEPS = 8
#: Line sizes within this share of a common size are that size (estimates vary a little from line to line).
SIZE_TOLERANCE = 0.12


def line_sizes(found: list[OcrWord], dpi: float) -> dict[int, float]:
    """OCR words read at `dpi` → per OCR line, its font size in points; sizes that differ only by estimation error
    made equal.

    Lines near the page's usual size (that of most words) get exactly that size; the others are grouped likewise.
    """
    raw = _raw_sizes(found, 72.0 / dpi)
    weights = {line: 0 for line in raw}
    for w in found:
        weights[w.line] += 1
    sizes: dict[int, float] = {}
    left = dict(raw)
    while left:
        ordered = sorted(left, key=left.__getitem__)
        total = sum(weights[line] for line in ordered)
        running, usual = 0, left[ordered[-1]]
        for line in ordered:  # the word-weighted median size of the lines left
            running += weights[line]
            if 2 * running >= total:
                usual = left[line]
                break
        near = [line for line in ordered if abs(left[line] / usual - 1) <= SIZE_TOLERANCE]
        size = round(statistics.median(left[line] for line in near), 1)
        for line in near:
            sizes[line] = size
            del left[line]
    return sizes


def _raw_sizes(found: list[OcrWord], scale: float) -> dict[int, float]:
    """OCR words and points per pixel → per OCR line, its size estimated alone: from its advance where it is set in
    a monospaced face; else from its row height, scaled as the page's monospaced lines are when most lines whose
    spacing can be judged are monospaced (a short line, "AE", in the same type)."""
    by_height = {line: height * scale * SIZE_PER_ROW_HEIGHT for line, height in _row_heights(found).items()}
    steps: dict[int, list[float]] = {}
    for w in found:
        centres = [(s.x0 + s.x1) / 2 for s in w.symbols]
        steps.setdefault(w.line, []).extend(b - a for a, b in zip(centres, centres[1:], strict=False))
    judged = {line: s for line, s in steps.items() if len(s) >= MONO_STEPS}
    mono = {line: statistics.median(s) * scale / MONO_ADVANCE for line, s in judged.items() if _fixed_pitch(s)}
    if not mono:
        return by_height
    sizes = {**by_height, **mono}
    if 2 * len(mono) > len(judged):
        factor = statistics.median(mono[line] / by_height[line] for line in mono)
        sizes.update({line: by_height[line] * factor for line in by_height if line not in judged})
    return sizes


def _fixed_pitch(steps: list[float]) -> bool:
    """Whether the steps between a line's character centres are those of a monospaced face."""
    middle = statistics.median(steps)
    return middle > 0 and sum(abs(s / middle - 1) <= MONO_SPREAD for s in steps) >= MONO_SHARE * len(steps)


def _row_heights(found: list[OcrWord]) -> dict[int, float]:
    """OCR words → per OCR line, Tesseract's row height (pixels); a line without small letters (a term in capitals,
    whose x-height Tesseract cannot see) takes that of a line with small letters on its baseline, if there is one."""
    heights = {w.line: w.row_height for w in found}
    small = {w.line for w in found if any(c.islower() for c in w.text)}
    baselines: dict[int, list[float]] = {}
    for w in found:
        baselines.setdefault(w.line, []).append(w.baseline)
    base = {line: statistics.median(b) for line, b in baselines.items()}
    for line in set(heights) - small:
        beside = [other for other in small
                  if abs(base[other] - base[line]) <= SAME_BASELINE * min(heights[other], heights[line])]
        if beside:
            heights[line] = heights[min(beside, key=lambda other: abs(base[other] - base[line]))]
    return heights
