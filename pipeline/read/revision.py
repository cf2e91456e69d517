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
#: A revision number or letter printed between the revision word and the date: "Rev. 3 — ", "Version 3.2 (".
_NUMBER = r"v?\d{1,3}(?:\.\d{1,3}){0,2}"
_IDENT = rf"(?:{_NUMBER}|[a-z])"
#: A quarter: the date is the first day of its first month.
_QUARTER_MONTH = {1: 1, 2: 4, 3: 7, 4: 10}


def _alternation(words: tuple[str, ...]) -> str:
    """Words (some of several words) → a regex alternation, longest first, spaces matching any run of spaces."""
    return "|".join(sorted((r"\s+".join(map(re.escape, w.split())) for w in words), key=len, reverse=True))


@cache
def date_patterns(prefixes: tuple[str, ...] = DEFAULT_PREFIXES) -> tuple[re.Pattern[str], ...]:
    """Words that introduce a revision date → the date styles people print, most specific first.

    A pattern without a "day" group means the day was not printed (month precision, or quarter with "quarter").
    Numbers with slashes are read month first (US), with dots day first (Europe), each the other way round only
    when the first way is impossible. The optional prefix is a revision word, then a revision number or letter
    ("Version 3.2 (May 2023)", "Rev. 3 — 07 Mar 2023", "v3.2 | 07 Mar 2023").
    """
    words = _alternation(prefixes)
    ident = rf"(?P<ident>{_IDENT}(?:\s*[-–—|,:]\s*|\s*(?P<paren>\()\s*|\s+))"
    prefix = rf"(?P<prefix>(?P<word>(?:{words})\b\.?(?:\s+on\b)?:?\s*)?{ident}?(?:date\b\s*:?\s*)?)"
    styles = [
        r"\b(?P<day>\d{1,2})[-\s./]?" + _MONTH + r"[a-z]*\.?[-\s./,]*(?P<year>\d{4}|\d{2})\b",  # 10Feb20, 10-Feb-2020
        r"\b(?P<year>\d{4})[-/.](?P<mnum>\d{1,2})[-/.](?P<day>\d{1,2})\b",  # 2023-03-07, 2023/03/07
        # 7th March 2023, 7th of March 2023
        r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"[a-z]*\.?,?\s+(?P<year>\d{4})\b",
        r"\b" + _MONTH + r"[a-z]*\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b",  # March 7, 2023
        r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4}|\d{2})\b",  # 03/07/2023: month first
        r"\b(?P<da>\d{1,2})\.(?P<db>\d{1,2})\.(?P<year>\d{4}|\d{2})\b",  # 07.03.2023: day first
        r"\b" + _MONTH + r"[a-z]*\.?,?(?:\s+|-)(?P<year>\d{4})\b",  # March 2023, Mar-2023
        r"\bQ(?P<quarter>[1-4])[-\s/]*(?P<year>\d{4})\b",  # Q1 2023
        r"\b(?P<year>\d{4})[-\s/]*Q(?P<quarter>[1-4])\b",  # 2023-Q1
        r"\b(?P<mnum>\d{1,2})[/.-](?P<year>\d{4})\b",  # 03/2023
        r"\b(?P<year>\d{4})-(?P<mnum>\d{1,2})\b",  # 2023-03
        r"\bv?(?P<year>\d{4})\.(?P<mnum>\d{1,2})\b(?!\.\d)",  # v2023.03 (a calendar version: year and month)
    ]
    return tuple(re.compile(prefix + style + r"(?(paren)\s*\))", re.IGNORECASE) for style in styles)


@cache
def _not_revision_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """Words that introduce a date that is not the revision's ("Printed", "©") → a pattern for the text before it."""
    if not words:
        return None
    return re.compile(rf"(?<![a-z])(?:{_alternation(words)})\s*:?\s*(?:on\s*:?\s*)?$", re.IGNORECASE)


@cache
def _version_pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """Words that introduce a version number ("Version", "Release") → a pattern for the text before it."""
    if not words:
        return None
    return re.compile(rf"(?<![a-z])(?:{_alternation(words)})\.?\s*:?\s*$", re.IGNORECASE)


#: Text just before a date that makes it part of an identifier: "#12-2019", "JA-2023-03", "EQX-10-2022".
_GLUED_BEFORE = re.compile(r"(?:\w[-/.]|#)$")
#: Text just after a date that makes it part of a longer number or identifier: "10.02.20-A", "01.12.03.20.21" (not
#: a file name's extension: "support_10Feb20.pdf").
_GLUED_AFTER = re.compile(r"^(?:[-/.]\d|-\w)")
#: "11/22/26, 1:51 PM": the stamp a browser prints on every page, never a revision date.
_PRINT_STAMP = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}\s*(am|pm)?", re.I)
_PDF_DATE = re.compile(r"D?:?(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})")


@dataclass(frozen=True)
class PrintedDate:
    """A date found in the text: as printed, as a date, what of it was printed (day, month or quarter), and
    whether a revision word (or a creation word) introduced it."""

    label: str
    value: date
    precision: str = "day"  # day | month | quarter
    labelled: bool = False
    created: bool = False  # introduced by a creation word ("Created: 12 January 2020")

    @property
    def day_printed(self) -> bool:
        return self.precision == "day"

    @property
    def source(self) -> str:
        """Where the date came from, as revision.json says it: printed, printed-month or printed-quarter."""
        return "printed" if self.precision == "day" else f"printed-{self.precision}"


def find_dates(text: str, prefixes: tuple[str, ...] = DEFAULT_PREFIXES, not_revision: tuple[str, ...] = (),
               created: tuple[str, ...] = (), versions: tuple[str, ...] = ()) -> list[PrintedDate]:
    """A line of text → the dates printed in it, left to right, each read by the most specific style that reads
    it. Left out: dates a `not_revision` word introduces ("Printed 5/5/2024"), numbers with dots a `versions`
    word introduces ("Version 1.2.23"), and dates glued to an identifier ("#12-2019", "JA-2023-03", "10.02.20-A").
    A date a `created` word introduces is kept, marked `created`, its label starting at that word."""
    if _PRINT_STAMP.search(text):
        text = _PRINT_STAMP.sub(" ", text)
    version = _version_pattern(versions)
    taken: list[tuple[int, int, PrintedDate | None]] = []  # None: a span that is not a date, and blocks its parts
    for pattern in date_patterns(prefixes):
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(start < e and s < end for s, e, _ in taken):
                continue
            word, ident = m.group("word"), m.group("ident")
            before = text[: m.end("prefix")]
            if (_GLUED_AFTER.match(text[end:]) or (not word and _GLUED_BEFORE.search(before))
                    or (m.groupdict().get("da") and version is not None and version.search(before))):
                taken.append((m.start("prefix") if word else m.end("prefix"), end, None))
                continue
            parsed = _to_date(m.groupdict())
            if parsed is None:
                continue
            if not word and ident and not ident.lower().startswith("v"):
                start = m.end("prefix")  # a number before the date with no revision word: not part of the label
            value, precision = parsed
            labelled = bool(word) or bool(ident and start == m.start())
            taken.append((start, end, PrintedDate(text[start:end].strip(), value, precision, labelled)))
    excluded, creation = _not_revision_pattern(not_revision), _not_revision_pattern(created)
    out = []
    for start, end, found in sorted(taken, key=lambda t: t[0]):
        if found is None:
            continue
        made = creation.search(text[:start]) if creation is not None else None
        if made is not None:
            out.append(PrintedDate(text[made.start() : end].strip(), found.value, found.precision, True, True))
        elif excluded is None or not excluded.search(text[:start]):
            out.append(found)
    return out


def find_date(text: str, prefixes: tuple[str, ...] = DEFAULT_PREFIXES, not_revision: tuple[str, ...] = (),
              created: tuple[str, ...] = (), versions: tuple[str, ...] = ()) -> PrintedDate | None:
    """A line of text → its revision-like date (see `choose_date`; a creation date is not one)."""
    return choose_date(find_dates(text, prefixes, not_revision, created, versions))


def choose_date(dates: list[PrintedDate]) -> PrintedDate | None:
    """Dates in reading order → the revision date among them: the latest a revision word introduces (a stale date
    left on a cover or in a footer is older than the revision), else the first bare one; never a creation date."""
    labelled = [d for d in dates if d.labelled and not d.created]
    if labelled:
        return max(labelled, key=lambda d: d.value)  # the first of equal dates
    return next((d for d in dates if not d.created), None)


def find_revision_id(text: str, words: tuple[str, ...]) -> str | None:
    """A line of text → a revision number or letter printed without a date ("Document ID JA-1234 Rev C" → "Rev C")."""
    if not words:
        return None
    ident = rf"(?:{_NUMBER}|(?-i:[A-Z]))"  # a number, or a capital letter: "Rev 3", "Rev C"
    pattern = re.compile(rf"\b(?:{_alternation(words)})\.?\s*:?\s*{ident}\b(?![./-]\w)", re.IGNORECASE)
    labels = (m.group(0) for m in pattern.finditer(text))
    return next((label for label in labels if label[0].isupper()), None)  # "Rev C", not "the version 2 portal"


def _to_date(g: dict[str, str | None]) -> tuple[date, str] | None:
    year = int(g["year"] or 0)
    if year < 100:
        year += 2000
    precision = "day"
    if g.get("a") is not None:  # slashes: month first (US) unless impossible
        a, b = int(g["a"] or 0), int(g["b"] or 0)
        month, day = (a, b) if a <= 12 else (b, a)
    elif g.get("da") is not None:  # dots: day first (Europe) unless impossible
        a, b = int(g["da"] or 0), int(g["db"] or 0)
        day, month = (a, b) if b <= 12 else (b, a)
    elif g.get("quarter") is not None:
        month, day, precision = _QUARTER_MONTH[int(g["quarter"] or 1)], 1, "quarter"
    else:
        name = (g.get("month") or "").lower()
        month = _MONTHS.get(name) or _MONTHS.get(name[:3], 0) if name else int(g.get("mnum") or 0)
        day_text = g.get("day")
        day = int(day_text) if day_text else 1
        precision = "day" if day_text else "month"
    if not 1990 <= year <= 2100:
        return None
    try:
        return date(year, month, day), precision
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


def lines_to_title_block(lines: list[Line], prefixes: tuple[re.Pattern[str], ...] = ()) -> TitleBlock:
    """Title-block lines, top to bottom → title (largest type, without a document-type prefix such as "Job Aid:"),
    subtitle (next short line) and the rest. A lone word in capitals (a logotype such as "EQUINIX") is not the
    title however big, and a date printed at either end of the title line is not part of it ("... - March 2023"):
    the title names the document in every revision."""
    if not lines:
        return TitleBlock("", "", ())
    words = [ln for ln in lines if not _wordmark(ln)] or lines
    biggest = max(ln.size for ln in words)
    start = next(i for i, ln in enumerate(lines) if ln.size == biggest and ln in words)
    title_lines = [lines[start]]
    for ln in lines[start + 1 :]:
        if ln.size != biggest:
            break
        title_lines.append(ln)
    title = " ".join(ln.text for ln in title_lines)
    for prefix in prefixes:
        title = prefix.sub("", title, count=1) or title
    title = _without_date(title)
    rest = [ln for ln in lines if ln not in title_lines]
    subtitle = ""
    for ln in lines[start + len(title_lines) :]:
        short = len(ln.text) <= 80 and find_date(ln.text) is None and not ln.text.isupper()
        if short:
            subtitle = ln.text
            break
    return TitleBlock(title, subtitle, tuple(ln.text for ln in rest if ln.text != subtitle))


def _wordmark(line: Line) -> bool:
    """Whether a title-block line is a lone word in capitals: a company's logotype, not a title."""
    return len(line.words) == 1 and line.text.isupper() and len(line.text) > 1


def _without_date(title: str) -> str:
    """A title line → the title without a date printed at its end or start, nor the mark that parts them."""
    for found in find_dates(title):
        label = re.escape(found.label)
        bare = re.sub(rf"\s*[-–—|,:(]*\s*{label}\s*\)?\s*$", "", title)
        bare = re.sub(rf"^\s*\(?{label}\)?\s*[-–—|,:]*\s*", "", bare)
        if bare and bare != title:
            return bare
    return title
