"""Table models → a Frictionless Data Package v2 describing the Parquet and CSV files."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandera.pandas as pa

from pipeline.bi.sql import model_doc
from schemas.warehouse import allowed_values, foreign_keys, logical_types, primary_key

Model = type[pa.DataFrameModel]

DATAPACKAGE_FILE = "datapackage.json"
DATAPACKAGE_V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
DATARESOURCE_V2 = "https://datapackage.org/profiles/2.0/dataresource.json"
TABLESCHEMA_V2 = "https://datapackage.org/profiles/2.0/tableschema.json"
TABLEDIALECT_V2 = "https://datapackage.org/profiles/2.0/tabledialect.json"


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
            "Who owns each activity of each job-aid revision (reseller vs direct), each party's part "
            "(lead or support) per buying path, the parties, the changes between consecutive "
            "revisions and the activity history (SCD type 2). Each table is "
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
        "description": model_doc(model),
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
