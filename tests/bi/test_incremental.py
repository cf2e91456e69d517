"""Incremental BI builds: only what changed is rebuilt, and the result is the full build's, file for file."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline.bi import build, formats, update
from pipeline.bi.build import build_warehouse, store_to_tables
from pipeline.bi.formats import frame_to_arrow
from pipeline.bi.update import BUILD_FILE
from pipeline.read.responsibility import load_roles
from schemas.warehouse import TABLES
from tests.bi.test_warehouse import (
    A1,
    A3,
    A5,
    CHANGES,
    DOC,
    GLOSSARY,
    R1,
    R2,
    R3,
    REVISIONS,
    write_changes,
    write_fake_store,
    write_revision,
)

OTHER = "other-aid"


def snapshot(root: Path) -> dict[str, object]:
    """A built store → every BI file's bytes, the front page, and every DuckDB table's rows."""
    found: dict[str, object] = {
        str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "bi").rglob("*")) if p.is_file()
    }
    found["index.html"] = (root / "index.html").read_bytes()
    with duckdb.connect(str(root / "warehouse.duckdb"), read_only=True) as con:
        for name in TABLES:
            found[f"duckdb:{name}"] = con.execute(f'SELECT * FROM "{name}"').fetchall()
    return found


def full_build_of(root: Path, tmp_path: Path) -> dict[str, object]:
    """A store → the snapshot of a full build of a copy of it (the last build ignored)."""
    copy = tmp_path / "full"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy)
    shutil.rmtree(copy / "bi")
    build_warehouse(copy, full=True)
    return snapshot(copy)


def add_revision_3(root: Path) -> None:
    write_revision(root, DOC, R3, REVISIONS[R3], GLOSSARY[R3])
    write_changes(root, DOC, R2, R3, CHANGES[(R2, R3)])


def insert_revision_2(root: Path) -> None:
    write_revision(root, DOC, R2, REVISIONS[R2], GLOSSARY[R2])
    shutil.rmtree(root / DOC / "changes", ignore_errors=True)
    for (old, new), changes in CHANGES.items():
        write_changes(root, DOC, old, new, changes)


def reword_revision_2(root: Path) -> None:
    acts = [(*a[:2], a[2] + " (reworded)", *a[3:]) if a[0] == "a1" else a for a in REVISIONS[R2]]
    write_revision(root, DOC, R2, acts, GLOSSARY[R2])


def reassign_in_revision_2(root: Path) -> None:
    """a2's reseller cell in R2 gives the lead back to the reseller: the stored changes stay, their parts change."""
    acts = [(*a[:4], "Reseller leads the relationship.", *a[5:]) if a[0] == "a2" else a for a in REVISIONS[R2]]
    write_revision(root, DOC, R2, acts, GLOSSARY[R2])


def rewrite_changes_1_2(root: Path) -> None:
    write_changes(root, DOC, R1, R2, CHANGES[(R1, R2)][1:])


def add_other_document(root: Path) -> None:
    write_revision(root, OTHER, R1, [A1, A3], [])
    write_revision(root, OTHER, R2, [A1, A3, A5], [])


def remove_revision_3(root: Path) -> None:
    shutil.rmtree(root / DOC / R3.isoformat())
    shutil.rmtree(root / DOC / "changes" / f"{R2}__{R3}")


def remove_other_document(root: Path) -> None:
    shutil.rmtree(root / OTHER)


@pytest.mark.parametrize(
    ("start", "change"),
    [
        ({R1: REVISIONS[R1], R2: REVISIONS[R2]}, add_revision_3),
        ({R1: REVISIONS[R1], R3: REVISIONS[R3]}, insert_revision_2),
        (REVISIONS, reword_revision_2),
        (REVISIONS, reassign_in_revision_2),
        (REVISIONS, rewrite_changes_1_2),
        (REVISIONS, add_other_document),
        (REVISIONS, remove_revision_3),
    ],
    ids=["append", "insert", "rewrite", "reassign", "new-diff", "new-document", "remove"],
)
def test_an_incremental_build_gives_the_full_build(
    tmp_path: Path, start: dict, change: Callable[[Path], None]
) -> None:
    root = write_fake_store(tmp_path / "store", start)
    build_warehouse(root)
    change(root)
    build_warehouse(root)
    assert snapshot(root) == full_build_of(root, tmp_path)


def test_a_sequence_of_changes_keeps_giving_the_full_build(tmp_path: Path) -> None:
    root = write_fake_store(tmp_path / "store", {R1: REVISIONS[R1]})
    build_warehouse(root)
    for change in (add_other_document, insert_revision_2, add_revision_3, reword_revision_2,
                   reassign_in_revision_2, rewrite_changes_1_2, remove_other_document, remove_revision_3):
        change(root)
        build_warehouse(root)
        assert snapshot(root) == full_build_of(root, tmp_path), change.__name__
        reference = store_to_tables(root)  # the tables `jobaid export` and `jobaid who` read
        for name, model in TABLES.items():
            built = pq.read_table(root / "bi" / f"{name}.parquet")
            assert built.equals(frame_to_arrow(reference[name], model)), (change.__name__, name)


def test_only_the_changed_revisions_are_rebuilt(tmp_path: Path) -> None:
    root = write_fake_store(tmp_path / "store", {R1: REVISIONS[R1], R2: REVISIONS[R2]})
    add_other_document(root)
    build_warehouse(root)
    matrices = root / "bi" / "matrix"
    before = {p.name: p.stat().st_ino for p in matrices.iterdir()}
    add_revision_3(root)
    build_warehouse(root)
    after = {p.name: p.stat().st_ino for p in matrices.iterdir()}
    kept = {name for name in before if after.get(name) == before[name]}
    assert kept == set(before)  # every older matrix, of both documents, is the file the last build wrote
    assert set(after) - set(before) == {f"{DOC}__{R3}.csv", f"{DOC}__{R3}.html"}


def test_appending_a_revision_reads_only_the_revision_and_pair_rows_of_its_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The document-level tables of a changed document are computed again, so the last build's rows of them are
    not read: the work of appending a revision does not include reading every table's rows of its history."""
    root = write_fake_store(tmp_path / "store", {R1: REVISIONS[R1], R2: REVISIONS[R2]})
    add_other_document(root)
    build_warehouse(root)
    read: list[tuple[str, object]] = []
    real = update.pq.read_table

    def read_table(source: Path, *args: object, **kwargs: object) -> object:
        read.append((Path(source).stem, kwargs.get("filters")))
        return real(source, *args, **kwargs)

    monkeypatch.setattr(update.pq, "read_table", read_table)
    monkeypatch.setattr(build, "REVISIONS_PER_PART", 1)  # the other document is a part of its own
    add_revision_3(root)
    build_warehouse(root)
    of_doc = sorted(name for name, filters in read if filters == [("document_id", "in", [DOC])])
    assert of_doc == sorted([*update.REVISION_TABLES, *update.PAIR_TABLES])
    assert len(read) == len(of_doc)  # the other document's rows are copied from the files in one pass
    monkeypatch.setattr(build, "REVISIONS_PER_PART", 1000)
    assert snapshot(root) == full_build_of(root, tmp_path)


def test_only_the_changed_documents_front_page_sections_are_computed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document none of whose revisions changed keeps its front-page section: the last build's file, linked."""
    root = write_fake_store(tmp_path / "store", {R1: REVISIONS[R1], R2: REVISIONS[R2]})
    add_other_document(root)
    build_warehouse(root)
    sections = root / "bi" / update.SECTIONS_DIR
    before = {p.name: p.stat().st_ino for p in sections.iterdir()}
    computed: list[str] = []
    real = build.document_sections

    def document_sections(*args: object) -> list[tuple[str, str]]:
        found = real(*args)  # type: ignore[arg-type]
        computed.extend(doc for doc, _ in found)
        return found

    monkeypatch.setattr(build, "document_sections", document_sections)
    monkeypatch.setattr(build, "REVISIONS_PER_PART", 1)  # the other document is a part of its own
    add_revision_3(root)
    build_warehouse(root)
    assert computed == [DOC]
    after = {p.name: p.stat().st_ino for p in sections.iterdir()}
    assert set(after) == set(before) == {update.section_name(DOC), update.section_name(OTHER)}
    assert after[update.section_name(OTHER)] == before[update.section_name(OTHER)]
    assert after[update.section_name(DOC)] != before[update.section_name(DOC)]
    monkeypatch.setattr(build, "REVISIONS_PER_PART", 1000)
    assert snapshot(root) == full_build_of(root, tmp_path)


def _damage_pages(path: Path) -> None:
    """A Parquet file → the same file with its first pages overwritten (its footer still reads)."""
    data = bytearray(path.read_bytes())
    data[4:204] = b"\xff" * 200
    path.write_bytes(bytes(data))
    assert pq.read_schema(path) is not None


@pytest.mark.parametrize(
    "spoil",
    [
        lambda bi: (bi / BUILD_FILE).unlink(),
        lambda bi: (bi / BUILD_FILE).write_text("{not json", encoding="utf-8"),
        lambda bi: (bi / BUILD_FILE).write_text(
            json.dumps({**json.loads((bi / BUILD_FILE).read_text()), "made_by": "older code"}), encoding="utf-8"),
        lambda bi: (bi / "fact_involvement.parquet").write_bytes(b"not parquet"),
        lambda bi: shutil.rmtree(bi),
        lambda bi: (bi / "matrix" / f"{DOC}__{R1}.html").unlink(),
        lambda bi: _damage_pages(bi / "fact_involvement.parquet"),
        lambda bi: (bi / update.SECTIONS_DIR / update.section_name(DOC)).unlink(),
    ],
    ids=["no-record", "bad-record", "other-code", "bad-parquet", "no-bi-folder", "no-matrix", "bad-pages",
         "no-section"],
)
def test_a_last_build_that_cannot_be_trusted_is_not_reused(tmp_path: Path, spoil: Callable[[Path], None]) -> None:
    root = write_fake_store(tmp_path / "store", {R1: REVISIONS[R1], R2: REVISIONS[R2]})
    build_warehouse(root)
    spoil(root / "bi")
    add_revision_3(root)
    build_warehouse(root)
    assert snapshot(root) == full_build_of(root, tmp_path)


def test_other_roles_rebuild_everything(tmp_path: Path) -> None:
    root = write_fake_store(tmp_path / "store")
    build_warehouse(root)
    profile = (Path(__file__).parents[2] / "schemas" / "profiles" / "roles.toml").read_text(encoding="utf-8")
    renamed = tmp_path / "roles.toml"
    renamed.write_text(profile.replace('full_name = "Equinix Customer Success Manager"',
                                       'full_name = "Customer Success Manager (renamed)"'), encoding="utf-8")
    roles = load_roles(renamed)
    build_warehouse(root, roles)
    party = (root / "bi" / "dim_party.csv").read_text(encoding="utf-8")
    assert "Customer Success Manager (renamed)" in party and "Equinix Customer Success Manager" not in party


def test_a_build_in_parts_of_one_revision_gives_the_build_in_one_part(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows computed a few documents at a time are the rows of one pass, in the same order, whatever the part size;
    `other` and `other-aid` sort one way by document and the other way by revision key (`other-aid|…` < `other|…`)."""
    root = write_fake_store(tmp_path / "store", REVISIONS)
    add_other_document(root)
    write_revision(root, "other", R2, [A3, A5], [])
    monkeypatch.setattr(build, "REVISIONS_PER_PART", 1)
    build_warehouse(root, full=True)
    in_parts = snapshot(root)
    reference = store_to_tables(root)
    for name, model in TABLES.items():
        assert pq.read_table(root / "bi" / f"{name}.parquet").equals(frame_to_arrow(reference[name], model)), name
    monkeypatch.setattr(build, "REVISIONS_PER_PART", 1000)
    assert in_parts == full_build_of(root, tmp_path)
    monkeypatch.setattr(build, "REVISIONS_PER_PART", 1)
    reword_revision_2(root)
    build_warehouse(root)  # incremental, in parts
    monkeypatch.setattr(build, "REVISIONS_PER_PART", 1000)
    assert snapshot(root) == full_build_of(root, tmp_path)


def test_tables_in_several_row_groups_read_back_whole_and_in_order(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Parquet written a few rows at a time, from parts of one revision, holds the rows of one pass in their order,
    and the CSV, front page and DuckDB tables are those of a build in one row group."""
    root = write_fake_store(tmp_path / "store", REVISIONS)
    add_other_document(root)
    write_revision(root, "other", R2, [A3, A5], [])
    monkeypatch.setattr(build, "REVISIONS_PER_PART", 1)
    monkeypatch.setattr(formats, "ROW_GROUP_ROWS", 3)
    build_warehouse(root, full=True)
    in_groups = snapshot(root)
    reference = store_to_tables(root)
    for name, model in TABLES.items():
        parquet = pq.ParquetFile(root / "bi" / f"{name}.parquet")
        sizes = [parquet.metadata.row_group(i).num_rows for i in range(parquet.num_row_groups)]
        assert max(sizes, default=0) <= 3 and len(sizes) >= len(reference[name]) / 3, (name, sizes)
        assert parquet.read().equals(frame_to_arrow(reference[name], model)), name
    assert max(len(reference[name]) for name in TABLES) > 6  # some table really spans several groups
    monkeypatch.setattr(build, "REVISIONS_PER_PART", 1000)
    monkeypatch.setattr(formats, "ROW_GROUP_ROWS", 65536)
    whole = full_build_of(root, tmp_path)
    assert {k: v for k, v in in_groups.items() if not k.endswith(".parquet")} == \
        {k: v for k, v in whole.items() if not k.endswith(".parquet")}


def test_unchanged_documents_copied_from_files_of_many_row_groups_give_the_full_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rows of documents that did not change are read from the last build's row groups (some skipped by their
    document ids, some read and filtered, some held for the next part): with groups of three rows and parts of one
    revision, an incremental build is still the full one, byte for byte."""
    root = write_fake_store(tmp_path / "store", REVISIONS)
    add_other_document(root)
    write_revision(root, "other", R2, [A3, A5], [])
    write_revision(root, "zz-last", R1, [A1, A3], [])
    monkeypatch.setattr(formats, "ROW_GROUP_ROWS", 3)
    monkeypatch.setattr(build, "REVISIONS_PER_PART", 1)
    build_warehouse(root, full=True)
    reword_revision_2(root)
    build_warehouse(root)
    assert snapshot(root) == full_build_of(root, tmp_path)  # the same parts, so the same row groups
