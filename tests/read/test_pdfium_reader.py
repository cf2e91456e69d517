"""The pdfium reader gives the layouts and the extraction the reference reader (pdfplumber) gives, per fixture."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import pipeline.read.extract as extract_module
from pipeline.read.extract import Extraction, extract
from pipeline.read.layout import PageLayout
from pipeline.read.pdf import Document, read_with_pdfium
from tests.conftest import FIXTURES, RAW

#: Fixtures printed by Chromium or LibreOffice embed their fonts: pdfium declines them by design (see pdfium.py).
EMBEDDED_FONT_PREFIXES = ("html_", "writer_")
ALL_PDFS = sorted((FIXTURES / "pdf").glob("*.pdf")) + sorted(RAW.glob("*.pdf"))
PDFS = [p for p in ALL_PDFS if not p.name.startswith(EMBEDDED_FONT_PREFIXES)]
DECLINED = [p for p in ALL_PDFS if p.name.startswith(EMBEDDED_FONT_PREFIXES)]
#: pdfium computes positions in 32-bit floats; a word's right edge sums its advances (pdfminer: 64-bit).
POSITION_TOLERANCE = 0.005


def read_with(path: Path, reader: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Extraction, Document]:
    """A PDF and a reader → its extraction and the document the extraction was made from."""
    seen: list[Document] = []
    original = extract_module.read_document

    def recording(*args: object) -> Document:
        seen.append(original(*args))  # type: ignore[arg-type]
        return seen[-1]

    monkeypatch.setattr(extract_module, "read_document", recording)
    extraction = extract(path, reader=reader)
    return extraction, seen[0]


def layout_rows(layout: PageLayout) -> list[tuple[object, ...]]:
    """A page layout → comparable rows: page facts, each word, each rule, each shade."""
    rows: list[tuple[object, ...]] = [("page", layout.number, layout.width, layout.height, layout.image_count,
                                       layout.char_count, len(layout.lines))]
    rows += [("word", i, w.text, w.bold, w.size, w.x0, w.x1, w.top, w.bottom)
             for i, line in enumerate(layout.lines) for w in line.words]
    rows += [("rule", r.orientation, r.position, r.start, r.end)
             for r in sorted(layout.rules, key=lambda r: (r.orientation, round(r.position), round(r.start)))]
    rows += [("shade", s.x0, s.x1, s.top, s.bottom) for s in layout.shades]
    return rows


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= POSITION_TOLERANCE
    return a == b


@pytest.mark.parametrize("path", PDFS, ids=[p.name for p in PDFS])
def test_pdfium_reads_every_fixture_as_pdfplumber_does(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert read_with_pdfium(path, None, 2000) is not None, "pdfium must read the fixture itself (no fallback)"
    fast, fast_document = read_with(path, "pdfium", monkeypatch)
    reference, reference_document = read_with(path, "pdfplumber", monkeypatch)

    assert fast_document.page_count == reference_document.page_count
    for fast_page, reference_page in zip(fast_document.layouts, reference_document.layouts, strict=True):
        fast_rows, reference_rows = layout_rows(fast_page), layout_rows(reference_page)
        assert len(fast_rows) == len(reference_rows)
        for got, want in zip(fast_rows, reference_rows, strict=True):
            assert len(got) == len(want) and all(same(g, w) for g, w in zip(got, want, strict=True)), (got, want)

    pd.testing.assert_frame_equal(fast.activities, reference.activities)
    pd.testing.assert_frame_equal(fast.glossary, reference.glossary)
    assert fast.revision == reference.revision
    assert fast.warnings == reference.warnings
    assert fast.quarantine.empty and reference.quarantine.empty


@pytest.mark.parametrize("path", DECLINED, ids=[p.name for p in DECLINED])
def test_pdfium_declines_embedded_font_fixtures(path: Path) -> None:
    assert read_with_pdfium(path, None, 2000) is None, "pdfium now reads this class: add it to the equality test"
