"""The tuning values of matching, phase-rename detection and activity ids, checked on creation."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DiffSettings:
    """The tuning values of matching, phase-rename detection and activity ids, checked on creation."""

    #: Weights of the pair score: activity text, owner cells, same phase (they sum to 1).
    text_weight: float = 0.75
    owner_weight: float = 0.15
    phase_weight: float = 0.10
    #: Share of `fuzz.ratio` in the character similarity; the rest is `fuzz.token_sort_ratio`.
    ratio_share: float = 0.5
    #: Share of the word overlap in the text similarity; the rest is the character similarity.
    word_share: float = 0.5
    #: A pair below either threshold is not the same activity: removed + added instead.
    match_threshold: float = 0.6
    min_text_similarity: float = 0.6
    #: A row that kept its place and every cell needs only this text similarity to be the same activity reworded;
    #: below it, it is an activity replaced by another in its place (removed + added), as revisers often do.
    kept_place_similarity: float = 0.45
    #: A phase is renamed when more than this share of its matched activities went to one phase…
    phase_rename_share: float = 0.5
    #: …whose name is at least this similar, or which stands at the same position.
    phase_name_similarity: float = 0.5
    #: Length of the hex part of an activity id.
    id_hex_length: int = 10
    id_prefix: str = "a"

    def __post_init__(self) -> None:
        """Check that weights sum to one and every share or threshold lies in 0..1."""
        weights = (self.text_weight, self.owner_weight, self.phase_weight)
        if abs(sum(weights) - 1) > 1e-9 or min(weights) < 0:
            raise ValueError(f"score weights must be non-negative and sum to 1, got {weights}")
        for name in (
            "ratio_share",
            "word_share",
            "match_threshold",
            "min_text_similarity",
            "phase_rename_share",
            "phase_name_similarity",
        ):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise ValueError(f"{name} must lie in 0..1, got {value}")
        if not 4 <= self.id_hex_length <= 40:
            raise ValueError(f"id_hex_length must lie in 4..40, got {self.id_hex_length}")


DEFAULT_SETTINGS = DiffSettings()
