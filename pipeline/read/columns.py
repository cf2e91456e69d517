"""Header texts → which table column holds which contract field, by meaning, never by position."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

from pipeline.errors import NotAJobAidError
from pipeline.profile import Profile


def map_columns(headers: list[str], profile: Profile, strict: bool = True) -> dict[str, int] | None:
    """Header texts → {field: column index}; None (or NotAJobAidError when strict) if a field is unmapped.

    A phase column ("phase") is mapped too when the profile names one and a header says so.
    """
    rules = profile.columns + ((profile.phase_column,) if profile.phase_column else ())
    scores = np.array([[rule.score(" ".join(h.split())) for rule in rules] for h in headers])
    if scores.size == 0:
        _unmapped(headers, profile, strict)
        return None
    rows, cols = linear_sum_assignment(scores, maximize=True)
    mapping = {rules[c].field: int(r) for r, c in zip(rows, cols, strict=True) if scores[r, c] > 0}
    if any(rule.required and rule.field not in mapping for rule in rules):
        _unmapped(headers, profile, strict)
        return None
    if "phase" in mapping and mapping["phase"] > mapping["activity"]:
        del mapping["phase"]  # a group column stands before what it groups
    return mapping


def _unmapped(headers: list[str], profile: Profile, strict: bool) -> None:
    """Headers that do not map → NotAJobAidError naming them (nothing when not strict)."""
    if not strict:
        return
    found = " | ".join(h or "(blank)" for h in headers)
    needed = ", ".join(rule.field for rule in profile.columns if rule.required)
    raise NotAJobAidError(None, f"cannot map the table's columns ({needed}); headers found: {found}",
                          "add the header words to the profile in schemas/profiles/")
