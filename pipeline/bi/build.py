"""A store folder → every BI table, written as DuckDB, Parquet, CSV and a data package."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.bi.database import arrow_to_duckdb
from pipeline.bi.datapackage import DATAPACKAGE_FILE, models_to_datapackage
from pipeline.bi.formats import arrow_to_csv_bytes, arrow_to_parquet_bytes, frame_to_arrow
from pipeline.bi.frontpage import INDEX_FILE, tables_to_index_html
from pipeline.bi.matrix import MATRIX_DIR, matrix_files
from pipeline.bi.tables import frames_to_tables
from pipeline.errors import writes_to
from pipeline.read.responsibility import Roles, load_roles
from pipeline.store.files import BI_DIR, WAREHOUSE_FILE, failpoint, replace_folder, staging_dir, write_files
from pipeline.store.frames import read_store
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


def build_warehouse(root: Path, roles: Roles | None = None) -> Summary:
    """A store folder → ROOT/warehouse.duckdb (swapped in whole) and ROOT/bi/ files; returns counts.

    The DuckDB file is written beside the old one and renamed over it, so readers of the old file
    are never blocked and never see a partial write; the BI folder is written beside the old one and
    swapped in whole. A failed write leaves the old files and becomes a StoreError naming what failed.
    """
    root = Path(root)
    roles = roles if roles is not None else load_roles()
    tables = store_to_tables(root, roles)
    arrow = {name: frame_to_arrow(tables[name], model) for name, model in TABLES.items()}
    bi_dir = root / BI_DIR
    contents: dict[str, bytes] = {}
    for name, table in arrow.items():
        contents[f"{name}.parquet"] = arrow_to_parquet_bytes(table)
        contents[f"{name}.csv"] = arrow_to_csv_bytes(table)
    package = json.dumps(models_to_datapackage(TABLES), indent=2, ensure_ascii=False) + "\n"
    contents[DATAPACKAGE_FILE] = package.encode("utf-8")
    parties = list(roles.canonical_parties)
    matrices = matrix_files(tables, parties)
    with writes_to(bi_dir):
        work_root = staging_dir(root)
        try:
            staged = work_root / BI_DIR  # made by mkdir, so it gets the usual permissions (mkdtemp's are 0700)
            staged.mkdir()
            write_files(staged, contents)
            (staged / MATRIX_DIR).mkdir()
            write_files(staged / MATRIX_DIR, matrices)
            replace_folder(staged, bi_dir)
        finally:
            shutil.rmtree(work_root, ignore_errors=True)
    files = [bi_dir / name for name in contents] + [bi_dir / MATRIX_DIR / name for name in matrices]
    with writes_to(root):
        index = write_index(root, tables, parties)
    with writes_to(root / WAREHOUSE_FILE):
        failpoint("warehouse-bi-written")
        database = arrow_to_duckdb(arrow, root / WAREHOUSE_FILE)
    counts = {name: table.num_rows for name, table in arrow.items()}
    return Summary(database=database, bi_dir=bi_dir, row_counts=counts, files=(*files, index))


def write_index(root: Path, tables: dict[str, pd.DataFrame], parties: list[str]) -> Path:
    """BI tables → ROOT/index.html, the store's front page, written atomically."""
    write_files(root, {INDEX_FILE: tables_to_index_html(tables, parties).encode("utf-8")})
    return root / INDEX_FILE
