"""The activities contract: one row per activity of one revision, in document order."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

SELF_SERVICE_STATUSES = ("available", "not_available", "not_stated")

#: The five columns every consumer relies on, in this order.
CORE_COLUMNS = ("phase", "activity", "self_service", "reseller_owner", "direct_owner")
#: Every column of activities.csv, in this order.
COLUMNS = (*CORE_COLUMNS, "order", "pages", "self_service_status")
#: Added after COLUMNS only when the revision was read (partly) by OCR: per activity, its least sure cell (0–100).
OCR_CONFIDENCE = "ocr_confidence"


class ActivitiesSchema(pa.DataFrameModel):
    """One extracted activity: its phase, its text and who owns it on each buying path."""

    phase: Series[str] = pa.Field(str_length={"min_value": 1})
    activity: Series[str] = pa.Field(str_length={"min_value": 1})
    self_service: Series[str]
    reseller_owner: Series[str]
    direct_owner: Series[str]
    order: Series[int] = pa.Field(ge=1, unique=True)
    pages: Series[str] = pa.Field(str_matches=r"^\d+(-\d+)?$")
    self_service_status: Series[str] = pa.Field(isin=SELF_SERVICE_STATUSES)
    ocr_confidence: Series[float] | None = pa.Field(nullable=True, ge=0, le=100)

    @pa.check("phase", "activity", "self_service", "reseller_owner", "direct_owner")
    @classmethod
    def text_is_normalised(cls, series: pd.Series[str]) -> pd.Series[bool]:
        """Cell text has no line breaks, no doubled spaces and no outer whitespace."""
        return ~series.str.contains(r"\s\s|\n|\t", regex=True) & (series == series.str.strip())

    @pa.dataframe_check
    @classmethod
    def row_says_who_does_it(cls, df: pd.DataFrame) -> pd.Series[bool]:
        """An activity names at least one owner or a self-service option."""
        return (df["self_service"] != "") | (df["reseller_owner"] != "") | (df["direct_owner"] != "")

    class Config:
        strict = True
        ordered = True
        coerce = False
