"""Make scans of fixture PDFs under other scan conditions than the test scans (skews, resolutions, thresholds, blur,
heavy JPEG, grey paper, turned pages, scanner borders), for scoring with ``score_scans.py --scans DIR``.

Run ``.venv/bin/python bench/make_scan_variants.py --out DIR [--only CASE ...] [--variant NAME ...]``. Each case and
variant gives ``DIR/<case>__<variant>.pdf``; the case name before "__" names its golden JSON. Deterministic (fixed
noise seeds, fixed PDF dates).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "fixtures"))

from make_scans import JPEG_QUALITY, render, save_pdf, sources  # noqa: E402

#: Layouts that stand for the others: ruled samples, borderless, shaded, merged owners, phase column, glossary list,
#: several pages, landscape.
CASES = ("sample_10Feb20", "sample_2023-03-07", "borderless_no_rules", "phase_first_cell_only_shaded",
         "html_merged_owners_dividers", "phase_column_merged_seed", "glossary_two_column_list",
         "multipage_repeated_header", "landscape_long_cells")


def _turn(image: Image.Image, degrees: float) -> Image.Image:
    return image.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)


def _otsu(image: Image.Image) -> int:
    """A grey image → Otsu's threshold (the level that best splits its histogram in two)."""
    hist = np.bincount(np.asarray(image, dtype=np.uint8).ravel(), minlength=256).astype(np.float64)
    levels = np.arange(256, dtype=np.float64)
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * levels)
    total, total_mean = weight[-1], mean[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (total_mean * weight - mean * total) ** 2 / (weight * (total - weight))
    return int(np.nanargmax(between[:-1]))


def _bilevel(image: Image.Image, level: int) -> Image.Image:
    return image.point(lambda v: 255 if v > level else 0).convert("1")


def _grey_paper(image: Image.Image, seed: int) -> Image.Image:
    """Paper at grey 235 with noise (sigma 6): ink stays dark, white becomes the paper's tone."""
    pixels = np.asarray(image, dtype=np.float64) * (235.0 / 255.0)
    pixels += np.random.default_rng(seed).normal(0.0, 6.0, pixels.shape)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def _dark_border(image: Image.Image, dpi: int) -> Image.Image:
    """A black strip (the scanner's lid edge) 0.3 in wide along the left edge, ragged a little, plus one along the
    bottom 0.1 in."""
    pixels = np.asarray(image, dtype=np.uint8).copy()
    wide, low = round(0.3 * dpi), round(0.1 * dpi)
    rng = np.random.default_rng(1)
    ragged = wide + np.cumsum(rng.integers(-1, 2, pixels.shape[0])).clip(-wide // 3, wide // 3)
    for y, x in enumerate(ragged):
        pixels[y, :x] = 20
    pixels[-low:, :] = 25
    return Image.fromarray(pixels)


def _offset(image: Image.Image) -> Image.Image:
    """The page scanned at 97 % and shifted towards the bottom right (paper fed slightly off)."""
    width, height = image.size
    small = image.resize((round(width * 0.97), round(height * 0.97)), Image.Resampling.LANCZOS)
    paper = Image.new("L", image.size, 255)
    paper.paste(small, (round(width * 0.025), round(height * 0.02)))
    return paper


#: variant → (render dpi, stored dpi, per-page transform (image, seed) → image, JPEG quality or None for lossless).
Variant = tuple[int, Callable[[Image.Image, int], Image.Image], int | None]
VARIANTS: dict[str, Variant] = {
    "skew_m0.4": (200, lambda im, s: _turn(im, -0.4), JPEG_QUALITY),
    "skew_p1.2": (200, lambda im, s: _turn(im, 1.2), JPEG_QUALITY),
    "skew_m2.0": (200, lambda im, s: _turn(im, -2.0), JPEG_QUALITY),
    "skew_p3.0": (200, lambda im, s: _turn(im, 3.0), JPEG_QUALITY),
    "grey150": (150, lambda im, s: im, JPEG_QUALITY),
    "grey300": (300, lambda im, s: im, JPEG_QUALITY),
    "grey400": (400, lambda im, s: im, JPEG_QUALITY),
    "bw200_128": (200, lambda im, s: _bilevel(im, 128), None),
    "bw200_otsu": (200, lambda im, s: _bilevel(im, _otsu(im)), None),
    "blur0.9": (200, lambda im, s: im.filter(ImageFilter.GaussianBlur(0.9)), JPEG_QUALITY),
    "jpeg15": (200, lambda im, s: im, 15),
    "paper235": (200, _grey_paper, JPEG_QUALITY),
    "upside_down": (200, lambda im, s: im.rotate(180), JPEG_QUALITY),
    "turned90": (200, lambda im, s: im.rotate(90, expand=True), JPEG_QUALITY),
    "border": (200, lambda im, s: _dark_border(im, 200), JPEG_QUALITY),
    "border_skew": (200, lambda im, s: _dark_border(_turn(im, 1.0), 200), JPEG_QUALITY),
    "offset": (200, lambda im, s: _offset(im), JPEG_QUALITY),
}


def make_variant(case: str, source: Path, name: str, out: Path) -> Path:
    """One source PDF and a variant's name → its scan in `out`."""
    dpi, transform, quality = VARIANTS[name]
    pages = [transform(image, seed) for seed, image in enumerate(render(source, dpi))]
    target = out / f"{case}__{name}.pdf"
    save_pdf(pages, target, dpi, quality)
    return target


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", nargs="*", default=list(CASES), help="cases (default: the representative ones)")
    parser.add_argument("--variant", nargs="*", default=list(VARIANTS), choices=list(VARIANTS))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    found = sources()
    for case in args.only:
        for name in args.variant:
            path = make_variant(case, found[case], name, args.out)
            print(f"{path.stat().st_size // 1024:5d} KiB  {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
