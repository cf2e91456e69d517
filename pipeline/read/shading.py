"""A scanned page's grey image → its shading: light grey fills (cell or row shading) and solid dark boxes (white text
on black), the dark boxes' sides as rules, and their text turned dark on white for OCR."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from pipeline.read.layout import MAX_RULE_THICKNESS, Rule, Shade

#: Between these grey levels a pixel may be shading (light fill behind text).
SHADE_LEVELS = (175, 245)
#: Shading cells are this many points square; a cell counts as shaded when this share of it is light grey. A patch of
#: shaded cells is a fill when at least half its cells are as much light grey within FILL_SPREAD levels of their
#: light pixels' mean: a fill keeps one grey, while the greys along blurred letters' strokes (as light, but spread
#: over every level) would shade a whole table.
SHADE_CELL = 3.0
SHADE_SHARE = 0.5
FILL_SPREAD = 8
#: A box at least this share of ink, and this wide (points), is a solid dark fill (white text on black).
DARK_SHARE = 0.7
MIN_DARK_WIDTH = 30.0
#: A vertical rule this close (points) to a dark box's side continues it: the side is a rule too.
BOX_SIDE_TOLERANCE = 2.0
#: Shading smaller than this (points) either way is ignored.
MIN_SHADE = 6.0
#: Letters printed lighter than their fill: the fill is at most this light (lighter leaves no room for them), the
#: letters at least this many grey levels lighter (white on #d9d9d9 scans at about 40) and this large (square points),
#: and this far (points) from any dark letter and from any ink at all (rules too).
MAX_FILL_UNDER_LIGHT = 235
MIN_CONTRAST = 16
MIN_LETTER_AREA = 0.8
LIGHT_CLEARANCE = 2.0
FRINGE_CLEARANCE = 1.0
#: A fill's grey is the commonest among shading greys this many levels wide, over this many shading squares (rows,
#: columns) around a point.
FILL_BIN = 4
FILL_WINDOW = (3, 5)

Gray = NDArray[np.uint8]
Mask = NDArray[np.bool_]


def find_shades(gray: Gray, dpi: float) -> list[Shade]:
    """A grey image → boxes (in points) filled with light grey (cell or row shading)."""
    lo, hi = SHADE_LEVELS
    cell = max(1, round(SHADE_CELL * dpi / 72.0))
    h, w = (gray.shape[0] // cell) * cell, (gray.shape[1] // cell) * cell
    rows, cols = h // cell, w // cell
    squares = gray[:h, :w].reshape(rows, cell, cols, cell).transpose(0, 2, 1, 3).reshape(rows, cols, -1)
    light = (squares >= lo) & (squares <= hi)
    shaded = ndimage.binary_closing(light.mean(axis=2) >= SHADE_SHARE, structure=np.ones((3, 3), dtype=bool))
    labels, count = ndimage.label(shaded)
    if count == 0:
        return []
    even = _even(squares, light) >= SHADE_SHARE
    scale = cell * 72.0 / dpi
    shades = []
    for k, box in enumerate(ndimage.find_objects(labels)[:count], start=1):
        if box is None:
            continue
        ys, xs = box
        top, bottom, x0, x1 = ys.start * scale, ys.stop * scale, xs.start * scale, xs.stop * scale
        region = labels[box] == k
        if x1 - x0 >= MIN_SHADE and bottom - top >= max(MIN_SHADE, MAX_RULE_THICKNESS) \
                and 2 * np.count_nonzero(even[box] & region) >= np.count_nonzero(region):
            shades.append(Shade(x0, x1, top, bottom))
    return shades


def _even(squares: NDArray[np.uint8], light: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Shading squares' pixels (last axis) and which are light → per square, the share of its pixels light and
    within FILL_SPREAD levels of its light pixels' mean."""
    mean = (squares * light).sum(axis=2, dtype=np.int32) // np.maximum(light.sum(axis=2, dtype=np.int32), 1)
    near = np.abs(squares.astype(np.int16) - mean[..., None].astype(np.int16)) <= FILL_SPREAD
    share: NDArray[np.float64] = (light & near).mean(axis=2)
    return share


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
    """Light text on dark boxes → dark text on white, in place, in the grey image and in the ink mask.

    Light pieces touching a box's edge are the paper around the fill, not its letters (a scan turned back leaves a
    sliver of it inside the box's straight edges): they become paper too, not the band's edge drawn in ink.
    """
    for top, bottom, left, right in boxes:
        area = gray[top:bottom, left:right]
        background = float(np.median(area))
        text = _clear_of_edges(area > (background + 255) / 2)
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


def _clear_of_edges(mask: Mask) -> Mask:
    """A mask of a box → without the pieces that touch the box's edges."""
    labels, count = ndimage.label(mask, structure=np.ones((3, 3), dtype=bool))
    keep = np.ones(count + 1, dtype=bool)
    keep[np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))] = False
    keep[0] = False
    inner: Mask = keep[labels]
    return inner


def reveal_light_text(gray: Gray, ink: Mask, dark_text: Mask, shades: list[Shade], dpi: float) -> None:
    """Light letters printed on light grey shading → black letters in the grey image and in the ink mask, in place.

    Whitening the shading for OCR would erase them with it. In each shaded box the fill's own grey is measured
    around every point (`fill_levels`); pixels well lighter than it (halfway to white) make a letter when they form
    a piece of at least MIN_LETTER_AREA that stays clear of the box's edges (paper around the fill), lies
    LIGHT_CLEARANCE away from any dark letter (`dark_text`, ink without rules) and FRINGE_CLEARANCE away from any
    ink (rules too): the paper in a dark letter's bowl and the light fringe a scan leaves along dark strokes and
    rules stand next to dark ink, light letters on a fill never do.
    """
    px = dpi / 72.0
    min_area = MIN_LETTER_AREA * px * px
    reach = 2 * round(LIGHT_CLEARANCE * px) + 1
    fringe = 2 * round(FRINGE_CLEARANCE * px) + 1
    for shade in shades:
        top, bottom = max(0, round(shade.top * px)), min(gray.shape[0], round(shade.bottom * px))
        left, right = max(0, round(shade.x0 * px)), min(gray.shape[1], round(shade.x1 * px))
        area = gray[top:bottom, left:right]
        if area.size == 0:
            continue
        fill = fill_levels(area, dpi)
        light = (area >= np.maximum(fill + MIN_CONTRAST, (fill + 255) / 2)) & (fill >= SHADE_LEVELS[0]) \
            & (fill <= MAX_FILL_UNDER_LIGHT)
        labels, count = ndimage.label(light, structure=np.ones((3, 3), dtype=bool))
        if count == 0:
            continue
        keep = np.bincount(labels.ravel(), minlength=count + 1) >= min_area
        keep[np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))] = False
        near_dark = _grown(dark_text[top:bottom, left:right], reach) | _grown(ink[top:bottom, left:right], fringe)
        keep[np.unique(labels[near_dark])] = False
        keep[0] = False
        letters = keep[labels]
        area[letters] = 0
        ink[top:bottom, left:right] |= letters


def _grown(mask: Mask, size: int) -> Mask:
    """A mask → grown by a square of `size` pixels (a maximum filter: one pass a side)."""
    grown: Mask = ndimage.maximum_filter(mask.view(np.uint8), size=size) > 0
    return grown


def fill_levels(area: Gray, dpi: float) -> NDArray[np.float64]:
    """A shaded box's grey pixels → the fill's grey around each pixel (0 where none shows): the commonest shading
    grey (FILL_BIN levels wide) among the pixels of FILL_WINDOW around its SHADE_CELL square. Letters, dark or light,
    spread over many greys while a fill keeps one, so the commonest is the fill's even where letters cover most
    of the square; where two fills meet, each square takes its own."""
    cell = max(1, round(SHADE_CELL * dpi / 72.0))
    rows, cols = -(-area.shape[0] // cell), -(-area.shape[1] // cell)
    padded = np.pad(area, ((0, rows * cell - area.shape[0]), (0, cols * cell - area.shape[1])), mode="edge")
    lo, hi = SHADE_LEVELS
    bins = (padded.astype(np.int16) - lo) // FILL_BIN
    count = (hi - lo) // FILL_BIN + 1
    squares = bins.reshape(rows, cell, cols, cell).transpose(0, 2, 1, 3).reshape(rows, cols, -1)
    hist = np.stack([(squares == b).sum(axis=2) for b in range(count)], axis=2).astype(np.float64)
    hist = ndimage.uniform_filter(hist, size=(*FILL_WINDOW, 1), mode="nearest")
    levels = np.where(hist.max(axis=2) > 0, lo + (hist.argmax(axis=2) + 0.5) * FILL_BIN, 0.0)
    full = np.repeat(np.repeat(levels, cell, axis=0), cell, axis=1)
    return full[:area.shape[0], :area.shape[1]]
