"""A PDF page → its plain layout: words, text lines, ruling lines and shaded boxes."""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from pipeline.read.notemarks import attach_note_marks

#: Words whose tops differ by less than this many points stand on one text line.
LINE_TOLERANCE = 2.5
#: Shortest stroke (points) that counts as a ruling line.
MIN_RULE_LENGTH = 8.0
#: A filled box thinner than this is drawn as a rule, not as shading.
MAX_RULE_THICKNESS = 2.0
#: Above this share of doubled glyphs a page is deduplicated before reading.
DOUBLED_SHARE = 0.05
#: Typographic ligatures → the letters they stand for (fonts that map them to one glyph).
LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                           "\ufb05": "st", "\ufb06": "st"})
#: Ruling pieces on one line with gaps up to this many points are one rule.
JOIN_TOLERANCE = 3.0
#: Allowance for floating-point noise when a gap is compared with a tolerance (a gap of 3.0 pt written in the
#: file may be 3.0000000000000568 after pdfminer's arithmetic, or 2.99997 after pdfium's 32-bit floats).
FLOAT_SLACK = 0.01
#: Segments whose positions differ by less than this many points lie on one line.
COLLINEAR_TOLERANCE = 0.5

#: pdfplumber's word grouping (its defaults): a gap wider than this ends a word; tops further apart start a line.
WORD_X_TOLERANCE = 3.0
WORD_Y_TOLERANCE = 3.0
#: pdfplumber's ligature expansion in words (LIGATURES then covers the rest).
_EXPANSIONS = {"\ufb00": "ff", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb01": "fi", "\ufb02": "fl", "\ufb06": "st",
               "\ufb05": "st"}
_RUN_KEY = itemgetter("upright", "fontname", "size")


def _X_KEY(c: dict[str, Any]) -> tuple[Any, Any]:
    return (c["x0"], c["x0"])


_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)


@dataclass(frozen=True)
class Word:
    """One word as printed: its text, box, whether its font is bold, and how sure OCR was of it (None: text layer)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    bold: bool
    size: float
    confidence: float | None = None

    @property
    def xmid(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def ymid(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Line:
    """Words that share a baseline, left to right."""

    words: list[Word]

    @property
    def by_ocr(self) -> bool:
        """Whether the line's words came from OCR (a text layer's have no confidence)."""
        return any(w.confidence is not None for w in self.words)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def ymid(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)

    @property
    def size(self) -> float:
        return statistics.median(w.size for w in self.words)


@dataclass(frozen=True)
class Rule:
    """A horizontal or vertical ruling segment."""

    orientation: str  # "h" or "v"
    position: float  # y for "h", x for "v"
    start: float
    end: float


@dataclass(frozen=True)
class Shade:
    """A filled, non-white box (cell or row shading)."""

    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class PageLayout:
    """What one page shows, reduced to what table finding needs."""

    number: int
    width: float
    height: float
    lines: list[Line]
    rules: list[Rule] = field(default_factory=list)
    shades: list[Shade] = field(default_factory=list)
    image_count: int = 0
    char_count: int = 0

    def hrules(self) -> list[Rule]:
        return [r for r in self.rules if r.orientation == "h"]

    def vrules(self) -> list[Rule]:
        return [r for r in self.rules if r.orientation == "v"]


def page_to_layout(page: Any) -> PageLayout:
    """A pdfplumber page → its words grouped into lines, its rules and its shading."""
    return objects_to_layout(int(page.page_number), float(page.width), float(page.height), page.chars,
                             ruling_edges(page), page.rects, len(page.images))


def objects_to_layout(number: int, width: float, height: float, chars: list[dict[str, Any]],
                      edges: list[dict[str, Any]], rects: list[dict[str, Any]], image_count: int) -> PageLayout:
    """A page's chars, edges and rects (as pdfplumber describes them, from any reader) → its layout.

    Glyphs printed twice to fake bold are removed first (only then: deduplication is slow).
    """
    from pdfplumber.utils.text import dedupe_chars

    if doubled_share(chars) > DOUBLED_SHARE:
        chars = dedupe_chars(chars)
    words = attach_note_marks([w for w in chars_to_words(chars) if w.text.strip()])
    return PageLayout(
        number=number,
        width=width,
        height=height,
        lines=words_to_lines(words),
        rules=edges_to_rules(edges),
        shades=rects_to_shades(rects),
        image_count=image_count,
        char_count=len(chars),
    )


def chars_to_words(chars: list[dict[str, Any]]) -> list[Word]:
    """Chars (pdfplumber char dicts) → words as pdfplumber's extract_words makes them (font name and size kept),
    blank ones included; upright text in plain numbers is grouped here, three times faster, anything else by
    pdfplumber."""
    if not all(c["upright"] and c["x0"] == c["x0"] and c["x1"] == c["x1"] and c["top"] == c["top"] for c in chars):
        return [_word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], w["fontname"], w["size"])
                for w in _pdfplumber_words(chars)]  # rotated text, or a position that is not a number
    words: list[Word] = []
    for _, run in itertools.groupby(chars, key=_RUN_KEY):  # one font, size and direction
        for line in _upright_lines(list(run)):
            word: list[dict[str, Any]] = []
            for char in line:
                text = char["text"]
                if text.isspace() or text == "":  # a blank ends a word; pdfplumber makes an empty text a word
                    _close(word, words)
                    _close([char] if text == "" else [], words)
                    word = []
                    continue
                if word and _begins_word(word[-1], char):
                    _close(word, words)
                    word = []
                word.append(char)
            _close(word, words)
    return words


def _upright_lines(chars: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Upright chars → lines (chars whose tops chain within the tolerance), top to bottom, each left to right."""
    tops = sorted(set(c["top"] for c in chars))
    line_of: dict[float, int] = {}
    number, last = 0, None
    for top in tops:
        if last is not None and top > last + WORD_Y_TOLERANCE:
            number += 1
        line_of[top] = number
        last = top
    lines: list[list[dict[str, Any]]] = [[] for _ in range(number + 1)]
    for c in chars:
        lines[line_of[c["top"]]].append(c)
    return [sorted(line, key=_X_KEY) for line in lines if line]


def _begins_word(last: dict[str, Any], char: dict[str, Any]) -> bool:
    """Whether a char starts a new word after `last`: it steps back, leaves a gap, or stands on another line."""
    x0 = char["x0"]
    return bool(x0 < last["x0"] or x0 > last["x1"] + WORD_X_TOLERANCE
                or abs(char["top"] - last["top"]) > WORD_Y_TOLERANCE)


def _close(word: list[dict[str, Any]], words: list[Word]) -> None:
    """A word's chars (if any) → the word appended: its text with ligatures spelled out, and the box around them."""
    if not word:
        return
    first = word[0]
    text = "".join(_EXPANSIONS.get(c["text"], c["text"] or "") for c in word)
    words.append(_word(text, min(c["x0"] for c in word), max(c["x1"] for c in word), min(c["top"] for c in word),
                       max(c["bottom"] for c in word), first["fontname"], first["size"]))


def _word(text: str, x0: Any, x1: Any, top: Any, bottom: Any, fontname: Any, size: Any) -> Word:
    return Word(text=str(text).translate(LIGATURES), x0=float(x0), x1=float(x1), top=float(top),
                bottom=float(bottom), bold=bool(_BOLD.search(str(fontname))), size=round(float(size), 1))


def _pdfplumber_words(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from pdfplumber.utils.text import extract_words

    return list(extract_words(chars, extra_attrs=["fontname", "size"], keep_blank_chars=False,
                              x_tolerance=WORD_X_TOLERANCE, y_tolerance=WORD_Y_TOLERANCE))


def doubled_share(chars: list[dict[str, Any]]) -> float:
    """Characters → the share of them printed again on top of an identical one (fake bold)."""
    if not chars:
        return 0.0
    seen: set[tuple[str, float, float]] = set()
    doubled = 0
    for c in chars:
        key = (c["text"], round(float(c["x0"])), round(float(c["top"])))
        if key in seen:
            doubled += 1
        seen.add(key)
    return doubled / len(chars)


def words_to_lines(words: list[Word]) -> list[Line]:
    """Words → text lines, top to bottom; a line holds words whose tops are within tolerance."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(word.top - lines[-1][0].top) <= LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [Line(sorted(ws, key=lambda w: w.x0)) for ws in lines]


def ruling_edges(page: Any) -> list[dict[str, Any]]:
    """A pdfplumber page → the edges that can rule a table: lines, curves, stroked rects, fills thin as rules.

    The outline of a shading box is not a rule: browsers shade each header cell with its own fill, and reading their
    sides as column rules makes a table without vertical rules look ruled.
    """
    from pdfplumber.utils.geometry import curve_to_edges, line_to_edge, rect_to_edges

    edges = [line_to_edge(ln) for ln in page.lines]
    edges += [e for curve in page.curves for e in curve_to_edges(curve)]
    edges += [e for rect in page.rects if rect_can_rule(rect) for e in rect_to_edges(rect)]
    return edges


def rect_can_rule(rect: dict[str, Any]) -> bool:
    """A rect → whether its sides can rule a table: it is stroked, or a fill as thin as a rule."""
    return bool(rect.get("stroke")) or min(float(rect["width"]), float(rect["height"])) < MAX_RULE_THICKNESS


def edges_to_rules(edges: list[dict[str, Any]]) -> list[Rule]:
    """pdfplumber edges (lines and rect sides) → ruling segments, collinear pieces joined, short ones dropped."""
    pieces = [
        Rule("h", float(e["top"]), float(e["x0"]), float(e["x1"])) if e["orientation"] == "h"
        else Rule("v", float(e["x0"]), float(e["top"]), float(e["bottom"]))
        for e in edges
        if e["orientation"] in ("h", "v")
    ]
    return [r for r in join_collinear(pieces) if r.end - r.start >= MIN_RULE_LENGTH]


def join_collinear(rules: list[Rule], gap: float = JOIN_TOLERANCE) -> list[Rule]:
    """Segments on one line (positions within COLLINEAR_TOLERANCE) that touch or overlap → one segment each."""
    joined: list[Rule] = []
    for orientation in ("h", "v"):
        ordered = sorted((r for r in rules if r.orientation == orientation), key=lambda r: r.position)
        lines: list[list[Rule]] = []
        for r in ordered:
            if lines and r.position - lines[-1][-1].position <= COLLINEAR_TOLERANCE:
                lines[-1].append(r)
            else:
                lines.append([r])
        for line in lines:
            position = sum(r.position for r in line) / len(line)
            current: Rule | None = None
            for r in sorted(line, key=lambda r: r.start):
                if current is not None and r.start <= current.end + gap + FLOAT_SLACK:
                    current = Rule(orientation, position, current.start, max(current.end, r.end))
                else:
                    if current is not None:
                        joined.append(current)
                    current = Rule(orientation, position, r.start, r.end)
            if current is not None:
                joined.append(current)
    return joined


def rects_to_shades(rects: list[dict[str, Any]]) -> list[Shade]:
    """Filled rects that are neither white nor thin rules → shaded boxes."""
    shades = []
    for r in rects:
        if not r.get("fill") or _is_white(r.get("non_stroking_color")):
            continue
        if r["width"] < MAX_RULE_THICKNESS or r["height"] < MAX_RULE_THICKNESS:
            continue
        shades.append(Shade(float(r["x0"]), float(r["x1"]), float(r["top"]), float(r["bottom"])))
    return shades


def _is_white(color: Any) -> bool:
    if color is None:
        return False
    values = color if isinstance(color, (list, tuple)) else [color]
    try:
        numbers = [float(v) for v in values]
    except (TypeError, ValueError):
        return False
    if len(numbers) == 4:  # CMYK: white is no ink
        return all(v <= 0.02 for v in numbers)
    return all(v >= 0.98 for v in numbers)
