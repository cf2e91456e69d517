"""A store folder → every BI table, written as DuckDB, Parquet, CSV and a data package."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd
import pyarrow as pa_arrow

from pipeline.bi.database import arrow_to_duckdb
from pipeline.bi.datapackage import DATAPACKAGE_FILE, models_to_datapackage
from pipeline.bi.formats import arrow_to_csv_bytes, arrow_to_parquet_bytes
from pipeline.bi.frontpage import INDEX_FILE, tables_to_index_html
from pipeline.bi.matrix import MATRIX_DIR, MATRIX_SUFFIXES, matrix_files, matrix_name
from pipeline.bi.tables import frames_to_tables
from pipeline.bi.update import BUILD_FILE, build_record, plan_update, read_previous, run_update
from pipeline.errors import writes_to
from pipeline.read.responsibility import Roles, load_roles
from pipeline.store.files import BI_DIR, WAREHOUSE_FILE, failpoint, replace_folder, staging_dir, write_files
from pipeline.store.frames import read_store, store_fingerprints
from schemas.warehouse import TABLES


@dataclass(frozen=True)
class Summary:
    """What `build_warehouse` wrote: the database, the BI folder and the rows of each table."""

    database: Path
    bi_dir: Path
    row_counts: dict[str, int] = field(default_factory=dict)
    files: tuple[Path, ...] = ()


def store_to_tables(root: Path, roles: Roles | None = None) -> dict[str, pd.DataFrame]:
    """A store folder → every warehouse table, validated and sorted."""
    return frames_to_tables(read_store(Path(root)), roles if roles is not None else load_roles())


def build_warehouse(root: Path, roles: Roles | None = None, full: bool = False) -> Summary:
    """A store folder → ROOT/warehouse.duckdb (swapped in whole) and ROOT/bi/ files; returns counts.

    Only what changed since the last build is read again (see `pipeline.bi.update`); `full` ignores the
    last build, and so does a last build that is missing, unreadable or made by other code or roles: both
    ways give the same files. The DuckDB file is written beside the old one and renamed over it, so
    readers of the old file are never blocked and never see a partial write; the BI folder is written
    beside the old one and swapped in whole. A failed write leaves the old files and becomes a StoreError
    naming what failed.
    """
    root = Path(root)
    roles = roles if roles is not None else load_roles()
    bi_dir = root / BI_DIR
    fingerprints = store_fingerprints(root)
    previous = None if full else read_previous(bi_dir, roles)
    update = run_update(root, plan_update(fingerprints, previous), previous, roles)
    arrow = update.tables
    contents: dict[str, bytes] = {}
    for name, table in arrow.items():
        contents[f"{name}.parquet"] = arrow_to_parquet_bytes(table)
        contents[f"{name}.csv"] = arrow_to_csv_bytes(table)
    contents[DATAPACKAGE_FILE] = datapackage_bytes()
    contents[BUILD_FILE] = build_record(fingerprints, roles)
    parties = list(roles.canonical_parties)
    rows = update.new_rows
    matrices = matrix_files(rows["dim_revision"], rows["fact_responsibility"], rows["fact_involvement"], parties)
    kept = [matrix_name(doc, when) + suffix for doc, when in sorted(update.kept_revisions)
            for suffix in MATRIX_SUFFIXES]
    with writes_to(bi_dir):
        work_root = staging_dir(root)
        try:
            staged = work_root / BI_DIR  # made by mkdir, so it gets the usual permissions (mkdtemp's are 0700)
            staged.mkdir()
            write_files(staged, contents)
            (staged / MATRIX_DIR).mkdir()
            write_files(staged / MATRIX_DIR, matrices)
            link_files(bi_dir / MATRIX_DIR, staged / MATRIX_DIR, kept)
            replace_folder(staged, bi_dir)
        finally:
            shutil.rmtree(work_root, ignore_errors=True)
    files = [bi_dir / name for name in contents if name != BUILD_FILE]
    files += [bi_dir / MATRIX_DIR / name for name in sorted([*matrices, *kept])]
    with writes_to(root):
        index = write_index(root, arrow, parties)
    with writes_to(root / WAREHOUSE_FILE):
        failpoint("warehouse-bi-written")
        database = arrow_to_duckdb(arrow, root / WAREHOUSE_FILE)
    counts = {name: table.num_rows for name, table in arrow.items()}
    return Summary(database=database, bi_dir=bi_dir, row_counts=counts, files=(*files, index))


@cache
def datapackage_bytes() -> bytes:
    """The table models → the bytes of datapackage.json (the same for every build of this code)."""
    return (json.dumps(models_to_datapackage(TABLES), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def link_files(source: Path, target: Path, names: list[str]) -> None:
    """Files of the last build kept as they are → hard links in the staged folder (copies where links fail)."""
    for name in names:
        try:
            os.link(source / name, target / name)
        except OSError:
            shutil.copy2(source / name, target / name)


def write_index(root: Path, tables: dict[str, pa_arrow.Table], parties: list[str]) -> Path:
    """BI tables → ROOT/index.html, the store's front page, written atomically."""
    write_files(root, {INDEX_FILE: tables_to_index_html(tables, parties).encode("utf-8")})
    return root / INDEX_FILE
