"""Owner cells to responsibilities: who leads, who supports, who is excluded, whether the customer self-serves.

The vocabulary (parties and their aliases, verb classes, exclusion cues, self-service words) is
data, kept in `schemas/profiles/roles.toml` and compiled by `pipeline.read.roles`; this module
only applies it. Everything here is pure.

How a cell is read, sentence by sentence: parties named inside an exclusion cue ("No reseller
participation") are set aside; parties joined by conjunctions form one group that shares a role
("EQIX CPM or (EUC) CSM will … lead"); each verb gives its subject (the group right before it, or
the sentence's subject) and its object a role by the verb's class. Lead candidates are ranked:
said to lead (1) above doing the work (2) above asking for it (3); the best rank in the earliest
sentence leads, every other party that takes part supports.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.read.roles import Roles, default_roles, load_roles, roles_from_mapping
from schemas.activities import SELF_SERVICE_STATUSES

__all__ = [
    "Responsibility", "Roles", "collapse_layout", "default_roles", "load_roles", "parse_owner_cell",
    "parse_self_service", "roles_from_mapping", "self_service_leads",
]

AVAILABLE, NOT_AVAILABLE, NOT_STATED = SELF_SERVICE_STATUSES
LEAD, SUPPORT = "lead", "support"
#: Ranks of a lead candidate: said to lead, does the work, asks for the work.
SAID_TO_LEAD, DOES_WORK, ASKS_FOR_WORK = 1, 2, 3

#: Characters that a layout adds or removes without changing the text.
SOFT_HYPHEN = "\u00ad"
#: Hyphen glyphs that are the same character as "-" to a reader (not en/em dashes).
HYPHEN_GLYPHS = "\u2010\u2011"

_HYPHEN_WRAP = re.compile(r"-[ \t]*\r?\n\s*")
_WHITESPACE = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+")
_CLAUSE_END = re.compile(r"[,;:]")
_GAP_TOKEN = re.compile(r"[^\s,;:()]+")
_RELATIVE = frozenset({"who", "which", "that"})


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

    leads: tuple[str, ...]
    supports: tuple[str, ...]
    parties: tuple[str, ...]
    excluded: tuple[str, ...] = ()
    self_serve: bool = False
    not_available: bool = False

    @property
    def lead(self) -> str | None:
        """The first party that leads, or None."""
        return self.leads[0] if self.leads else None

    def roles(self) -> dict[str, str]:
        """Each party that takes part → 'lead' or 'support', leads first."""
        return {**dict.fromkeys(self.leads, LEAD), **dict.fromkeys(self.supports, SUPPORT)}


@dataclass(frozen=True)
class _Group:
    """Parties joined by conjunctions ("EUC or the EUC CSM"), with their span in the sentence."""

    start: int
    end: int
    parties: tuple[str, ...]


@dataclass(frozen=True)
class _Claim:
    """A role one verb gives a group: a lead candidate (with its rank) or a supporter."""

    parties: tuple[str, ...]
    role: str
    rank: int
    sentence: int


@dataclass(frozen=True)
class _Verb:
    start: int
    end: int
    kind: str


def _mask(text: str, pattern: re.Pattern[str] | None) -> str:
    """Text to the same text with every match of `pattern` blanked out, positions kept."""
    if pattern is None:
        return text
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _canonical(alias: str, roles: Roles) -> str:
    """A matched alias to its canonical party name."""
    key = " ".join(alias.split())
    return roles.party_exact.get(key) or roles.party_folded[key.casefold()]


def _words(text: str) -> list[str]:
    """The text between two spans to its words, casefolded, punctuation dropped."""
    return [w.casefold() for w in _GAP_TOKEN.findall(text)]


def _mentions(sentence: str, roles: Roles) -> tuple[list[_Group], list[str]]:
    """A sentence to its single-party mentions outside exclusion cues, and the excluded parties."""
    excluded_spans = [
        m.span("party") for p in roles.exclusion_patterns for m in p.finditer(sentence)
    ]
    kept: list[_Group] = []
    excluded: list[str] = []
    for m in roles.party_pattern.finditer(sentence):
        party = _canonical(m.group(), roles)
        if any(start <= m.start() < end for start, end in excluded_spans):
            excluded.append(party)
        else:
            kept.append(_Group(m.start(), m.end(), (party,)))
    return kept, excluded


def _join_groups(sentence: str, mentions: list[_Group], roles: Roles) -> list[_Group]:
    """Single mentions to groups joined by conjunctions (a comma alone joins a list too)."""
    groups: list[_Group] = []
    for mention in mentions:
        last = groups[-1] if groups else None
        gap = sentence[last.end : mention.start] if last else ""
        if last and gap.strip() and set(_words(gap)) <= roles.conjunctions:
            parties = tuple(dict.fromkeys([*last.parties, *mention.parties]))
            groups[-1] = _Group(last.start, mention.end, parties)
        else:
            groups.append(mention)
    return groups


def _verbs(sentence: str, roles: Roles) -> list[_Verb]:
    """A sentence to its verb phrases (longest match first), in order."""
    return [
        _Verb(m.start(), m.end(), roles.verb_kinds[" ".join(m.group().casefold().split())])
        for m in roles.verb_pattern.finditer(sentence)
    ]


class _Sentence:
    """One sentence with its groups and verbs: answers "who is the subject / object of this verb"."""

    def __init__(self, text: str, groups: list[_Group], verbs: list[_Verb], roles: Roles) -> None:
        self.text, self.groups, self.verbs, self.roles = text, groups, verbs, roles
        self.subject: _Group | None = None
        first = groups[0] if groups else None
        if first and set(_words(text[: first.start])) <= roles.sentence_openers:
            self.subject = first

    def opens_with_verb(self) -> bool:
        """True when the sentence starts with a verb and names no party before it."""
        if not self.verbs:
            return False
        verb = self.verbs[0]
        before = set(_words(self.text[: verb.start]))
        no_party = not any(g.start < verb.start for g in self.groups)
        return no_party and before <= self.roles.subject_fillers | self.roles.sentence_openers

    def subject_of(self, verb: _Verb) -> _Group | None:
        """A verb to its subject: the group right before it, else the sentence's subject."""
        before = [g for g in self.groups if g.end <= verb.start]
        if before and set(_words(self.text[before[-1].end : verb.start])) <= self.roles.subject_fillers:
            return before[-1]
        words = _words(self.text[: verb.start])
        opens = set(words) <= self.roles.subject_fillers | self.roles.sentence_openers
        coordinated = bool(words) and words[-1] in self.roles.coordinators
        return self.subject if opens or coordinated else None

    def object_of(self, verb: _Verb, strict: bool = True) -> _Group | None:
        """A verb to the group it governs: right after it (strict) or the first before the next verb."""
        limit = min((v.start for v in self.verbs if v.start >= verb.end), default=len(self.text))
        for group in self.groups:
            if verb.end <= group.start < limit:
                gap = set(_words(self.text[verb.end : group.start]))
                return group if not strict or gap <= self.roles.object_fillers else None
        return None

    def does_next(self, group: _Group) -> bool:
        """True when a lead or act verb follows the group ("reseller manage", "Smart Hands to manage")."""
        following = [v for v in self.verbs if v.start >= group.end]
        if not following or following[0].kind not in ("lead", "act"):
            return False
        gap = set(_words(self.text[group.end : following[0].start]))
        return gap <= {"to"} | self.roles.subject_fillers

    def routed(self, routing: re.Pattern[str] | None) -> list[_Group]:
        """Groups that a verbless clause routes work to ("Support to GSD & CSM")."""
        if routing is None:
            return []
        found: list[_Group] = []
        taken = [(v.start, v.end) for v in self.verbs]
        start = 0
        for clause in [*_CLAUSE_END.split(self.text)]:
            end = start + len(clause)
            words = _words(clause)
            relative = bool(words) and words[0] in _RELATIVE
            for m in routing.finditer(self.text, start, end):
                if relative or any(a <= m.start() < b for a, b in taken):
                    continue
                if any(start <= g.start < m.start() for g in self.groups):
                    continue
                after = [g for g in self.groups if m.end() <= g.start < end]
                if after and set(_words(self.text[m.end() : after[0].start])) <= self.roles.object_fillers:
                    found.append(after[0])
            start = end + 1
        return found


def _claims(
    sentence: _Sentence, index: int, inherited: _Group | None, routing: re.Pattern[str] | None
) -> tuple[list[_Claim], _Group | None]:
    """One sentence to the roles its verbs give, and the subject the next sentence inherits."""
    if sentence.subject is None and inherited is not None and sentence.opens_with_verb():
        sentence.subject = inherited
    claims: list[_Claim] = []

    def claim(group: _Group | None, role: str, rank: int = 0) -> None:
        if group is not None:
            claims.append(_Claim(group.parties, role, rank, index))

    claimed_subject = False
    for verb in sentence.verbs:
        subject = sentence.subject_of(verb)
        claimed_subject = claimed_subject or (subject is not None and subject is sentence.subject)
        after = sentence.object_of(verb)
        if verb.kind == "lead":
            claim(subject, LEAD, SAID_TO_LEAD)
        elif verb.kind == "act":
            claim(subject, LEAD, DOES_WORK)
        elif verb.kind == "request":
            claim(subject, LEAD, ASKS_FOR_WORK)
            claim(after, SUPPORT)
        elif verb.kind == "delegate":
            claim(subject, LEAD, ASKS_FOR_WORK)
            if after is not None and sentence.does_next(after):
                claim(after, LEAD, DOES_WORK)
            else:
                claim(after, SUPPORT)
        elif verb.kind == "support_subject":
            claim(subject, SUPPORT)
            claim(after, LEAD, SAID_TO_LEAD)
        elif verb.kind == "support_object":
            claim(subject, LEAD, ASKS_FOR_WORK)
            claim(sentence.object_of(verb, strict=False), SUPPORT)
        elif verb.kind == "handover":
            claim(after, LEAD, DOES_WORK)
    for group in sentence.routed(routing):
        claim(group, LEAD, DOES_WORK)
    own_subject = sentence.subject is not None and sentence.subject is not inherited
    if own_subject and not claimed_subject:
        claim(sentence.subject, LEAD, DOES_WORK)
    return claims, sentence.subject or inherited


def _sentences(text: str) -> list[str]:
    """Cell text to its sentences."""
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def _matches_any(text: str, patterns: Iterable[re.Pattern[str]]) -> bool:
    """Text and patterns to True when any pattern is found in the text."""
    return any(p.search(text) for p in patterns)


def _decide(claims: list[_Claim], named: list[str], roles: Roles) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every claim of a cell and the parties it names → (leads, supporters)."""
    candidates = [c for c in claims if c.role == LEAD]
    leads: list[str] = []
    if candidates:
        best = min(c.rank for c in candidates)
        first = min(c.sentence for c in candidates if c.rank == best)
        for c in candidates:
            if c.rank == best and c.sentence == first:
                leads += c.parties
    supports: list[str] = []
    for c in claims:
        for party in c.parties:
            # a party that is served rather than serving (the customer) supports only by doing
            not_doing = c.role == LEAD and c.rank != DOES_WORK
            if not_doing and roles.named_role(party) == "none":
                continue
            supports.append(party)
    supports += [p for p in named if roles.named_role(p) == SUPPORT]
    lead_set = set(leads)
    return tuple(dict.fromkeys(leads)), tuple(p for p in dict.fromkeys(supports) if p not in lead_set)


def parse_owner_cell(text: str | None, roles: Roles | None = None) -> Responsibility:
    """An owner cell's text to its `Responsibility` (leads, supporters, parties, exclusions)."""
    roles = roles or default_roles()
    clean = collapse_layout(text)
    masked = _mask(_mask(clean, roles.ignore_pattern), roles.portal_pattern)
    claims: list[_Claim] = []
    named: list[str] = []
    excluded: list[str] = []
    inherited: _Group | None = None
    self_serve = not_available = False
    for index, text_of_sentence in enumerate(_sentences(masked)):
        mentions, left_out = _mentions(text_of_sentence, roles)
        excluded += left_out
        named += [m.parties[0] for m in mentions]
        groups = _join_groups(text_of_sentence, mentions, roles)
        sentence = _Sentence(text_of_sentence, groups, _verbs(text_of_sentence, roles), roles)
        found, inherited = _claims(sentence, index, inherited, roles.routing_pattern)
        claims += found
        blocked = _matches_any(text_of_sentence, roles.not_available_patterns)
        not_available = not_available or blocked
        self_serve = self_serve or (
            not blocked and _matches_any(text_of_sentence, roles.available_patterns)
        )
    leads, supports = _decide(claims, named, roles)
    if not self_serve and set(leads) & roles.self_serve_parties and roles.portal_pattern:
        self_serve = bool(roles.portal_pattern.search(clean))
    parties = tuple(dict.fromkeys([*leads, *supports, *named]))
    return Responsibility(
        leads=leads,
        supports=supports,
        parties=parties,
        excluded=tuple(p for p in dict.fromkeys(excluded) if p not in parties),
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


def self_service_leads(text: str | None, roles: Roles | None = None) -> tuple[str, ...]:
    """A self-service cell to who leads on the self-service path: the party it names, else the customer."""
    roles = roles or default_roles()
    if parse_self_service(text, roles) != AVAILABLE:
        return ()
    named = [_canonical(m.group(), roles) for m in roles.party_pattern.finditer(collapse_layout(text))]
    if named:
        return tuple(dict.fromkeys(named))
    return (roles.default_self_service_party,) if roles.default_self_service_party else ()
