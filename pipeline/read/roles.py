"""`schemas/profiles/roles.toml` → the compiled vocabulary of parties, verbs and exclusion cues.

Everything the owner-cell parser knows is data kept in that file; this module only compiles it.
All of it is pure except `load_roles`, which reads the file.
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

#: The verb classes of `[verbs]`, in the order the parser knows them.
VERB_KINDS = (
    "lead", "act", "request", "delegate", "support_subject", "support_object", "handover",
)
#: Where `{party}` stands in an exclusion pattern.
PARTY_PLACEHOLDER = "{party}"


@dataclass(frozen=True)
class PartyInfo:
    """One party (or channel) as described in the profile: canonical name, full name, kind, role."""

    party: str
    full_name: str
    kind: str
    does: str
    aliases: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Roles:
    """The compiled vocabulary of `roles.toml`: parties, verbs, exclusions and self-service words."""

    parties: Mapping[str, PartyInfo]
    channels: Mapping[str, PartyInfo]
    kind_default_roles: Mapping[str, str]
    party_pattern: re.Pattern[str]
    party_exact: Mapping[str, str]
    party_folded: Mapping[str, str]
    ignore_pattern: re.Pattern[str] | None
    portal_pattern: re.Pattern[str] | None
    verb_pattern: re.Pattern[str]
    verb_kinds: Mapping[str, str]
    routing_pattern: re.Pattern[str] | None
    exclusion_patterns: tuple[re.Pattern[str], ...]
    subject_fillers: frozenset[str]
    object_fillers: frozenset[str]
    conjunctions: frozenset[str]
    sentence_openers: frozenset[str]
    coordinators: frozenset[str]
    available_patterns: tuple[re.Pattern[str], ...]
    not_available_patterns: tuple[re.Pattern[str], ...]
    yes_words: frozenset[str]
    no_words: frozenset[str]
    self_serve_parties: frozenset[str]
    default_self_service_party: str | None

    @property
    def canonical_parties(self) -> tuple[str, ...]:
        """Every canonical party name, in the order of the profile."""
        return tuple(self.parties)

    def kind_of(self, party: str) -> str:
        """A canonical party name → its kind ('' when the profile gives none)."""
        info = self.parties.get(party)
        return info.kind if info else ""

    def named_role(self, party: str) -> str:
        """A party only named in a cell → 'support' or 'none', by the default of its kind."""
        return self.kind_default_roles.get(self.kind_of(party), "support")


def is_acronym(alias: str) -> bool:
    """An alias in capitals only (an acronym) → True: it then matches case-sensitively."""
    return any(ch.isalpha() for ch in alias) and alias == alias.upper()


def alternation(phrases: Iterable[str], case_sensitive: Iterable[str] = ()) -> str:
    """Phrases → one whole-word regex alternation, longest first, acronyms case-sensitive."""
    exact = set(case_sensitive)
    parts = []
    for phrase in sorted(set(phrases), key=lambda p: (-len(p), p)):
        body = r"\s+".join(re.escape(word) for word in phrase.split())
        parts.append(body if phrase in exact else f"(?i:{body})")
    return r"(?<![\w'-])(?:" + "|".join(parts) + r")(?![\w'-])"


def _optional_pattern(phrases: list[str]) -> re.Pattern[str] | None:
    """Phrases → a case-insensitive whole-word pattern, or None when there are none."""
    return re.compile(alternation(phrases)) if phrases else None


def _infos(section: Mapping[str, Any]) -> dict[str, PartyInfo]:
    """A `[parties]` or `[channels]` table → PartyInfo by canonical name (a bare list is aliases)."""
    infos: dict[str, PartyInfo] = {}
    for name, value in section.items():
        entry: Mapping[str, Any] = {"aliases": value} if isinstance(value, list) else value
        infos[name] = PartyInfo(
            party=name,
            full_name=str(entry.get("full_name", name)),
            kind=str(entry.get("kind", "")),
            does=str(entry.get("does", "")),
            aliases=tuple(" ".join(alias.split()) for alias in entry.get("aliases", [])),
        )
    return infos


def _exclusions(patterns: list[str], party_regex: str) -> tuple[re.Pattern[str], ...]:
    """Exclusion templates and the party alternation → compiled case-insensitive patterns."""
    group = f"(?P<party>{party_regex})"
    return tuple(
        re.compile(template.replace(PARTY_PLACEHOLDER, group), re.IGNORECASE) for template in patterns
    )


def roles_from_mapping(profile: Mapping[str, Any]) -> Roles:
    """A parsed `roles.toml` mapping → compiled `Roles`."""
    parties = _infos(profile["parties"])
    channels = _infos(profile.get("channels", {}))
    party_exact: dict[str, str] = {}
    party_folded: dict[str, str] = {}
    for info in parties.values():
        for alias in info.aliases:
            if is_acronym(alias):
                party_exact[alias] = info.party
            else:
                party_folded[alias.casefold()] = info.party
    aliases = [alias for info in parties.values() for alias in info.aliases]
    party_regex = alternation(aliases, party_exact)
    verbs: Mapping[str, list[str]] = profile["verbs"]
    verb_kinds = {
        " ".join(phrase.casefold().split()): kind
        for kind in VERB_KINDS
        for phrase in verbs.get(kind, [])
    }
    grammar = profile["grammar"]
    service = profile["self_service"]

    def words(values: Iterable[str]) -> frozenset[str]:
        return frozenset(w.casefold() for w in values)

    return Roles(
        parties=parties,
        channels=channels,
        kind_default_roles=dict(profile.get("kinds", {})),
        party_pattern=re.compile(party_regex),
        party_exact=party_exact,
        party_folded=party_folded,
        ignore_pattern=_optional_pattern(profile.get("ignore", {}).get("phrases", [])),
        portal_pattern=_optional_pattern([a for info in channels.values() for a in info.aliases]),
        verb_pattern=re.compile(alternation(verb_kinds)),
        verb_kinds=verb_kinds,
        routing_pattern=_optional_pattern(verbs.get("routing", [])),
        exclusion_patterns=_exclusions(
            profile.get("exclusions", {}).get("patterns", []), party_regex
        ),
        subject_fillers=words(grammar["subject_fillers"]),
        object_fillers=words(grammar.get("object_fillers", [])),
        conjunctions=words(grammar["conjunctions"]),
        sentence_openers=words(grammar["sentence_openers"]),
        coordinators=words(grammar.get("coordinators", ["and", "&"])),
        available_patterns=tuple(re.compile(p, re.IGNORECASE) for p in service["available"]),
        not_available_patterns=tuple(
            re.compile(p, re.IGNORECASE) for p in service["not_available"]
        ),
        yes_words=words(service["yes_words"]),
        no_words=words(service["no_words"]),
        self_serve_parties=frozenset(service["self_serve_parties"]),
        default_self_service_party=service.get("default_party"),
    )


def load_roles(path: Path | None = None) -> Roles:
    """A roles profile file (default: the packaged `schemas/profiles/roles.toml`) → `Roles`."""
    if path is None:
        data = resources.files("schemas").joinpath("profiles", "roles.toml").read_bytes()
    else:
        data = Path(path).read_bytes()
    return roles_from_mapping(tomllib.loads(data.decode("utf-8")))


@lru_cache(maxsize=1)
def default_roles() -> Roles:
    """The packaged roles profile, read once."""
    return load_roles()
