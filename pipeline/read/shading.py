"""A scanned page's grey image → its shading: light grey fills (cell or row shading) and solid dark boxes (white text
on black), the dark boxes' sides as rules, and their text turned dark on white for OCR."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from pipeline.read.layout import MAX_RULE_THICKNESS, Rule, Shade

#: Between these grey levels a pixel may be shading (light fill behind text).
SHADE_LEVELS = (175, 245)
#: Shading cells are this many points square; a cell counts as shaded when this share of it is light grey.
SHADE_CELL = 3.0
SHADE_SHARE = 0.5
#: A box at least this share of ink, and this wide (points), is a solid dark fill (white text on black).
DARK_SHARE = 0.7
MIN_DARK_WIDTH = 30.0
#: A vertical rule this close (points) to a dark box's side continues it: the side is a rule too.
BOX_SIDE_TOLERANCE = 2.0
#: Shading smaller than this (points) either way is ignored.
MIN_SHADE = 6.0

Gray = NDArray[np.uint8]
Mask = NDArray[np.bool_]


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


def box_edges(boxes: list[tuple[int, int, int, int]], dpi: float, vrules: list[Rule] | None = None
              ) -> tuple[list[Rule], list[Shade]]:
    """Dark boxes in pixels → their sides as rules and the boxes as shading, in points (as a PDF's fill gives).

    A rule drawn along a dark box merges with it, so its top and bottom are taken as row rules; its left and right
    sides only where a vertical rule found elsewhere on the page (`vrules`, when given) stands in line with them (and
    then where that rule stands): a band across a table without vertical rules has none.
    """
    k = 72.0 / dpi
    rules, shades = [], []
    for top, bottom, left, right in boxes:
        y0, y1, x0, x1 = top * k, bottom * k, left * k, right * k
        rules += [Rule("h", y0, x0, x1), Rule("h", y1, x0, x1)]
        for x in (x0, x1):
            in_line = [r.position for r in vrules or [] if abs(r.position - x) <= BOX_SIDE_TOLERANCE]
            if vrules is None or in_line:
                rules.append(Rule("v", in_line[0] if in_line else x, y0, y1))
        shades.append(Shade(x0, x1, y0, y1))
    return rules, shades
