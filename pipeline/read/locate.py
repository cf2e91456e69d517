"""Page layouts → the job-aid table's grid on each page: header, column boundaries and row bands."""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field

from pipeline.profile import Profile
from pipeline.read.boundaries import estimate_bounds
from pipeline.read.columns import map_columns
from pipeline.read.headerband import cut_at_gap, header_band, header_cells, wrap_gap
from pipeline.read.headerwords import spell_header
from pipeline.read.layout import Line, PageLayout
from pipeline.read.phasecol import PhaseCell, phase_cells, split_phase_column
from pipeline.read.rows import GridRow, lines_to_cells, lines_to_rows, row_separators, snap, table_edges
from pipeline.read.tiers import group_headings, without
from pipeline.text import join_lines

#: A header repeated on a later page stands within this many points of where it stood before.
REPEAT_TOLERANCE = 2.0
#: A line whose gap to the line above is under this share of its height is that cell's next (wrapped) line.
WRAP_GAP = 0.5
#: A header line naming one field is read as a group heading's tier only when it and the line under it name this many.
MIN_FIELDS_TIERED = 3
#: A vertical rule further than this from every column boundary is not one of the table's own.
OWN_RULE_TOLERANCE = 8.0


@dataclass
class Header:
    """A table header: the text over each column and where it stands."""

    texts: list[str]
    top: float
    bottom: float
    phase_col: int | None = None
    groups: list[tuple[float, float]] = field(default_factory=list)  # x-extents of group headings over columns
    own: list[str] = field(default_factory=list)  # each column's text without the group heading over it


@dataclass
class PageGrid:
    """The table as found on one page."""

    page: int
    bounds: list[float]
    ruled: bool
    header: Header | None
    rows: list[GridRow] = field(default_factory=list)
    top: float = 0.0
    bottom: float = 0.0
    ends_table: bool = False
    phase_col: int | None = None
    phase_cells: list[PhaseCell] = field(default_factory=list)
    header_bounds: list[float] = field(default_factory=list)  # the boundaries as the header gives them, unrefined
    edges: tuple[float, float] | None = None  # the table's left and right edges, where its row rules start and end


def find_header(layout: PageLayout, profile: Profile, skip: set[int]) -> tuple[Header, list[float], bool] | None:
    """A page → the first header band whose columns map onto the profile, its boundaries and rule mode."""
    lines = spell_header([ln for i, ln in enumerate(layout.lines) if i not in skip], profile.header_words)
    hrules = layout.hrules()
    wrap = wrap_gap(lines)
    for i in range(len(lines)):
        band = header_band(lines, i, hrules)
        cut = cut_at_gap(band, wrap)
        for lines_of_header in ([cut] if cut else []) + [band]:
            found = _band_to_header(lines, i, lines_of_header, layout, profile)
            if found is not None:
                return found
    return None


def _band_to_header(lines: list[Line], i: int, band: list[Line], layout: PageLayout,
                    profile: Profile) -> tuple[Header, list[float], bool] | None:
    """Header lines from line i → the header they make, read in one tier or two, or None."""
    named = _fields_named(" ".join(ln.text for ln in band), profile)
    if named == 0:
        return None
    if named == 1:  # a group heading over all columns but one ("Activity" | "Who does it" over three), set in
        if not (band[0].bold or band[0].by_ocr) or i + len(band) >= len(lines):  # a header's weight, whose next
            return None  # line names the rest
        below = lines[i + len(band)].text
        if _fields_named(" ".join(ln.text for ln in band) + " " + below, profile) < MIN_FIELDS_TIERED:
            return None
        return _tiered_header(lines, i, band, layout, profile)
    return (_split_header(band, layout, profile) or _mapped_header(band, band, [], layout, profile)
            or _tiered_header(lines, i, band, layout, profile))


def _mapped_header(band: list[Line], lower: list[Line], groups: list[tuple[float, float, str]], layout: PageLayout,
                   profile: Profile) -> tuple[Header, list[float], bool] | None:
    """Header lines (the lowest tier `lower` among them) and group headings over them → the header, its boundaries
    and rule mode, if its columns map onto the profile."""
    found = _band_to_columns(band, layout, lower)
    if found is None:
        return None
    bounds, ruled = found
    texts = own = _cells_text(band, bounds)
    for x0, x1, text in groups:  # a group heading's words belong to each column it stands over
        texts = [f"{text} {t}" if x0 <= start < x1 else t for t, start in zip(texts, bounds, strict=False)]
    mapping = map_columns(texts, profile, strict=False, own=own)
    if mapping is None:
        return None
    top = min(ln.top for ln in band)
    bottom = max(ln.bottom for ln in band)
    return Header(texts, top, bottom, mapping.get("phase"), own=own if groups else []), bounds, ruled


def _split_header(band: list[Line], layout: PageLayout, profile: Profile) -> tuple[Header, list[float], bool] | None:
    """A header band whose first line holds a group heading over columns named in the lines below it → the header
    read in two tiers, or None."""
    if len(band) < 2:
        return None
    return _tiers(band[:1], band[1:], layout, profile, apart=False)


def _tiered_header(lines: list[Line], i: int, band: list[Line], layout: PageLayout,
                   profile: Profile) -> tuple[Header, list[float], bool] | None:
    """A header in two tiers, a group heading over two or more columns ("Who owns it" over "Reseller" | "Direct"),
    starting at line i whose own band does not map → the header, its boundaries and rule mode, or None."""
    k = i + len(band)
    if k >= len(lines):
        return None
    lower = header_band(lines, k, layout.hrules())
    upper_end, lower_top = band[-1], lower[0]
    if lower_top.top - upper_end.bottom > 1.5 * (upper_end.bottom - upper_end.top):
        return None
    left, right = min(ln.x0 for ln in band + lower), max(ln.x1 for ln in band + lower)
    between = [r for r in layout.hrules() if upper_end.bottom - 1 <= r.position <= lower_top.top + 1]
    if any(r.start <= left + 1 and r.end >= right - 1 for r in between):
        return None  # a rule across the whole table closes the header above it
    underlined = bool(between) and (lower_top.by_ocr or band[0].by_ocr)  # a group's cell ruled under; OCR's weights
    if lower_top.bold != band[0].bold and not underlined:  # vary, but a paragraph above a table is not ruled under
        return None
    return _tiers(band, lower, layout, profile, apart=True)


def _tiers(band: list[Line], lower: list[Line], layout: PageLayout, profile: Profile,
           apart: bool) -> tuple[Header, list[float], bool] | None:
    """An upper and a lower tier of header lines (`apart`: set off by a rule or a gap) → the header they make when the
    upper holds group headings."""
    groups = group_headings(header_cells(band), header_cells(lower), apart)
    if not groups:
        return None
    rest = [without(ln, [(a, b) for a, b, _, _ in groups]) for ln in band]
    named = [(x0, x1, " ".join(w.text for ln in band for w in ln.words if a <= w.xmid <= b))
             for a, b, x0, x1 in groups]
    found = _mapped_header([ln for ln in rest if ln.words] + lower, lower, named, layout, profile)
    if found is not None:
        found[0].top = min(found[0].top, band[0].top)
        found[0].groups = [(a, b) for a, b, _, _ in groups]
    return found


def _fields_named(text: str, profile: Profile) -> int:
    """How many contract fields a piece of text names."""
    return sum(1 for rule in profile.columns if rule.score(text) > 0)


def _band_to_columns(band: list[Line], layout: PageLayout, lower: list[Line]) -> tuple[list[float], bool] | None:
    """Header lines → column boundaries: from vertical rules crossing its lowest tier (`lower`, the band itself when
    it has one) when ruled, else from the header's gaps."""
    top = min(ln.top for ln in lower)
    bottom = max(ln.bottom for ln in lower)
    mid = (top + bottom) / 2
    crossing = [r.position for r in layout.vrules() if r.start - 1 <= mid <= r.end + 1]
    xs = snap(crossing)
    if len(xs) >= 3 and xs[0] <= min(ln.x0 for ln in band) and xs[-1] >= max(ln.x1 for ln in band):
        return xs, True
    cells = header_cells(band)
    if len(cells) < 3:
        return None
    bounds = [cells[0][0] - 2] + [c[0] - 2 for c in cells[1:]] + [max(layout.width - 20, cells[-1][1] + 2)]
    return bounds, False


def _cells_text(band: list[Line], bounds: list[float]) -> list[str]:
    """Header lines → one text per column."""
    return [join_lines(c) for c in lines_to_cells(band, bounds)]


def page_to_grid(
    layout: PageLayout, profile: Profile, running: set[int], previous: PageGrid | None
) -> PageGrid | None:
    """A page layout → the table's grid on it, or None when the page holds no part of the table."""
    found = find_header(layout, profile, running)
    lines = [ln for i, ln in enumerate(layout.lines) if i not in running]
    if found is not None:
        header, bounds, ruled = found
        body_top = header.bottom + 0.5
    elif previous is not None and not previous.ends_table:
        header, bounds, ruled = None, previous.bounds, previous.ruled
        body_top = 0.0
    else:
        return None
    body, ends = _body_lines(lines, body_top, bounds, profile, ruled)
    own = _before_other_table(body, layout, bounds)
    if len(own) < len(body):
        body, ends = own, True
        if not body and header is None:
            return None
    header_bounds = bounds if previous is None or found is not None else previous.header_bounds
    if header is not None and not ruled:
        same_table = previous is not None and _same_bounds(previous.header_bounds, bounds)
        heading = [without(ln, header.groups) for ln in lines if header.top - 0.5 <= ln.top <= header.bottom]
        heading = [ln for ln in heading if ln.words]  # a group heading stands over several columns, not at one's start
        bounds = estimate_bounds(bounds, heading, body, layout, previous.bounds if previous and same_table else ())
    grid = PageGrid(layout.number, bounds, ruled, header, ends_table=ends, header_bounds=header_bounds)
    separators = row_separators(layout, bounds, body_top)
    if ruled and len(separators) >= 2:
        above = _open_run([ln for ln in body if ln.ymid < separators[0]][::-1], separators[0], bounds)[::-1]
        below_all = [ln for ln in body if ln.ymid > separators[-1]]
        below = _open_run(below_all, separators[-1], bounds)
        inside = [ln for ln in body if separators[0] < ln.ymid < separators[-1]]
        body = above + inside + below
        grid.ends_table = grid.ends_table or len(below) < len(below_all)
    grid.phase_col = header.phase_col if header else previous.phase_col if previous else None
    if grid.phase_col is not None:
        body, phase_lines = split_phase_column(body, bounds, grid.phase_col, layout, ruled)
    grid.edges = table_edges(layout, separators)
    unmeasured = grid.edges is None or (len(separators) < 2 and any(ln.by_ocr for ln in layout.lines))
    if unmeasured and previous is not None and _same_bounds(previous.header_bounds, header_bounds):
        grid.edges = previous.edges  # a page whose rules a scan lost, or shows one, measured only roughly: as before
    grid.rows = lines_to_rows(body, separators, layout, bounds, ruled, grid.edges)
    if grid.phase_col is not None:
        rows = [(row.top, row.bottom) for row in grid.rows]
        grid.phase_cells = phase_cells(phase_lines, layout, bounds, grid.phase_col, body_top, ruled, rows)
    grid.top = header.top if header else (grid.rows[0].top if grid.rows else body_top)
    grid.bottom = grid.rows[-1].bottom if grid.rows else grid.top
    return grid


def _same_bounds(a: list[float], b: list[float]) -> bool:
    """Whether two pages' header boundaries are those of one table (a repeated header)."""
    return len(a) == len(b) and all(abs(x - y) <= REPEAT_TOLERANCE for x, y in zip(a, b, strict=True))


def _body_lines(
    lines: list[Line], body_top: float, bounds: list[float], profile: Profile, ruled: bool
) -> tuple[list[Line], bool]:
    """Lines below the header → those of the table, and whether the table ends on this page.

    Without rules the first header text need not stand at the table's left edge (a centred header), so only a
    ruled table's left edge ends it. A glossary heading stands apart from the line above it: a line set as close
    as a cell's wrapped lines (e.g. a cell's last word "glossary") is table text, and so is a heading followed by
    a table row (a phase named "Glossary ...").
    """
    left = bounds[0] if ruled else -math.inf
    body: list[Line] = []
    for i, ln in enumerate(lines):
        if ln.top < body_top:
            continue
        wrapped = bool(body) and ln.top - body[-1].bottom < WRAP_GAP * (ln.bottom - ln.top)  # a cell's next line
        heading = not wrapped and ln.x0 < bounds[1] and _is_phrase(ln) and profile.is_glossary_heading(ln.text)
        if heading and not _row_follows(lines[i + 1 :], ln, bounds) or ln.x1 < left or ln.x0 > bounds[-1]:
            return body, True
        body.append(ln)
    return body, False


def _before_other_table(body: list[Line], layout: PageLayout, bounds: list[float]) -> list[Line]:
    """Body lines → those above the first line ruled into cells by another table's vertical rules: two or more rules
    crossing it far from every one of this table's column boundaries, one of them between its words (a contacts or
    escalation table after the job-aid table)."""
    vrules = layout.vrules()
    for k, ln in enumerate(body):
        foreign = snap([r.position for r in vrules if r.start - 1 <= ln.ymid <= r.end + 1
                        and min(abs(r.position - b) for b in bounds) > OWN_RULE_TOLERANCE])
        if len(foreign) >= 2 and any(ln.x0 < x < ln.x1 for x in foreign):
            return body[:k]
    return body


def _row_follows(after: list[Line], heading: Line, bounds: list[float]) -> bool:
    """Whether the first line below a heading reads as a row of the table: two or more runs of words, each
    left-aligned or centred in a column of its own (or centred across the columns it spans)."""
    below = [ln for ln in after if ln.top >= heading.bottom]
    if not below:
        return False
    runs = _runs(below[0])
    if len(runs) < 2:
        return False
    taken: set[int] = set()
    for x0, x1, size in runs:
        first = max(0, bisect.bisect_right(bounds, x0 + 1) - 1)
        last = max(first, bisect.bisect_left(bounds, x1 - 1) - 1)
        if last >= len(bounds) - 1 or taken & set(range(first, last + 1)):
            return False
        left_aligned = first == last and x0 - bounds[first] <= 2 * size
        centred = abs((x0 + x1) / 2 - (bounds[first] + bounds[last + 1]) / 2) <= size
        if not (left_aligned or centred):
            return False
        taken.update(range(first, last + 1))
    return True


def _runs(ln: Line) -> list[tuple[float, float, float]]:
    """A line → its runs of words (split at gaps of a font size or more) as left, right and font size."""
    runs = [[ln.words[0]]]
    for a, b in zip(ln.words, ln.words[1:], strict=False):
        if b.x0 - a.x1 < b.size:
            runs[-1].append(b)
        else:
            runs.append([b])
    return [(r[0].x0, r[-1].x1, max(w.size for w in r)) for r in runs]


def _open_run(lines: list[Line], edge: float, bounds: list[float]) -> list[Line]:
    """Lines leading away from a table's outermost rule that still belong to it: a row left open by a page break."""
    run: list[Line] = []
    last = edge
    for ln in lines:
        height = ln.bottom - ln.top
        gap = ln.top - last if ln.top >= last else last - ln.bottom
        fits = ln.x0 >= bounds[0] - 2 and ln.x1 <= bounds[-1] + 2
        if gap > 1.5 * height or not fits:
            break
        run.append(ln)
        last = ln.bottom if ln.top >= edge else ln.top
    return run


def _is_phrase(ln: Line) -> bool:
    """Whether a line is one run of words (no column-wide gaps): a heading, not the first line of a row."""
    return all(b.x0 - a.x1 < b.size for a, b in zip(ln.words, ln.words[1:], strict=False))


def layouts_to_grids(layouts: list[PageLayout], profile: Profile, running: list[set[int]]) -> list[PageGrid]:
    """All pages (and their running lines) → the table's grid on each page that holds part of it, in page order."""
    grids: list[PageGrid] = []
    for layout, skip in zip(layouts, running, strict=True):
        grid = page_to_grid(layout, profile, skip, grids[-1] if grids else None)
        if grid is not None:
            grids.append(grid)
    return grids


def candidate_headers(layouts: list[PageLayout], profile: Profile) -> list[str]:
    """Pages with no mappable header → the texts of the most header-like line, for the error message."""
    best: tuple[int, list[str]] = (0, [])
    for layout in layouts:
        for i, ln in enumerate(layout.lines):
            hits = _fields_named(ln.text, profile)
            if hits >= 1 and ln.bold:
                band = spell_header(header_band(layout.lines, i, layout.hrules()), profile.header_words)
                found = _band_to_columns(band, layout, band)
                if found and hits > best[0]:
                    best = (hits, _cells_text(band, found[0]))
    return best[1]
