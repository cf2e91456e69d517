"""An extraction → one PNG per page with the table, column boundaries, phase rows, activity rows and cells
OCR was unsure of drawn (a scanned page is first turned as it was deskewed for reading)."""

from __future__ import annotations

from pathlib import Path

from pipeline.read.extract import Extraction
from pipeline.read.pdf import check_is_pdf, reader_source

RESOLUTION = 72
#: A fully transparent fill: rectangles are drawn as outlines only.
NO_FILL = (0, 0, 0, 0)
COLOURS = {"table": "#1f77b4", "column": "#ff7f0e", "phase": "#d62728", "row": "#2ca02c", "header": "#9467bd",
           "phase_cell": "#e377c2", "merged": "#17becf", "low_confidence": "#bcbd22"}


def draw_overlays(path: Path, extraction: Extraction, folder: Path, password: str | None = None) -> list[Path]:
    """Render each page of `path` and draw what the extraction read on it; returns the PNG paths."""
    import pdfplumber

    folder.mkdir(parents=True, exist_ok=True)
    grids = {g.page: g for g in extraction.grids}
    phases = {(page, round(top, 1)) for page, top, _ in extraction.phase_rows}
    ocr = extraction.revision.get("ocr") or {}
    angles = {int(n): float(a) for n, a in ocr.get("skew_degrees", {}).items()}
    written = []
    with pdfplumber.open(reader_source(path, check_is_pdf(path)), password=password or "") as pdf:
        for page in pdf.pages:
            image = page.to_image(resolution=RESOLUTION)
            if angles.get(page.page_number):
                image.original = image.original.rotate(-angles[page.page_number], fillcolor="white")
                image.reset()
            grid = grids.get(page.page_number)
            if grid is not None:
                left, right = grid.bounds[0], grid.bounds[-1]
                image.draw_rect((left, grid.top, right, grid.bottom), fill=NO_FILL, stroke=COLOURS["table"],
                                stroke_width=3)
                if grid.header is not None:
                    image.draw_rect((left, grid.header.top, right, grid.header.bottom), fill=NO_FILL,
                                    stroke=COLOURS["header"], stroke_width=2)
                image.draw_vlines(grid.bounds, stroke=COLOURS["column"], stroke_width=1)
                for row in grid.rows:
                    kind = "phase" if (row.page, round(row.top, 1)) in phases else "row"
                    image.draw_rect((left + 2, row.top - 1, right - 2, row.bottom + 1), fill=NO_FILL,
                                    stroke=COLOURS[kind], stroke_width=2 if kind == "phase" else 1)
                    for a, b in row.merged:  # a cell merged across columns: its text counts in each
                        image.draw_rect((grid.bounds[a] + 3, row.top - 2, grid.bounds[b] - 3, row.bottom + 2),
                                        fill=NO_FILL, stroke=COLOURS["merged"], stroke_width=2)
                if grid.phase_col is not None:  # the phase column's cells, each over the rows it covers
                    x0, x1 = grid.bounds[grid.phase_col], grid.bounds[grid.phase_col + 1]
                    body_top = grid.header.bottom if grid.header is not None else grid.top
                    for cell in grid.phase_cells:
                        top, bottom = max(cell.top, body_top), min(cell.bottom, grid.bottom)
                        if bottom > top:
                            image.draw_rect((x0 + 3, top + 1, x1 - 3, bottom - 1), fill=NO_FILL,
                                            stroke=COLOURS["phase_cell"], stroke_width=3 if cell.lines else 1)
            for cell in ocr.get("low_confidence_cells", []):
                if cell["page"] == page.page_number:
                    image.draw_rect(tuple(cell["box"]), fill=NO_FILL, stroke=COLOURS["low_confidence"], stroke_width=3)
            target = folder / f"{path.stem}-page{page.page_number:03d}.png"
            image.save(target)
            written.append(target)
            page.close()
    return written
