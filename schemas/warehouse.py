"""The BI contract: a star schema over every stored revision, one pandera model per table.

Each model says its table's primary key and foreign keys in `Config.metadata`; the DuckDB and
PostgreSQL tables, the Parquet/CSV types and `datapackage.json` are all generated from these models.
Every table carries `document_id`, the scope that an export replaces as a whole.
"""

from __future__ import annotations

from typing import Any

import pandera.dtypes as pdt
import pandera.pandas as pa
from pandera.engines import pandas_engine
from pandera.typing import Series

from schemas.activities import SELF_SERVICE_STATUSES

CHANGE_KINDS = ("added", "removed", "reworded", "moved", "modified", "phase_renamed")
#: The buying paths of fact_involvement, and the parts a party can take on one.
PATHS = ("self_service", "reseller", "direct")
ROLES = ("lead", "support")
PARTY_KINDS = ("account team", "partner", "customer", "service desk", "on-site service", "portal")
#: Separates the parts of a composite text key (`revision_key`, `phase_key`) and listed parties.
KEY_SEPARATOR = "|"
PARTY_SEPARATOR = ";"

Date = pandas_engine.Date


def _fk(fields: list[str], resource: str, ref_fields: list[str]) -> dict[str, Any]:
    """Foreign key fields and the table/fields they point to → one foreign-key descriptor."""
    return {"fields": fields, "reference": {"resource": resource, "fields": ref_fields}}


_DOCUMENT_FK = _fk(["document_id"], "dim_document", ["document_id"])


class DimDocument(pa.DataFrameModel):
    """One job aid (a document family that is revised over time)."""

    document_id: Series[str] = pa.Field(unique=True, description="Stable id of the job aid.")
    title: Series[str] = pa.Field(description="Title as printed on the latest revision.")
    subtitle: Series[str] = pa.Field(description="Subtitle of the latest revision ('' if none).")
    first_revision_date: Series[Date] = pa.Field(description="Date of the earliest revision.")
    latest_revision_date: Series[Date] = pa.Field(description="Date of the latest revision.")
    revision_count: Series[int] = pa.Field(ge=1, description="How many revisions are stored.")

    class Config:
        strict = True
        ordered = True
        metadata = {"primary_key": ["document_id"], "foreign_keys": []}


class DimRevision(pa.DataFrameModel):
    """One stored revision of a job aid."""

    revision_key: Series[str] = pa.Field(
        unique=True, description="document_id|revision_date: the key facts refer to."
    )
    document_id: Series[str] = pa.Field(description="The job aid this is a revision of.")
    revision_date: Series[Date] = pa.Field(description="Revision date (from the revision label).")
    revision_label: Series[str] = pa.Field(description="Revision label as printed, e.g. 10Feb20.")
    revision_date_source: Series[str] = pa.Field(
        description="Where revision_date was read from (e.g. the printed label)."
    )
    source_file: Series[str] = pa.Field(description="File name of the PDF the revision came from.")
    source_sha256: Series[str] = pa.Field(description="SHA-256 of the source PDF.")
    page_count: Series[int] = pa.Field(ge=0, description="Pages in the source PDF.")
    activity_count: Series[int] = pa.Field(ge=0, description="Activities in this revision.")
    is_latest: Series[bool] = pa.Field(description="True for the newest revision of the job aid.")
    previous_revision_date: Series[Date] = pa.Field(
        nullable=True, description="Date of the revision before this one (empty for the first)."
    )

    class Config:
        strict = True
        ordered = True
        unique = ["document_id", "revision_date"]
        metadata = {"primary_key": ["revision_key"], "foreign_keys": [_DOCUMENT_FK]}


class DimPhase(pa.DataFrameModel):
    """One phase heading of a job aid, over the revisions it appears in."""

    phase_key: Series[str] = pa.Field(unique=True, description="document_id|phase.")
    document_id: Series[str] = pa.Field(description="The job aid the phase belongs to.")
    phase: Series[str] = pa.Field(description="Phase heading as printed.")
    first_seen: Series[Date] = pa.Field(description="First revision date it appears in.")
    last_seen: Series[Date] = pa.Field(description="Last revision date it appears in.")
    is_current: Series[bool] = pa.Field(description="True if the latest revision has this phase.")

    class Config:
        strict = True
        ordered = True
        unique = ["document_id", "phase"]
        metadata = {"primary_key": ["phase_key"], "foreign_keys": [_DOCUMENT_FK]}


class DimActivity(pa.DataFrameModel):
    """One activity (stable across rewordings and moves), with its most recent text."""

    document_id: Series[str] = pa.Field(description="The job aid the activity belongs to.")
    activity_id: Series[str] = pa.Field(description="Stable id of the activity across revisions.")
    phase: Series[str] = pa.Field(description="Phase in the last revision it appears in.")
    activity: Series[str] = pa.Field(description="Activity text in the last revision it is in.")
    first_seen: Series[Date] = pa.Field(description="First revision date it appears in.")
    last_seen: Series[Date] = pa.Field(description="Last revision date it appears in.")
    is_current: Series[bool] = pa.Field(description="True if the latest revision has it.")

    class Config:
        strict = True
        ordered = True
        unique = ["document_id", "activity_id"]
        metadata = {"primary_key": ["document_id", "activity_id"], "foreign_keys": [_DOCUMENT_FK]}


class FactResponsibility(pa.DataFrameModel):
    """Who does one activity in one revision, as printed and as parsed parties."""

    revision_key: Series[str] = pa.Field(description="The revision (dim_revision).")
    document_id: Series[str] = pa.Field(description="The job aid.")
    revision_date: Series[Date] = pa.Field(description="Date of the revision.")
    activity_id: Series[str] = pa.Field(description="The activity (dim_activity).")
    phase: Series[str] = pa.Field(description="Phase heading the activity stands under.")
    activity: Series[str] = pa.Field(description="Activity text in this revision.")
    self_service: Series[str] = pa.Field(description="Self-service cell as printed ('' if blank).")
    reseller_owner: Series[str] = pa.Field(
        description="Cell for when the customer buys from a reseller, as printed."
    )
    direct_owner: Series[str] = pa.Field(
        description="Cell for when the customer buys direct, as printed."
    )
    self_service_status: Series[str] = pa.Field(
        isin=SELF_SERVICE_STATUSES, description="available, not_available or not_stated."
    )
    activity_order: Series[int] = pa.Field(
        ge=1, description="Position in the revision's table, from 1 ('order' in activities.csv)."
    )
    pages: Series[str] = pa.Field(description="Page or page range the row is printed on.")
    reseller_lead: Series[str] = pa.Field(
        nullable=True, description="Party that leads when bought from a reseller (empty if none)."
    )
    direct_lead: Series[str] = pa.Field(
        nullable=True, description="Party that leads when bought direct (empty if none)."
    )
    reseller_parties: Series[str] = pa.Field(
        description="Every party named in reseller_owner, ';'-separated, e.g. Reseller;EQIX AE."
    )
    direct_parties: Series[str] = pa.Field(
        description="Every party named in direct_owner, ';'-separated."
    )

    class Config:
        strict = True
        ordered = True
        unique = ["revision_key", "activity_id"]
        metadata = {
            "primary_key": ["revision_key", "activity_id"],
            "foreign_keys": [
                _fk(["revision_key"], "dim_revision", ["revision_key"]),
                _fk(["document_id", "activity_id"], "dim_activity", ["document_id", "activity_id"]),
            ],
            "sort_by": ["document_id", "revision_date", "activity_order"],
        }


class DimParty(pa.DataFrameModel):
    """One party (or the portal) a job aid can name, as described in schemas/profiles/roles.toml."""

    document_id: Series[str] = pa.Field(description="The job aid whose cells are read with this list.")
    party: Series[str] = pa.Field(description="Canonical name, e.g. CSM (what fact_involvement uses).")
    full_name: Series[str] = pa.Field(description="Full name, e.g. Equinix Customer Success Manager.")
    kind: Series[str] = pa.Field(
        isin=PARTY_KINDS,
        description="account team, partner, customer, service desk, on-site service or portal.",
    )
    does: Series[str] = pa.Field(description="What the role does, in one sentence.")
    aliases: Series[str] = pa.Field(description="How cells name it, ';'-separated.")

    class Config:
        strict = True
        ordered = True
        unique = ["document_id", "party"]
        metadata = {
            "primary_key": ["document_id", "party"],
            "foreign_keys": [_DOCUMENT_FK],
            "sort_by": ["document_id", "party"],
        }


class FactInvolvement(pa.DataFrameModel):
    """One party's part (lead or support) in one activity on one buying path of one revision."""

    revision_key: Series[str] = pa.Field(description="The revision (dim_revision).")
    document_id: Series[str] = pa.Field(description="The job aid.")
    revision_date: Series[Date] = pa.Field(description="Date of the revision.")
    activity_id: Series[str] = pa.Field(description="The activity (dim_activity).")
    activity: Series[str] = pa.Field(description="Activity text in this revision.")
    phase: Series[str] = pa.Field(description="Phase heading the activity stands under.")
    path: Series[str] = pa.Field(
        isin=PATHS, description="self_service, reseller or direct: the cell the part is read from."
    )
    party: Series[str] = pa.Field(description="The party (dim_party).")
    role: Series[str] = pa.Field(isin=ROLES, description="lead or support.")
    activity_order: Series[int] = pa.Field(
        ge=1, description="Position of the activity in the revision's table, from 1."
    )

    class Config:
        strict = True
        ordered = True
        unique = ["revision_key", "activity_id", "path", "party"]
        metadata = {
            "primary_key": ["revision_key", "activity_id", "path", "party"],
            "foreign_keys": [
                _fk(["revision_key"], "dim_revision", ["revision_key"]),
                _fk(["document_id", "activity_id"], "dim_activity", ["document_id", "activity_id"]),
                _fk(["document_id", "party"], "dim_party", ["document_id", "party"]),
            ],
            "sort_by": ["document_id", "revision_date", "activity_order", "path", "role", "party"],
        }


class FactChange(pa.DataFrameModel):
    """One change between two consecutive revisions of a job aid."""

    document_id: Series[str] = pa.Field(description="The job aid.")
    old_revision_date: Series[Date] = pa.Field(description="Date of the older revision.")
    new_revision_date: Series[Date] = pa.Field(description="Date of the newer revision.")
    change_number: Series[int] = pa.Field(ge=1, description="Row number in the pair's change list.")
    change: Series[str] = pa.Field(
        isin=CHANGE_KINDS,
        description="added, removed, reworded, moved, modified or phase_renamed.",
    )
    phase: Series[str] = pa.Field(description="Phase of the activity (new phase when moved).")
    activity: Series[str] = pa.Field(description="Activity text ('' for phase_renamed).")
    field: Series[str] = pa.Field(description="Column that changed, for modified ('' otherwise).")
    old: Series[str] = pa.Field(description="Old value (text, phase or cell).")
    new: Series[str] = pa.Field(description="New value (text, phase or cell).")
    activity_id: Series[str] = pa.Field(description="The activity ('' for phase_renamed).")
    responsibility_change: Series[bool] = pa.Field(
        description="True when a party gained or lost the lead or a supporting part."
    )
    summary: Series[str] = pa.Field(description="One-sentence summary of the change.")
    lead_gained: Series[str] = pa.Field(
        description="Parties that now lead (path:party, ';'-separated, e.g. reseller:EQIX AE)."
    )
    lead_lost: Series[str] = pa.Field(description="Parties that no longer lead (path:party).")
    support_gained: Series[str] = pa.Field(description="Parties that now support (path:party).")
    support_lost: Series[str] = pa.Field(description="Parties that no longer support (path:party).")

    class Config:
        strict = True
        ordered = True
        unique = ["document_id", "old_revision_date", "new_revision_date", "change_number"]
        metadata = {
            "primary_key": [
                "document_id", "old_revision_date", "new_revision_date", "change_number"
            ],
            "foreign_keys": [_DOCUMENT_FK],
        }


class DimGlossary(pa.DataFrameModel):
    """One term defined by one revision ("Terms used in this Document")."""

    document_id: Series[str] = pa.Field(description="The job aid.")
    revision_date: Series[Date] = pa.Field(description="The revision that defines the term.")
    term: Series[str] = pa.Field(description="The term, e.g. CSM.")
    definition: Series[str] = pa.Field(description="Its definition as printed.")

    class Config:
        strict = True
        ordered = True
        unique = ["document_id", "revision_date", "term"]
        metadata = {
            "primary_key": ["document_id", "revision_date", "term"],
            "foreign_keys": [_DOCUMENT_FK],
        }


class ActivityHistory(pa.DataFrameModel):
    """One version of an activity (slowly changing dimension, type 2)."""

    document_id: Series[str] = pa.Field(description="The job aid.")
    activity_id: Series[str] = pa.Field(description="The activity (dim_activity).")
    phase: Series[str] = pa.Field(description="Phase in this version.")
    activity: Series[str] = pa.Field(description="Activity text in this version.")
    self_service: Series[str] = pa.Field(description="Self-service cell in this version.")
    reseller_owner: Series[str] = pa.Field(description="Reseller cell in this version.")
    direct_owner: Series[str] = pa.Field(description="Direct cell in this version.")
    valid_from: Series[Date] = pa.Field(description="Revision date this version first appears in.")
    valid_to: Series[Date] = pa.Field(
        nullable=True,
        description="Revision date that replaced or removed it (exclusive; empty if current).",
    )
    is_current: Series[bool] = pa.Field(description="True if the latest revision has this version.")

    class Config:
        strict = True
        ordered = True
        unique = ["document_id", "activity_id", "valid_from"]
        metadata = {
            "primary_key": ["document_id", "activity_id", "valid_from"],
            "foreign_keys": [
                _fk(["document_id", "activity_id"], "dim_activity", ["document_id", "activity_id"])
            ],
        }


#: Every table of the warehouse, parents before children.
TABLES: dict[str, type[pa.DataFrameModel]] = {
    "dim_document": DimDocument,
    "dim_revision": DimRevision,
    "dim_phase": DimPhase,
    "dim_activity": DimActivity,
    "dim_glossary": DimGlossary,
    "dim_party": DimParty,
    "fact_responsibility": FactResponsibility,
    "fact_involvement": FactInvolvement,
    "fact_change": FactChange,
    "activity_history": ActivityHistory,
}

#: The scope column every table has: an export replaces the rows of the documents it carries.
SCOPE_COLUMN = "document_id"


def columns(model: type[pa.DataFrameModel]) -> list[str]:
    """A model → its column names, in order."""
    return list(model.to_schema().columns)


def primary_key(model: type[pa.DataFrameModel]) -> list[str]:
    """A model → the columns of its primary key."""
    return list(_table_metadata(model)["primary_key"])


def foreign_keys(model: type[pa.DataFrameModel]) -> list[dict[str, Any]]:
    """A model → its foreign-key descriptors (fields, reference resource and fields)."""
    return list(_table_metadata(model)["foreign_keys"])


def sort_key(model: type[pa.DataFrameModel]) -> list[str]:
    """A model → the columns its rows are sorted by (the primary key unless it says otherwise)."""
    return list(_table_metadata(model).get("sort_by", primary_key(model)))


def logical_types(model: type[pa.DataFrameModel]) -> dict[str, str]:
    """A model → each column's logical type: string, integer, number, boolean or date."""
    return {name: _logical_type(col.dtype) for name, col in model.to_schema().columns.items()}


def allowed_values(model: type[pa.DataFrameModel]) -> dict[str, list[str]]:
    """A model → the allowed values of each column that has an `isin` check."""
    found: dict[str, list[str]] = {}
    for name, col in model.to_schema().columns.items():
        for check in col.checks:
            if check.name == "isin":
                found[name] = list(check.statistics["allowed_values"])
    return found


def _table_metadata(model: type[pa.DataFrameModel]) -> dict[str, Any]:
    """A model → the table-level metadata of its Config."""
    return dict(model.get_metadata()[model.__name__]["dataframe"])


def _logical_type(dtype: Any) -> str:
    """A pandera dtype → the logical type the warehouse uses for it."""
    if isinstance(dtype, pdt.Date):
        return "date"
    if pdt.is_bool(dtype):
        return "boolean"
    if pdt.is_int(dtype) or pdt.is_uint(dtype):
        return "integer"
    if pdt.is_float(dtype):
        return "number"
    if pdt.is_string(dtype):
        return "string"
    raise TypeError(f"no logical type for pandera dtype {dtype!r}")
