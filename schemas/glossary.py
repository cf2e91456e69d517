"""The glossary contract: the terms a job aid defines ("Terms used in this Document")."""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

COLUMNS = ("term", "definition")


class GlossarySchema(pa.DataFrameModel):
    """One defined term and its definition."""

    term: Series[str] = pa.Field(str_length={"min_value": 1, "max_value": 40}, unique=True)
    definition: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True
        ordered = True
