"""Page objects → layout: doubled glyphs (fake bold) and ligatures do not leak into the text."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
from fpdf import FPDF

from pipeline.read.layout import LIGATURES, page_to_layout


def test_text_printed_twice_reads_once(tmp_path: Path) -> None:
    pdf = FPDF(unit="pt", format="Letter")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for dx in (0.0, 0.25):  # the second pass a quarter point to the right, as fake bold does
        pdf.text(72 + dx, 100, "Quoting & Ordering")
    pdf.text(72, 130, "Customer requests a quote")
    path = tmp_path / "doubled.pdf"
    pdf.output(str(path))
    with pdfplumber.open(path) as doc:
        layout = page_to_layout(doc.pages[0])
    assert [ln.text for ln in layout.lines] == ["Quoting & Ordering", "Customer requests a quote"]


def test_ligatures_are_spelled_out() -> None:
    assert "\ufb01le of\ufb02ine sta\ufb00".translate(LIGATURES) == "file offline staff"
