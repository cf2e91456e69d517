"""Stored revisions to BI tables: a star schema in DuckDB, Parquet and CSV, and a Data Package.

Flow: `read_store` (files → frames) → `frames_to_tables` (pure) → `build_warehouse` (one DuckDB
file swapped in atomically, one Parquet and one CSV per table, `datapackage.json`).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pandera.errors
import pandera.pandas as pa
import pyarrow as pa_arrow
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from pipeline.errors import StoreError
from pipeline.read.responsibility import Responsibility, Roles, load_roles, parse_owner_cell
from pipeline.store.files import (
    CHANGES_DIR,
    REVISION_FILE,
    failpoint,
    fsync_dir,
    fsync_path,
    list_documents,
    list_revisions,
    write_files,
)
from schemas.activities import ActivitiesSchema
from schemas.glossary import GlossarySchema
from schemas.warehouse import (
    KEY_SEPARATOR,
    PARTY_SEPARATOR,
    TABLES,
    ActivityHistory,
    DimActivity,
    DimDocument,
    DimGlossary,
    DimPhase,
    DimRevision,
    FactChange,
    FactResponsibility,
    allowed_values,
    columns,
    foreign_keys,
    logical_types,
    primary_key,
    sort_key,
)

Model = type[pa.DataFrameModel]

WAREHOUSE_FILE = "warehouse.duckdb"
BI_DIR = "bi"
DATAPACKAGE_FILE = "datapackage.json"
ACTIVITIES_FILE = "activities.csv"
GLOSSARY_FILE = "glossary.csv"
CHANGES_FILE = "changes.csv"
PAIR_SEPARATOR = "__"
RERUN = "re-run `extract` on its PDF"
#: Columns the warehouse reads from each stored activities.csv.
ACTIVITY_COLUMNS = (*(n for n, c in ActivitiesSchema.to_schema().columns.items() if c.required),
                    FactResponsibility.activity_id)
#: The party name (from schemas/profiles/roles.toml) that question (b) looks for.
RESELLER_PARTY = "Reseller"

DATAPACKAGE_V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
DATARESOURCE_V2 = "https://datapackage.org/profiles/2.0/dataresource.json"
TABLESCHEMA_V2 = "https://datapackage.org/profiles/2.0/tableschema.json"
TABLEDIALECT_V2 = "https://datapackage.org/profiles/2.0/tabledialect.json"

#: SQL type of each logical type; the same names work in DuckDB and PostgreSQL.
SQL_TYPES = {
    "string": "TEXT",
    "integer": "BIGINT",
    "number": "DOUBLE PRECISION",
    "boolean": "BOOLEAN",
    "date": "DATE",
}
ARROW_TYPES = {
    "string": pa_arrow.string(),
    "integer": pa_arrow.int64(),
    "number": pa_arrow.float64(),
    "boolean": pa_arrow.bool_(),
    "date": pa_arrow.date32(),
}

# The questions BI users ask. Parameters are written `$name` (DuckDB's syntax; for psycopg use
# `pipeline.bi.postgres.sql_for_psycopg`). Every query runs unchanged on DuckDB and PostgreSQL.
QUESTIONS: dict[str, str] = {
    # (a) Which activities changed owner between two revisions ($old_date, $new_date: ISO dates)?
    # An owner change is a different lead or a different set of parties on either buying path.
    "owner_changes": """
SELECT n.document_id, n.activity_id, n.phase, n.activity,
       o.reseller_lead AS old_reseller_lead, n.reseller_lead AS new_reseller_lead,
       o.direct_lead AS old_direct_lead, n.direct_lead AS new_direct_lead,
       o.reseller_parties AS old_reseller_parties, n.reseller_parties AS new_reseller_parties,
       o.direct_parties AS old_direct_parties, n.direct_parties AS new_direct_parties
FROM fact_responsibility AS o
JOIN fact_responsibility AS n
  ON n.document_id = o.document_id AND n.activity_id = o.activity_id
WHERE o.revision_date = CAST($old_date AS DATE)
  AND n.revision_date = CAST($new_date AS DATE)
  AND (o.reseller_lead IS DISTINCT FROM n.reseller_lead
       OR o.direct_lead IS DISTINCT FROM n.direct_lead
       OR o.reseller_parties <> n.reseller_parties
       OR o.direct_parties <> n.direct_parties)
ORDER BY n.document_id, n.activity_order
""".strip(),
    # (b) Where does the reseller lead today (in the latest revision of each job aid)?
    "reseller_leads_today": f"""
SELECT f.document_id, f.revision_date, f.phase, f.activity, f.reseller_owner, f.reseller_parties
FROM fact_responsibility AS f
JOIN dim_revision AS r ON r.revision_key = f.revision_key
WHERE r.is_latest AND f.reseller_lead = '{RESELLER_PARTY}'
ORDER BY f.document_id, f.activity_order
""".strip(),
    # (c) What can the customer self-serve today, and since when without a break?
    # Since = the first revision of the unbroken run of revisions, up to the latest, in which the
    # activity was there and self-service was available.
    "self_service_today": """
WITH today AS (
  SELECT f.document_id, f.activity_id, f.phase, f.activity, f.self_service, f.activity_order
  FROM fact_responsibility AS f
  JOIN dim_revision AS r ON r.revision_key = f.revision_key
  WHERE r.is_latest AND f.self_service_status = 'available'
),
gaps AS (
  SELECT t.document_id, t.activity_id, MAX(r.revision_date) AS last_gap
  FROM today AS t
  JOIN dim_revision AS r ON r.document_id = t.document_id
  LEFT JOIN fact_responsibility AS f
    ON f.revision_key = r.revision_key AND f.activity_id = t.activity_id
   AND f.self_service_status = 'available'
  WHERE f.activity_id IS NULL
  GROUP BY t.document_id, t.activity_id
)
SELECT t.document_id, t.phase, t.activity, t.self_service,
       MIN(r.revision_date) AS self_service_since
FROM today AS t
JOIN dim_revision AS r ON r.document_id = t.document_id
LEFT JOIN gaps AS g ON g.document_id = t.document_id AND g.activity_id = t.activity_id
WHERE g.last_gap IS NULL OR r.revision_date > g.last_gap
GROUP BY t.document_id, t.activity_id, t.phase, t.activity, t.self_service, t.activity_order
ORDER BY t.document_id, t.activity_order
""".strip(),
}


@dataclass(frozen=True)
class StoreFrames:
    """Everything stored, as four frames keyed by document and revision date."""

    revisions: pd.DataFrame
    activities: pd.DataFrame
    glossary: pd.DataFrame
    changes: pd.DataFrame


@dataclass(frozen=True)
class Summary:
    """What `build_warehouse` wrote: the database, the BI folder and the rows of each table."""

    database: Path
    bi_dir: Path
    row_counts: dict[str, int] = field(default_factory=dict)
    files: tuple[Path, ...] = ()


# --------------------------------------------------------------------------- reading the store


def read_store(root: Path) -> StoreFrames:
    """A store folder → its revisions, activities, glossaries and consecutive changes as frames."""
    root = Path(root)
    revisions = [_read_revision(path) for path in _revision_dirs(root)]
    meta = pd.DataFrame([meta for meta, _, _ in revisions])
    activities = [acts for _, acts, _ in revisions]
    glossary = [gloss for _, _, gloss in revisions]
    pairs = _consecutive_pairs(meta)
    changes = [_read_changes(root, doc, old, new) for doc, old, new in pairs]
    return StoreFrames(
        revisions=meta,
        activities=_concat(activities),
        glossary=_concat(glossary),
        changes=_concat(changes),
    )


def _revision_dirs(root: Path) -> list[Path]:
    """A store folder → every revision folder in it (as the store lists them), sorted."""
    if not root.is_dir():
        raise StoreError(root, "store folder not found", "run `extract` first or check the path")
    return [rev.path for doc in list_documents(root) for rev in list_revisions(root, doc)]


def _read_revision(folder: Path) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]:
    """A revision folder → its metadata row, its activities and its glossary (with keys added)."""
    meta = _read_json(folder / REVISION_FILE)
    document_id = str(meta.get("document_id") or folder.parent.name)
    revision_date = _parse_date(meta.get("revision_date") or folder.name, folder / REVISION_FILE)
    keys = {DimRevision.document_id: document_id, DimRevision.revision_date: revision_date}
    row = {**meta, **keys}
    activities = _require_columns(_read_csv(folder / ACTIVITIES_FILE), ACTIVITY_COLUMNS, folder)
    activities = activities.assign(**keys)
    glossary_path = folder / GLOSSARY_FILE
    glossary = _read_csv(glossary_path) if glossary_path.exists() else _empty(GlossarySchema)
    return row, activities, glossary.assign(**keys)


def _require_columns(frame: pd.DataFrame, required: Iterable[str], folder: Path) -> pd.DataFrame:
    """A stored table and the columns it must have → the table, or a StoreError naming them."""
    missing = [name for name in required if name not in frame.columns]
    if missing:
        raise StoreError(folder, f"stored table lacks columns {missing}", RERUN)
    return frame


def _consecutive_pairs(revisions: pd.DataFrame) -> list[tuple[str, date, date]]:
    """Revision metadata → (document, older date, newer date) for each consecutive pair."""
    if revisions.empty:
        return []
    pairs: list[tuple[str, date, date]] = []
    for document_id, group in revisions.groupby(DimRevision.document_id, sort=True):
        dates = sorted(group[DimRevision.revision_date])
        pairs += [(str(document_id), old, new) for old, new in zip(dates, dates[1:], strict=False)]
    return pairs


def _read_changes(root: Path, document_id: str, old: date, new: date) -> pd.DataFrame:
    """One consecutive pair → its stored changes with keys and row numbers (empty if none)."""
    path = root / document_id / CHANGES_DIR / f"{old}{PAIR_SEPARATOR}{new}" / CHANGES_FILE
    if not path.exists():
        return pd.DataFrame()
    changes = _read_csv(path)
    return changes.assign(
        **{
            FactChange.document_id: document_id,
            FactChange.old_revision_date: old,
            FactChange.new_revision_date: new,
            FactChange.change_number: range(1, len(changes) + 1),
        }
    )


def _read_json(path: Path) -> dict[str, Any]:
    """A JSON file → its object, or a StoreError naming the file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StoreError(path, f"cannot read revision metadata ({exc})", RERUN) from exc
    if not isinstance(data, dict):
        raise StoreError(path, "revision metadata is not a JSON object", RERUN)
    return data


def _read_csv(path: Path) -> pd.DataFrame:
    """A stored CSV → a frame of text cells, blanks kept as ''."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise StoreError(path, f"cannot read stored table ({exc})", RERUN) from exc


def _parse_date(value: object, where: Path) -> date:
    """An ISO date string (or date) → a date, or a StoreError naming the file."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise StoreError(where, f"revision date {value!r} is not an ISO date", RERUN) from exc


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Frames → one frame (an empty one when there are none)."""
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _empty(model: Model) -> pd.DataFrame:
    """A model → an empty frame with its columns."""
    return pd.DataFrame({name: pd.Series([], dtype=object) for name in columns(model)})


# --------------------------------------------------------------------------- the tables (pure)


def store_to_tables(root: Path, roles: Roles | None = None) -> dict[str, pd.DataFrame]:
    """A store folder → every warehouse table, validated and sorted."""
    return frames_to_tables(read_store(Path(root)), roles if roles is not None else load_roles())


def frames_to_tables(store: StoreFrames, roles: Roles) -> dict[str, pd.DataFrame]:
    """Store frames → every warehouse table, validated and sorted."""
    dim_revision = revisions_to_dim_revision(store.revisions, store.activities)
    fact = activities_to_fact_responsibility(store.activities, roles)
    tables = {
        "dim_document": revisions_to_dim_document(store.revisions),
        "dim_revision": dim_revision,
        "dim_phase": fact_to_dim_phase(fact, dim_revision),
        "dim_activity": fact_to_dim_activity(fact, dim_revision),
        "dim_glossary": glossary_to_dim_glossary(store.glossary),
        "fact_responsibility": fact,
        "fact_change": changes_to_fact_change(store.changes),
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
    for document_id, group in _groups(revisions, R.document_id):
        ordered = group.sort_values(R.revision_date)
        dates = list(ordered[R.revision_date])
        for i, meta in enumerate(ordered.to_dict("records")):
            when = meta[R.revision_date]
            records.append(
                {
                    R.revision_key: revision_key(document_id, when),
                    R.document_id: document_id,
                    R.revision_date: when,
                    R.revision_label: _text(meta.get(R.revision_label)),
                    R.revision_date_source: _text(meta.get(R.revision_date_source)),
                    R.source_file: _text(meta.get(R.source_file)),
                    R.source_sha256: _text(meta.get(R.source_sha256)),
                    R.page_count: _count(meta.get(R.page_count)),
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
    for document_id, group in _groups(revisions, R.document_id):
        ordered = group.sort_values(R.revision_date)
        latest = ordered.iloc[-1]
        records.append(
            {
                D.document_id: document_id,
                D.title: _text(latest.get(D.title)),
                D.subtitle: _text(latest.get(D.subtitle)),
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
    for row in _rows(activities):
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
    for (document_id, phase), group in _groups(fact, [F.document_id, F.phase]):
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
    for (document_id, activity_id), rows in _record_groups(fact, [F.document_id, F.activity_id]):
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
    dates = {doc: sorted(g[R.revision_date]) for doc, g in _groups(dim_revision, R.document_id)}
    records: list[dict[str, Any]] = []
    for (document_id, activity_id), rows in _record_groups(fact, [F.document_id, F.activity_id]):
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


def changes_to_fact_change(changes: pd.DataFrame) -> pd.DataFrame:
    """Stored change lists (with document and pair dates) → fact_change."""
    C = FactChange
    text = [C.change, C.phase, C.activity, C.field, C.old, C.new, C.activity_id, C.summary]
    records = [
        {
            C.document_id: row[C.document_id],
            C.old_revision_date: row[C.old_revision_date],
            C.new_revision_date: row[C.new_revision_date],
            C.change_number: int(row[C.change_number]),
            **{name: _text(row.get(name)) for name in text},
            C.responsibility_change: _flag(row.get(C.responsibility_change)),
        }
        for row in _rows(changes)
    ]
    return records_to_frame(records, C)


def glossary_to_dim_glossary(glossary: pd.DataFrame) -> pd.DataFrame:
    """Stored glossaries (with document and date) → dim_glossary."""
    G = DimGlossary
    records = [{name: row[name] for name in columns(G)} for row in _rows(glossary)]
    return records_to_frame(records, G)


# --------------------------------------------------------------------------- frames and types


def records_to_frame(records: list[dict[str, Any]], model: Model) -> pd.DataFrame:
    """Row dicts → a frame with the model's columns, dtypes and sort order."""
    types = logical_types(model)
    data = {name: [r[name] for r in records] for name in types}
    frame = pd.DataFrame({name: _typed(values, types[name]) for name, values in data.items()})
    return frame.sort_values(sort_key(model), kind="stable", ignore_index=True)


def _typed(values: list[Any], logical: str) -> pd.Series:
    """Values and a logical type → a Series of the dtype the models check."""
    if logical == "string":
        return pd.Series(values, dtype="str")
    if logical == "integer":
        return pd.Series(values, dtype="int64")
    if logical == "number":
        return pd.Series(values, dtype="float64")
    if logical == "boolean":
        return pd.Series(values, dtype="bool")
    return pd.Series(values, dtype=object)


def validate_table(frame: pd.DataFrame, model: Model) -> pd.DataFrame:
    """A built table and its model → the table, or a StoreError listing every failure."""
    try:
        return model.validate(frame, lazy=True)
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases.head(5).to_dict("records")
        raise StoreError(
            None,
            f"table {model.__name__} breaks its contract: {cases}",
            "check the store for inconsistent revisions",
        ) from exc


def frame_to_arrow(frame: pd.DataFrame, model: Model) -> pa_arrow.Table:
    """A table and its model → an Arrow table with the model's types and no pandas metadata."""
    table = pa_arrow.Table.from_pandas(frame, schema=arrow_schema(model), preserve_index=False)
    return table.replace_schema_metadata(None)


def arrow_schema(model: Model) -> pa_arrow.Schema:
    """A model → the Arrow schema of its table."""
    cols = model.to_schema().columns
    return pa_arrow.schema(
        [
            pa_arrow.field(name, ARROW_TYPES[kind], nullable=cols[name].nullable)
            for name, kind in logical_types(model).items()
        ]
    )


def create_table_sql(name: str, model: Model) -> str:
    """A table name and model → CREATE TABLE IF NOT EXISTS (same text for DuckDB and PostgreSQL)."""
    cols = model.to_schema().columns
    lines = [
        f"{quote(col)} {SQL_TYPES[kind]}{'' if cols[col].nullable else ' NOT NULL'}"
        for col, kind in logical_types(model).items()
    ]
    lines.append(f"PRIMARY KEY ({', '.join(quote(c) for c in primary_key(model))})")
    body = ",\n  ".join(lines)
    return f"CREATE TABLE IF NOT EXISTS {quote(name)} (\n  {body}\n)"


def comment_sql(name: str, model: Model) -> list[str]:
    """A table name and model → COMMENT ON statements for the table and each column."""
    statements = [f"COMMENT ON TABLE {quote(name)} IS {literal(_doc(model))}"]
    for col, spec in model.to_schema().columns.items():
        statements.append(
            f"COMMENT ON COLUMN {quote(name)}.{quote(col)} IS {literal(spec.description or '')}"
        )
    return statements


def quote(identifier: str) -> str:
    """An identifier → the identifier double-quoted for SQL."""
    return '"' + identifier.replace('"', '""') + '"'


def literal(text: str) -> str:
    """Text → a single-quoted SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


# --------------------------------------------------------------------------- Data Package


def models_to_datapackage(tables: Mapping[str, Model]) -> dict[str, Any]:
    """Table models → a Frictionless Data Package v2 describing bi/<table>.parquet and .csv."""
    resources = []
    for name, model in tables.items():
        resources.append(_resource(name, model, "parquet"))
        resources.append(_resource(name, model, "csv"))
    return {
        "$schema": DATAPACKAGE_V2,
        "name": "jobaid-warehouse",
        "title": "Job aid responsibilities, every revision, as a star schema",
        "description": (
            "Who owns each activity of each job-aid revision (reseller vs direct), the changes "
            "between consecutive revisions and the activity history (SCD type 2). Each table is "
            "given twice: Parquet (resource <table>) and CSV (resource <table>-csv)."
        ),
        "resources": resources,
    }


def resource_name(table: str, fmt: str) -> str:
    """A table name and file format → its resource name in datapackage.json."""
    return table if fmt == "parquet" else f"{table}-{fmt}"


def _resource(name: str, model: Model, fmt: str) -> dict[str, Any]:
    """A table, its model and a file format → a Data Resource descriptor."""
    resource: dict[str, Any] = {
        "$schema": DATARESOURCE_V2,
        "name": resource_name(name, fmt),
        "type": "table",
        "path": f"{name}.{fmt}",
        "format": fmt,
        "mediatype": "application/vnd.apache.parquet" if fmt == "parquet" else "text/csv",
        "title": name,
        "description": _doc(model),
    }
    if fmt == "csv":
        resource["encoding"] = "utf-8"
        resource["dialect"] = {"$schema": TABLEDIALECT_V2, "header": True, "delimiter": ","}
    resource["schema"] = model_to_table_schema(model, fmt)
    return resource


def model_to_table_schema(model: Model, fmt: str = "parquet") -> dict[str, Any]:
    """A model → its Table Schema v2 (fields, primary key, foreign keys into `fmt` resources)."""
    enums = allowed_values(model)
    fields = []
    for name, spec in model.to_schema().columns.items():
        kind = logical_types(model)[name]
        descriptor: dict[str, Any] = {"name": name, "type": kind, "description": spec.description}
        constraints: dict[str, Any] = {"required": not spec.nullable}
        if spec.unique:
            constraints["unique"] = True
        if name in enums:
            constraints["enum"] = enums[name]
        descriptor["constraints"] = constraints
        if kind == "string" and not spec.nullable:
            descriptor["missingValues"] = []  # '' is a value here (a blank cell), not a null
        if kind == "boolean":
            descriptor["trueValues"], descriptor["falseValues"] = ["true"], ["false"]
        fields.append(descriptor)
    return {
        "$schema": TABLESCHEMA_V2,
        "fields": fields,
        "missingValues": [""],
        "primaryKey": primary_key(model),
        "foreignKeys": [
            {
                "fields": fk["fields"],
                "reference": {
                    "resource": resource_name(fk["reference"]["resource"], fmt),
                    "fields": fk["reference"]["fields"],
                },
            }
            for fk in foreign_keys(model)
        ],
    }


# --------------------------------------------------------------------------- writing


def build_warehouse(root: Path, roles: Roles | None = None) -> Summary:
    """A store folder → ROOT/warehouse.duckdb (swapped in whole) and ROOT/bi/ files; returns counts.

    The DuckDB file is written beside the old one and renamed over it, so readers of the old file
    are never blocked and never see a partial write; each BI file is replaced the same way.
    """
    root = Path(root)
    tables = store_to_tables(root, roles)
    arrow = {name: frame_to_arrow(tables[name], model) for name, model in TABLES.items()}
    bi_dir = root / BI_DIR
    bi_dir.mkdir(parents=True, exist_ok=True)
    contents: dict[str, bytes] = {}
    for name, table in arrow.items():
        contents[f"{name}.parquet"] = arrow_to_parquet_bytes(table)
        contents[f"{name}.csv"] = arrow_to_csv_bytes(table)
    package = json.dumps(models_to_datapackage(TABLES), indent=2, ensure_ascii=False) + "\n"
    contents[DATAPACKAGE_FILE] = package.encode("utf-8")
    write_files(bi_dir, contents)
    files = [bi_dir / name for name in contents]
    failpoint("warehouse-bi-written")
    database = arrow_to_duckdb(arrow, root / WAREHOUSE_FILE)
    counts = {name: table.num_rows for name, table in arrow.items()}
    return Summary(database=database, bi_dir=bi_dir, row_counts=counts, files=tuple(files))


def arrow_to_parquet_bytes(table: pa_arrow.Table) -> bytes:
    """An Arrow table → Parquet file bytes (same input, same bytes)."""
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd", write_statistics=True)
    return sink.getvalue()


def arrow_to_csv_bytes(table: pa_arrow.Table) -> bytes:
    """An Arrow table → CSV bytes: header, ISO dates, true/false, empty for null."""
    sink = io.BytesIO()
    options = pa_csv.WriteOptions(include_header=True, quoting_style="needed")
    pa_csv.write_csv(table, sink, write_options=options)
    return sink.getvalue()


def arrow_to_duckdb(tables: Mapping[str, pa_arrow.Table], path: Path) -> Path:
    """Arrow tables → a DuckDB file at `path`, written beside it and swapped in with os.replace."""
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    _remove(temp, temp.with_name(temp.name + ".wal"))
    try:
        con = duckdb.connect(str(temp))
        try:
            for name, model in TABLES.items():
                _load_table(con, name, model, tables[name])
            con.execute("CHECKPOINT")
        finally:
            con.close()
        fsync_path(temp)
        failpoint("warehouse-staged")
        os.replace(temp, path)
        fsync_dir(path.parent)
    except BaseException:
        _remove(temp, temp.with_name(temp.name + ".wal"))
        raise
    return path


def _load_table(con: duckdb.DuckDBPyConnection, name: str, model: Model, table: Any) -> None:
    """A DuckDB connection, table name, model and Arrow table → the table created and filled."""
    con.execute(create_table_sql(name, model))
    for statement in comment_sql(name, model):
        con.execute(statement)
    con.register("incoming", table)
    try:
        cols = ", ".join(quote(c) for c in columns(model))
        con.execute(f"INSERT INTO {quote(name)} ({cols}) SELECT {cols} FROM incoming")
    finally:
        con.unregister("incoming")


def _remove(*paths: Path) -> None:
    """Paths → each removed if it exists."""
    for path in paths:
        path.unlink(missing_ok=True)


# --------------------------------------------------------------------------- small helpers


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame → its rows as dicts."""
    return [] if frame.empty else frame.to_dict("records")


def _record_groups(frame: pd.DataFrame, by: list[str]) -> list[tuple[tuple[Any, ...], list[dict[str, Any]]]]:
    """A frame and key columns → (key, rows as dicts) pairs in key order, built in one pass."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in _rows(frame):
        groups.setdefault(tuple(row[name] for name in by), []).append(row)
    return sorted(groups.items(), key=lambda item: item[0])


def _groups(frame: pd.DataFrame, by: str | list[str]) -> Iterable[tuple[Any, pd.DataFrame]]:
    """A frame and key column(s) → (key, group) pairs in key order (none for an empty frame)."""
    return [] if frame.empty else frame.groupby(by, sort=True)


def _activity_counts(activities: pd.DataFrame) -> dict[tuple[str, date], int]:
    """Stored activities → the number of activities of each (document, revision date)."""
    F = FactResponsibility
    return {key: len(group) for key, group in _groups(activities, [F.document_id, F.revision_date])}


def _latest_dates(dim_revision: pd.DataFrame) -> dict[str, date]:
    """dim_revision → the latest revision date of each document."""
    R = DimRevision
    groups = _groups(dim_revision, R.document_id)
    return {doc: group[R.revision_date].max() for doc, group in groups}


def _cached_parser(roles: Roles) -> Callable[[str], Responsibility]:
    """Roles → an owner-cell parser that parses each distinct text once."""
    cache: dict[str, Responsibility] = {}

    def parse(text: str) -> Responsibility:
        if text not in cache:
            cache[text] = parse_owner_cell(text, roles)
        return cache[text]

    return parse


def _text(value: object) -> str:
    """A metadata or cell value → text ('' for missing)."""
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _count(value: object) -> int:
    """A metadata count (int, numeric text or missing) → an int (0 for missing)."""
    text = _text(value)
    return int(float(text)) if text else 0


def _flag(value: object) -> bool:
    """A stored flag (true/false, True/False, 1/0) → a bool."""
    return str(value).strip().lower() in {"true", "1", "yes"}


def _doc(model: Model) -> str:
    """A model → the first line of its docstring."""
    return (model.__doc__ or "").strip().splitlines()[0]
