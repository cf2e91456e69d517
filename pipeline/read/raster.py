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
#: Between these grey levels a pixel may be shading (light fill behind text).
SHADE_LEVELS = (175, 245)
#: Skew angles searched (degrees, either way) and the finest step.
MAX_SKEW = 3.0
SKEW_STEP = 0.02
#: A straight ink run at least this long (points) is part of a ruling line, never of a letter.
MIN_RULE_RUN = 36.0
#: Gaps up to this many points inside a ruling line (scan dropouts) are bridged.
RULE_GAP = 1.0
#: A ruling line is at most this thick (points); thicker solid ink is not a rule.
MAX_RULE_WIDTH = 3.0
#: Pixels this many points around a ruling line are erased with it (its blurred edge would read as a dash).
RULE_MARGIN = 0.75
#: Lighter than this is paper (or shading) and is whitened before OCR.
PAPER_LEVEL = 200
#: Ink blobs of at most this many pixels are scanner specks.
SPECK_PIXELS = 2
#: Shading cells are this many points square; a cell counts as shaded when this share of it is light grey.
SHADE_CELL = 3.0
SHADE_SHARE = 0.5
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
    return round(best, 3)


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
    g_start = starts[joined]
    g_end = np.maximum.reduceat(ends, np.nonzero(joined)[0])
    g_row = rows[joined]
    keep = (g_end - g_start) >= min_length
    for r, s, e in zip(g_row[keep], g_start[keep], g_end[keep], strict=True):
        out[r, s:e] = True
    return out


def find_rules(ink: Mask, dpi: float) -> tuple[list[Rule], Mask]:
    """An ink mask → ruling lines (in points) and the mask of their pixels."""
    px = dpi / 72.0
    min_run, gap = round(MIN_RULE_RUN * px), max(1, round(RULE_GAP * px))
    horizontal = long_runs(ink, min_run, gap)
    vertical = long_runs(ink.T, min_run, gap).T
    rules: list[Rule] = []
    for orientation, mask in (("h", horizontal), ("v", vertical)):
        labels, count = ndimage.label(mask, structure=np.ones((3, 3), dtype=bool))
        for box in ndimage.find_objects(labels)[:count]:
            if box is None:
                continue
            ys, xs = box
            thick = (ys.stop - ys.start) if orientation == "h" else (xs.stop - xs.start)
            if thick > MAX_RULE_WIDTH * px:
                continue
            if orientation == "h":
                rules.append(Rule("h", (ys.start + ys.stop) / 2 / px, xs.start / px, xs.stop / px))
            else:
                rules.append(Rule("v", (xs.start + xs.stop) / 2 / px, ys.start / px, ys.stop / px))
    lines = horizontal | vertical
    return [r for r in join_collinear(rules) if r.end - r.start >= MIN_RULE_RUN], lines


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


def remove_specks(ink: Mask, pixels: int = SPECK_PIXELS) -> Mask:
    """An ink mask → without blobs of at most `pixels` pixels (scanner noise)."""
    labels, count = ndimage.label(ink)
    if count == 0:
        return ink
    sizes = np.bincount(labels.ravel())
    small = sizes <= pixels
    small[0] = False
    return ink & ~small[labels]


def clean_page(gray: Gray, dpi: float) -> CleanPage:
    """A grey page image → deskewed, its rules and shading found, and rules and specks erased for OCR."""
    raw_ink = gray < INK_LEVEL
    ink = remove_specks(raw_ink)
    gray = np.where(raw_ink & ~ink, np.uint8(255), gray).astype(np.uint8)
    angle = estimate_skew(ink)
    if angle:
        gray = rotate(gray, -angle)
        ink = gray < INK_LEVEL
    rules, rule_pixels = find_rules(ink, dpi)
    shades = find_shades(gray, dpi)
    margin = max(1, round(RULE_MARGIN * dpi / 72.0))
    erase = ndimage.binary_dilation(rule_pixels, iterations=margin)
    text_ink = ink & ~erase
    image = gray.copy()
    image[erase | (gray > PAPER_LEVEL)] = 255
    return CleanPage(Image.fromarray(image), text_ink, angle, rules, shades)
