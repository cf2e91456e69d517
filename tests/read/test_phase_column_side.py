"""A phase column is mapped where it stands first or last in the table, not between the columns it groups."""

from __future__ import annotations

from pipeline.profile import load_profile
from pipeline.read.columns import map_columns


def test_a_phase_column_closing_the_table_on_its_right_is_mapped() -> None:
    mapping = map_columns(["Activity", "Self-service", "Reseller", "Direct", "Phase"], load_profile())
    assert mapping is not None and mapping["phase"] == 4


def test_a_phase_header_between_the_owner_columns_is_not_a_phase_column() -> None:
    mapping = map_columns(["Activity", "Self-service", "Stage", "Reseller", "Direct"], load_profile())
    assert mapping is not None and "phase" not in mapping
