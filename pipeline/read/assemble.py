"""Page grids → activity records: phase rows applied, repeated headers dropped, broken rows joined."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.profile import Profile
from pipeline.read.columns import map_columns
from pipeline.read.locate import PageGrid
from pipeline.read.phasecol import cell_at
from pipeline.read.rows import GridRow
from pipeline.text import join_lines

FIELDS = ("activity", "self_service", "reseller_owner", "direct_owner")

#: A cell line ending in one of these words or marks does not finish its sentence.
_OPEN_END = re.compile(
    r"(?:[,&/(\-–]|\b(?:and|or|of|for|to|the|a|an|with|on|in|per|by|from|at|as|its|their|via))$", re.I
)
_CLOSED_END = re.compile(r"[.!?:;)]$")


@dataclass
class Record:
    """One activity as read: its phase, the printed lines of each field, and its pages."""

    phase: str
    lines: dict[str, list[str]]
    pages: list[int] = field(default_factory=list)
    row_ids: list[tuple[int, float]] = field(default_factory=list)

    def absorb(self, other: Record) -> None:
        """Append a continuation's lines to this record, field by field."""
        for name in FIELDS:
            self.lines[name].extend(other.lines[name])
        self.pages.extend(p for p in other.pages if p not in self.pages)
        self.row_ids.extend(other.row_ids)


@dataclass
class Assembly:
    """The table's records, and the phase rows found (page, top, text) for the overlay."""

    records: list[Record]
    phase_rows: list[tuple[int, float, str]]


def grids_to_records(grids: list[PageGrid], profile: Profile) -> Assembly:
    """Page grids in page order → activity records in document order."""
    records: list[Record] = []
    phase_rows: list[tuple[int, float, str]] = []
    phase = ""
    phase_lines: list[str] = []  # the printed lines of the phase column's current cell
    mapping: dict[str, int] | None = None
    last_kind = ""  # "phase" or "activity": what the previous row was
    for grid in grids:
        if grid.header is not None:
            mapping = map_columns(grid.header.texts, profile, own=grid.header.own)
        assert mapping is not None, "the first grid always has a header"
        for i, row in enumerate(grid.rows):
            first_on_page = i == 0
            if _is_phase_row(row, mapping, first_on_page and last_kind == "activity"):
                phase = _phase_name(join_lines(next((c for c in row.cells if c), [])), phase, profile)
                phase_rows.append((row.page, row.top, phase))
                last_kind = "phase"
                continue
            cell = cell_at(grid.phase_cells, row.top) if grid.phase_col is not None else None
            cell_lines = cell.lines if cell is not None else []
            record = Record(phase, {name: list(row.cells[mapping[name]]) if name in mapping else [] for name in FIELDS},
                            [row.page],
                            [(row.page, row.top)])
            if last_kind == "activity" and records and _continues(records[-1], record, first_on_page):
                records[-1].absorb(record)
                if cell_lines and first_on_page:  # the row's phase cell broke across the page with it
                    phase_lines = phase_lines + cell_lines
                    phase = records[-1].phase = join_lines(phase_lines)
            else:
                if cell_lines:
                    phase_lines = list(cell_lines)
                    phase = record.phase = _phase_name(join_lines(phase_lines), phase, profile)
                records.append(record)
            last_kind = "activity"
    return Assembly(records, phase_rows)


def _phase_name(text: str, current: str, profile: Profile) -> str:
    """A phase heading as printed and the phase before it → the phase it names: the same one when it only repeats
    that phase's name with a continuation mark ("Quoting & Ordering (continued)" at the top of a page)."""
    bare = profile.without_continued_mark(text)
    return current if bare != text and " ".join(bare.split()) == " ".join(current.split()) else text


def _is_phase_row(row: GridRow, mapping: dict[str, int], may_continue: bool) -> bool:
    """A row spanning the table, or holding text in its activity cell only, is a phase heading; so is a bold or shaded
    row with text in its first cell only, whatever column comes first."""
    if row.spanning:
        return True
    filled = [j for j, lines in enumerate(row.cells) if lines]
    if filled == [0] and mapping.get("phase") != 0 and (row.bold or row.shaded):
        return True
    if filled != [mapping["activity"]]:
        return False
    if row.bold or row.shaded:
        return True
    return not may_continue


def _unclosed(text: str) -> bool:
    """Whether a cell's text stops inside brackets: "(case" was cut off before its ")"."""
    depth = 0
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
    return depth > 0


def _continues(previous: Record, record: Record, first_on_page: bool) -> bool:
    """Whether `record` is the rest of `previous`, broken off by a page break or by row grouping."""
    if not record.lines["activity"]:
        return True
    if not first_on_page:
        return False
    if not any(record.lines[name] for name in FIELDS if name != "activity"):
        return True  # only activity text, at the top of a page, not styled as a phase: the rest of a row
    for name in FIELDS:
        before, after = previous.lines[name], record.lines[name]
        if not before or not after:
            continue
        tail, head = before[-1].rstrip(), after[0].lstrip()
        if _OPEN_END.search(tail) or _unclosed(" ".join(before)):
            return True
        if not _CLOSED_END.search(tail) and head[:1].islower():
            return True
    return False
