"""A scanned page's structure (rules, dark bands, font sizes) comes out of the pixels as a text layer would give it."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from pipeline.read.layout import Line, PageLayout, Rule, Word
from pipeline.read.lostrules import restore_lost_rules
from pipeline.read.ocr import OcrWord, Symbol
from pipeline.read.phasecol import phase_cells
from pipeline.read.raster import CleanPage, clean_page
from pipeline.read.scan import drop_rule_pieces, ocr_to_words, tidy_words

DPI = 300.0
PX = DPI / 72.0


def _pt(value: float) -> int:
    return round(value * PX)


def _rules(rules: list[Rule], orientation: str) -> list[tuple[float, float, float]]:
    """Rules of one orientation → (position, start, end) rounded to whole points, sorted."""
    return sorted((round(r.position), round(r.start), round(r.end)) for r in rules if r.orientation == orientation)


def _grid_with_merged_cells(line: int) -> Image.Image:
    """A table in hairlines of grey `line`: a phase column merged over the three rows, and the two owner cells of the
    middle row merged into one (no rule between them there); blurred as a grey scan blurs a thin rule."""
    image = Image.new("L", (_pt(612), _pt(400)), 255)
    draw = ImageDraw.Draw(image)

    def h(y: float, x0: float, x1: float) -> None:
        draw.line([(_pt(x0), _pt(y)), (_pt(x1), _pt(y))], fill=line, width=1)

    def v(x: float, y0: float, y1: float) -> None:
        draw.line([(_pt(x), _pt(y0)), (_pt(x), _pt(y1))], fill=line, width=1)

    for y in (100, 350):
        h(y, 50, 550)
    for y in (180, 260):
        h(y, 150, 550)  # the phase column (50-150) is one cell over the rows
    for x in (50, 150, 300, 550):
        v(x, 100, 350)
    v(420, 100, 180)
    v(420, 260, 350)  # the middle row's owners are one merged cell
    return image.filter(ImageFilter.GaussianBlur(0.8))


def test_faint_hairlines_of_merged_cells_are_found_as_the_text_layer_draws_them() -> None:
    gray = np.asarray(_grid_with_merged_cells(line=120), dtype=np.uint8)
    assert gray[_pt(100) - 3:_pt(100) + 4, _pt(300)].min() > 160  # blurred lighter than the ink level
    page = clean_page(gray.copy(), DPI)
    assert _rules(page.rules, "h") == [(100, 50, 550), (180, 150, 550), (260, 150, 550), (350, 50, 550)]
    assert _rules(page.rules, "v") == [(50, 100, 350), (150, 100, 350), (300, 100, 350), (420, 100, 180),
                                       (420, 260, 350), (550, 100, 350)]


def test_paper_grey_and_large_letters_are_not_rules() -> None:
    image = Image.new("L", (_pt(612), _pt(300)), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=_pt(18))  # a title: stems 13 pt tall
    draw.text((_pt(60), _pt(40)), "Illuminated ledger Hill", fill=0, font=font)
    draw.rectangle([_pt(60), _pt(120), _pt(500), _pt(200)], fill=235)  # light shading: a box, no rule
    blurred = image.filter(ImageFilter.GaussianBlur(0.8))
    page = clean_page(np.asarray(blurred, dtype=np.uint8).copy(), DPI)
    assert page.rules == []


def test_a_dark_band_has_side_rules_only_in_line_with_the_tables_vertical_rules() -> None:
    def band_page(ruled: bool) -> list[tuple[float, float, float]]:
        image = Image.new("L", (_pt(612), _pt(400)), 255)
        draw = ImageDraw.Draw(image)
        draw.rectangle([_pt(50), _pt(150), _pt(550), _pt(170)], fill=40)  # a phase band printed white on dark
        draw.text((_pt(60), _pt(153)), "Quoting", fill=255, font=ImageFont.load_default(size=_pt(10)))
        if ruled:
            for x in (50, 550):
                draw.line([(_pt(x), _pt(100)), (_pt(x), _pt(350))], fill=0, width=2)
        return _rules(clean_page(np.asarray(image, dtype=np.uint8).copy(), DPI).rules, "v")

    assert band_page(ruled=False) == []  # a band across a table without vertical rules, as its PDF fill gives
    assert [x for x, _, _ in band_page(ruled=True)] == [50, 550]


def _line(text_x: list[tuple[int, int]], line: int, row_height: float) -> list[OcrWord]:
    baseline = 200.0 + 60 * line
    return [OcrWord("word", x0, round(baseline) - 30, x1, round(baseline) + 8, 95.0, line, baseline, row_height)
            for x0, x1 in text_x]


def test_the_font_size_of_a_scan_comes_from_the_row_height_whatever_the_ink_looks_like() -> None:
    heights = [38.0, 38.0, 39.0, 38.0, 37.0, 38.0]  # whole pixels, a pixel more or less from line to line
    columns = [(100, 200), (215, 300), (400, 480)]
    found = [w for line, height in enumerate(heights) for w in _line(columns, line, height)]
    thin = np.zeros((800, 600), dtype=bool)
    for w in found:
        thin[w.top + 4:w.bottom - 8, w.x0:w.x1] = True
    thick = np.zeros_like(thin)
    for w in found:
        thick[w.top:w.bottom, w.x0:w.x1] = True  # a thresholded, turned-back scan: strokes grown on every side

    def sizes(ink: np.ndarray) -> set[float]:
        page = CleanPage(Image.new("L", (600, 800), 255), ink, 0.0, [], [])
        return {w.size for w in ocr_to_words(found, page, DPI)}

    assert sizes(thin) == sizes(thick) == {10.0}  # rows of 38 pixels at 300 dpi: 10 pt


def test_a_hairline_broken_into_dashes_by_a_skewed_black_and_white_scan_is_found() -> None:
    image = Image.new("L", (_pt(612), _pt(400)), 255)
    draw = ImageDraw.Draw(image)
    for x in (50, 550):
        draw.line([(_pt(x), _pt(100)), (_pt(x), _pt(300))], fill=0, width=3)
    draw.line([(_pt(50), _pt(200)), (_pt(550), _pt(200))], fill=150, width=1)  # a hairline
    font = ImageFont.load_default(size=_pt(10))
    for y in (150, 215):
        draw.text((_pt(60), _pt(y)), "Reseller leads the relationship and supports the customer", fill=0, font=font)
    turned = image.rotate(0.6, resample=Image.Resampling.BICUBIC, fillcolor=255)
    bilevel = turned.point(lambda v: 255 if v > 160 else 0)  # as a one-bit scanner keeps it
    pixels = np.asarray(bilevel, dtype=np.uint8)
    row = np.asarray(image.point(lambda v: 255 if v > 160 else 0), dtype=np.uint8)[_pt(200), _pt(60):_pt(540)]
    assert row.max() == 0  # straight, the hairline would be solid; turned, it breaks into dashes
    page = clean_page(pixels.copy(), DPI)
    assert [r for r in _rules(page.rules, "h") if 190 <= r[0] <= 210] == [(200, 50, 550)]
    assert [r[0] for r in _rules(page.rules, "v")] == [50, 550]


def _text(x0: float, x1: float, top: float) -> Word:
    return Word("text", x0, x1, top, top + 10.0, False, 10.0)


def test_a_row_rule_lost_between_found_ones_is_put_back_where_the_text_shows_a_row_boundary() -> None:
    found = [Rule("h", y, 100.0, 500.0) for y in (100.0, 124.0, 148.0, 208.0, 232.0)]
    words = [_text(105, 200, 107), _text(300, 400, 107),  # one-line rows: 7 pt from the rules around them
             _text(105, 200, 131), _text(300, 400, 131),
             _text(105, 200, 155), _text(300, 400, 155), _text(300, 400, 167),  # two rows whose rule was lost
             _text(105, 200, 191),
             _text(105, 200, 215)]
    restored = restore_lost_rules(found, words)
    assert sorted(r.position for r in restored) == [100.0, 124.0, 148.0, 184.0, 208.0, 232.0]
    assert all((r.start, r.end) == (100.0, 500.0) for r in restored)
    # lines 2 pt apart (one cell) stay one row
    words[-2] = _text(105, 200, 179)
    assert len(restore_lost_rules(found, words)) == len(found)


def _phase_line(text: str, top: float) -> Line:
    """A phase-column line as OCR gives it: a box 9.6 pt tall for 9.6 pt type (a text layer's would be 9 for 9)."""
    return Line([Word(text, 40.0, 140.0, top, top + 9.6, False, 9.6, 95.0)])


def test_phase_cells_whose_row_rules_a_scan_lost_are_cut_at_the_whitespace_between_rows() -> None:
    repeated = ["Customer IBX Access &", "Product, Cage Deployment", "and Logistics"]
    lines = [_phase_line(text, 80.0 + 39.0 * row + 11.0 * i) for row in range(4) for i, text in enumerate(repeated)]
    # between rows the text leaves 7.4 pt, three quarters of an OCR line's height; within a cell 1.4 pt
    bounds = [37.0, 152.0, 325.0, 412.0, 585.0, 772.0]

    def cells(rules: list[Rule], ruled: bool) -> list[list[str]]:
        layout = PageLayout(1, 792.0, 612.0, lines, rules)
        return [c.lines for c in phase_cells(lines, layout, bounds, 0, 60.0, ruled) if c.lines]

    assert cells([], ruled=False) == [repeated] * 4  # no rule left on the page
    kept = [Rule("h", y, 36.0, 756.0) for y in (76.0, 115.0)]  # the rules above the first two rows only
    assert cells(kept, ruled=False) == [repeated] * 4
    # a ruled table's cell between two rules is one cell, whatever its whitespace (a merged cell, centred text)
    assert cells([Rule("h", y, 36.0, 756.0) for y in (76.0, 240.0)], ruled=True) == [repeated * 4]


def test_a_lost_rule_put_back_crosses_the_merged_cell_whose_text_is_centred_below_it() -> None:
    """A phase column (36-119) merged down its rows; the rule where a phase's cell begins was lost across the table."""
    tops = [100.0 + 17.2 * k for k in range(9)]  # one-line rows 4 pt from their rules
    lost = tops[4]
    found = [Rule("h", y, 36.0 if y in (tops[0], tops[-1]) else 119.0, 560.0) for y in tops if y != lost]
    found += [Rule("v", x, tops[0], tops[-1]) for x in (36.0, 119.0, 248.0, 560.0)]
    words = [_text(x, x + 60, y + 4.0) for y in tops[:-1] for x in (122.0, 316.0)]
    phase = ["Equinix Customer", "Portal (ECP)", "Administration"]  # centred in its cell, below the lost rule
    middle = (lost + tops[-1]) / 2
    words += [Word(t, 40.0, 110.0, middle - 15.2 + 10.6 * i, middle - 5.2 + 10.6 * i, False, 10.0)
              for i, t in enumerate(phase)]
    restored = [r for r in restore_lost_rules(found, words) if r not in found]
    assert [(r.start, r.end) for r in restored] == [(36.0, 560.0)] and abs(restored[0].position - lost) < 1.0
    # the same text at the top of the phase column's cell: that cell begins above, the rule stays out of it
    words = [w for w in words if w.x0 != 40.0] + [Word(t, 40.0, 110.0, tops[0] + 4.0 + 10.6 * i,
                                                       tops[0] + 14.0 + 10.6 * i, False, 10.0)
                                                  for i, t in enumerate(phase)]
    restored = [r for r in restore_lost_rules(found, words) if r not in found]
    assert [(r.start, r.end) for r in restored] == [(119.0, 560.0)] and abs(restored[0].position - lost) < 1.0


def test_a_row_rule_lost_where_vertical_rules_end_together_is_put_back_across_their_cells() -> None:
    """A phase heading merged across the table (355-371): the inner vertical rules stop at its edges."""
    found = [Rule("h", y, 36.0, 560.0) for y in (300.0, 355.0, 420.0)]
    found += [Rule("v", x, 300.0, 420.0) for x in (36.0, 560.0)]
    found += [Rule("v", x, y0, y1) for x in (124.0, 223.0) for y0, y1 in ((300.0, 355.0), (371.0, 420.0))]
    words = [_text(40, 120, 304), _text(130, 200, 304), _text(40, 150, 359), _text(40, 120, 390),
             _text(130, 200, 375), _text(130, 200, 387)]
    assert [(r.position, r.start, r.end) for r in restore_lost_rules(found, words) if r not in found] == \
        [(371.0, 36.0, 560.0)]
    assert [r for r in restore_lost_rules([*found, Rule("h", 371.0, 36.0, 560.0)], words) if r not in found] == \
        [Rule("h", 371.0, 36.0, 560.0)]


def _ocr_word(letters: list[tuple[str, int, int]], top: int, bottom: int, line: int) -> OcrWord:
    symbols = tuple(Symbol(t, x0, top, x1, bottom, 90.0) for t, x0, x1 in letters)
    return OcrWord("".join(t for t, _, _ in letters), letters[0][1], top, letters[-1][2], bottom, 90.0, line,
                   float(bottom), 38.0, symbols)


def test_pieces_of_a_broken_vertical_rule_read_as_bars_or_quotes_are_dropped() -> None:
    """A skewed one-bit scan breaks a vertical rule into pieces: those too short to be found are read as | or ‘."""
    found = [
        _ocr_word([("|", 1097, 1101)], 829, 870, 1),  # just below the found piece of the rule at 1099 px
        _ocr_word([("‘", 764, 770), ("E", 775, 795), ("n", 797, 815), ("d", 817, 835)], 750, 790, 2),  # on 767 px
        _ocr_word([("E", 1200, 1220), ("U", 1222, 1242), ("C", 1244, 1264), ("’", 1266, 1272), ("s", 1274, 1290)],
                  750, 790, 2),  # an apostrophe away from any rule stays
        _ocr_word([("_", 1300, 1330)], 786, 790, 2),  # a piece of a lost hairline row rule, read alone
    ]
    ink = np.zeros((1000, 1500), dtype=bool)
    for w in found:
        ink[w.top:w.bottom, w.x0:w.x1] = True
    rules = [Rule("v", 1099 / PX, 745 / PX, 826 / PX), Rule("v", 767 / PX, 700 / PX, 1000 / PX)]
    page = CleanPage(Image.new("L", (1500, 1000), 255), ink, 0.0, rules, [])
    assert [w.text for w in tidy_words(found, page, DPI)] == ["End", "EUC’s"]
    assert [w.text for w in drop_rule_pieces(found, page, DPI)] == ["End", "EUC’s", "_"]  # after a word is read again


def test_a_scanners_dark_border_is_whitened_and_the_text_beside_it_kept() -> None:
    image = Image.new("L", (_pt(612), _pt(300)), 255)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, _pt(22), _pt(300)], fill=20)  # the lid's shadow along the left edge, 0.3 in wide
    draw.rectangle([0, _pt(293), _pt(612), _pt(300)], fill=25)  # and along the bottom
    for y in range(60, 260, 40):
        for x in range(60, 300, 8):
            draw.rectangle([_pt(x), _pt(y), _pt(x) + 18, _pt(y) + 28], outline=0, width=3)  # letters of a line
    page = clean_page(np.asarray(image, dtype=np.uint8), DPI)
    gray = np.asarray(page.image)
    assert gray[:, :_pt(23)].min() == 255 and gray[_pt(292):, :].min() == 255
    assert not page.ink[:, :_pt(23)].any()
    assert page.ink[_pt(60):_pt(60) + 3, _pt(60):_pt(60) + 19].all()


def test_shading_near_the_paper_level_leaves_no_grain_for_ocr() -> None:
    rng = np.random.default_rng(0)
    pixels = np.full((_pt(200), _pt(612)), 255, dtype=np.uint8)
    band = (slice(_pt(50), _pt(80)), slice(_pt(40), _pt(560)))
    pixels[band] = np.clip(rng.normal(200, 6, pixels[band].shape), 0, 255).astype(np.uint8)  # a fill's grain
    for x in range(60, 300, 8):
        pixels[_pt(58):_pt(58) + 28, _pt(x):_pt(x) + 18] = 0  # letters on it
        pixels[_pt(58) + 3:_pt(58) + 25, _pt(x) + 3:_pt(x) + 15] = 200
    page = clean_page(pixels, DPI)
    image = np.asarray(page.image)
    assert len(page.shades) == 1
    between = image[_pt(52):_pt(78), _pt(320):_pt(540)]  # fill beside the letters
    assert between.min() == 255
    assert image[_pt(58):_pt(58) + 3, _pt(60):_pt(60) + 18].max() < 100  # a letter's stroke stays dark
