"""Text lines of a page → the lines of one table header (wrapped over several lines) and its cells' x-extents."""

from __future__ import annotations

import bisect
import math
import statistics

from pipeline.read.layout import Line, Rule
from pipeline.read.rows import TIGHT_STEP, TIGHT_STEP_EM

#: Header cells in a borderless table are separated by gaps wider than this share of the font size.
HEADER_GAP_EM = 0.8
#: How many lines a header may wrap over (a question in a narrow column: "Can the customer do it ...?").
MAX_HEADER_LINES = 6


def header_band(lines: list[Line], start: int, hrules: list[Rule]) -> list[Line]:
    """Lines from `start` that belong to one (possibly wrapped) header.

    A line in another weight ends the header, except a line read by OCR that a rule closes off below, with the
    lines set as close under it, or that stands wholly under the header's text: in a ruled header the rule says
    where it ends, and OCR judges the weight of a line unreliably (a short one, "(EUC)", or one on a grey fill);
    and a printed line that qualifies header texts from under them (a plain "(partner-sold)" under "Reseller").
    """
    band = [lines[start]]
    last = min(start + MAX_HEADER_LINES, len(lines))
    for k in range(start + 1, last):
        ln, prev = lines[k], band[-1]
        if not _wraps_onto(prev, ln, hrules):
            break
        if ln.bold != band[0].bold and not (ln.by_ocr and (
                _closed_by_rule(lines, k, last, hrules) or _under_header_text(ln, band))) and not (
                not ln.by_ocr and _header_subline(ln, band)):
            break
        band.append(ln)
    return band


def cut_at_gap(band: list[Line], wrap: float | None) -> list[Line] | None:
    """Header lines → those above the first printed line that stands in the first header cell alone, set clearly
    further below the line above than the page's wrapped lines stand apart (`wrap`, see `wrap_gap`): a bold phase
    heading under the bold header of a table set tight; None when there is no such line. The cut header is tried
    first: a header whose cells hold paragraphs set apart still reads whole when it does not map without them."""
    if wrap is None or len(band) < 2:
        return None
    cells = header_cells(band[:1])
    first_cell_end = cells[1][0] if len(cells) > 1 else math.inf
    for k in range(1, len(band)):
        ln, prev = band[k], band[k - 1]
        wide = ln.top - prev.bottom > wrap + max(TIGHT_STEP, TIGHT_STEP_EM * ln.size)
        if wide and not ln.by_ocr and ln.x1 < first_cell_end:
            return band[:k]
    return None


def wrap_gap(lines: list[Line]) -> float | None:
    """A page's lines → the narrowest whitespace between two printed lines one under the other that start a word
    at the same x (a cell's wrapped lines, left-aligned), or None when no such lines are set closer than apart."""
    narrowest: float | None = None
    for prev, ln in zip(lines, lines[1:], strict=False):
        gap = ln.top - prev.bottom
        if ln.by_ocr or prev.by_ocr or gap < 0 or (narrowest is not None and gap >= narrowest):
            continue
        starts = sorted(a.x0 for a in prev.words)
        for b in ln.words:
            k = bisect.bisect_left(starts, b.x0 - 0.5)
            if k < len(starts) and starts[k] <= b.x0 + 0.5:
                narrowest = gap
                break
    return narrowest


def _under_header_text(ln: Line, band: list[Line]) -> bool:
    """Whether every word of a line stands under the text of one header cell (a wrapped "(EUC)"), none of them in
    the first cell (where every row's first line has text)."""
    cells = header_cells(band)
    inside = [next((j for j, (x0, x1) in enumerate(cells) if x0 - 1 <= w.x0 and w.x1 <= x1 + 1), None)
              for w in ln.words]
    return all(j is not None and j > 0 for j in inside)


def _header_subline(ln: Line, band: list[Line]) -> bool:
    """Whether every word of a line stands in the columns of header cells after the first, none of them running
    into the next cell's text (a plain "(partner-sold)" under a bold "Reseller")."""
    starts = [x0 for x0, _ in header_cells(band)]
    if len(starts) < 3:
        return False
    for w in ln.words:
        j = bisect.bisect_right(starts, w.x0 + 1) - 1
        if j < 1 or (j + 1 < len(starts) and w.x1 > starts[j + 1] - 1):
            return False
    return True


def _wraps_onto(prev: Line, ln: Line, hrules: list[Rule]) -> bool:
    """Whether a line is set as close under another as a wrapped line, with no rule between them (for lines read
    by OCR, as close as the shorter line's height allows: OCR sizes a line in capitals, "(EUC)", too large)."""
    height = prev.bottom - prev.top
    if ln.by_ocr and prev.by_ocr:
        height = min(height, ln.bottom - ln.top)
    if ln.top - prev.bottom > 0.6 * height:
        return False
    return not any(prev.bottom - 1 <= r.position <= ln.top + 1 for r in hrules)


def _closed_by_rule(lines: list[Line], k: int, last: int, hrules: list[Rule]) -> bool:
    """Whether a horizontal rule runs under line k, or under one of the lines before `last` wrapped onto it, before
    the line that follows."""
    for j in range(k, last):
        if j > k and not _wraps_onto(lines[j - 1], lines[j], hrules):
            return False
        ln = lines[j]
        below = lines[j + 1].top if j + 1 < len(lines) else math.inf
        if any(ln.bottom - 1 <= r.position <= below + 1 and r.start <= ln.x0 and r.end >= ln.x1 for r in hrules):
            return True
    return False


def header_cells(band: list[Line]) -> list[list[float]]:
    """Header lines → x-extents of header cells: each line split at wide gaps, overlapping pieces joined."""
    pieces: list[list[float]] = []
    for ln in band:
        size = statistics.median(w.size for w in ln.words) or 10.0
        start = len(pieces)
        for w in ln.words:
            if len(pieces) > start and w.x0 - pieces[-1][1] <= HEADER_GAP_EM * size:
                pieces[-1][1] = w.x1
            else:
                pieces.append([w.x0, w.x1])
    cells: list[list[float]] = []
    for piece in sorted(pieces):
        if cells and piece[0] < cells[-1][1]:
            cells[-1][1] = max(cells[-1][1], piece[1])
        else:
            cells.append(list(piece))
    return cells
