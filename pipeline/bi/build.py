"""A store folder → every BI table, written as DuckDB, Parquet, CSV and a data package."""

from __future__ import annotations

import functools
import itertools
import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import BinaryIO

import pandas as pd
import pyarrow as pa_arrow

from pipeline.bi.database import parquet_to_duckdb
from pipeline.bi.datapackage import DATAPACKAGE_FILE, models_to_datapackage
from pipeline.bi.formats import arrow_schema, write_csv, write_parquet
from pipeline.bi.frontpage import INDEX_FILE, document_rows, document_sections, index_html_pieces
from pipeline.bi.matrix import MATRIX_DIR, MATRIX_SUFFIXES, matrix_files, matrix_name
from pipeline.bi.records import model_sort_key
from pipeline.bi.spool import TableSpool
from pipeline.bi.tables import frames_to_tables
from pipeline.bi.update import (
    BUILD_FILE,
    SECTIONS_DIR,
    KeptRows,
    LastBuildUnreadable,
    Previous,
    Update,
    build_record,
    plan_update,
    read_previous,
    run_update,
    section_name,
    sort_rows,
    split_update,
)
from pipeline.errors import writes_to
from pipeline.read.responsibility import Roles, load_roles
from pipeline.store.files import (
    BI_DIR,
    WAREHOUSE_FILE,
    failpoint,
    replace_folder,
    staging_dir,
    write_file_with,
    write_files,
)
from pipeline.store.frames import Fingerprints, read_store, store_fingerprints
from pipeline.store.removal import remove_folder
from schemas.warehouse import TABLES

#: Revisions whose BI rows are computed together (whole documents, so a part may hold more): the build holds
#: one part's rows at a time, and one table's when it writes it, so its memory stays flat in the store's size.
REVISIONS_PER_PART = 32
#: The staging folder's subfolder for the spooled parts.
SPOOL_DIR = "spool"
#: The spool's file of the front page's sections, and the characters of it copied at a time.
SECTIONS_FILE = "index-sections.html"
PIECE = 1 << 16


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
    ways give the same files. The rows are computed a few documents at a time and kept on disk until each
    table is written whole, so the memory a build needs does not grow with the number of documents beyond
    one table's rows. The DuckDB file is filled from the Parquet files, written beside the old one and renamed
    over it, so readers of the old file are never blocked and never see a partial write; the BI folder is
    written beside the old one and swapped in whole. A failed write leaves the old files and becomes a
    StoreError naming what failed.
    """
    root = Path(root)
    roles = roles if roles is not None else load_roles()
    fingerprints = store_fingerprints(root)
    previous = None if full else read_previous(root / BI_DIR, roles)
    try:
        return _build(root, roles, fingerprints, previous)
    except LastBuildUnreadable:
        return _build(root, roles, fingerprints, None)


def _build(root: Path, roles: Roles, fingerprints: Fingerprints, previous: Previous | None) -> Summary:
    """A store folder, its fingerprints and the last build (None: none reused) → the build written; its counts."""
    bi_dir = root / BI_DIR
    plan = plan_update(fingerprints, previous)
    kept = [matrix_name(doc, when) + suffix for doc, when in sorted(plan.kept_revisions)
            for suffix in MATRIX_SUFFIXES]
    with writes_to(bi_dir):
        work_root = staging_dir(root)
    try:
        with writes_to(bi_dir):
            staged = work_root / BI_DIR  # made by mkdir, so it gets the usual permissions (mkdtemp's are 0700)
            staged.mkdir()
            (staged / MATRIX_DIR).mkdir()
            (staged / SECTIONS_DIR).mkdir()
            with TableSpool(work_root / SPOOL_DIR) as spool:
                matrices = spool_parts(root, plan, previous, roles, spool, staged)
                counts = write_tables(spool, staged)
            write_files(staged, {DATAPACKAGE_FILE: datapackage_bytes(), BUILD_FILE: build_record(fingerprints, roles)})
            link_files(bi_dir / MATRIX_DIR, staged / MATRIX_DIR, kept)
            replace_folder(staged, bi_dir)
        with writes_to(root):
            index_file = write_index(root, spool)
    finally:
        remove_folder(work_root)
    files = [bi_dir / f"{name}{suffix}" for name in TABLES for suffix in (".parquet", ".csv")]
    files += [bi_dir / DATAPACKAGE_FILE]
    files += [bi_dir / MATRIX_DIR / name for name in sorted([*matrices, *kept])]
    with writes_to(root / WAREHOUSE_FILE):
        failpoint("warehouse-bi-written")
        database = parquet_to_duckdb(bi_dir, root / WAREHOUSE_FILE)
    return Summary(database=database, bi_dir=bi_dir, row_counts=counts, files=(*files, index_file))


def spool_parts(
    root: Path, plan: Update, previous: Previous | None, roles: Roles, spool: TableSpool, staged: Path
) -> list[str]:
    """A planned update → its tables computed a few documents at a time and spooled, the matrices of recomputed
    revisions written to the staged BI folder's MATRIX_DIR, each document's front-page section to its SECTIONS_DIR
    and appended to the spool's SECTIONS_FILE; returns the matrix names.

    Parts in a row none of whose documents changed take the last build's rows (see `KeptRows`) and sections (linked)
    as they are: nothing of them is computed again."""
    parties = list(roles.canonical_parties)
    names: list[str] = []
    for unchanged, run in itertools.groupby(split_update(plan, REVISIONS_PER_PART), key=_unchanged):
        if unchanged and previous is not None:
            _spool_kept(previous, list(run), spool, staged)
            continue
        for part in run:
            update = run_update(root, part, previous, roles)
            spool.append(update.tables)
            rows = update.new_rows
            matrices = matrix_files(rows["dim_revision"], rows["fact_responsibility"], rows["fact_involvement"],
                                    parties)
            write_files(staged / MATRIX_DIR, matrices)
            names += matrices
            fresh = document_sections(update.tables, parties)
            write_files(staged / SECTIONS_DIR, {section_name(doc): text.encode("utf-8") for doc, text in fresh})
            with (spool.folder / SECTIONS_FILE).open("a", encoding="utf-8") as sections:
                sections.write("".join(text for _, text in fresh))
    return names


def _unchanged(part: Update) -> bool:
    """A part → whether it has documents and none of them changed."""
    return bool(part.kept_documents) and not part.selection.documents


def _spool_kept(previous: Previous, parts: list[Update], spool: TableSpool, staged: Path) -> None:
    """Parts in a row of unchanged documents → the last build's rows of each part spooled (one table at a time, so
    that one table's row groups are held), their sections linked into the staged SECTIONS_DIR and appended to the
    spool's SECTIONS_FILE, in document order."""
    kept_rows = KeptRows(previous.folder)
    documents: list[str] = []
    for name in TABLES:
        for part in parts:
            rows = kept_rows.rows_of(name, part.kept_documents)
            spool.append({name: rows})
            if name == "dim_document":
                documents += [str(doc) for doc in rows["document_id"].to_pylist()]
    del kept_rows
    kept = [section_name(doc) for doc in documents]
    link_files(previous.folder / SECTIONS_DIR, staged / SECTIONS_DIR, kept)
    with (spool.folder / SECTIONS_FILE).open("a", encoding="utf-8") as sections:
        for name in kept:
            sections.write((staged / SECTIONS_DIR / name).read_bytes().decode("utf-8"))


def write_tables(spool: TableSpool, folder: Path) -> dict[str, int]:
    """Spooled tables → each written to `folder` as Parquet and CSV, one table at a time, in the model's order;
    their row counts.

    A table whose parts follow each other in order is streamed from the spool batch by batch; one whose parts do
    not (a document id that begins another sorts after it by revision key) is read back whole and sorted.
    """
    for name, model in TABLES.items():
        rows: Callable[[], Iterable[pa_arrow.RecordBatch]] = functools.partial(spool.batches, name)
        if not spool.in_order[name]:
            rows = sort_rows(spool.read(name), model_sort_key(model)).to_batches
        _write_table(folder, name, arrow_schema(model), rows)
        del rows
        pa_arrow.default_memory_pool().release_unused()  # the next table, and DuckDB, reuse what this one held
    return dict(spool.rows)


def _write_table(folder: Path, name: str, schema: pa_arrow.Schema,
                 rows: Callable[[], Iterable[pa_arrow.RecordBatch]]) -> None:
    """A table's name, schema and a source of its rows in order (read once per file) → its Parquet and CSV files."""
    write_file_with(folder, f"{name}.parquet", lambda sink: write_parquet(rows(), schema, sink), sync_dir=False)
    write_file_with(folder, f"{name}.csv", lambda sink: write_csv(rows(), schema, sink), sync_dir=False)


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


def write_index(root: Path, spool: TableSpool) -> Path:
    """The spooled tables and sections → ROOT/index.html, the store's front page, written atomically."""

    def fill(handle: BinaryIO) -> None:
        rows = (document_rows(batch.to_pylist()) for batch in spool.batches("dim_document"))
        with (spool.folder / SECTIONS_FILE).open(encoding="utf-8") as sections:
            pieces = iter(functools.partial(sections.read, PIECE), "")
            for piece in index_html_pieces(spool.rows["dim_document"], spool.rows["dim_revision"], rows, pieces):
                handle.write(piece.encode("utf-8"))

    write_file_with(root, INDEX_FILE, fill)
    return root / INDEX_FILE
