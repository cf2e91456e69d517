"""The changes contract: one row per change between two revisions of a job aid."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

#: Every kind of change, in the order reports list them.
CHANGE_KINDS = ("added", "removed", "reworded", "moved", "modified", "phase_renamed")
#: The cells a `modified` row can name ("" for every other kind).
CHANGE_FIELDS = ("self_service", "reseller_owner", "direct_owner")
#: The six columns every consumer relies on, in this order.
CORE_COLUMNS = ("change", "phase", "activity", "field", "old", "new")
#: Which parties gained or lost the lead or a supporting part: `path:party` entries, ';'-separated.
PARTY_CHANGE_COLUMNS = ("lead_gained", "lead_lost", "support_gained", "support_lost")
#: Every column of changes.csv, in this order.
COLUMNS = (
    *CORE_COLUMNS,
    "activity_id",
    "similarity",
    "responsibility_change",
    "old_phase",
    "new_phase",
    "summary",
    *PARTY_CHANGE_COLUMNS,
)
#: Kinds that never change who is responsible (the cells stay as they were).
NEVER_RESPONSIBILITY = ("reworded", "moved", "phase_renamed")


class ChangesSchema(pa.DataFrameModel):
    """One change: its kind, where it is, the old and new text, and whether who-does-it moved."""

    change: Series[str] = pa.Field(isin=CHANGE_KINDS)
    phase: Series[str] = pa.Field(str_length={"min_value": 1})
    activity: Series[str]
    field: Series[str] = pa.Field(isin=("", *CHANGE_FIELDS))
    old: Series[str]
    new: Series[str]
    activity_id: Series[str]
    similarity: Series[float] = pa.Field(nullable=True, in_range={"min_value": 0, "max_value": 1})
    responsibility_change: Series[bool]
    old_phase: Series[str]
    new_phase: Series[str]
    summary: Series[str] = pa.Field(str_length={"min_value": 1})
    lead_gained: Series[str]
    lead_lost: Series[str]
    support_gained: Series[str]
    support_lost: Series[str]

    @pa.dataframe_check
    @classmethod
    def activity_named_unless_phase(cls, df: pd.DataFrame) -> pd.Series[bool]:
        """Every change names its activity, except a phase rename, which names none."""
        return (df["activity"] == "") == (df["change"] == "phase_renamed")

    @pa.dataframe_check
    @classmethod
    def field_named_only_when_modified(cls, df: pd.DataFrame) -> pd.Series[bool]:
        """A `modified` row names the cell that changed; no other kind names one."""
        return (df["field"] != "") == (df["change"] == "modified")

    @pa.dataframe_check
    @classmethod
    def old_and_new_differ(cls, df: pd.DataFrame) -> pd.Series[bool]:
        """Reworded, moved, modified and renamed rows say what changed: old differs from new."""
        described = df["change"].isin(("reworded", "moved", "modified", "phase_renamed"))
        return ~described | (df["old"] != df["new"])

    @pa.dataframe_check
    @classmethod
    def responsibility_follows_parties(cls, df: pd.DataFrame) -> pd.Series[bool]:
        """Responsibility changed exactly when a party gained or lost a part; never by rewording,
        moving or renaming."""
        named = (df[list(PARTY_CHANGE_COLUMNS)] != "").any(axis=1)
        never = df["change"].isin(NEVER_RESPONSIBILITY)
        return (df["responsibility_change"] == named) & (~never | ~named)

    class Config:
        strict = True
        ordered = True
        coerce = False
