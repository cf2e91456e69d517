"""Lines under a revision-history heading ("Revision History: Rev | Date | Change") → each revision's number and
date, and the revision the document is."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pipeline.read.layout import Line, Word
from pipeline.read.revision import PrintedDate

#: A revision number or letter as a history table prints it in its own column: "3.0", "v2", "C".
_IDENT = re.compile(r"^(?:v?\d{1,3}(?:\.\d{1,3}){0,2}|[A-Z])$", re.IGNORECASE)
#: A row's cell stands under its column's header within this many points.
COLUMN_TOLERANCE = 12.0


@dataclass(frozen=True)
class HistoryRow:
    """One revision in the history: its number or letter (None when the table has no such column), the label the
    revision gets ("Rev 3.0" from its column header and number, "v3" as printed, else the date as printed) and its
    date."""

    ident: str | None
    label: str
    date: PrintedDate


@dataclass(frozen=True)
class History:
    """A revision-history table: its rows, and its lines (heading included), whose dates are read nowhere else."""

    rows: tuple[HistoryRow, ...]
    lines: tuple[Line, ...]

    def named(self, printed: str) -> HistoryRow | None:
        """A revision printed elsewhere ("Rev 2.0" in the footer) → its row, if the history has it."""
        wanted = _ident_key(printed.split()[-1])
        return next((r for r in self.rows if r.ident is not None and _ident_key(r.ident) == wanted), None)

    def latest(self) -> HistoryRow:
        """The row of the latest date (the first of equal ones)."""
        return max(self.rows, key=lambda r: r.date.value)


def _ident_key(ident: str) -> tuple[str, ...]:
    """A revision number or letter → a key equal for the same revision however printed ("v2", "2.0", "2")."""
    parts = ident.lower().removeprefix("v").split(".")
    while len(parts) > 1 and parts[-1].strip("0") == "":
        parts.pop()
    return tuple(p.lstrip("0") or "0" for p in parts)


def find_history(lines: list[Line], is_heading: Callable[[str], bool], id_words: tuple[str, ...],
                 read_dates: Callable[[str], list[PrintedDate]]) -> History | None:
    """The document's lines but its running headers and footers, in reading order → the revision history under the
    first heading `is_heading` accepts, or None. Its header row (the line after the heading, if it has no date)
    names the columns; each line with a date is a revision; a line with none further right continues a row; any
    other line ends it."""
    start = next((i for i, ln in enumerate(lines) if is_heading(ln.text)), None)
    if start is None:
        return None
    taken = [lines[start]]
    header: Line | None = None
    rows: list[HistoryRow] = []
    left = None
    for ln in lines[start + 1 :]:
        dates = read_dates(ln.text)
        if not dates:
            if header is None and not rows:
                header, left = ln, ln.x0
            elif left is None or ln.x0 <= left + COLUMN_TOLERANCE:
                break
            taken.append(ln)
            continue
        left = ln.x0 if left is None else min(left, ln.x0)
        rows.append(_row(ln, dates[0], header, id_words))
        taken.append(ln)
    return History(tuple(rows), tuple(taken)) if rows else None


def _row(line: Line, found: PrintedDate, header: Line | None, id_words: tuple[str, ...]) -> HistoryRow:
    """A history line, its date and the header row → the revision: its number under the header's revision word."""
    column = _id_column(header, id_words)
    if column is not None:
        cell = next((w for w in line.words if abs(w.x0 - column.x0) <= COLUMN_TOLERANCE), None)
        if cell is not None and _IDENT.match(cell.text):
            named = cell.text[0] in "vV" and cell.text[1:2].isdigit()  # "v2" names itself; "3.0" needs "Rev"
            return HistoryRow(cell.text, cell.text if named else f"{column.text} {cell.text}", found)
    return HistoryRow(None, found.label, found)


def _id_column(header: Line | None, id_words: tuple[str, ...]) -> Word | None:
    """A history's header row → its word naming the revision-number column ("Rev", "Version"), if any."""
    if header is None:
        return None
    words = {w.casefold() for w in id_words}
    return next((w for w in header.words if w.text.casefold().rstrip(".:") in words), None)
