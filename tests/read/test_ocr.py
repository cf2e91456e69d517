"""Scanned job aids are read by OCR into the same layout model, scored cell by cell against the golden output."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from PIL import Image, ImageDraw

from pipeline.compare.report import READING_DOUBT, changes_to_html, changes_to_markdown
from pipeline.errors import LimitExceededError, ScannedPdfError
from pipeline.read.confidence import LOW_CONFIDENCE
from pipeline.read.extract import Extraction, extract
from pipeline.read.layout import Line, PageLayout, Word
from pipeline.read.pdf import pages_to_ocr, text_is_garbage
from pipeline.read.raster import find_rules
from pipeline.read.sandbox import Limits, extend_deadline, run_bounded
from pipeline.read.skew import estimate_skew, rotate
from schemas.activities import CORE_COLUMNS, OCR_CONFIDENCE
from tests.conftest import FIXTURES, ROOT, expected

SCANS = FIXTURES / "scans"
HAS_TESSEROCR = importlib.util.find_spec("tesserocr") is not None
needs_ocr = pytest.mark.skipif(not HAS_TESSEROCR, reason="tesserocr is not installed (pip install tesserocr)")
#: The issue's target: share of activity cells read exactly.
TARGET = 0.995
SCAN_CASES = sorted(p.stem for p in SCANS.glob("*.pdf"))


def cell_accuracy(got: pd.DataFrame, truth: list[dict[str, str]]) -> float:
    """Extracted activities and golden rows → the share of the five contract cells that are exact."""
    rows = got[list(CORE_COLUMNS)].to_dict("records")
    cells = max(len(rows), len(truth)) * len(CORE_COLUMNS)
    right = sum(a[k] == b[k] for a, b in zip(rows, truth, strict=False) for k in CORE_COLUMNS)
    return right / cells


@pytest.fixture(scope="module", params=SCAN_CASES)
def scanned(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any], Extraction]:
    if not HAS_TESSEROCR:
        pytest.skip("tesserocr is not installed (pip install tesserocr)")
    name = request.param
    return name, expected(name.split("__")[0]), extract(SCANS / f"{name}.pdf")


@needs_ocr
def test_scan_has_the_golden_rows_and_phases(scanned: tuple[str, dict[str, Any], Extraction]) -> None:
    _, truth, got = scanned
    assert len(got.activities) == len(truth["rows"])
    assert list(got.activities["phase"]) == [r["phase"] for r in truth["rows"]]
    assert got.valid, got.quarantine.to_string()


@needs_ocr
def test_scan_cell_accuracy_meets_the_target(scanned: tuple[str, dict[str, Any], Extraction]) -> None:
    _, truth, got = scanned
    assert cell_accuracy(got.activities, truth["rows"]) >= TARGET


@needs_ocr
def test_scan_glossary_and_revision_date_are_right(scanned: tuple[str, dict[str, Any], Extraction]) -> None:
    _, truth, got = scanned
    assert got.glossary.to_dict("records") == truth["glossary"]
    for key in ("title", "revision_label", "revision_date", "revision_date_source"):
        assert got.revision[key] == truth[key], key


@needs_ocr
def test_scan_says_how_sure_it_is(scanned: tuple[str, dict[str, Any], Extraction]) -> None:
    name, _, got = scanned
    ocr = got.revision["ocr"]
    assert got.revision["text_source"] == ("mixed" if name.endswith("mixed") else "ocr")
    assert ocr["engine"].startswith("tesseract 5.")
    assert ocr["pages"] == ([1] if name.endswith("mixed") else list(range(1, got.revision["page_count"] + 1)))
    assert all(cell["confidence"] < LOW_CONFIDENCE for cell in ocr["low_confidence_cells"])
    confidence = got.activities[OCR_CONFIDENCE]
    on_scanned_pages = got.activities["pages"].isin([str(p) for p in ocr["pages"]])
    assert confidence[on_scanned_pages].between(0, 100).all()
    assert confidence[~on_scanned_pages & ~got.activities["pages"].str.contains("-")].isna().all()


def test_ocr_off_keeps_the_scan_error() -> None:
    with pytest.raises(ScannedPdfError, match="drop --ocr off"):
        extract(SCANS / "phase_first_cell_only_shaded__200dpi.pdf", ocr="off")


def test_digital_documents_and_help_import_no_ocr_library() -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from pipeline.cli import extract_app\n"
        "try:\n"
        "    extract_app(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "from pipeline.read.extract import extract\n"
        f"e = extract(Path({str(FIXTURES / 'pdf' / 'ruled_nested_rects_word.pdf')!r}))\n"
        "assert e.revision['text_source'] == 'text' and 'ocr' not in e.revision\n"
        "assert 'ocr_confidence' not in e.activities\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tesserocr', 'PIL')"
        " or m in ('pipeline.read.ocr', 'pipeline.read.scan', 'pipeline.read.raster')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]"


def _layout(text: str, char_count: int, images: int = 0) -> PageLayout:
    words = [Word(t, 10.0 * i, 10.0 * i + 8, 0.0, 10.0, False, 10.0) for i, t in enumerate(text.split())]
    return PageLayout(1, 612.0, 792.0, [Line(words)] if words else [], image_count=images, char_count=char_count)


def test_pages_to_ocr_follows_the_mode() -> None:
    scan, digital = _layout("", 0, images=1), _layout("Support Activity", 15)
    garbage = _layout("\ue001\ue002\ue003 (cid:12)(cid:13) \ufffd", 12)
    blank = _layout("", 0)
    assert text_is_garbage(garbage) and not text_is_garbage(digital)
    layouts = [scan, digital, garbage, blank]
    for number, layout in enumerate(layouts, start=1):
        layout.number = number
    assert pages_to_ocr(layouts, "auto") == [1]
    assert pages_to_ocr(layouts, "force") == [1, 3]
    assert pages_to_ocr(layouts, "off") == []


def test_skew_and_rules_are_found_in_pixels() -> None:
    image = Image.new("L", (1700, 1100), 255)
    draw = ImageDraw.Draw(image)
    for y in range(200, 1000, 100):
        draw.line([(100, y), (1600, y)], fill=0, width=4)
        draw.text((120, y + 30), "Reseller leads the relationship and supports the customer", fill=0)
    for x in (100, 600, 1100, 1600):
        draw.line([(x, 200), (x, 900)], fill=0, width=4)
    turned = rotate(np.asarray(image, dtype=np.uint8), 0.6)
    assert abs(estimate_skew(turned < 160) - 0.6) <= 0.05
    rules, _ = find_rules(np.asarray(image, dtype=np.uint8) < 160, 200.0)
    assert len([r for r in rules if r.orientation == "h"]) == 8
    assert len([r for r in rules if r.orientation == "v"]) == 4


@pytest.mark.parametrize("angle", [-4.5, -2.0, 3.4, 4.8])
def test_skew_of_a_page_laid_on_a_flatbed_by_hand_is_found(angle: float) -> None:
    image = Image.new("L", (1700, 1100), 255)
    draw = ImageDraw.Draw(image)
    for y in range(200, 1000, 100):
        draw.line([(100, y), (1600, y)], fill=0, width=4)
        draw.text((120, y + 30), "Reseller leads the relationship and supports the customer", fill=0)
    turned = rotate(np.asarray(image, dtype=np.uint8), angle)
    assert abs(estimate_skew(turned < 160) - angle) <= 0.05


def test_a_change_read_with_low_confidence_is_marked() -> None:
    changes = pd.DataFrame([{
        "change": "modified", "phase": "Quoting", "activity": "Customer requests a quote", "field": "direct_owner",
        "old": "EUC contacts EQIX AE.", "new": "EUC contacts EQlX AE.", "activity_id": "a1", "similarity": 0.9,
        "responsibility_change": False, "old_phase": "Quoting", "new_phase": "Quoting", "summary": "",
    }])
    meta: dict[str, Any] = {"title": "Job aid", "old_label": "a", "new_label": "b"}
    assert READING_DOUBT not in changes_to_markdown(changes, meta)
    meta["new_low_confidence"] = [{"field": "direct_owner", "activity": "Customer requests a quote",
                                   "text": "EUC contacts EQlX AE.", "confidence": 41.0}]
    assert READING_DOUBT in changes_to_markdown(changes, meta)
    assert READING_DOUBT in changes_to_html(changes, meta)


def _slow_after_extending(seconds: float) -> str:
    extend_deadline(seconds)
    time.sleep(1.5)
    return "done"


def test_ocr_pages_extend_the_deadline() -> None:
    limits = Limits(timeout_s=1.0)
    assert run_bounded(_slow_after_extending, (5.0,), Path("x.pdf"), limits) == "done"
    with pytest.raises(LimitExceededError):
        run_bounded(_slow_after_extending, (0.0,), Path("x.pdf"), limits)


def _word(text: str, x0: int, rise: int, line: int, baseline: int = 100, row_height: float = 28.0) -> Any:
    from pipeline.read.ocr import OcrWord

    return OcrWord(text, x0, baseline - rise, x0 + 30, baseline, 90.0, line, float(baseline), row_height)


def test_case_of_look_alike_letters_is_judged_on_their_own_baseline() -> None:
    from pipeline.read.lettercase import fix_case

    ink = np.zeros((200, 400), dtype=bool)
    words = [_word("vc", 10, 20, 0), _word("ECX", 100, 20, 1), _word("sow", 200, 14, 1)]
    for w in words:
        ink[w.top:w.bottom, w.x0:w.x1] = True
    # "vc" stands alone on its OCR line (a glossary term), beside capitals of its own height on the same baseline
    assert [w.text for w in fix_case(words, ink)] == ["VC", "ECX", "sow"]
    ink[:] = False
    words[0] = _word("VC", 10, 14, 0)
    for w in words:
        ink[w.top:w.bottom, w.x0:w.x1] = True
    assert [w.text for w in fix_case(words, ink)] == ["vc", "ECX", "sow"]


def test_a_bar_along_a_rule_is_dropped_and_a_bar_in_text_is_kept_to_be_read_again() -> None:
    from pipeline.read.layout import Rule
    from pipeline.read.ocr import OcrWord, Symbol
    from pipeline.read.raster import CleanPage
    from pipeline.read.scan import _doubtful, tidy_words

    ink = np.ones((300, 600), dtype=bool)

    def bar(x: int) -> OcrWord:
        return OcrWord("|", x, 80, x + 5, 100, 71.0, 0, 100.0, 26.0, (Symbol("|", x, 80, x + 5, 100, 70.0),))

    page = CleanPage(Image.new("L", (600, 300), 255), ink, 0.0, [Rule("v", 72.0 * 52 / 300, 0.0, 100.0)], [])
    kept = tidy_words([bar(50), bar(400)], page, 300.0)  # a rule runs at x = 52 px, none at 400 px
    assert [w.x0 for w in kept] == [400]
    assert _doubtful(kept[0])


def test_a_letter_a_reread_gives_twice_from_one_start_is_kept_once_with_its_wider_box() -> None:
    from pipeline.read.ocr import Symbol, _read_twice

    symbols = [Symbol("E", 151, 0, 172, 30, 99.0), Symbol("u", 173, 0, 183, 30, 96.0),
               Symbol("U", 173, 0, 195, 30, 95.0), Symbol("C", 196, 0, 216, 30, 98.0)]
    assert _read_twice(symbols) == {1}
    assert _read_twice([symbols[0], symbols[2], symbols[3]]) == set()


def test_two_letters_from_one_start_are_both_kept() -> None:
    from pipeline.read.ocr import Symbol, _read_twice

    symbols = [Symbol("E", 151, 0, 171, 21, 99.0), Symbol("U", 151, 0, 189, 21, 99.0),
               Symbol("C", 192, 0, 210, 21, 99.0)]
    assert _read_twice(symbols) == set()


def test_a_line_in_capitals_takes_the_size_of_the_line_with_small_letters_on_its_baseline() -> None:
    from pipeline.read.fontsize import line_sizes

    term = _word("CAM", 150, 27, 0, baseline=193, row_height=47.2)  # Tesseract cannot see a capitals line's x-height
    definition = [_word(t, 280 + 150 * i, 27, 1, baseline=193, row_height=35.0) for i, t in enumerate(["Channel",
                                                                                                       "Account"])]
    lone = _word("SE", 150, 27, 2, baseline=500, row_height=47.2)  # nothing beside it: as read
    sizes = line_sizes([term, *definition, lone], 300)
    assert sizes[0] == sizes[1] == round(35.0 * 72 / 300 * 1.096, 1)
    assert sizes[2] == round(47.2 * 72 / 300 * 1.096, 1)


@needs_ocr
@pytest.mark.parametrize("turns", [1, 2])
def test_a_page_scanned_turned_a_quarter_or_upside_down_is_read_upright(turns: int) -> None:
    import pypdfium2

    from pipeline.read.scan import gray_to_layout

    document = pypdfium2.PdfDocument(SCANS / "phase_first_cell_only_shaded__200dpi.pdf")
    page = document[0]
    gray = np.asarray(page.render(scale=300 / 72, grayscale=True).to_pil().convert("L"), dtype=np.uint8)
    document.close()
    top = gray[: gray.shape[0] // 3]  # the title block, the header and the first rows: enough, and quick
    width, height = top.shape[1] * 72 / 300, top.shape[0] * 72 / 300
    turned = np.ascontiguousarray(np.rot90(top, turns))
    stored = (height, width) if turns % 2 else (width, height)
    layout = gray_to_layout(turned, 300.0, 1, *stored).layout
    assert (layout.width, layout.height) == (width, height)
    text = " ".join(ln.text for ln in layout.lines)
    for words in ("End Customer Support Comparison", "Support Activity", "When EUC Buys from Reseller"):
        assert words in text
