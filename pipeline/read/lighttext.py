"""A grey page and its shading → the light (white) letters printed on that shading, as ink for OCR."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import ndimage

from pipeline.read.layout import Shade

#: Shading lighter than this grey level leaves too little room above it for lighter letters to be told from it.
MAX_BACKGROUND = 235
#: A light letter is at least this many grey levels lighter than its shading (white on #d9d9d9 scans at about 40).
MIN_CONTRAST = 16
#: Light pixels this close (points) to dark ink are the bright fringe compression leaves around dark letters.
FRINGE = 1.0
#: A light letter covers at least this many square points (compression leaves smaller light specks).
MIN_LETTER_AREA = 0.8


def reveal_light_text(gray: NDArray[np.uint8], ink: NDArray[np.bool_], shades: list[Shade], dpi: float) -> None:
    """Light letters on shading → black letters in the grey image and in the ink mask, in place.

    In each shaded box, pixels well lighter than the shading (halfway to white) that lie clear of dark ink and of
    the box's edges (the paper around it) are letters printed white on a light fill, which whitening the shading
    for OCR would otherwise erase with it.
    """
    px = dpi / 72.0
    fringe = max(1, round(FRINGE * px))
    min_area = MIN_LETTER_AREA * px * px
    for shade in shades:
        top, bottom = max(0, round(shade.top * px)), min(gray.shape[0], round(shade.bottom * px))
        left, right = max(0, round(shade.x0 * px)), min(gray.shape[1], round(shade.x1 * px))
        area = gray[top:bottom, left:right]
        if area.size == 0:
            continue
        background = float(np.median(area))
        if background > MAX_BACKGROUND:
            continue
        level = max(background + MIN_CONTRAST, (background + 255) / 2)
        dark = ndimage.binary_dilation(area < background - 2 * MIN_CONTRAST, iterations=fringe)
        light = (area >= level) & ~dark
        labels, count = ndimage.label(light, structure=np.ones((3, 3), dtype=bool))
        if count == 0:
            continue
        sizes = np.bincount(labels.ravel(), minlength=count + 1)
        edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
        keep = sizes >= min_area
        keep[0] = False
        keep[edge] = False
        letters = keep[labels]
        area[letters] = 0
        ink[top:bottom, left:right] |= letters
