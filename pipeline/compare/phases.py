"""Two revisions' activities and their matches → renamed phases, so that a renamed phase is one `phase_renamed` row
rather than a move of every activity in it."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from pipeline.compare.match import Match, Rows
from pipeline.compare.settings import DEFAULT_SETTINGS, DiffSettings
from pipeline.compare.similarity import collapsed, match_key, text_similarity, wording_key


def _phases(activities: Rows) -> list[str]:
    """Activities to their phase names (layout collapsed), in order of first appearance."""
    return list(dict.fromkeys(collapsed(row["phase"]) for row in activities.by_label.values()))


def same_phase(old_phase: str, new_phase: str, renames: dict[str, str]) -> bool:
    """An old and a new phase name and the renamed phases → whether they name the same phase (case, punctuation
    and layout aside)."""
    return wording_key(renames.get(old_phase, old_phase)) == wording_key(new_phase)


def detect_phase_renames(
    old: Rows,
    new: Rows,
    matches: Sequence[Match],
    settings: DiffSettings = DEFAULT_SETTINGS,
) -> dict[str, str]:
    """Two revisions' rows and their matches to renamed phases, old name → new name.

    A phase is renamed when it is gone from the new revision and most of its matched activities that went to new
    phases went to one whose name is like its own, which stands at its place, or whose matched activities came
    mostly from it. Phase names that differ only in case, punctuation or layout are the same phase.
    """
    old_phases, new_phases = _phases(old), _phases(new)
    old_keys, new_keys = {wording_key(p) for p in old_phases}, {wording_key(p) for p in new_phases}
    destinations: dict[str, Counter[str]] = defaultdict(Counter)
    for m in matches:
        if m.old is not None and m.new is not None:
            target = collapsed(new.text(m.new, "phase"))
            if wording_key(target) not in old_keys:
                destinations[collapsed(old.text(m.old, "phase"))][target] += 1
    sources: Counter[str] = Counter()
    for phase_destinations in destinations.values():
        sources.update(phase_destinations)
    candidates: list[tuple[int, str, str]] = []
    for position, phase in enumerate(old_phases):
        if wording_key(phase) in new_keys or not destinations[phase]:
            continue
        target, count = destinations[phase].most_common(1)[0]
        if count / sum(destinations[phase].values()) <= settings.phase_rename_share:
            continue
        similar = (
            text_similarity(match_key(phase), match_key(target), settings)
            >= settings.phase_name_similarity
        )
        mostly_from_it = count / sources[target] > settings.phase_rename_share
        if similar or new_phases.index(target) == position or mostly_from_it:
            candidates.append((count, phase, target))
    renames: dict[str, str] = {}
    for _count, phase, target in sorted(candidates, key=lambda c: -c[0]):
        if target not in renames.values():
            renames[phase] = target
    return renames
