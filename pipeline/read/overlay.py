"""An extraction → one PNG per page with the table, column boundaries, phase rows, activity rows and cells
OCR was unsure of drawn (a scanned page is first turned as it was deskewed for reading)."""

from __future__ import annotations

from pathlib import Path

from pipeline.read.extract import Extraction

RESOLUTION = 72
COLOURS = {"table": "#1f77b4", "column": "#ff7f0e", "phase": "#d62728", "row": "#2ca02c", "header": "#9467bd",
           "low_confidence": "#e377c2"}


def draw_overlays(path: Path, extraction: Extraction, folder: Path, password: str | None = None) -> list[Path]:
    """Render each page of `path` and draw what the extraction read on it; returns the PNG paths."""
    import pdfplumber

    folder.mkdir(parents=True, exist_ok=True)
    grids = {g.page: g for g in extraction.grids}
    phases = {(page, round(top, 1)) for page, top, _ in extraction.phase_rows}
    ocr = extraction.revision.get("ocr") or {}
    angles = {int(n): float(a) for n, a in ocr.get("skew_degrees", {}).items()}
    written = []
    with pdfplumber.open(path, password=password or "") as pdf:
        for page in pdf.pages:
            image = page.to_image(resolution=RESOLUTION)
            if angles.get(page.page_number):
                image.original = image.original.rotate(-angles[page.page_number], fillcolor="white")
                image.reset()
            grid = grids.get(page.page_number)
            if grid is not None:
                left, right = grid.bounds[0], grid.bounds[-1]
                image.draw_rect((left, grid.top, right, grid.bottom), fill=None, stroke=COLOURS["table"],
                                stroke_width=3)
                if grid.header is not None:
                    image.draw_rect((left, grid.header.top, right, grid.header.bottom), fill=None,
                                    stroke=COLOURS["header"], stroke_width=2)
                image.draw_vlines(grid.bounds, stroke=COLOURS["column"], stroke_width=1)
                for row in grid.rows:
                    kind = "phase" if (row.page, round(row.top, 1)) in phases else "row"
                    image.draw_rect((left + 2, row.top - 1, right - 2, row.bottom + 1), fill=None,
                                    stroke=COLOURS[kind], stroke_width=2 if kind == "phase" else 1)
            for cell in ocr.get("low_confidence_cells", []):
                if cell["page"] == page.page_number:
                    image.draw_rect(tuple(cell["box"]), fill=None, stroke=COLOURS["low_confidence"], stroke_width=3)
            target = folder / f"{path.stem}-page{page.page_number:03d}.png"
            image.save(target)
            written.append(target)
            page.close()
    return written
