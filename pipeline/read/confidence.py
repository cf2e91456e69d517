"""Cells read by OCR → how sure the reading is: a confidence per activity and the cells below a threshold."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from pipeline.profile import Profile
from pipeline.read.assemble import FIELDS, Assembly
from pipeline.read.columns import map_columns
from pipeline.read.layout import PageLayout, Word
from pipeline.read.locate import PageGrid
from pipeline.read.pdf import Document
from pipeline.read.rows import GridRow, column_of
from schemas.activities import OCR_CONFIDENCE

#: A cell whose least sure word scores below this (Tesseract's 0–100 word confidence) may be misread.
LOW_CONFIDENCE = 80.0
#: The activities column holding, per activity, the confidence of its least sure cell (empty for a text layer).
CONFIDENCE_COLUMN = OCR_CONFIDENCE


def text_source(document: Document) -> str:
    """A document → where its words came from: "text" (text layer), "ocr" or "mixed"."""
    if not document.ocr_angles:
        return "text"
    return "ocr" if len(document.ocr_angles) == document.page_count else "mixed"


def _band_words(layout: PageLayout, row: GridRow) -> list[Word]:
    """The words standing inside one row band of a page."""
    return [w for ln in layout.lines if row.top - 0.5 <= ln.ymid <= row.bottom + 0.5 for w in ln.words]


def _lowest(words: list[Word]) -> float | None:
    found = [w.confidence for w in words if w.confidence is not None]
    return min(found) if found else None


def _box(page: int, row: GridRow, bounds: list[float], column: int | None) -> list[float]:
    """A cell (or, without a column, a whole row) → [page, x0, top, x1, bottom] in points."""
    x0, x1 = (bounds[0], bounds[-1]) if column is None else (bounds[column], bounds[column + 1])
    return [page, round(x0, 1), round(row.top, 1), round(x1, 1), round(row.bottom, 1)]


#: One read cell: its lowest word confidence (None: no OCR words) and where it stands ([page, x0, top, x1, bottom]).
Cell = tuple[float | None, list[float]]


def cell_confidences(
    grids: list[PageGrid], assembly: Assembly, layouts: list[PageLayout], profile: Profile
) -> tuple[list[dict[str, Cell]], list[Cell]]:
    """The table as read → per activity record, each field's lowest word confidence and box; per phase row, its own."""
    rows: dict[tuple[int, float], tuple[GridRow, list[float], dict[str, int]]] = {}
    mapping: dict[str, int] = {}
    for grid in grids:
        if grid.header is not None:
            mapping = map_columns(grid.header.texts, profile, own=grid.header.own) or mapping
        for row in grid.rows:
            rows[(row.page, row.top)] = (row, grid.bounds, mapping)
    per_record: list[dict[str, Cell]] = []
    for record in assembly.records:
        cells: dict[str, Cell] = {}
        for name in FIELDS:
            words: list[Word] = []
            box: list[float] = []
            for key in record.row_ids:
                row, bounds, columns = rows[key]
                if name not in columns:
                    continue
                inside = [w for w in _band_words(layouts[row.page - 1], row)
                          if column_of(w.xmid, bounds) == columns[name]]
                if inside and not box:
                    box = _box(row.page, row, bounds, columns[name])
                words += inside
            cells[name] = (_lowest(words), box)
        per_record.append(cells)
    phases: list[Cell] = []
    for page, top, _text in assembly.phase_rows:
        row, bounds, _ = rows[(page, top)]
        phases.append((_lowest(_band_words(layouts[page - 1], row)), _box(page, row, bounds, None)))
    return per_record, phases


def add_ocr_confidence(
    document: Document,
    grids: list[PageGrid],
    assembly: Assembly,
    activities: pd.DataFrame,
    revision: dict[str, Any],
    profile: Profile,
) -> None:
    """An extraction → `text_source` in its revision metadata; when read (partly) by OCR also `ocr_confidence`
    added to its activities and an "ocr" block (engine, pages, skew, cells below LOW_CONFIDENCE) to the metadata.
    A text-layer document gets nothing else, so its outputs stay as they were.
    """
    revision["text_source"] = text_source(document)
    if not document.ocr_angles:
        return
    per_record, phases = cell_confidences(grids, assembly, document.layouts, profile)
    lowest = [min((c for c, _ in cells.values() if c is not None), default=math.nan) for cells in per_record]
    activities[CONFIDENCE_COLUMN] = pd.Series(lowest, index=activities.index, dtype="float64").round(1)
    low: list[dict[str, Any]] = []
    for (confidence, box), (_, _, phase) in zip(phases, assembly.phase_rows, strict=True):
        if confidence is not None and confidence < LOW_CONFIDENCE:
            low.append({"order": None, "field": "phase", "phase": phase, "activity": "", "text": phase,
                        "confidence": round(confidence, 1), "page": int(box[0]), "box": box[1:]})
    for activity, cells in zip(activities.to_dict("records"), per_record, strict=True):
        for name, (confidence, box) in cells.items():
            if confidence is not None and confidence < LOW_CONFIDENCE:
                low.append({"order": int(activity["order"]), "field": name, "phase": activity["phase"],
                            "activity": activity["activity"], "text": activity[name],
                            "confidence": round(confidence, 1), "page": int(box[0]), "box": box[1:]})
    revision["ocr"] = {
        "engine": document.ocr_engine,
        "pages": sorted(document.ocr_angles),
        "skew_degrees": {str(n): a for n, a in sorted(document.ocr_angles.items())},
        "low_confidence_threshold": LOW_CONFIDENCE,
        "low_confidence_cells": low,
    }
