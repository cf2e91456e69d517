"""Lines after the glossary heading → (term, definition) pairs, one column of entries after another."""

from __future__ import annotations

import itertools
import math
import re
import statistics

import pandas as pd

from pipeline.read.layout import Line, Rule, Word
from pipeline.text import join_lines
from schemas.glossary import COLUMNS

#: Words further apart than this share of the font size start a new segment (term → definition).
SEGMENT_GAP_EM = 1.0
#: An acronym: capitals and digits ("BA/SE"), or a word with two capitals or more that does not start with one
#: ("eCP", "iPaaS"; an ordinary word has at most its first letter capitalised).
_ACRONYM = re.compile(
    r"^(?:[A-Z0-9][A-Z0-9&/+.\-]{0,11}|(?=[a-z0-9]*[A-Z][a-z0-9]*[A-Z])[a-z0-9][A-Za-z0-9&/+.\-]{1,11})$")
#: A mark before each entry of a glossary printed as a bullet list ("• AM – Account Manager").
_BULLET = re.compile(r"^[•▪◦‣●■□➢►▸·*\-–]$")
#: A word read by OCR made only of these marks is a speck or a dash between a term and its definition.
_DASHES = re.compile(r"^[~\-–—_=]+$")
#: A term of several words is a name: each word capitalised, an acronym or a number ("Equinix Customer Portal (ECP)"),
#: short joining words allowed after the first ("Bill of Materials").
_NAME_WORD = re.compile(r"^[(\[\"“]?[A-Z0-9]")
_JOINING_WORDS = frozenset({"of", "and", "for", "the", "to", "in", "on", "&", "/", "-"})
MAX_TERM_WORDS = 6
#: Terms (and definitions) standing within this many points of one x start in one column of entries.
COLUMN_TOLERANCE = 12.0
#: Horizontal rules less than this many points apart along x belong to one ruled column (a table's cells' edges).
RULE_JOIN = 3.0
#: The rule under a ruled glossary's last entry lies within this many points under its text (the cell's padding).
RULE_BELOW = 8.0


def _segments(line: Line) -> list[list[Word]]:
    """A line → runs of words separated by gaps wider than ordinary word spacing, or by dashes read by OCR (which
    are left out)."""
    size = statistics.median(w.size for w in line.words) or 10.0
    words = line.words
    dashes = {i for i, w in enumerate(words) if w.confidence is not None and _DASHES.match(w.text)}
    runs: list[list[Word]] = [[]]
    for i, w in enumerate(words):
        if i in dashes:
            if runs[-1]:
                runs.append([])
            continue
        a = runs[-1][-1] if runs[-1] else None
        if a is not None and (w.x0 - a.x1 > SEGMENT_GAP_EM * size or a.bold != w.bold):
            runs.append([w])
        else:
            runs[-1].append(w)
    return [run for run in runs if run]


def _text(words: list[Word]) -> str:
    return " ".join(w.text for w in words)


def lines_to_glossary(lines: list[Line], column_headers: tuple[re.Pattern[str], ...] = (),
                      ruled: list[bool | None] | None = None) -> pd.DataFrame:
    """Glossary lines (heading excluded), top to bottom → a `term, definition` frame in reading order; a line
    matching one of `column_headers` (a glossary table's "Term | Definition", from the profile) is left out.
    `ruled` says, line by line, whether a rule runs between it and the line above (None: first on its
    page): in a glossary ruled between its entries, a line with no rule above it continues the entry above, its
    term as well as its definition (a term wrapped in a narrow column). In a glossary printed as a bullet list (its
    first line and another start with the same bullet mark) a line without a bullet continues the entry above."""
    in_rows = ruled is not None and any(r is True for r in ruled)
    columns: dict[int, list[list[str]]] = {}  # entry column → entries [term, definition]
    anchors: list[float] = []  # x where each entry column's terms start
    def_x: dict[int, float] = {}
    entries = [i for i, line in enumerate(lines) if not any(h.search(line.text) for h in column_headers)]
    marks = [lines[i].words[0].text for i in entries if _bullet(lines[i]) is not None]
    bulleted = bool(marks) and _bullet(lines[entries[0]]) is not None and marks.count(marks[0]) >= 2
    for i in entries:
        line = _bullet(lines[i]) if bulleted else lines[i]
        if line is None:  # a bullet list's line without a bullet continues the entry above
            _continue_definition(_segments(lines[i]), columns, def_x)
            continue
        runs = _segments(line)
        if in_rows and ruled is not None and ruled[i] is False and columns:
            _continue_entry(runs, columns, anchors, def_x)
            continue
        pairs = _pairs(runs)
        if pairs is None or _inside_an_entry(runs[0][0].x0, anchors, def_x):
            _continue_definition(runs, columns, def_x)
            continue
        for term_words, def_words in pairs:
            k = _anchor(term_words[0].x0, anchors)
            columns.setdefault(k, []).append([_term_text(term_words), _text(def_words)])
            def_x[k] = def_words[0].x0 if def_words else term_words[-1].x1
    order = sorted(range(len(anchors)), key=lambda k: anchors[k])
    rows = [entry for k in order for entry in columns.get(k, [])]
    frame = [{"term": t, "definition": " ".join(d.split())} for t, d in rows]
    return pd.DataFrame(frame, columns=list(COLUMNS), dtype=str)  # text columns even when there are no entries


def _bullet(line: Line) -> Line | None:
    """A line → the line without the bullet mark it starts with, or None when it has none."""
    words = line.words
    return Line(words[1:]) if len(words) > 1 and _BULLET.match(words[0].text) else None


def _pairs(runs: list[list[Word]]) -> list[tuple[list[Word], list[Word]]] | None:
    """Segments of one line → (term, definition) pairs, or None when the line only continues one."""
    if len(runs) >= 2 and len(runs) % 2 == 0 and all(_is_term(r) for r in runs[::2]):
        return [(runs[i], runs[i + 1]) for i in range(0, len(runs), 2)]
    if len(runs) == 1:
        words = runs[0]
        for i, w in enumerate(words[1 : MAX_TERM_WORDS + 1], start=1):
            if _DASHES.match(w.text) and i + 1 < len(words) and _is_name(words[:i]):
                return [(words[:i], words[i + 1 :])]  # "AM – Account Manager": the dash parts term and definition
        for i, w in enumerate(words[:MAX_TERM_WORDS]):
            if w.text.endswith(":") and i + 1 < len(words) and _is_name(words[: i + 1]):
                return [(words[: i + 1], words[i + 1 :])]  # "AM: Account Manager", "Master Admin: ..."
        if len(words) >= 2 and _ACRONYM.match(words[0].text) and not _ACRONYM.match(words[1].text):
            return [(words[:1], words[1:])]
        return None
    if all(_is_term(r) for r in runs[::2]) and len(runs) % 2 == 1:
        return [(runs[i], runs[i + 1] if i + 1 < len(runs) else []) for i in range(0, len(runs), 2)]
    return None


def _term_text(words: list[Word]) -> str:
    """A term's words → its text, without the colon printed after it."""
    return _text(words).removesuffix(":").rstrip()


def _is_term(words: list[Word]) -> bool:
    return all(w.bold for w in words) or (len(words) <= 3 and bool(_ACRONYM.match(words[0].text))) or _is_name(words)


def _is_name(words: list[Word]) -> bool:
    """Words → whether they read as a term's name: up to MAX_TERM_WORDS words, each capitalised (or an acronym or a
    number) but for short joining words after the first."""
    texts = [w.text.removesuffix(":") for w in words]
    return 0 < len(texts) <= MAX_TERM_WORDS and bool(_NAME_WORD.match(texts[0]) or _ACRONYM.match(texts[0])) and all(
        _NAME_WORD.match(t) or _ACRONYM.match(t) or t.lower() in _JOINING_WORDS for t in texts[1:])


def _inside_an_entry(x: float, anchors: list[float], def_x: dict[int, float]) -> bool:
    """Whether a line starting at x continues an entry rather than starting one: entries start where terms start,
    or right of every definition (a new column of entries); a line indented under a term or starting where the
    definitions do continues a definition ("Note: ..." on a wrapped line is not a term)."""
    if not anchors or any(abs(a - x) <= COLUMN_TOLERANCE for a in anchors):
        return False
    return x < max(def_x.values(), default=x) + COLUMN_TOLERANCE


def _anchor(x: float, anchors: list[float]) -> int:
    for k, a in enumerate(anchors):
        if abs(a - x) <= COLUMN_TOLERANCE:
            return k
    anchors.append(x)
    return len(anchors) - 1


def _continue_definition(runs: list[list[Word]], columns: dict[int, list[list[str]]], def_x: dict[int, float]) -> None:
    """Wrapped definition lines → appended to the entry whose definition column they stand in."""
    for run in runs:
        if not def_x:
            return
        k = min(def_x, key=lambda c: abs(def_x[c] - run[0].x0))
        if columns.get(k):
            columns[k][-1][1] = join_lines([columns[k][-1][1], _text(run)])


def _continue_entry(runs: list[list[Word]], columns: dict[int, list[list[str]]], anchors: list[float],
                    def_x: dict[int, float]) -> None:
    """A line inside a ruled entry → each run appended to the term it stands under, or else to the definition."""
    for run in runs:
        x = run[0].x0
        k = next((k for k, a in enumerate(anchors)
                  if abs(a - x) <= COLUMN_TOLERANCE and abs(def_x.get(k, x) - x) > COLUMN_TOLERANCE), None)
        if k is not None and columns.get(k):
            columns[k][-1][0] = join_lines([columns[k][-1][0], _term_text(run)])
        else:
            _continue_definition([run], columns, def_x)


def rules_above(lines: list[Line], pages: list[int], rules: dict[int, list[Rule]]) -> list[bool | None]:
    """Glossary lines, the page of each and each page's rules → whether a horizontal rule runs across the start of
    each line between it and the line above it on its page (None for a page's first line)."""
    out: list[bool | None] = []
    for i, line in enumerate(lines):
        if not i or pages[i - 1] != pages[i]:
            out.append(None)
            continue
        above, x = lines[i - 1].bottom, line.words[0].x0
        out.append(any(r.orientation == "h" and above - 1 <= r.position <= line.top + 1 and r.start <= x <= r.end
                       for r in rules.get(pages[i], [])))
    return out


def ruled_glossary(lines: list[Line], pages: list[int], rules: dict[int, list[Rule]],
                   column_headers: tuple[re.Pattern[str], ...] = ()) -> pd.DataFrame:
    """Glossary lines, the page of each and each page's rules → its `term, definition` frame. Entries printed in
    side-by-side ruled columns (each column's rules apart from the next one's, so its rows need not line up with
    theirs) are read column by column, left to right."""
    parts = []
    for lo, hi in _ruled_columns(lines, pages, rules):
        part = [(Line(kept), page) for line, page in zip(lines, pages, strict=True)
                if (kept := [w for w in line.words if lo <= w.x0 < hi])]
        parts.append(([ln for ln, _ in part], [page for _, page in part]))
    if len(parts) > 1 and not all(_holds_terms_and_definitions(sub) for sub, _ in parts):
        parts = [(lines, pages)]  # a table's term cells ruled apart from its definition cells: one column of entries
    frames = [lines_to_glossary(sub, column_headers, rules_above(sub, sub_pages, rules)) for sub, sub_pages in parts]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def _holds_terms_and_definitions(lines: list[Line]) -> bool:
    """Whether lines hold entries: their runs of words start at two x positions or more (terms, definitions)."""
    starts: list[float] = []
    for line in lines:
        for run in _segments(line):
            if all(abs(run[0].x0 - x) > COLUMN_TOLERANCE for x in starts):
                starts.append(run[0].x0)
    return len(starts) >= 2


def _ruled_columns(lines: list[Line], pages: list[int], rules: dict[int, list[Rule]]) -> list[tuple[float, float]]:
    """Glossary lines, their pages and the pages' rules → the x ranges of side-by-side columns of entries: groups of
    horizontal rules among the lines that do not touch one another, two rules or more in each (one range, the
    whole width, when there are none)."""
    spans: list[tuple[float, float]] = []
    for page in sorted(set(pages)):
        on_page = [ln for ln, p in zip(lines, pages, strict=True) if p == page]
        top, bottom = min(ln.top for ln in on_page), max(ln.bottom for ln in on_page)
        spans += [(r.start, r.end) for r in rules.get(page, [])
                  if r.orientation == "h" and top - 1 <= r.position <= bottom + RULE_BELOW]
    groups: list[list[float]] = []  # [start, end, rules]
    for start, end in sorted(spans):
        if groups and start <= groups[-1][1] + RULE_JOIN:
            groups[-1][1] = max(groups[-1][1], end)
            groups[-1][2] += 1
        else:
            groups.append([start, end, 1])
    if len(groups) < 2 or any(g[2] < 2 for g in groups):
        return [(-math.inf, math.inf)]
    cuts = [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(groups)]
    return list(itertools.pairwise([-math.inf, *cuts, math.inf]))
