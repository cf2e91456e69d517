"""Parsed cells → who takes which part in an activity, and which parts changed between two readings."""

from __future__ import annotations

from collections.abc import Mapping

from pipeline.read.responsibility import (
    LEAD,
    Roles,
    default_roles,
    parse_owner_cell,
    self_service_leads,
)

#: The kinds of change of one party's part, in the order they are reported.
ROLE_CHANGE_KEYS = ("lead_gained", "lead_lost", "support_gained", "support_lost")
#: Each buying path and the activities column its cell is in.
PATH_COLUMNS = {"self_service": "self_service", "reseller": "reseller_owner", "direct": "direct_owner"}


def activity_roles(
    cells: Mapping[str, object], roles: Roles | None = None
) -> dict[tuple[str, str], str]:
    """An activity's cells (by column name) to (path, party) → 'lead' or 'support', in path order."""
    roles = roles or default_roles()
    found: dict[tuple[str, str], str] = {}
    for path, column in PATH_COLUMNS.items():
        value = cells.get(column)
        text = value if isinstance(value, str) else ""
        if path == "self_service":
            found.update({(path, party): LEAD for party in self_service_leads(text, roles)})
        else:
            found.update({(path, p): r for p, r in parse_owner_cell(text, roles).roles().items()})
    return found


def role_changes(
    old: Mapping[tuple[str, str], str], new: Mapping[tuple[str, str], str]
) -> dict[str, list[tuple[str, str]]]:
    """(path, party) → role before and after to the (path, party) pairs that gained or lost a part.

    Keys of the result: lead_gained, lead_lost, support_gained, support_lost; each list in path
    order (self-service, reseller, direct), then by party name.
    """
    changes: dict[str, list[tuple[str, str]]] = {key: [] for key in ROLE_CHANGE_KEYS}
    for key in dict.fromkeys([*old, *new]):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if before:
            changes[f"{before}_lost"].append(key)
        if after:
            changes[f"{after}_gained"].append(key)
    order = {path: i for i, path in enumerate(PATH_COLUMNS)}
    return {key: sorted(pairs, key=lambda p: (order.get(p[0], len(order)), p[1])) for key, pairs in changes.items()}


def describe_role_changes(changes: Mapping[str, list[tuple[str, str]]]) -> str:
    """Gained and lost parts to a phrase ("EQIX AE now leads; Reseller no longer leads")."""
    phrases = {
        "lead_gained": "now leads", "lead_lost": "no longer leads",
        "support_gained": "now supports", "support_lost": "no longer supports",
    }
    parts: list[str] = []
    for key, phrase in phrases.items():
        parties = list(dict.fromkeys(party for _path, party in changes.get(key, [])))
        if parties:
            parts.append(f"{', '.join(parties)} {phrase}")
    return "; ".join(parts) if parts else "wording only"
