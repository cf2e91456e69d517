"""Owner cells to responsibilities: who leads, who supports, whether the customer self-serves.

The vocabulary (parties and their aliases, lead and support verbs, self-service words) is data,
kept in `schemas/profiles/roles.toml`; this module only applies it. Everything here is pure
except `load_roles`, which reads that file.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from schemas.activities import SELF_SERVICE_STATUSES

AVAILABLE, NOT_AVAILABLE, NOT_STATED = SELF_SERVICE_STATUSES

#: Characters that a layout adds or removes without changing the text.
SOFT_HYPHEN = "\u00ad"
#: Hyphen glyphs that are the same character as "-" to a reader (not en/em dashes).
HYPHEN_GLYPHS = "\u2010\u2011"

_HYPHEN_WRAP = re.compile(r"-[ \t]*\r?\n\s*")
_WHITESPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+")
_GAP_TOKEN = re.compile(r"[^\s,;:()]+")


def collapse_layout(text: str | None) -> str:
    """Cell text as printed to cell text without layout: soft hyphens dropped, wraps joined."""
    if not text:
        return ""
    text = str(text).replace(SOFT_HYPHEN, "")
    text = text.translate({ord(ch): "-" for ch in HYPHEN_GLYPHS})
    text = _HYPHEN_WRAP.sub("-", text)
    return _WHITESPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Responsibility:
    """Who does an activity on one buying path, as read from one owner cell."""

    lead: str | None
    supports: tuple[str, ...]
    parties: tuple[str, ...]
    self_serve: bool
    not_available: bool


@dataclass(frozen=True, eq=False)
class Roles:
    """The compiled vocabulary of `roles.toml`: party aliases, verbs and self-service words."""

    party_pattern: re.Pattern[str]
    party_exact: Mapping[str, str]
    party_folded: Mapping[str, str]
    ignore_pattern: re.Pattern[str] | None
    portal_pattern: re.Pattern[str] | None
    verb_pattern: re.Pattern[str]
    verb_kinds: Mapping[str, str]
    subject_fillers: frozenset[str]
    conjunctions: frozenset[str]
    sentence_openers: frozenset[str]
    available_patterns: tuple[re.Pattern[str], ...]
    not_available_patterns: tuple[re.Pattern[str], ...]
    yes_words: frozenset[str]
    no_words: frozenset[str]
    self_serve_parties: frozenset[str]

    @property
    def canonical_parties(self) -> tuple[str, ...]:
        """Every canonical party name, in the order of the profile."""
        return tuple(dict.fromkeys([*self.party_exact.values(), *self.party_folded.values()]))


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    party: str


def _is_acronym(alias: str) -> bool:
    """An alias in capitals only (an acronym) to True: it then matches case-sensitively."""
    return any(ch.isalpha() for ch in alias) and alias == alias.upper()


def _alternation(phrases: Iterable[str], case_sensitive: Iterable[str] = ()) -> str:
    """Phrases to one whole-word regex alternation, longest first, acronyms case-sensitive."""
    exact = set(case_sensitive)
    parts = []
    for phrase in sorted(set(phrases), key=lambda p: (-len(p), p)):
        body = r"\s+".join(re.escape(word) for word in phrase.split())
        parts.append(body if phrase in exact else f"(?i:{body})")
    return r"(?<![\w'-])(?:" + "|".join(parts) + r")(?![\w'-])"


def _optional_pattern(phrases: list[str]) -> re.Pattern[str] | None:
    """Phrases to a case-insensitive whole-word pattern, or None when there are none."""
    return re.compile(_alternation(phrases)) if phrases else None


def roles_from_mapping(profile: Mapping[str, Any]) -> Roles:
    """A parsed `roles.toml` mapping to compiled `Roles`."""
    parties: Mapping[str, list[str]] = profile["parties"]
    party_exact: dict[str, str] = {}
    party_folded: dict[str, str] = {}
    for canonical, aliases in parties.items():
        for alias in aliases:
            key = " ".join(alias.split())
            if _is_acronym(key):
                party_exact[key] = canonical
            else:
                party_folded[key.casefold()] = canonical
    all_aliases = [*party_exact, *(a for al in parties.values() for a in al if not _is_acronym(a))]
    verbs: Mapping[str, list[str]] = profile["verbs"]
    verb_kinds = {
        " ".join(phrase.casefold().split()): kind for kind, phrases in verbs.items() for phrase in phrases
    }
    grammar = profile["grammar"]
    service = profile["self_service"]
    portal = [alias for aliases in profile.get("channels", {}).values() for alias in aliases]
    return Roles(
        party_pattern=re.compile(_alternation(all_aliases, party_exact)),
        party_exact=party_exact,
        party_folded=party_folded,
        ignore_pattern=_optional_pattern(profile.get("ignore", {}).get("phrases", [])),
        portal_pattern=_optional_pattern(portal),
        verb_pattern=re.compile(_alternation(verb_kinds)),
        verb_kinds=verb_kinds,
        subject_fillers=frozenset(w.casefold() for w in grammar["subject_fillers"]),
        conjunctions=frozenset(w.casefold() for w in grammar["conjunctions"]),
        sentence_openers=frozenset(w.casefold() for w in grammar["sentence_openers"]),
        available_patterns=tuple(re.compile(p, re.IGNORECASE) for p in service["available"]),
        not_available_patterns=tuple(
            re.compile(p, re.IGNORECASE) for p in service["not_available"]
        ),
        yes_words=frozenset(w.casefold() for w in service["yes_words"]),
        no_words=frozenset(w.casefold() for w in service["no_words"]),
        self_serve_parties=frozenset(service["self_serve_parties"]),
    )


def load_roles(path: Path | None = None) -> Roles:
    """A roles profile file (default: the packaged `schemas/profiles/roles.toml`) to `Roles`."""
    if path is None:
        data = resources.files("schemas").joinpath("profiles", "roles.toml").read_bytes()
    else:
        data = Path(path).read_bytes()
    return roles_from_mapping(tomllib.loads(data.decode("utf-8")))


@lru_cache(maxsize=1)
def default_roles() -> Roles:
    """The packaged roles profile, read once."""
    return load_roles()


def _mask(text: str, pattern: re.Pattern[str] | None) -> str:
    """Text to the same text with every match of `pattern` blanked out, positions kept."""
    if pattern is None:
        return text
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _canonical(alias: str, roles: Roles) -> str:
    """A matched alias to its canonical party name."""
    key = " ".join(alias.split())
    return roles.party_exact.get(key) or roles.party_folded[key.casefold()]


def _mentions(text: str, roles: Roles) -> list[_Mention]:
    """Masked text to the party mentions in it, in order."""
    return [
        _Mention(m.start(), m.end(), _canonical(m.group(), roles))
        for m in roles.party_pattern.finditer(text)
    ]


def _gap_words(text: str) -> list[str]:
    """The text between two spans to its words, casefolded, punctuation dropped."""
    return [w.casefold() for w in _GAP_TOKEN.findall(text)]


def _groups(sentence: str, mentions: list[_Mention], roles: Roles) -> list[list[_Mention]]:
    """Mentions of one sentence to groups joined by conjunctions ("EUC or the EUC CSM")."""
    groups: list[list[_Mention]] = []
    for mention in mentions:
        if groups and set(_gap_words(sentence[groups[-1][-1].end : mention.start])) <= roles.conjunctions:
            groups[-1].append(mention)
        else:
            groups.append([mention])
    return groups


def _group_before(
    sentence: str, groups: list[list[_Mention]], position: int, roles: Roles
) -> list[_Mention] | None:
    """The group that is the subject of the verb at `position`, or None."""
    before = [g for g in groups if g[-1].end <= position]
    if not before:
        return None
    group = before[-1]
    return group if set(_gap_words(sentence[group[-1].end : position])) <= roles.subject_fillers else None


def _sentence_subject(sentence: str, groups: list[list[_Mention]], roles: Roles) -> str | None:
    """A sentence to the party it opens with (its grammatical subject), or None."""
    if not groups:
        return None
    first = groups[0]
    return first[0].party if set(_gap_words(sentence[: first[0].start])) <= roles.sentence_openers else None


def _sentences(text: str) -> list[str]:
    """Cell text to its sentences."""
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def _verb_subject(
    sentence: str, groups: list[list[_Mention]], position: int, subject: str | None, roles: Roles
) -> str | None:
    """The verb at `position` to its subject: the party right before it, else the sentence's."""
    group = _group_before(sentence, groups, position, roles)
    if group:
        return group[0].party
    words = _gap_words(sentence[:position])
    opens_sentence = set(words) <= roles.subject_fillers
    coordinated = bool(words) and words[-1] in ("and", "&")
    return subject if opens_sentence or coordinated else None


def _read_sentence(
    sentence: str, inherited: str | None, roles: Roles
) -> tuple[list[str], list[str], str | None, list[str]]:
    """One masked sentence to (lead candidates, supporters, subject, parties in order).

    A sentence that opens with its verb ("Assigns EUC Master Admin.") takes the subject of the
    sentence before it (`inherited`).
    """
    mentions = _mentions(sentence, roles)
    groups = _groups(sentence, mentions, roles)
    subject = _sentence_subject(sentence, groups, roles) or inherited
    leads: list[str] = []
    supports: list[str] = []
    for verb in roles.verb_pattern.finditer(sentence):
        kind = roles.verb_kinds[" ".join(verb.group().casefold().split())]
        if kind in ("lead", "support_subject"):
            party = _verb_subject(sentence, groups, verb.start(), subject, roles)
            if party:
                (leads if kind == "lead" else supports).append(party)
        elif kind == "support_object":
            supports.extend(m.party for m in mentions if m.start >= verb.end())
        elif kind == "handover":
            after = [g for g in groups if g[0].start >= verb.end()]
            if after and not _gap_words(sentence[verb.end() : after[0][0].start]):
                leads.append(after[0][0].party)
    return leads, supports, _sentence_subject(sentence, groups, roles), [m.party for m in mentions]


def _matches_any(text: str, patterns: Iterable[re.Pattern[str]]) -> bool:
    """Text and patterns to True when any pattern is found in the text."""
    return any(p.search(text) for p in patterns)


def parse_owner_cell(text: str | None, roles: Roles | None = None) -> Responsibility:
    """An owner cell's text to its `Responsibility` (lead, supporters, parties, self-service)."""
    roles = roles or default_roles()
    clean = collapse_layout(text)
    masked = _mask(clean, roles.ignore_pattern)
    leads: list[str] = []
    supports: list[str] = []
    subjects: list[str] = []
    parties: list[str] = []
    self_serve = not_available = False
    for sentence in _sentences(masked):
        inherited = subjects[-1] if subjects else None
        s_leads, s_supports, subject, s_parties = _read_sentence(sentence, inherited, roles)
        leads += s_leads
        supports += s_supports
        parties += s_parties
        if subject:
            subjects.append(subject)
        blocked = _matches_any(sentence, roles.not_available_patterns)
        not_available = not_available or blocked
        self_serve = self_serve or (
            not blocked and _matches_any(sentence, roles.available_patterns)
        )
    lead = leads[0] if leads else (subjects[0] if subjects else None)
    if not self_serve and lead in roles.self_serve_parties and roles.portal_pattern:
        self_serve = bool(roles.portal_pattern.search(clean))
    return Responsibility(
        lead=lead,
        supports=tuple(p for p in dict.fromkeys(supports) if p != lead),
        parties=tuple(dict.fromkeys(parties)),
        self_serve=self_serve,
        not_available=not_available,
    )


def parse_self_service(text: str | None, roles: Roles | None = None) -> str:
    """A self-service cell's text to `available`, `not_available` or `not_stated`."""
    roles = roles or default_roles()
    clean = collapse_layout(text)
    word = clean.casefold().strip(" .")
    if not clean:
        return NOT_STATED
    if word in roles.no_words or _matches_any(clean, roles.not_available_patterns):
        return NOT_AVAILABLE
    if word in roles.yes_words or _matches_any(clean, roles.available_patterns):
        return AVAILABLE
    return NOT_STATED


def responsibility_differs(old: Responsibility, new: Responsibility) -> bool:
    """Two readings of a cell to True when who does it changed, False when only wording did."""
    return (
        old.lead != new.lead
        or set(old.supports) != set(new.supports)
        or set(old.parties) != set(new.parties)
        or old.self_serve != new.self_serve
        or old.not_available != new.not_available
    )


def describe_shift(old: Responsibility, new: Responsibility) -> str:
    """Two readings of a cell to a short phrase saying what changed in who does it."""
    parts: list[str] = []
    if old.lead != new.lead:
        parts.append(f"lead {old.lead or 'none'} → {new.lead or 'none'}")
    gained = [p for p in new.parties if p not in old.parties]
    lost = [p for p in old.parties if p not in new.parties]
    if gained:
        parts.append("now involves " + ", ".join(gained))
    if lost:
        parts.append("no longer involves " + ", ".join(lost))
    if set(old.supports) != set(new.supports) and not (gained or lost):
        parts.append(f"support {', '.join(old.supports) or 'none'} → {', '.join(new.supports) or 'none'}")
    if old.self_serve != new.self_serve:
        parts.append("customer self-service " + ("added" if new.self_serve else "removed"))
    if old.not_available != new.not_available:
        parts.append("now not available" if new.not_available else "now available")
    return "; ".join(parts) if parts else "wording only"
