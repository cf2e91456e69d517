"""A scanned page image → its skew, its ruling lines and shading, and a clean copy for OCR (numpy and scipy only)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image
from scipy import ndimage

from pipeline.read.layout import MAX_RULE_THICKNESS, Rule, Shade, join_collinear

#: Darker than this (0 black … 255 white) is ink.
INK_LEVEL = 160
#: In a black-and-white scan turned back by deskewing, darker than this may be part of a ruling line (a hairline
#: greys out below the ink level when its pixels are resampled); a scan is black-and-white when at most
#: BILEVEL_SHARE of its pixels are mid-grey.
HAIRLINE_LEVEL = 215
BILEVEL_SHARE = 0.01
#: Between these grey levels a pixel may be shading (light fill behind text).
SHADE_LEVELS = (175, 245)
#: Skew angles searched (degrees, either way) and the finest step.
MAX_SKEW = 3.0
SKEW_STEP = 0.02
#: A straight ink run at least this long (points) is part of a ruling line, never of a letter: horizontal runs
#: (a table's rows are wide), vertical runs (a one-line header row is short; letters are shorter still).
MIN_RULE_RUN = 36.0
MIN_VRULE_RUN = 14.0
#: Gaps up to this many points inside a ruling line (scan dropouts) are bridged.
RULE_GAP = 0.5
#: A ruling line is solid: at least this share of its length is ink (letters touching along a baseline are not).
RULE_FILL = 0.95
#: A ruling line is at most this thick (points); thicker solid ink is not a rule.
MAX_RULE_WIDTH = 3.0
#: Pixels this many points around a ruling line are erased with it (its blurred edge would read as a dash).
RULE_MARGIN = 0.75
#: Lighter than this is paper (or shading) and is whitened before OCR.
PAPER_LEVEL = 200
#: An ink pixel with at most this many ink neighbours is a scanner speck (strokes are thicker).
SPECK_NEIGHBOURS = 1
#: Shading cells are this many points square; a cell counts as shaded when this share of it is light grey.
SHADE_CELL = 3.0
SHADE_SHARE = 0.5
#: A box at least this share of ink, and this wide (points), is a solid dark fill (white text on black).
DARK_SHARE = 0.7
MIN_DARK_WIDTH = 30.0
#: Shading smaller than this (points) either way is ignored.
MIN_SHADE = 6.0

Gray = NDArray[np.uint8]
Mask = NDArray[np.bool_]


@dataclass
class CleanPage:
    """A deskewed page: the image to read words from, and the rules and shading found on it (in points)."""

    image: Image.Image
    ink: Mask
    angle: float
    rules: list[Rule]
    shades: list[Shade]


def estimate_skew(ink: Mask, max_angle: float = MAX_SKEW, step: float = SKEW_STEP) -> float:
    """An ink mask → the angle (degrees, counter-clockwise positive) its text lines are turned by.

    Projection profiles: ink pixels are projected onto the vertical axis along each candidate slope; the
    slope whose profile is sharpest (largest sum of squares) follows the lines. Coarse search, then fine.
    """
    ys, xs = np.nonzero(ink)
    if len(ys) < 100:
        return 0.0
    if len(ys) > 400_000:  # a sample is as sharp and much faster
        pick = np.random.default_rng(0).choice(len(ys), 400_000, replace=False)
        ys, xs = ys[pick], xs[pick]
    xs_c = xs.astype(np.float64) - ink.shape[1] / 2
    ys_f = ys.astype(np.float64)

    def sharpness(angle: float) -> float:
        shifted = ys_f + xs_c * np.tan(np.radians(angle))
        counts = np.bincount(np.round(shifted - shifted.min()).astype(np.int64))
        return float(np.dot(counts, counts))

    best = 0.0
    for span, stride in ((max_angle, 0.25), (0.3, 0.05), (0.06, step)):
        angles = np.arange(best - span, best + span + stride / 2, stride)
        best = float(max(angles, key=sharpness))
    return round(best, 3) + 0.0  # never -0.0


def rotate(gray: Gray, angle: float) -> Gray:
    """A grey image → turned by `angle` degrees (counter-clockwise), filled with white."""
    if abs(angle) < SKEW_STEP / 2:
        return gray
    turned = Image.fromarray(gray).rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return np.asarray(turned, dtype=np.uint8)


def _runs(mask: Mask) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """A mask → its horizontal runs of True as (row, start, end) arrays, end exclusive."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    rows_s, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)
    return rows_s, starts, ends


def long_runs(mask: Mask, min_length: int, gap: int) -> Mask:
    """A mask → only its horizontal runs at least `min_length` long (runs split by `gap` or fewer pixels joined)."""
    rows, starts, ends = _runs(mask)
    out = np.zeros_like(mask)
    if len(rows) == 0:
        return out
    joined = np.ones(len(rows), dtype=bool)
    joined[1:] = (rows[1:] != rows[:-1]) | (starts[1:] - ends[:-1] > gap)  # True: a new joined run starts here
    first = np.nonzero(joined)[0]
    g_start = starts[joined]
    g_end = np.maximum.reduceat(ends, first)
    g_ink = np.add.reduceat(ends - starts, first)
    g_row = rows[joined]
    keep = ((g_end - g_start) >= min_length) & (g_ink >= RULE_FILL * (g_end - g_start))
    for r, s, e in zip(g_row[keep], g_start[keep], g_end[keep], strict=True):
        out[r, s:e] = True
    return out


def find_rules(ink: Mask, dpi: float) -> tuple[list[Rule], Mask]:
    """An ink mask → ruling lines (in points) and the mask of their pixels."""
    px = dpi / 72.0
    gap = max(1, round(RULE_GAP * px))
    horizontal = long_runs(ink, round(MIN_RULE_RUN * px), gap)
    vertical = long_runs(ink.T, round(MIN_VRULE_RUN * px), gap).T
    rules: list[Rule] = []
    lines = np.zeros_like(ink)
    for orientation, mask in (("h", horizontal), ("v", vertical)):
        labels, count = ndimage.label(mask, structure=np.ones((3, 3), dtype=bool))
        for k, box in enumerate(ndimage.find_objects(labels)[:count], start=1):
            if box is None:
                continue
            ys, xs = box
            thick = (ys.stop - ys.start) if orientation == "h" else (xs.stop - xs.start)
            if thick > MAX_RULE_WIDTH * px:
                continue
            lines[box] |= labels[box] == k
            if orientation == "h":
                rules.append(Rule("h", (ys.start + ys.stop) / 2 / px, xs.start / px, xs.stop / px))
            else:
                rules.append(Rule("v", (xs.start + xs.stop) / 2 / px, ys.start / px, ys.stop / px))
    return join_collinear(rules), lines


def find_shades(gray: Gray, dpi: float) -> list[Shade]:
    """A grey image → boxes (in points) filled with light grey (cell or row shading)."""
    lo, hi = SHADE_LEVELS
    light = (gray >= lo) & (gray <= hi)
    cell = max(1, round(SHADE_CELL * dpi / 72.0))
    h, w = (light.shape[0] // cell) * cell, (light.shape[1] // cell) * cell
    share = light[:h, :w].reshape(h // cell, cell, w // cell, cell).mean(axis=(1, 3))
    shaded = ndimage.binary_closing(share >= SHADE_SHARE, structure=np.ones((3, 3), dtype=bool))
    labels, count = ndimage.label(shaded)
    scale = cell * 72.0 / dpi
    shades = []
    for box in ndimage.find_objects(labels)[:count]:
        if box is None:
            continue
        ys, xs = box
        top, bottom, x0, x1 = ys.start * scale, ys.stop * scale, xs.start * scale, xs.stop * scale
        if x1 - x0 >= MIN_SHADE and bottom - top >= max(MIN_SHADE, MAX_RULE_THICKNESS):
            shades.append(Shade(x0, x1, top, bottom))
    return shades


def find_dark_boxes(ink: Mask, dpi: float) -> list[tuple[int, int, int, int]]:
    """An ink mask → solid dark boxes (pixels: top, bottom, left, right), e.g. a heading row printed white on black."""
    cell = max(1, round(SHADE_CELL * dpi / 72.0))
    h, w = (ink.shape[0] // cell) * cell, (ink.shape[1] // cell) * cell
    share = ink[:h, :w].reshape(h // cell, cell, w // cell, cell).mean(axis=(1, 3))
    dark = ndimage.binary_closing(share >= 0.5, structure=np.ones((1, 7), dtype=bool))  # across light letters
    dark = ndimage.binary_opening(dark, structure=np.ones((3, 3), dtype=bool))  # black text is thinner
    labels, count = ndimage.label(dark)
    boxes = []
    for box in ndimage.find_objects(labels)[:count]:
        if box is None:
            continue
        ys, xs = box
        if (xs.stop - xs.start) * SHADE_CELL >= MIN_DARK_WIDTH and (ys.stop - ys.start) * SHADE_CELL >= MIN_SHADE \
                and float(share[box].mean()) >= DARK_SHARE:
            boxes.append(_grow_box(ink, ys.start * cell, ys.stop * cell, xs.start * cell, xs.stop * cell))
    return _merge_boxes(boxes)


def _merge_boxes(boxes: list[tuple[int, int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Boxes (top, bottom, left, right) → overlapping or touching ones merged into their bounding box."""
    merged = sorted(boxes)
    changed = True
    while changed:
        changed = False
        for i in range(len(merged)):
            for j in range(i + 1, len(merged)):
                a, b = merged[i], merged[j]
                if a[0] <= b[1] and b[0] <= a[1] and a[2] <= b[3] and b[2] <= a[3]:
                    merged[i] = (min(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), max(a[3], b[3]))
                    del merged[j]
                    changed = True
                    break
            if changed:
                break
    return merged


def _grow_box(ink: Mask, top: int, bottom: int, left: int, right: int) -> tuple[int, int, int, int]:
    """A box found on a coarse grid → grown to the solid ink's real edges."""
    def solid_row(y: int) -> bool:
        return 0 <= y < ink.shape[0] and float(ink[y, left:right].mean()) >= DARK_SHARE

    def solid_col(x: int) -> bool:
        return 0 <= x < ink.shape[1] and float(ink[top:bottom, x].mean()) >= DARK_SHARE

    while solid_row(top - 1):
        top -= 1
    while solid_row(bottom):
        bottom += 1
    while solid_col(left - 1):
        left -= 1
    while solid_col(right):
        right += 1
    return top, bottom, left, right


def invert_dark_boxes(gray: Gray, ink: Mask, boxes: list[tuple[int, int, int, int]]) -> None:
    """Light text on dark boxes → dark text on white, in place, in the grey image and in the ink mask."""
    for top, bottom, left, right in boxes:
        area = gray[top:bottom, left:right]
        background = float(np.median(area))
        text = area > (background + 255) / 2
        gray[top:bottom, left:right] = np.where(text, np.uint8(0), np.uint8(255))
        ink[top:bottom, left:right] = text


def box_edges(boxes: list[tuple[int, int, int, int]], dpi: float) -> tuple[list[Rule], list[Shade]]:
    """Dark boxes in pixels → their four sides as rules and the boxes as shading, in points (as a PDF's fill gives)."""
    k = 72.0 / dpi
    rules, shades = [], []
    for top, bottom, left, right in boxes:
        y0, y1, x0, x1 = top * k, bottom * k, left * k, right * k
        rules += [Rule("h", y0, x0, x1), Rule("h", y1, x0, x1), Rule("v", x0, y0, y1), Rule("v", x1, y0, y1)]
        shades.append(Shade(x0, x1, y0, y1))
    return rules, shades


def box_borders(boxes: list[tuple[int, int, int, int]], shape: tuple[int, ...], dpi: float) -> Mask:
    """Dark boxes → a mask of their borders (rules drawn along a dark box merge with it and are not found alone)."""
    outside, inside = round(MAX_RULE_WIDTH * dpi / 72.0), max(1, round(RULE_MARGIN * dpi / 72.0))
    mask = np.zeros(shape[:2], dtype=bool)
    for top, bottom, left, right in boxes:
        mask[max(top - outside, 0):bottom + outside, max(left - outside, 0):right + outside] = True
        mask[top + inside:max(bottom - inside, top + inside), left + inside:max(right - inside, left + inside)] = False
    return mask


def remove_specks(ink: Mask) -> Mask:
    """An ink mask → without isolated specks: ink pixels with at most one ink neighbour (scanner noise)."""
    neighbours = ndimage.correlate(ink.astype(np.uint8), np.ones((3, 3), dtype=np.uint8), mode="constant")
    kept: Mask = ink & (neighbours > SPECK_NEIGHBOURS + 1)
    return kept


def is_bilevel(gray: Gray) -> bool:
    """Whether a grey image holds (nearly) only black and white pixels, as a 1-bit scan does."""
    grey = (gray > 40) & (gray < 215)
    return float(grey.mean()) <= BILEVEL_SHARE


def clean_page(gray: Gray, dpi: float) -> CleanPage:
    """A grey page image → deskewed, its rules and shading found, and rules and specks erased for OCR."""
    raw_ink = gray < INK_LEVEL
    ink = remove_specks(raw_ink)
    gray = np.where(raw_ink & ~ink, np.uint8(255), gray).astype(np.uint8)
    angle = estimate_skew(ink)
    rule_level = INK_LEVEL
    if angle:
        if is_bilevel(gray):  # turning black-and-white pixels back greys a hairline out: look for rules in lighter grey
            rule_level = HAIRLINE_LEVEL
        gray = rotate(gray, -angle)
        ink = gray < INK_LEVEL
    gray = gray.copy()
    dark = find_dark_boxes(ink, dpi)
    outside = gray < rule_level
    for top, bottom, left, right in dark:  # rules run only where paper shows: a dark box interrupts them
        outside[top:bottom, left:right] = False
    rules, rule_pixels = find_rules(outside, dpi)
    invert_dark_boxes(gray, ink, dark)
    shades = find_shades(gray, dpi)
    dark_rules, dark_shades = box_edges(dark, dpi)
    rules, shades = join_collinear(rules + dark_rules), shades + dark_shades
    margin = max(1, round(RULE_MARGIN * dpi / 72.0))
    erase = ndimage.binary_dilation(rule_pixels, iterations=margin)
    erase |= box_borders(dark, erase.shape, dpi)
    text_ink = ink & ~erase
    image = gray.copy()
    image[erase | (gray > PAPER_LEVEL)] = 255
    return CleanPage(Image.fromarray(image), text_ink, angle, rules, shades)
