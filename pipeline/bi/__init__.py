"""BI: stored revisions → star-schema tables (pure), written as Parquet, CSV, DuckDB, a data package, PostgreSQL."""
