"""The last build, the store's fingerprints and the roles → the BI tables, only what changed recomputed.

The last build is read back from its own output: the Parquet files in bi/ and `bi/.build.json`, which
records the digest of the files each revision and each consecutive pair was built from. A revision whose
digest is unchanged keeps its rows of the revision-level tables (fact_responsibility, fact_involvement,
dim_glossary) and its matrix files; a pair keeps its fact_change rows; a document none of whose revisions
or pairs changed keeps its rows of the document-level tables. Everything else is rebuilt from the store
by the same functions as a full build, so both give the same tables.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa_arrow
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline import __version__
from pipeline.bi.formats import arrow_schema, frame_to_arrow
from pipeline.bi.matrix import MATRIX_DIR, MATRIX_SUFFIXES, matrix_name
from pipeline.bi.records import model_sort_key, validate_table
from pipeline.bi.tables import (
    activities_to_fact_responsibility,
    changes_to_fact_change,
    fact_to_activity_history,
    fact_to_dim_activity,
    fact_to_dim_phase,
    fact_to_fact_involvement,
    glossary_to_dim_glossary,
    revisions_to_dim_document,
    revisions_to_dim_revision,
    roles_to_dim_party,
)
from pipeline.read.responsibility import Roles
from pipeline.store.frames import Fingerprints, PairKey, RevisionKey, Selection, read_store
from schemas.warehouse import KEY_SEPARATOR, TABLES

BUILD_FILE = ".build.json"
#: The folder in bi/ of each document's section of the front page, kept by the next build for documents that did
#: not change.
SECTIONS_DIR = ".sections"
#: Raised when what `bi/.build.json` records means something else: older builds are then not reused.
BUILD_FORMAT = 1
#: The tables whose rows belong to one revision, and the columns naming it.
REVISION_COLUMNS = ("document_id", "revision_date")
REVISION_TABLES = {"fact_responsibility": REVISION_COLUMNS, "fact_involvement": REVISION_COLUMNS,
                   "dim_glossary": REVISION_COLUMNS}
#: The table whose rows belong to one consecutive pair, and the columns naming it.
PAIR_TABLES = {"fact_change": ("document_id", "old_revision_date", "new_revision_date")}
#: The modules whose code shapes the rows: a change to any of them makes the last build unusable.
ROW_MODULES = (
    "pipeline.bi.tables", "pipeline.bi.records", "pipeline.bi.matrix", "pipeline.bi.formats", "pipeline.bi.frontpage",
    "pipeline.read.responsibility", "pipeline.read.involvement", "pipeline.read.roles",
    "pipeline.store.frames", "schemas.warehouse",
)


@dataclass(frozen=True)
class Previous:
    """The last build as found in bi/: what it was built from, and the folder of its tables."""

    fingerprints: Fingerprints
    folder: Path

    def rows_of(self, documents: Collection[str], kept: Collection[str] | None = None) -> dict[str, pa_arrow.Table]:
        """Some documents (and those of them whose document-level rows are kept; None: all) → each table's rows of
        them, read from its Parquet file: the revision and pair tables' rows of `documents`, the other tables'
        rows of `kept`, a table none of whose rows are wanted not read at all. The file's rows are sorted by
        document, so only the row groups that may hold them are read: the memory this takes does not grow with
        the store. A file found damaged now raises LastBuildUnreadable."""
        wanted = sorted(documents)
        whole = wanted if kept is None else sorted(kept)
        found: dict[str, pa_arrow.Table] = {}
        try:
            for name, model in TABLES.items():
                these = wanted if name in REVISION_TABLES or name in PAIR_TABLES else whole
                if these:
                    found[name] = pq.read_table(self.folder / f"{name}.parquet", schema=arrow_schema(model),
                                                filters=[("document_id", "in", these)])
        except (OSError, ValueError, pa_arrow.ArrowException) as error:
            raise LastBuildUnreadable(str(error)) from error
        return found


class KeptRows:
    """The last build's tables, read for parts of unchanged documents, one table at a time and the parts in document
    order: each file opened once, each row group decoded once and held only while the parts need it (a file's rows
    are sorted by document, so a part spans a row group or two). Far less than reading every file once per part,
    and the memory held stays that of a row group or two of one table."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._name = ""
        self._file: pq.ParquetFile | None = None
        self._ranges: list[tuple[Any, Any]] = []
        self._held: dict[int, pa_arrow.Table] = {}

    def rows_of(self, name: str, documents: Collection[str]) -> pa_arrow.Table:
        """A table's name and some documents (sorting after those of the last call for this table) → its rows of
        them, in the file's order, in one chunk, as `Previous.rows_of` and `sort_rows` give them. A damaged file
        raises LastBuildUnreadable."""
        schema = arrow_schema(TABLES[name])
        wanted = sorted(documents)
        if not wanted:
            return schema.empty_table()
        value_set = pa_arrow.array(wanted, pa_arrow.string())
        try:
            parquet = self._open(name)
            for index in [i for i in self._held if self._ranges[i][1] is not None and self._ranges[i][1] < wanted[0]]:
                del self._held[index]  # its documents all sort before these: no later part needs it
            pieces = []
            for index, (low, high) in enumerate(self._ranges):
                if low is not None and high is not None and (high < wanted[0] or low > wanted[-1]):
                    continue
                if index not in self._held:
                    self._held[index] = parquet.read_row_group(index).cast(schema)
                rows = self._held[index]
                pieces.append(rows.filter(pc.is_in(rows["document_id"], value_set=value_set)))
        except (OSError, ValueError, pa_arrow.ArrowException) as error:
            raise LastBuildUnreadable(str(error)) from error
        return (pa_arrow.concat_tables(pieces) if pieces else schema.empty_table()).combine_chunks()

    def _open(self, name: str) -> pq.ParquetFile:
        """A table's name → its open Parquet file, with the lowest and highest document id of each row group noted
        (None where there are no statistics); the last table's file and row groups let go."""
        if name != self._name or self._file is None:
            self._held = {}
            self._file = pq.ParquetFile(self.folder / f"{name}.parquet")
            self._name = name
            column = self._file.schema_arrow.get_field_index("document_id")
            self._ranges = []
            for index in range(self._file.num_row_groups):
                stats = self._file.metadata.row_group(index).column(column).statistics
                self._ranges.append((stats.min, stats.max) if stats is not None and stats.has_min_max else (None, None))
        return self._file


class LastBuildUnreadable(Exception):
    """A file of the last build, whose footer read well, could not be read: the build is made in full instead."""


@dataclass(frozen=True)
class Update:
    """What a build keeps and what it recomputes."""

    kept_revisions: frozenset[RevisionKey]
    kept_pairs: frozenset[PairKey]
    kept_documents: frozenset[str]
    selection: Selection
    #: every table, old rows kept and new rows merged, sorted as the model says
    tables: dict[str, pa_arrow.Table] = field(default_factory=dict)
    #: dim_revision, fact_responsibility and fact_involvement rows of the recomputed revisions
    new_rows: dict[str, pa_arrow.Table] = field(default_factory=dict)


def plan_update(current: Fingerprints, previous: Previous | None) -> Update:
    """The store's fingerprints and the last build (None: rebuild all) → what is kept and what is read again."""
    old = previous.fingerprints if previous is not None else Fingerprints()
    kept_revisions = frozenset(k for k, d in current.revisions.items() if old.revisions.get(k) == d)
    kept_pairs = frozenset(k for k, d in current.pairs.items() if old.pairs.get(k) == d)
    dates, old_dates = _dates_by_document(current), _dates_by_document(old)
    documents = set(dates)
    changed = {doc for doc in documents if dates[doc] != old_dates.get(doc)}  # new, added to or shortened
    changed |= {doc for doc, _ in set(current.revisions) - kept_revisions}
    changed |= {doc for doc, _, _ in set(current.pairs) - kept_pairs}
    selection = Selection(
        documents=frozenset(changed),
        revisions=frozenset(set(current.revisions) - kept_revisions),
        pairs=frozenset(set(current.pairs) - kept_pairs),
    )
    return Update(kept_revisions, kept_pairs, frozenset(documents - changed), selection)


def split_update(update: Update, revisions_per_part: int) -> list[Update]:
    """A planned update → the same plan cut into parts of whole documents, in document order, each with about
    `revisions_per_part` revisions (one document may exceed it); a plan with no documents stays one part."""
    revisions = update.kept_revisions | update.selection.revisions
    counts: dict[str, int] = {doc: 0 for doc in update.kept_documents | update.selection.documents}
    for document_id, _ in revisions:
        counts[document_id] = counts.get(document_id, 0) + 1
    parts: list[Update] = []
    chunk: set[str] = set()
    size = 0
    for document_id in sorted(counts):
        chunk.add(document_id)
        size += counts[document_id]
        if size >= revisions_per_part:
            parts.append(_part_of(update, frozenset(chunk)))
            chunk, size = set(), 0
    if chunk or not parts:
        parts.append(_part_of(update, frozenset(chunk)))
    return parts


def _part_of(update: Update, documents: frozenset[str]) -> Update:
    """A planned update and some of its documents → the plan for those documents only."""
    selection = update.selection
    return Update(
        kept_revisions=frozenset(k for k in update.kept_revisions if k[0] in documents),
        kept_pairs=frozenset(k for k in update.kept_pairs if k[0] in documents),
        kept_documents=update.kept_documents & documents,
        selection=Selection(
            documents=selection.documents & documents,
            revisions=frozenset(k for k in selection.revisions if k[0] in documents),
            pairs=frozenset(k for k in selection.pairs if k[0] in documents),
        ),
    )


def _dates_by_document(prints: Fingerprints) -> dict[str, set[date]]:
    """Fingerprints → the dates of each document's revisions."""
    found: dict[str, set[date]] = {}
    for document_id, when in prints.revisions:
        found.setdefault(document_id, set()).add(when)
    return found


def run_update(root: Path, update: Update, previous: Previous | None, roles: Roles) -> Update:
    """A planned update → the same update with every table (old rows kept, new rows merged) and the new rows."""
    store = read_store(root, update.selection)
    fact_new = activities_to_fact_responsibility(store.activities, roles)
    involvement_new = fact_to_fact_involvement(fact_new, roles)
    documents = update.kept_documents | update.selection.documents
    old = previous.rows_of(documents, update.kept_documents) if previous is not None else {}
    in_changed = _rows_of_documents(old, update.selection.documents, update.kept_revisions)
    fact = _concat(in_changed.get("fact_responsibility"), fact_new)
    involvement = _concat(in_changed.get("fact_involvement"), involvement_new)
    dim_revision = revisions_to_dim_revision(store.revisions, fact)
    new = {
        "dim_document": revisions_to_dim_document(store.revisions),
        "dim_revision": dim_revision,
        "dim_phase": fact_to_dim_phase(fact, dim_revision),
        "dim_activity": fact_to_dim_activity(fact, dim_revision),
        "dim_glossary": glossary_to_dim_glossary(store.glossary),
        "dim_party": roles_to_dim_party(sorted(update.selection.documents), roles),
        "fact_responsibility": fact_new,
        "fact_involvement": involvement_new,
        "fact_change": changes_to_fact_change(store.changes, _of_pairs(involvement, update.selection.pairs)),
        "activity_history": fact_to_activity_history(fact, dim_revision),
    }
    tables: dict[str, pa_arrow.Table] = {}
    added: dict[str, pa_arrow.Table] = {}
    for name, model in TABLES.items():
        frame = new[name] if new[name].empty else validate_table(new[name], model)
        added[name] = frame_to_arrow(frame, model)
        kept = _kept_rows(name, old.get(name), update)
        tables[name] = sort_rows(_concat_arrow(kept, added[name]), model_sort_key(model))
    revisions = added["dim_revision"]
    rows = {
        "dim_revision": revisions.filter(_key_mask(revisions, REVISION_COLUMNS, update.selection.revisions)),
        "fact_responsibility": added["fact_responsibility"],
        "fact_involvement": added["fact_involvement"],
    }
    return dataclasses.replace(update, tables=tables, new_rows=rows)


def _of_pairs(involvement: pd.DataFrame, pairs: Collection[PairKey]) -> pd.DataFrame:
    """fact_involvement rows → those of the revisions some pairs compare (all a pair's changes read)."""
    wanted = {(doc, when) for doc, old, new in pairs for when in (old, new)}
    if involvement.empty:
        return involvement
    dates = involvement[REVISION_COLUMNS[1]]
    near = involvement.loc[dates.isin({when for _, when in wanted})]  # few rows left to test one by one
    keys = zip(near[REVISION_COLUMNS[0]], near[REVISION_COLUMNS[1]], strict=True)
    return near.loc[[key in wanted for key in keys]]


def _rows_of_documents(
    tables: Mapping[str, pa_arrow.Table], documents: Collection[str], kept: Collection[RevisionKey]
) -> dict[str, pd.DataFrame]:
    """The last build's tables → the fact and involvement rows of the kept revisions of some documents."""
    wanted = {key for key in kept if key[0] in documents}
    found: dict[str, pd.DataFrame] = {}
    for name in ("fact_responsibility", "fact_involvement"):
        if name in tables and wanted:
            rows = tables[name].filter(_key_mask(tables[name], REVISION_TABLES[name], wanted))
            found[name] = rows.to_pandas()
    return found


def _kept_rows(name: str, table: pa_arrow.Table | None, update: Update) -> pa_arrow.Table | None:
    """A table of the last build → the rows of it this build keeps."""
    if table is None:
        return None
    if name in REVISION_TABLES:
        return table.filter(_key_mask(table, REVISION_TABLES[name], update.kept_revisions))
    if name in PAIR_TABLES:
        return table.filter(_key_mask(table, PAIR_TABLES[name], update.kept_pairs))
    documents = pa_arrow.array(sorted(update.kept_documents), pa_arrow.string())
    return table.filter(pc.is_in(table["document_id"], value_set=documents))


def _key_mask(table: pa_arrow.Table, key_columns: tuple[str, ...], keys: Collection[tuple[Any, ...]]) -> Any:
    """A table, the columns of a key and the keys wanted → a boolean mask of the rows with one of them."""
    joined = _joined(*(table[c] for c in key_columns))
    wanted = pa_arrow.array(sorted(KEY_SEPARATOR.join(str(part) for part in key) for key in keys), pa_arrow.string())
    return pc.is_in(joined, value_set=wanted)


def _joined(*columns: Any) -> Any:
    """Arrow columns → one text column, their values (dates as ISO text) joined by the key separator."""
    texts = [pc.cast(column, pa_arrow.string()) for column in columns]
    return pc.binary_join_element_wise(*texts, KEY_SEPARATOR)


def _concat(old: pd.DataFrame | None, new: pd.DataFrame) -> pd.DataFrame:
    """Rows kept from the last build (if any) and new rows → one frame."""
    if old is None or old.empty:
        return new
    return old if new.empty else pd.concat([old, new], ignore_index=True)


def _concat_arrow(old: pa_arrow.Table | None, new: pa_arrow.Table) -> pa_arrow.Table:
    """Rows kept from the last build (if any) and new rows → one Arrow table."""
    return new if old is None else pa_arrow.concat_tables([old, new])


def sort_rows(table: pa_arrow.Table, by: list[str]) -> pa_arrow.Table:
    """An Arrow table → its rows sorted by the given columns (as records_to_frame sorts a full build), in one chunk;
    rows already in order are not copied twice."""
    if not table.num_rows:
        return table
    order = pc.sort_indices(table, sort_keys=[(name, "ascending") for name in by])
    if not pc.all(pc.equal(order, pa_arrow.array(range(len(order)), order.type))).as_py():
        table = table.take(order)
    return table.combine_chunks()


# --------------------------------------------------------------------------- the last build, read back


def build_record(current: Fingerprints, roles: Roles) -> bytes:
    """The fingerprints a build was made from, and its roles → the bytes of `bi/.build.json`."""
    record = {
        "format": BUILD_FORMAT,
        "made_by": made_by(roles),
        "revisions": {_key_text(k): d for k, d in sorted(current.revisions.items())},
        "pairs": {_key_text(k): d for k, d in sorted(current.pairs.items())},
    }
    return (json.dumps(record, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def read_previous(bi_dir: Path, roles: Roles) -> Previous | None:
    """The BI folder → the last build, or None when there is none this code can reuse."""
    try:
        record = json.loads((bi_dir / BUILD_FILE).read_text(encoding="utf-8"))
        if record.get("format") != BUILD_FORMAT or record.get("made_by") != made_by(roles):
            return None
        prints = Fingerprints(
            revisions={_revision_key(k): d for k, d in record["revisions"].items()},
            pairs={_pair_key(k): d for k, d in record["pairs"].items()},
        )
        schemas = {name: pq.read_schema(bi_dir / f"{name}.parquet") for name in TABLES}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, pa_arrow.ArrowException):
        return None
    for name, model in TABLES.items():
        if not schemas[name].equals(arrow_schema(model)):
            return None
    matrices = bi_dir / MATRIX_DIR
    for document_id, when in prints.revisions:
        if not all((matrices / (matrix_name(document_id, when) + suffix)).is_file() for suffix in MATRIX_SUFFIXES):
            return None
    if not all((bi_dir / SECTIONS_DIR / section_name(doc)).is_file() for doc in {doc for doc, _ in prints.revisions}):
        return None
    return Previous(fingerprints=prints, folder=bi_dir)


def section_name(document_id: str) -> str:
    """A document → the name of its front-page section's file in SECTIONS_DIR."""
    return f"{document_id}.html"


def made_by(roles: Roles) -> str:
    """The roles and the code of the row-shaping modules → one digest (a build made by others is not reused)."""
    import importlib

    digest = hashlib.sha256(__version__.encode())
    for name in ROW_MODULES:
        digest.update(Path(str(importlib.import_module(name).__file__)).read_bytes())
    digest.update(json.dumps(_canonical(roles), ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def _canonical(value: object) -> object:
    """A value of the roles (dataclasses, mappings, sets, patterns) → plain JSON data, the same in every process."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _canonical(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return [[str(k), _canonical(v)] for k, v in value.items()]
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, re.Pattern):
        return [value.pattern, value.flags]
    return value


def _key_text(key: tuple[Any, ...]) -> str:
    """A revision or pair key → its text in `bi/.build.json`."""
    return KEY_SEPARATOR.join(str(part) for part in key)


def _revision_key(text: str) -> RevisionKey:
    """`document|date` → a revision key."""
    document_id, when = text.rsplit(KEY_SEPARATOR, 1)
    return document_id, date.fromisoformat(when)


def _pair_key(text: str) -> PairKey:
    """`document|old|new` → a pair key."""
    document_id, old, new = text.rsplit(KEY_SEPARATOR, 2)
    return document_id, date.fromisoformat(old), date.fromisoformat(new)
