"""A scanned page's ink → the angle its lines are turned by, and a grey image turned back by an angle."""

from __future__ import annotations

import numpy as np
from PIL import Image

from pipeline.read.shading import Gray, Mask

#: Skew angles searched (degrees, either way) and the finest step: a page laid on a flatbed by hand is often turned
#: by more than the 1–2° of a sheet feeder.
MAX_SKEW = 5.0
SKEW_STEP = 0.02
#: The coarse search (quarter-degree steps) looks at every this-many-th ink pixel: as sharp a peak, four times faster.
COARSE_SAMPLE = 4


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

    def sharpness(angle: float, every: int) -> float:
        shifted = ys_f[::every] + xs_c[::every] * np.tan(np.radians(angle))
        counts = np.bincount(np.round(shifted - shifted.min()).astype(np.int64))
        return float(np.dot(counts, counts))

    best = 0.0
    for span, stride, every in ((max_angle, 0.25, COARSE_SAMPLE), (0.3, 0.05, 1), (0.06, step, 1)):
        angles = np.arange(best - span, best + span + stride / 2, stride)
        best = float(max(angles, key=lambda angle: sharpness(angle, every)))
    return round(best, 3) + 0.0  # never -0.0


def rotate(gray: Gray, angle: float) -> Gray:
    """A grey image → turned by `angle` degrees (counter-clockwise), filled with white."""
    if abs(angle) < SKEW_STEP / 2:
        return gray
    turned = Image.fromarray(gray).rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return np.asarray(turned, dtype=np.uint8)
