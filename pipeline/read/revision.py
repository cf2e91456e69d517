"""The title block and printed dates → the revision's metadata (title, subtitle, label, ISO date)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from pipeline.read.layout import Line

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
DEFAULT_PREFIXES = ("revised", "revision", "rev", "updated", "last updated", "effective", "version", "dated",
                    "as of", "date")


@cache
def date_patterns(prefixes: tuple[str, ...] = DEFAULT_PREFIXES) -> tuple[re.Pattern[str], ...]:
    """Words that introduce a revision date → the date styles people print, most specific first.

    A pattern without a "day" group means the day was not printed (month precision).
    """
    words = "|".join(sorted((r"\s+".join(map(re.escape, p.split())) for p in prefixes), key=len, reverse=True))
    number = r"(?:\d{1,3}\s+[-–—]\s+)?"  # a revision number before the date: "Rev. 3 — 07 Mar 2023"
    prefix = rf"(?P<prefix>(?:{words})\b\.?:?\s*{number}(?:date\b\s*:?\s*)?)?"
    styles = [
        r"\b(?P<day>\d{1,2})[-\s./]?" + _MONTH + r"[a-z]*\.?[-\s./,]*(?P<year>\d{4}|\d{2})\b",  # 10Feb20, 10-Feb-2020
        r"\b(?P<year>\d{4})[-/.](?P<mnum>\d{1,2})[-/.](?P<day>\d{1,2})\b",  # 2023-03-07, 2023/03/07
        r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r"[a-z]*\.?,?\s+(?P<year>\d{4})\b",  # 7th March 2023
        r"\b" + _MONTH + r"[a-z]*\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b",  # March 7, 2023
        r"\b(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>\d{4}|\d{2})\b",  # 03/07/2023
        r"\b" + _MONTH + r"[a-z]*\.?,?\s+(?P<year>\d{4})\b",  # March 2023
        r"\b(?P<mnum>\d{1,2})[/.-](?P<year>\d{4})\b",  # 03/2023
        r"\b(?P<year>\d{4})-(?P<mnum>\d{1,2})\b",  # 2023-03
        r"\bv?(?P<year>\d{4})\.(?P<mnum>\d{1,2})\b(?!\.\d)",  # v2023.03 (a calendar version: year and month)
    ]
    return tuple(re.compile(prefix + style, re.IGNORECASE) for style in styles)


#: "11/22/26, 1:51 PM": the stamp a browser prints on every page, never a revision date.
_PRINT_STAMP = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}\s*(am|pm)?", re.I)
_PDF_DATE = re.compile(r"D?:?(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})")


@dataclass(frozen=True)
class PrintedDate:
    """A date found in the text: as printed, as a date, and whether its day was printed."""

    label: str
    value: date
    day_printed: bool


def find_date(text: str, prefixes: tuple[str, ...] = DEFAULT_PREFIXES) -> PrintedDate | None:
    """A line of text → the first revision-like date printed in it, if any."""
    if _PRINT_STAMP.search(text):
        text = _PRINT_STAMP.sub(" ", text)
    for pattern in date_patterns(prefixes):
        for m in pattern.finditer(text):
            parsed = _to_date(m.groupdict())
            if parsed is not None:
                value, day_printed = parsed
                return PrintedDate(m.group(0).strip(), value, day_printed)
    return None


def _to_date(g: dict[str, str | None]) -> tuple[date, bool] | None:
    year = int(g["year"] or 0)
    if year < 100:
        year += 2000
    if g.get("a") is not None:  # numeric d/m/y or m/d/y: month first unless impossible
        a, b = int(g["a"] or 0), int(g["b"] or 0)
        month, day = (a, b) if a <= 12 else (b, a)
    else:
        name = (g.get("month") or "").lower()
        month = _MONTHS.get(name) or _MONTHS.get(name[:3], 0) if name else int(g.get("mnum") or 0)
        day_text = g.get("day")
        day = int(day_text) if day_text else 1
    if not 1990 <= year <= 2100:
        return None
    try:
        return date(year, month, day), g.get("day") is not None or g.get("a") is not None
    except ValueError:
        return None


def pdf_date(metadata: dict[str, object]) -> date | None:
    """A PDF's info dictionary → its creation (or else modification) date."""
    for key in ("CreationDate", "ModDate"):
        raw = metadata.get(key)
        if isinstance(raw, bytes):
            raw = raw.decode("latin-1", "replace")
        m = _PDF_DATE.match(str(raw or "").strip())
        if m:
            try:
                return date(int(m["year"]), int(m["month"]), int(m["day"]))
            except ValueError:
                continue
    return None


@dataclass(frozen=True)
class TitleBlock:
    """The lines above the table on the first page, read as title, subtitle and the rest."""

    title: str
    subtitle: str
    other: tuple[str, ...]


def lines_to_title_block(lines: list[Line]) -> TitleBlock:
    """Title-block lines, top to bottom → title (largest type), subtitle (next short line) and the rest."""
    if not lines:
        return TitleBlock("", "", ())
    biggest = max(ln.size for ln in lines)
    start = next(i for i, ln in enumerate(lines) if ln.size == biggest)
    title_lines = [lines[start]]
    for ln in lines[start + 1 :]:
        if ln.size != biggest:
            break
        title_lines.append(ln)
    title = " ".join(ln.text for ln in title_lines)
    rest = [ln for ln in lines if ln not in title_lines]
    subtitle = ""
    for ln in lines[start + len(title_lines) :]:
        short = len(ln.text) <= 80 and find_date(ln.text) is None and not ln.text.isupper()
        if short:
            subtitle = ln.text
            break
    return TitleBlock(title, subtitle, tuple(ln.text for ln in rest if ln.text != subtitle))
