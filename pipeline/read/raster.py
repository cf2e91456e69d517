"""A scanned page image → its skew, its ruling lines and shading (shading.py), and a clean copy for OCR (numpy and
scipy only)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image
from scipy import ndimage

from pipeline.read.layout import Rule, Shade, join_collinear
from pipeline.read.shading import (
    Gray,
    Mask,
    box_edges,
    fill_levels,
    find_dark_boxes,
    find_shades,
    invert_dark_boxes,
    reveal_light_text,
)
from pipeline.read.skew import estimate_skew, rotate

#: Darker than this (0 black … 255 white) is ink.
INK_LEVEL = 160
#: In a black-and-white scan turned back by deskewing, darker than this may be part of a ruling line (a hairline
#: greys out below the ink level when its pixels are resampled); a scan is black-and-white when at most
#: BILEVEL_SHARE of its pixels are mid-grey.
HAIRLINE_LEVEL = 215
BILEVEL_SHARE = 0.01
#: A pixel this many grey levels darker than the paper (or shading) on both sides of it, this many points away across
#: a line through it, may be part of a hairline rule: a thin rule in a grey scan is blurred lighter than the ink level.
FAINT_CONTRAST = 30
FAINT_REACH = 1.5
#: A line broken into dashes covers at least this share of its length; paper beside it at most this share.
DASH_FILL = 0.3
DASH_PAPER = 0.1
#: Pieces of a broken line this far apart (points) are one line.
DASH_GAP = 16.0
#: A piece of a broken line is at least this long (points); shorter, it is a speck.
DASH_PIECE = 0.75
#: A broken line's ends are known to within this share of a rule's shortest length.
DASH_ENDS = 0.25
#: Faint pixels lengthen a letter's stem by its blurred ends: a vertical rule counting them is this much longer (pt).
FAINT_ENDS = 1.0
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
#: Ink apart from all other ink, no taller than STEP_HEIGHT (points) and within STEP_REACH of a horizontal rule's line,
#: is a step of that rule: a hairline scanned at a slant and turned back keeps short runs a pixel row off its
#: line (read as dashes, "-", "/" or specks in the text beside it).
STEP_REACH = 1.5
STEP_HEIGHT = 0.5
#: Lighter than this is paper (or shading) and is whitened before OCR.
PAPER_LEVEL = 200
#: Solid ink (at least BORDER_FILL of each BORDER_CELL-point square) touching the image's edge along at least
#: BORDER_LENGTH points is the scanner's lid or the paper's edge, never print: it is whitened first.
BORDER_CELL = 2.0
BORDER_FILL = 0.7
BORDER_LENGTH = 72.0
#: Inside shading, pixels no more than this many grey levels darker than the fill are the fill (its grain, a JPEG's
#: blocks) and are whitened before OCR with it: a fill near PAPER_LEVEL would otherwise leave a speckle that OCR reads
#: as ':' or '.' between words.
FILL_GRAIN = 32
#: An ink pixel with at most this many ink neighbours is a scanner speck (strokes are thicker).
SPECK_NEIGHBOURS = 1

@dataclass
class CleanPage:
    """A deskewed page: the image to read words from, and the rules and shading found on it (in points)."""

    image: Image.Image
    ink: Mask
    angle: float
    rules: list[Rule]
    shades: list[Shade]


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


def dashed_runs(mask: Mask, dpi: float) -> Mask:
    """A mask → its horizontal lines broken into dashes, as pixel runs: a hairline thresholded to one bit and turned
    back keeps only the stretches where it fell on a pixel row.

    Two neighbouring rows (the line's steps) are looked at together, a point's columns at a time: where ink covers at
    least DASH_FILL of them over a rule's shortest length, with paper FAINT_REACH above and below (text is taller), a
    line runs (pieces DASH_GAP apart joined; shorter than half that length, it is a letter's stroke), from its first
    to its last piece of ink (`_ink_ends`). A broken line may have lost its ends: `snap_ends` puts them on crossing
    rules up to DASH_GAP away.
    """
    px = dpi / 72.0
    band = mask.copy()
    band[:-1] |= mask[1:]
    step = max(1, round(px))
    height, width = band.shape
    cells = width // step
    counts = band[:, :cells * step].reshape(height, cells, step).sum(axis=2, dtype=np.uint16)
    window = max(3, round(MIN_RULE_RUN * px / step))
    density = ndimage.uniform_filter1d(counts.astype(np.float32), window, axis=1, mode="constant") / step
    reach = max(1, round(FAINT_REACH * px))
    paper = density <= DASH_PAPER
    clear = np.zeros_like(paper)
    clear[reach:-reach] = paper[:-2 * reach] & paper[2 * reach:]
    found = (density >= DASH_FILL) & clear
    found = ndimage.binary_closing(found, structure=np.ones((1, max(1, round(DASH_GAP * px / step))), dtype=bool))
    labels, count = ndimage.label(found, structure=np.ones((3, 3), dtype=bool))
    out = np.zeros_like(mask)
    for box in ndimage.find_objects(labels)[:count]:
        if box is None or box[1].stop - box[1].start < window:  # letters' strokes along a baseline, not a line
            continue
        start, stop = _ink_ends(mask, box[0], box[1].start * step, box[1].stop * step, window * step, reach,
                                round(DASH_GAP * px), max(1, round(DASH_PIECE * px)))
        out[box[0], start:stop] = True
    return out


def _ink_ends(mask: Mask, rows: slice, start: int, stop: int, spread: int, reach: int, gap: int,
              shortest: int) -> tuple[int, int]:
    """A broken line's pixel rows and columns as its density found them → its columns from its first to its last
    piece of ink.

    The density window moves each end past a solid line's end by up to half its length, short of a sparse one's by up
    to `spread` pixels. Pieces are runs of at least `shortest` columns of ink in the line's rows with paper `reach`
    above and below (not specks, letters or crossing rules); from the piece nearest inside each end, pieces are
    followed outwards within `spread` while they are no further apart than `gap` or the line's own widest gap, never
    across a column of ink that crosses the line (a rule: `snap_ends` finds it)."""
    top, bottom = rows.start, rows.stop
    left, right = max(0, start - spread), min(mask.shape[1], stop + spread)
    inked = mask[top:bottom, left:right].any(axis=0)
    above = mask[max(0, top - reach):max(0, top - 1), left:right].any(axis=0)
    below = mask[bottom + 1:bottom + reach, left:right].any(axis=0)
    pieces, count = ndimage.label(inked & ~above & ~below)
    sizes = np.bincount(pieces, minlength=count + 1)
    sizes[0] = 0
    columns = np.flatnonzero(sizes[pieces] >= shortest) + left
    crossing = np.flatnonzero(inked & above & below) + left
    inside = columns[(columns >= start) & (columns < stop)]
    if len(inside) == 0:
        return start, stop
    widest = max(gap, int(np.diff(inside).max(initial=0)) * 6 // 5)
    first, last = int(inside[0]), int(inside[-1])
    for x in columns[columns < first][::-1]:
        if first - x > widest or ((crossing > x) & (crossing < first)).any():
            break
        first = int(x)
    for x in columns[columns > last]:
        if x - last > widest or ((crossing > last) & (crossing < x)).any():
            break
        last = int(x)
    return first, last + 1


def snap_ends(rules: list[Rule], crossing: list[Rule], reach: float) -> list[Rule]:
    """Rules whose ends are known only roughly, and rules across them → each end moved onto the nearest crossing
    rule within `reach` (points) that runs through it."""
    snapped = []
    for rule in rules:
        through = [c.position for c in crossing if c.start - 1 <= rule.position <= c.end + 1]
        start = min(through, key=lambda x: abs(x - rule.start), default=rule.start)
        end = min(through, key=lambda x: abs(x - rule.end), default=rule.end)
        snapped.append(Rule(rule.orientation, rule.position, start if abs(start - rule.start) <= reach else rule.start,
                            end if abs(end - rule.end) <= reach else rule.end))
    return snapped


def find_rules(ink: Mask, dpi: float, faint: Mask | None = None) -> tuple[list[Rule], Mask]:
    """An ink mask (and optionally a mask of faint line pixels) → ruling lines (in points) and the mask of their pixels.

    A vertical run that counts faint pixels must be FAINT_ENDS longer: the light grey at the ends of a large letter's
    stem would otherwise stretch it into a short vertical rule. With faint pixels, horizontal lines broken into dashes
    are found too (`dashed_runs`); vertical ones are not looked for: the stems of left-aligned lines' first letters
    stand in line like a broken rule.
    """
    px = dpi / 72.0
    gap = max(1, round(RULE_GAP * px))
    lenient = ink if faint is None else ink | faint
    horizontal = long_runs(lenient, round(MIN_RULE_RUN * px), gap)
    vertical = long_runs(ink.T, round(MIN_VRULE_RUN * px), gap).T
    if faint is not None:
        vertical |= long_runs(lenient.T, round((MIN_VRULE_RUN + FAINT_ENDS) * px), gap).T
    rules, lines = _mask_rules((("h", horizontal), ("v", vertical)), px)
    if faint is None:
        return join_collinear(rules), lines
    dashed, dashed_lines = _mask_rules((("h", dashed_runs(lenient, dpi)),), px)
    dashed = snap_ends(dashed, [r for r in rules if r.orientation == "v"], DASH_GAP)
    return join_collinear(rules + dashed), lines | dashed_lines


def rule_steps(ink: Mask, lines: Mask, rules: list[Rule], dpi: float) -> Mask:
    """An ink mask, the pixels of the ruling lines found in it and those lines (points) → the pieces of ink left beside
    horizontal lines that are steps of them (see STEP_REACH; a line's ends are known to within DASH_ENDS of a rule's
    shortest length).

    Each line's band is looked at alone, one pixel wider all round: a piece touching that border has ink beyond."""
    px = dpi / 72.0
    reach, ends = max(1, round(STEP_REACH * px)), round(DASH_ENDS * MIN_RULE_RUN * px)
    tallest = max(1, round(STEP_HEIGHT * px))
    rest = ink & ~lines
    steps = np.zeros_like(ink)
    height, width = ink.shape
    for rule in rules:
        if rule.orientation != "h":
            continue
        y, x0, x1 = round(rule.position * px), round(rule.start * px), round(rule.end * px)
        top, bottom = max(0, y - reach - 1), min(height, y + reach + 2)
        left, right = max(0, x0 - ends - 1), min(width, x1 + ends + 1)
        band = rest[top:bottom, left:right]
        if not band.any():
            continue
        labels, count = ndimage.label(band, structure=np.ones((3, 3), dtype=bool))
        for k, box in enumerate(ndimage.find_objects(labels)[:count], start=1):
            if box is None or box[0].stop - box[0].start > tallest:
                continue
            if box[0].start == 0 or box[1].start == 0 or box[0].stop == band.shape[0] or box[1].stop == band.shape[1]:
                continue
            steps[top:bottom, left:right][box] |= labels[box] == k
    return steps


def _mask_rules(masks: tuple[tuple[str, Mask], ...], px: float) -> tuple[list[Rule], Mask]:
    """Masks of horizontal and vertical line pixels → ruling lines (points), thick ones left out, and their pixels."""
    rules: list[Rule] = []
    lines = np.zeros_like(masks[0][1])
    for orientation, mask in masks:
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
    return rules, lines


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


def faint_lines(gray: Gray, dpi: float) -> Mask:
    """A grey image → the pixels clearly darker than what lies on both sides of them, above and below or left and
    right (a hairline blurred to light grey, on paper or on shading)."""
    reach = max(1, round(FAINT_REACH * dpi / 72.0))
    level = gray.astype(np.int16) + FAINT_CONTRAST
    found = np.zeros(gray.shape, dtype=bool)
    for axis in (0, 1):
        before = np.full(gray.shape, -1, dtype=np.int16)  # at the image's edges nothing lies beyond
        after = np.full(gray.shape, -1, dtype=np.int16)
        ahead = [slice(None), slice(None)]
        behind = [slice(None), slice(None)]
        ahead[axis], behind[axis] = slice(reach, None), slice(None, -reach)
        before[tuple(ahead)] = gray[tuple(behind)]
        after[tuple(behind)] = gray[tuple(ahead)]
        found |= (before >= level) & (after >= level)
    return found


def is_bilevel(gray: Gray) -> bool:
    """Whether a grey image holds (nearly) only black and white pixels, as a 1-bit scan does."""
    grey = (gray > 40) & (gray < 215)
    return float(grey.mean()) <= BILEVEL_SHARE


def whiten_border(gray: Gray, dpi: float) -> Gray:
    """A grey page image → with the dark border a scanner leaves along its edges (see BORDER_LENGTH) whitened."""
    cell = max(1, round(BORDER_CELL * dpi / 72.0))
    h, w = -(-gray.shape[0] // cell) * cell, -(-gray.shape[1] // cell) * cell
    padded = np.full((h, w), 255, dtype=np.uint8)
    padded[:gray.shape[0], :gray.shape[1]] = gray
    solid = (padded < INK_LEVEL).reshape(h // cell, cell, w // cell, cell).mean(axis=(1, 3)) >= BORDER_FILL
    edge = np.zeros_like(solid)
    edge[[0, -1], :] = solid[[0, -1], :]
    edge[:, [0, -1]] |= solid[:, [0, -1]]
    if not edge.any():
        return gray
    labels, _ = ndimage.label(solid)
    length = BORDER_LENGTH / BORDER_CELL
    border = np.zeros_like(solid)
    for k in np.unique(labels[edge]):
        along = labels == k
        if max(along[[0, -1], :].sum(axis=1).max(), along[:, [0, -1]].sum(axis=0).max()) >= length:
            border |= along
    if not border.any():
        return gray
    border = ndimage.binary_dilation(border, iterations=1)
    wide = np.repeat(np.repeat(border, cell, axis=0), cell, axis=1)[:gray.shape[0], :gray.shape[1]]
    return np.where(wide, np.uint8(255), gray).astype(np.uint8)


def whiten_fills(image: Gray, gray: Gray, shades: list[Shade], dpi: float) -> None:
    """An image for OCR, the grey page it was made from and the page's shading → in place, each shade's fill whitened
    where the page's grey is close to the fill's own (see FILL_GRAIN), letters left."""
    px = dpi / 72.0
    for shade in shades:
        top, bottom = max(0, round(shade.top * px)), min(image.shape[0], round(shade.bottom * px))
        left, right = max(0, round(shade.x0 * px)), min(image.shape[1], round(shade.x1 * px))
        area = gray[top:bottom, left:right]
        if area.size:
            fill = fill_levels(area, dpi)
            image[top:bottom, left:right][(fill > 0) & (area >= fill - FILL_GRAIN)] = 255


def clean_page(gray: Gray, dpi: float) -> CleanPage:
    """A grey page image → its scanner border whitened, deskewed, its rules and shading found, and rules and specks
    erased for OCR."""
    gray = whiten_border(gray, dpi)
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
    faint = faint_lines(gray, dpi)
    for top, bottom, left, right in dark:  # rules run only where paper shows: a dark box interrupts them
        outside[top:bottom, left:right] = False
        faint[top:bottom, left:right] = False
    rules, rule_pixels = find_rules(outside, dpi, faint)
    rule_pixels |= rule_steps(outside, rule_pixels, rules, dpi)
    invert_dark_boxes(gray, ink, dark)
    fills = find_shades(gray, dpi)
    dark_rules, dark_shades = box_edges(dark, dpi, [r for r in rules if r.orientation == "v"])
    rules, shades = join_collinear(rules + dark_rules), fills + dark_shades
    margin = max(1, round(RULE_MARGIN * dpi / 72.0))
    erase = ndimage.binary_dilation(rule_pixels, iterations=margin)
    erase |= box_borders(dark, erase.shape, dpi)
    reveal_light_text(gray, ink, ink & ~erase, fills, dpi)
    text_ink = ink & ~erase
    image = gray.copy()
    image[erase | (gray > PAPER_LEVEL)] = 255
    whiten_fills(image, gray, fills, dpi)
    return CleanPage(Image.fromarray(image), text_ink, angle, rules, shades)
