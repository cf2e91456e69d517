"""The revision contract: one row of metadata per extracted revision."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

DATE_SOURCES = ("printed", "printed-month", "printed-quarter", "pdf-metadata")


class RevisionSchema(pa.DataFrameModel):
    """What identifies a revision: its document, its date and the file it came from."""

    document_id: Series[str] = pa.Field(str_matches=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: Series[str] = pa.Field(str_length={"min_value": 1})
    revision_date: Series[str] = pa.Field(str_matches=r"^\d{4}-\d{2}-\d{2}$")
    revision_date_source: Series[str] = pa.Field(isin=DATE_SOURCES)
    source_sha256: Series[str] = pa.Field(str_matches=r"^[0-9a-f]{64}$")
    page_count: Series[int] = pa.Field(ge=1)

    class Config:
        strict = "filter"
