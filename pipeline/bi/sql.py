"""Table models → SQL: CREATE TABLE and COMMENT statements, quoting, shared by DuckDB and PostgreSQL."""

from __future__ import annotations

import pandera.pandas as pa

from schemas.warehouse import logical_types, primary_key

Model = type[pa.DataFrameModel]

#: SQL type of each logical type; the same names work in DuckDB and PostgreSQL.
SQL_TYPES = {
    "string": "TEXT",
    "integer": "BIGINT",
    "number": "DOUBLE PRECISION",
    "boolean": "BOOLEAN",
    "date": "DATE",
}

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
    statements = [f"COMMENT ON TABLE {quote(name)} IS {literal(model_doc(model))}"]
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


def model_doc(model: Model) -> str:
    """A model → the first line of its docstring."""
    return (model.__doc__ or "").strip().splitlines()[0]
