"""Document profiles (schemas/profiles/*.toml) → the vocabulary that maps headers and headings."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

PROFILE_DIR = Path(__file__).resolve().parent.parent / "schemas" / "profiles"
DEFAULT_PROFILE = "support_comparison"
#: A note mark printed at the end of a header word ("Direct³", "Reseller2" from a superscript, "Self-service*"):
#: it refers to a note under the table and is no part of the word the header's patterns look for.
NOTE_MARK = re.compile(r"(?<=[^\W\d_]|[).?])(?:\d{1,2}|[\u00b9\u00b2\u00b3\u2070-\u2079*\u2020\u2021\u00a7]+)(?=\W|$)")


@dataclass(frozen=True)
class ColumnRule:
    """How one contract column is recognised from its header text."""

    field: str
    required: bool
    patterns: tuple[tuple[re.Pattern[str], float], ...]

    def score(self, header: str) -> float:
        """Header text → the weight of the best pattern it matches (0 when none), note marks left out."""
        header = without_note_marks(header)
        return max((w for p, w in self.patterns if p.search(header)), default=0.0)


@lru_cache(maxsize=4096)
def without_note_marks(text: str) -> str:
    """Header text → the text without note marks at the ends of its words (each rule scores the same text)."""
    return NOTE_MARK.sub("", text)


@dataclass(frozen=True)
class Profile:
    """The vocabulary of one family of job aids."""

    name: str
    columns: tuple[ColumnRule, ...]
    glossary_headings: tuple[re.Pattern[str], ...]
    revision_prefixes: tuple[str, ...]
    phase_column: ColumnRule | None = None
    header_words: tuple[str, ...] = ()  # the words of the column patterns spelled out, for mending OCR misreadings
    continued_marks: tuple[re.Pattern[str], ...] = ()  # "(continued)" after a phase heading repeated on a new page
    not_revision_words: tuple[str, ...] = ()  # "Printed", "©": the date after them is not the revision date
    revision_id_words: tuple[str, ...] = ()  # "Rev" in "Rev C": a revision printed without a date
    title_prefixes: tuple[re.Pattern[str], ...] = ()  # "Job Aid:" before the title
    glossary_columns: tuple[re.Pattern[str], ...] = ()  # a glossary table's header row: "Term | Definition"
    created_words: tuple[str, ...] = ()  # "Created": the revision date only when no other date is printed
    version_words: tuple[str, ...] = ()  # "Version" in "Version 1.2.23": a number with dots, not a date
    history_headings: tuple[re.Pattern[str], ...] = ()  # "Revision History": a table of revisions and dates

    def is_glossary_heading(self, text: str) -> bool:
        return any(p.search(text) for p in self.glossary_headings)

    def is_history_heading(self, text: str) -> bool:
        return any(p.search(text) for p in self.history_headings)

    def without_continued_mark(self, text: str) -> str:
        """A phase heading → the heading without a continuation mark ("Quoting (cont.)" → "Quoting")."""
        for mark in self.continued_marks:
            found = mark.search(text)
            if found and found.start() > 0:
                return text[: found.start()].rstrip()
        return text


@cache
def load_profile(name: str = DEFAULT_PROFILE) -> Profile:
    """A profile name → the parsed profile from schemas/profiles/NAME.toml."""
    data = tomllib.loads((PROFILE_DIR / f"{name}.toml").read_text(encoding="utf-8"))
    flags = re.IGNORECASE
    columns = tuple(
        ColumnRule(
            field=field,
            required=bool(spec.get("required", True)),
            patterns=tuple((re.compile(p["pattern"], flags), float(p["weight"])) for p in spec["patterns"]),
        )
        for field, spec in data["columns"].items()
    )
    phase_spec = data.get("phase_column")
    phase_column = None
    if phase_spec:
        phase_column = ColumnRule(
            field="phase",
            required=False,
            patterns=tuple((re.compile(p["pattern"], flags), float(p["weight"])) for p in phase_spec["patterns"]),
        )
    return Profile(
        name=data["name"],
        columns=columns,
        glossary_headings=tuple(re.compile(p, flags) for p in data["headings"]["glossary"]),
        revision_prefixes=tuple(data["revision"]["prefixes"]),
        phase_column=phase_column,
        header_words=tuple(w.casefold() for w in data.get("header_words", {}).get("words", ())),
        continued_marks=tuple(re.compile(p, flags) for p in data["headings"].get("continued", ())),
        not_revision_words=tuple(data["revision"].get("not_revision", ())),
        revision_id_words=tuple(data["revision"].get("id_words", ())),
        title_prefixes=tuple(re.compile(p, flags) for p in data.get("title", {}).get("prefixes", ())),
        glossary_columns=tuple(re.compile(p, flags) for p in data["headings"].get("glossary_columns", ())),
        created_words=tuple(data["revision"].get("created", ())),
        version_words=tuple(data["revision"].get("version_words", ())),
        history_headings=tuple(re.compile(p, flags) for p in data["headings"].get("history", ())),
    )
