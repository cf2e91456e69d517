"""A store and a party → what the party leads and supports today, and what changed for it last time.

The library behind `jobaid who PARTY [DOCUMENT]`: it reads the store through
`pipeline.store.frames`, builds the BI tables in memory and picks the party's rows.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.bi.tables import frames_to_tables
from pipeline.errors import RevisionNotFoundError
from pipeline.read.involvement import ROLE_CHANGE_KEYS
from pipeline.read.roles import Roles, load_roles
from pipeline.store.frames import read_store
from schemas.warehouse import PARTY_SEPARATOR, DimRevision, FactChange, FactInvolvement

#: The columns of a `who` answer, in order.
WHO_COLUMNS = ("document_id", "revision_date", "section", "phase", "activity", "path", "detail")
#: Sections of the answer: parts held in the latest revision, then changes in the latest diff.
LEADS, SUPPORTS, CHANGED = "leads", "supports", "changed"
FORMATS = ("table", "csv", "json")
_CHANGE_WORDS = {
    "lead_gained": "now leads",
    "lead_lost": "no longer leads",
    "support_gained": "now supports",
    "support_lost": "no longer supports",
}


def resolve_party(name: str, roles: Roles) -> str:
    """A party as typed (canonical name or alias, any case) → its canonical name, or an error."""
    key = " ".join(name.split())
    for party in roles.parties:
        if party.casefold() == key.casefold():
            return party
    found = roles.party_exact.get(key) or roles.party_folded.get(key.casefold())
    if found is None:
        known = ", ".join(roles.parties)
        raise RevisionNotFoundError(None, f"no party named {name!r}", f"use one of: {known}")
    return found


def party_report(
    root: Path, party: str, document: str | None = None, roles: Roles | None = None
) -> pd.DataFrame:
    """A store, a party and optionally a document → the party's rows (WHO_COLUMNS), latest first."""
    roles = roles if roles is not None else load_roles()
    name = resolve_party(party, roles)
    tables = frames_to_tables(read_store(Path(root)), roles)
    revisions = tables["dim_revision"]
    if document is not None:
        revisions = revisions[revisions[DimRevision.document_id] == document]
        if revisions.empty:
            raise RevisionNotFoundError(
                Path(root) / document, "holds no stored revisions", "check the document id (see the store's folders)"
            )
    latest = revisions[revisions[DimRevision.is_latest]]
    records = _held(tables["fact_involvement"], latest, name)
    records += _changed(tables["fact_change"], latest, name)
    frame = pd.DataFrame(records, columns=list(WHO_COLUMNS))
    return frame.astype({c: str for c in WHO_COLUMNS})


def _held(involvement: pd.DataFrame, latest: pd.DataFrame, party: str) -> list[dict[str, str]]:
    """Involvement rows and the latest revisions → what the party leads, then what it supports."""
    V = FactInvolvement
    keys = set(latest[DimRevision.revision_key])
    mine = involvement[involvement[V.revision_key].isin(keys) & (involvement[V.party] == party)]
    records = []
    for role, section in (("lead", LEADS), ("support", SUPPORTS)):
        for row in mine[mine[V.role] == role].to_dict("records"):
            records.append(_record(row, V.revision_date, section, row[V.path], ""))
    return records


def _changed(changes: pd.DataFrame, latest: pd.DataFrame, party: str) -> list[dict[str, str]]:
    """Change rows and the latest revisions → each part the party gained or lost in the latest diff."""
    C = FactChange
    records: list[dict[str, str]] = []
    if changes.empty:
        return records
    newest = {
        (row[DimRevision.document_id], row[DimRevision.revision_date])
        for row in latest.to_dict("records")
    }
    for row in changes.to_dict("records"):
        if (row[C.document_id], row[C.new_revision_date]) not in newest:
            continue
        for key in ROLE_CHANGE_KEYS:
            for entry in filter(None, str(row[key]).split(PARTY_SEPARATOR)):
                path, _, who = entry.partition(":")
                if who == party:
                    detail = f"{_CHANGE_WORDS[key]} (since {row[C.old_revision_date]}; {row[C.change]})"
                    records.append(_record(row, C.new_revision_date, CHANGED, path, detail))
    return records


def _record(row: Mapping[Hashable, Any], date_column: str, section: str, path: str, detail: str) -> dict[str, str]:
    """A table row (document, phase and activity columns named alike in both tables) → one line of a `who` answer."""
    return {
        "document_id": row[FactInvolvement.document_id],
        "revision_date": str(row[date_column]),
        "section": section,
        "phase": row[FactInvolvement.phase],
        "activity": row[FactInvolvement.activity],
        "path": path,
        "detail": detail,
    }


def report_to_text(report: pd.DataFrame, fmt: str) -> str:
    """A `who` answer and 'csv' or 'json' → the text to print."""
    if fmt == "csv":
        return str(report.to_csv(index=False, lineterminator="\n"))
    if fmt == "json":
        return json.dumps(report.to_dict("records"), indent=2, ensure_ascii=False) + "\n"
    raise ValueError(f"no text format {fmt!r}; use csv or json")
