"""Store frames → the BI tables (a star schema and the activity history), pure: frames in, frames out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import pandas as pd
import pandera.pandas as pa

from pipeline.bi.records import (
    as_count,
    as_text,
    frame_groups,
    record_groups,
    records_to_frame,
    row_dicts,
    validate_table,
)
from pipeline.read.involvement import PATH_COLUMNS, activity_roles, role_changes
from pipeline.read.responsibility import Responsibility, Roles, parse_owner_cell
from pipeline.store.frames import StoreFrames
from schemas.activities import ActivitiesSchema
from schemas.warehouse import (
    KEY_SEPARATOR,
    PARTY_SEPARATOR,
    TABLES,
    ActivityHistory,
    DimActivity,
    DimDocument,
    DimGlossary,
    DimParty,
    DimPhase,
    DimRevision,
    FactChange,
    FactInvolvement,
    FactResponsibility,
    columns,
)

Model = type[pa.DataFrameModel]
#: The activities column a `modified` change names → the buying path it is the cell of.
FIELD_PATHS = {column: path for path, column in PATH_COLUMNS.items()}


def frames_to_tables(store: StoreFrames, roles: Roles) -> dict[str, pd.DataFrame]:
    """Store frames → every warehouse table, validated and sorted."""
    dim_revision = revisions_to_dim_revision(store.revisions, store.activities)
    fact = activities_to_fact_responsibility(store.activities, roles)
    involvement = fact_to_fact_involvement(fact, roles)
    tables = {
        "dim_document": revisions_to_dim_document(store.revisions),
        "dim_revision": dim_revision,
        "dim_phase": fact_to_dim_phase(fact, dim_revision),
        "dim_activity": fact_to_dim_activity(fact, dim_revision),
        "dim_glossary": glossary_to_dim_glossary(store.glossary),
        "dim_party": roles_to_dim_party(list(dim_revision[DimRevision.document_id].unique()), roles),
        "fact_responsibility": fact,
        "fact_involvement": involvement,
        "fact_change": changes_to_fact_change(store.changes, involvement),
        "activity_history": fact_to_activity_history(fact, dim_revision),
    }
    return {name: validate_table(tables[name], model) for name, model in TABLES.items()}


def revision_key(document_id: str, revision_date: date) -> str:
    """A document id and revision date → the revision's key (`document_id|YYYY-MM-DD`)."""
    return f"{document_id}{KEY_SEPARATOR}{revision_date.isoformat()}"


def revisions_to_dim_revision(revisions: pd.DataFrame, activities: pd.DataFrame) -> pd.DataFrame:
    """Revision metadata and activities → dim_revision (one row per revision)."""
    R = DimRevision
    counts = _activity_counts(activities)
    records = []
    for document_id, group in frame_groups(revisions, R.document_id):
        ordered = group.sort_values(R.revision_date)
        dates = list(ordered[R.revision_date])
        for i, meta in enumerate(ordered.to_dict("records")):
            when = meta[R.revision_date]
            records.append(
                {
                    R.revision_key: revision_key(document_id, when),
                    R.document_id: document_id,
                    R.revision_date: when,
                    R.revision_label: as_text(meta.get(R.revision_label)),
                    R.revision_date_source: as_text(meta.get(R.revision_date_source)),
                    R.source_file: as_text(meta.get(R.source_file)),
                    R.source_sha256: as_text(meta.get(R.source_sha256)),
                    R.page_count: as_count(meta.get(R.page_count)),
                    R.activity_count: counts.get((document_id, when), 0),
                    R.is_latest: i == len(dates) - 1,
                    R.previous_revision_date: dates[i - 1] if i else None,
                }
            )
    return records_to_frame(records, R)


def revisions_to_dim_document(revisions: pd.DataFrame) -> pd.DataFrame:
    """Revision metadata → dim_document (one row per job aid, titles from its latest revision)."""
    D, R = DimDocument, DimRevision
    records = []
    for document_id, group in frame_groups(revisions, R.document_id):
        ordered = group.sort_values(R.revision_date)
        latest = ordered.iloc[-1]
        records.append(
            {
                D.document_id: document_id,
                D.title: as_text(latest.get(D.title)),
                D.subtitle: as_text(latest.get(D.subtitle)),
                D.first_revision_date: ordered[R.revision_date].iloc[0],
                D.latest_revision_date: latest[R.revision_date],
                D.revision_count: len(ordered),
            }
        )
    return records_to_frame(records, D)


def activities_to_fact_responsibility(activities: pd.DataFrame, roles: Roles) -> pd.DataFrame:
    """Stored activities (with document and date) → fact_responsibility, owner cells parsed."""
    F, A = FactResponsibility, ActivitiesSchema
    parse = _cached_parser(roles)
    records = []
    for row in row_dicts(activities):
        reseller, direct = parse(row[A.reseller_owner]), parse(row[A.direct_owner])
        records.append(
            {
                F.revision_key: revision_key(row[F.document_id], row[F.revision_date]),
                F.document_id: row[F.document_id],
                F.revision_date: row[F.revision_date],
                F.activity_id: row[F.activity_id],
                F.phase: row[A.phase],
                F.activity: row[A.activity],
                F.self_service: row[A.self_service],
                F.reseller_owner: row[A.reseller_owner],
                F.direct_owner: row[A.direct_owner],
                F.self_service_status: row[A.self_service_status],
                F.activity_order: int(row[A.order]),
                F.pages: row[A.pages],
                F.reseller_lead: reseller.lead,
                F.direct_lead: direct.lead,
                F.reseller_parties: responsibility_to_parties(reseller),
                F.direct_parties: responsibility_to_parties(direct),
            }
        )
    return records_to_frame(records, F)


def roles_to_dim_party(document_ids: list[str], roles: Roles) -> pd.DataFrame:
    """Document ids and the roles profile → dim_party: every party and the portal, per document."""
    P = DimParty
    infos = [*roles.parties.values(), *roles.channels.values()]
    records = [
        {
            P.document_id: document_id,
            P.party: info.party,
            P.full_name: info.full_name,
            P.kind: info.kind,
            P.does: info.does,
            P.aliases: PARTY_SEPARATOR.join(info.aliases),
        }
        for document_id in document_ids
        for info in infos
    ]
    return records_to_frame(records, P)


def fact_to_fact_involvement(fact: pd.DataFrame, roles: Roles) -> pd.DataFrame:
    """fact_responsibility → fact_involvement: one row per party taking a part on one path."""
    V, F = FactInvolvement, FactResponsibility
    cache: dict[tuple[str, ...], dict[tuple[str, str], str]] = {}
    records = []
    for row in row_dicts(fact):
        cells = tuple(str(row[column]) for column in PATH_COLUMNS.values())
        if cells not in cache:
            cache[cells] = activity_roles(dict(zip(PATH_COLUMNS.values(), cells, strict=True)), roles)
        for (path, party), role in cache[cells].items():
            records.append(
                {
                    V.revision_key: row[F.revision_key],
                    V.document_id: row[F.document_id],
                    V.revision_date: row[F.revision_date],
                    V.activity_id: row[F.activity_id],
                    V.activity: row[F.activity],
                    V.phase: row[F.phase],
                    V.path: path,
                    V.party: party,
                    V.role: role,
                    V.activity_order: row[F.activity_order],
                }
            )
    return records_to_frame(records, V)


def responsibility_to_parties(responsibility: Responsibility) -> str:
    """A parsed owner cell → its parties as text: the lead first, then the others sorted."""
    lead = [responsibility.lead] if responsibility.lead in responsibility.parties else []
    others = sorted(p for p in responsibility.parties if p != responsibility.lead)
    return PARTY_SEPARATOR.join([*lead, *others])


def fact_to_dim_phase(fact: pd.DataFrame, dim_revision: pd.DataFrame) -> pd.DataFrame:
    """fact_responsibility → dim_phase (each phase heading, first and last revision it is in)."""
    P, F = DimPhase, FactResponsibility
    latest = _latest_dates(dim_revision)
    records = []
    for (document_id, phase), group in frame_groups(fact, [F.document_id, F.phase]):
        dates = group[F.revision_date]
        records.append(
            {
                P.phase_key: f"{document_id}{KEY_SEPARATOR}{phase}",
                P.document_id: document_id,
                P.phase: phase,
                P.first_seen: dates.min(),
                P.last_seen: dates.max(),
                P.is_current: dates.max() == latest[document_id],
            }
        )
    return records_to_frame(records, P)


def fact_to_dim_activity(fact: pd.DataFrame, dim_revision: pd.DataFrame) -> pd.DataFrame:
    """fact_responsibility → dim_activity (each activity with its most recent text)."""
    D, F = DimActivity, FactResponsibility
    latest = _latest_dates(dim_revision)
    records = []
    for (document_id, activity_id), rows in record_groups(fact, [F.document_id, F.activity_id]):
        last = max(rows, key=lambda row: row[F.revision_date])
        records.append(
            {
                D.document_id: document_id,
                D.activity_id: activity_id,
                D.phase: last[F.phase],
                D.activity: last[F.activity],
                D.first_seen: min(row[F.revision_date] for row in rows),
                D.last_seen: last[F.revision_date],
                D.is_current: last[F.revision_date] == latest[document_id],
            }
        )
    return records_to_frame(records, D)


def fact_to_activity_history(fact: pd.DataFrame, dim_revision: pd.DataFrame) -> pd.DataFrame:
    """fact_responsibility → activity_history: a new version when a contract column changes."""
    H, F, R = ActivityHistory, FactResponsibility, DimRevision
    contract = [H.phase, H.activity, H.self_service, H.reseller_owner, H.direct_owner]
    dates = {doc: sorted(g[R.revision_date]) for doc, g in frame_groups(dim_revision, R.document_id)}
    records: list[dict[str, Any]] = []
    for (document_id, activity_id), rows in record_groups(fact, [F.document_id, F.activity_id]):
        by_date = {row[F.revision_date]: row for row in rows}
        versions = _versions(dates[document_id], by_date, contract)
        for (valid_from, valid_to), row in versions:
            records.append(
                {
                    H.document_id: document_id,
                    H.activity_id: activity_id,
                    **{name: row[name] for name in contract},
                    H.valid_from: valid_from,
                    H.valid_to: valid_to,
                    H.is_current: valid_to is None,
                }
            )
    return records_to_frame(records, H)


def _versions(
    dates: list[date], by_date: Mapping[date, Mapping[str, Any]], contract: list[str]
) -> list[tuple[tuple[date, date | None], Mapping[str, Any]]]:
    """An activity's rows by revision date → its versions as ((valid_from, valid_to), row)."""
    versions: list[tuple[tuple[date, date | None], Mapping[str, Any]]] = []
    open_from: date | None = None
    open_row: Mapping[str, Any] | None = None
    for when in dates:
        row = by_date.get(when)
        same = (
            row is not None
            and open_row is not None
            and all(row[c] == open_row[c] for c in contract)
        )
        if open_row is not None and open_from is not None and not same:
            versions.append(((open_from, when), open_row))
            open_from, open_row = None, None
        if row is not None and open_row is None:
            open_from, open_row = when, row
    if open_row is not None and open_from is not None:
        versions.append(((open_from, None), open_row))
    return versions


def changes_to_fact_change(changes: pd.DataFrame, involvement: pd.DataFrame) -> pd.DataFrame:
    """Stored change lists (with document and pair dates) and fact_involvement → fact_change.

    The parts each change gave or took (lead_gained … support_lost) and `responsibility_change`
    are read from fact_involvement, so they follow the current owner-cell rules even for change
    lists stored by an older version.
    """
    C = FactChange
    text = [C.change, C.phase, C.activity, C.field, C.old, C.new, C.activity_id, C.summary]
    parts = _parts_by_activity(involvement)
    records = []
    for row in row_dicts(changes):
        moved = _change_parts(row, parts)
        cells = {key: PARTY_SEPARATOR.join(f"{path}:{party}" for path, party in moved[key]) for key in moved}
        records.append(
            {
                C.document_id: row[C.document_id],
                C.old_revision_date: row[C.old_revision_date],
                C.new_revision_date: row[C.new_revision_date],
                C.change_number: int(row[C.change_number]),
                **{name: as_text(row.get(name)) for name in text},
                C.responsibility_change: any(cells.values()),
                **cells,
            }
        )
    return records_to_frame(records, C)


def _parts_by_activity(involvement: pd.DataFrame) -> dict[tuple[str, date, str], dict[tuple[str, str], str]]:
    """fact_involvement → (document, revision date, activity id) → (path, party) → role."""
    V = FactInvolvement
    parts: dict[tuple[str, date, str], dict[tuple[str, str], str]] = {}
    for row in row_dicts(involvement):
        key = (row[V.document_id], row[V.revision_date], row[V.activity_id])
        parts.setdefault(key, {})[(row[V.path], row[V.party])] = row[V.role]
    return parts


def _change_parts(
    row: Mapping[str, Any], parts: Mapping[tuple[str, date, str], dict[tuple[str, str], str]]
) -> dict[str, list[tuple[str, str]]]:
    """One stored change and every revision's parts → the (path, party) pairs it gave or took."""
    C = FactChange
    activity_id = as_text(row.get(C.activity_id))
    before = parts.get((row[C.document_id], row[C.old_revision_date], activity_id), {})
    after = parts.get((row[C.document_id], row[C.new_revision_date], activity_id), {})
    kind, field_name = as_text(row.get(C.change)), as_text(row.get(C.field))
    if kind == "added":
        return role_changes({}, after)
    if kind == "removed":
        return role_changes(before, {})
    if kind == "modified" and field_name in FIELD_PATHS:
        path = FIELD_PATHS[field_name]
        return role_changes(
            {k: r for k, r in before.items() if k[0] == path}, {k: r for k, r in after.items() if k[0] == path}
        )
    return role_changes({}, {})


def glossary_to_dim_glossary(glossary: pd.DataFrame) -> pd.DataFrame:
    """Stored glossaries (with document and date) → dim_glossary."""
    G = DimGlossary
    records = [{name: row[name] for name in columns(G)} for row in row_dicts(glossary)]
    return records_to_frame(records, G)


def _activity_counts(activities: pd.DataFrame) -> dict[tuple[str, date], int]:
    """Stored activities → the number of activities of each (document, revision date)."""
    F = FactResponsibility
    return {key: len(group) for key, group in frame_groups(activities, [F.document_id, F.revision_date])}


def _latest_dates(dim_revision: pd.DataFrame) -> dict[str, date]:
    """dim_revision → the latest revision date of each document."""
    R = DimRevision
    groups = frame_groups(dim_revision, R.document_id)
    return {doc: group[R.revision_date].max() for doc, group in groups}


def _cached_parser(roles: Roles) -> Callable[[str], Responsibility]:
    """Roles → an owner-cell parser that parses each distinct text once."""
    cache: dict[str, Responsibility] = {}

    def parse(text: str) -> Responsibility:
        if text not in cache:
            cache[text] = parse_owner_cell(text, roles)
        return cache[text]

    return parse
