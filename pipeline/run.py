"""PDF paths → extractions stored in the revision store: the library entry point behind `extract`."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from pipeline import __version__
from pipeline.errors import JobAidError, StoreError, ValidationFailedError, store_error, writes_to
from pipeline.profile import DEFAULT_PROFILE
from pipeline.read.parallel import available_cores, read_many
from pipeline.read.pdf import file_sha256
from pipeline.read.sandbox import Limits, reader_crashed
from pipeline.store.files import (
    WAREHOUSE_FILE,
    StoredRevision,
    document_transaction,
    is_stored,
    list_documents,
    recover,
    save_quarantine,
    save_revision,
    store_lock,
    stored_sources,
)
from pipeline.store.removal import removals_in_background

if TYPE_CHECKING:  # the reading and BI modules load pandas: imported only when there is work for them
    import pandas as pd

    from pipeline.read.extract import Extraction

#: Extractions held before they are committed: few, so that commits overlap with the readers still running,
#: and memory stays flat however long the batch.
COMMIT_EVERY = 8
#: Said with a BI-table failure: what was stored stays, and the next run catches up.
BI_STALE_NOTE = "revisions kept; the next run rebuilds the BI tables"


@dataclass
class Outcome:
    """What happened to one input file."""

    path: Path
    #: what was read; once stored (or quarantined) without its activities and glossary, which are on disk then
    #: (their counts stay in `revision["counts"]`), so that memory stays flat however long the batch
    extraction: Extraction | None = None
    folder: Path | None = None
    changed: bool = False
    error: JobAidError | None = None
    #: revision.json of the stored revision when the file was already stored (and so not read again)
    stored: dict[str, Any] | None = None
    #: the BI tables could not be rebuilt after this run (stored data stays)
    bi_error: StoreError | None = None


@removals_in_background()  # the old copies of committed documents are removed while the run goes on
def ingest(
    paths: Sequence[Path],
    root: Path,
    password: str | None = None,
    limits: Limits | None = None,
    overlay_dir: Path | None = None,
    progress: Callable[[Outcome], None] | None = None,
    jobs: int | None = None,
    force: bool = False,
    ocr: str = "auto",
) -> list[Outcome]:
    """PDFs → each read in a bounded child (skipped when already stored), stored per document, BI tables rebuilt once.

    A bad file never stops the rest.
    """
    outcomes = [Outcome(path) for path in paths]
    try:
        with store_lock(root):
            recover(root)  # what an interrupted run left goes first, even when nothing here needs writing
    except JobAidError as exc:  # the store cannot be written at all: nothing is read
        for outcome in outcomes:
            outcome.error = exc
        return outcomes
    known = {} if force else stored_sources(root)
    to_read = [o for o in outcomes if not already_stored(o, known)]
    report = progress or (lambda outcome: None)
    for outcome in outcomes:
        if outcome.stored is not None:
            report(outcome)
    batch: list[Outcome] = []
    for outcome in read_all(to_read, password, limits or Limits(), jobs or available_cores(), overlay_dir, ocr):
        report(outcome)
        batch.append(outcome)
        if len(batch) >= COMMIT_EVERY:
            store_outcomes(root, batch, force)
            batch = []
    store_outcomes(root, batch, force)
    rebuild_bi_tables(root, outcomes)
    return outcomes


def rebuild_bi_tables(root: Path, outcomes: Sequence[Outcome]) -> None:
    """The store → its BI tables rebuilt when it changed; a failure leaves them stale, never the store broken."""
    try:
        with writes_to(root):
            if any(o.changed for o in outcomes) or warehouse_is_stale(root):
                from pipeline.bi.build import build_warehouse

                with store_lock(root):
                    build_warehouse(root)
    except JobAidError as exc:
        bi_error = StoreError(exc.path, exc.problem, f"{exc.advice or 'rerun'}; {BI_STALE_NOTE}")
        bi_error.__cause__ = exc  # --debug shows the write that failed
        for outcome in outcomes:
            outcome.bi_error = bi_error


def already_stored(outcome: Outcome, known: dict[tuple[str, str], StoredRevision]) -> bool:
    """An outcome → True (its stored revision noted) when its file, read by this version, is in the store."""
    try:
        key = (file_sha256(outcome.path), __version__)
    except OSError:
        return False  # the reader reports a missing or unreadable file
    stored = known.get(key)
    if stored is None:
        return False
    outcome.stored = stored.revision()
    outcome.folder = stored.path
    return True


def read_all(
    outcomes: Sequence[Outcome], password: str | None, limits: Limits, jobs: int, overlay_dir: Path | None,
    ocr: str = "auto",
) -> Iterator[Outcome]:
    """Outcomes to read → each filled with its extraction or its error, yielded as its reader finishes.

    A file that crashes the fast reader (pdfium aborts when the memory cap stops it) is read again with the
    reference reader, which reports the limit or the damage.
    """
    if not outcomes:
        return
    from pipeline.read.extract import extract, prepare
    from pipeline.read.pdf import DEFAULT_READER, REFERENCE_READER

    prepare()
    crashed: list[Outcome] = []
    for reader, batch in ((DEFAULT_READER, list(outcomes)), (REFERENCE_READER, crashed)):
        work = [(o.path, (o.path, password, limits.max_pages, DEFAULT_PROFILE, reader, ocr)) for o in batch]
        for index, result in read_many(extract, work, limits, jobs):
            if reader != REFERENCE_READER and reader_crashed(result):
                crashed.append(batch[index])
                continue
            yield settle(batch[index], result, password, overlay_dir)


def settle(outcome: Outcome, result: object, password: str | None, overlay_dir: Path | None) -> Outcome:
    """An outcome and what its reader returned → the outcome with its extraction (and overlay) or its error."""
    if isinstance(result, JobAidError):
        outcome.error = result
    elif isinstance(result, BaseException):
        raise result
    else:
        outcome.extraction = cast("Extraction", result)
        if overlay_dir is not None:
            from pipeline.read.overlay import draw_overlays

            try:
                with writes_to(overlay_dir):
                    draw_overlays(outcome.path, outcome.extraction, overlay_dir, password)
            except JobAidError as exc:
                outcome.error = exc
        outcome.extraction.grids = []  # the page grids serve the overlay only: memory stays flat in file count
    return outcome


def store_outcomes(root: Path, outcomes: Sequence[Outcome], force: bool = False) -> None:
    """Read outcomes → invalid ones quarantined, new ones published with one commit per document."""
    extracted = [o for o in outcomes if o.extraction is not None and o.error is None]
    if not extracted:
        return
    try:
        with store_lock(root):
            recover(root)
            for outcome in extracted:
                _place(root, outcome)
            by_document: dict[str, list[Outcome]] = {}
            for outcome in extracted:
                extraction = outcome.extraction
                if outcome.error is None and extraction is not None and (
                        force or not is_stored(root, extraction.document_id, extraction.revision)):
                    by_document.setdefault(extraction.document_id, []).append(outcome)
            for document_id, group in by_document.items():
                _commit_group(root, document_id, group)
    except (JobAidError, OSError) as exc:  # the lock or the recovery failed: nothing more of this batch is stored
        error = exc if isinstance(exc, JobAidError) else store_error(exc, root)
        for outcome in extracted:
            if not outcome.changed and outcome.error is None:
                outcome.error = error
    for outcome in extracted:
        outcome.extraction = _without_frames(outcome.extraction)


def _without_frames(extraction: Extraction | None) -> Extraction | None:
    """An extraction that was stored or set aside → the same without its activities and glossary (empty frames with
    the same columns) and page grids: what the summary shows is its revision, warnings and quarantine."""
    if extraction is None:
        return None
    quarantine = extraction.quarantine if len(extraction.quarantine) else _empty_like(extraction.quarantine)
    return replace(extraction, activities=_empty_like(extraction.activities),
                   glossary=_empty_like(extraction.glossary), quarantine=quarantine, grids=[], phase_rows=[])


#: One empty frame per set of columns and dtypes, shared by every stored outcome: an empty frame still costs
#: kilobytes (an array per column), which a batch of thousands of files would otherwise keep until it ends.
_EMPTY: dict[tuple[tuple[str, str], ...], pd.DataFrame] = {}


def _empty_like(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame → an empty frame with the same columns and dtypes, the one shared by all frames like it."""
    key = tuple((str(name), str(dtype)) for name, dtype in frame.dtypes.items())
    if key not in _EMPTY:
        _EMPTY[key] = frame.iloc[0:0].copy()
    return _EMPTY[key]


def _place(root: Path, outcome: Outcome) -> None:
    """A read outcome → its revision folder noted, and an invalid extraction quarantined."""
    extraction = outcome.extraction
    assert extraction is not None
    outcome.folder = root / extraction.document_id / str(extraction.revision["revision_date"])
    if not extraction.valid:
        outcome.error = _quarantine(root, outcome.path, extraction)


def _commit_group(root: Path, document_id: str, group: Sequence[Outcome]) -> None:
    """New revisions of one document → committed together; each outcome marked changed or given the error."""
    try:
        commit_document(root, document_id, [o.extraction for o in group if o.extraction is not None])
    except (JobAidError, OSError) as exc:
        error = exc if isinstance(exc, JobAidError) else store_error(exc, root / document_id)
        for outcome in group:
            outcome.error = error
        return
    for outcome in group:
        outcome.changed = True


def commit_document(root: Path, document_id: str, extractions: Sequence[Extraction]) -> None:
    """New revisions of one document → saved, ids and the affected diffs refreshed, swapped in as one commit."""
    from pipeline.compare.refresh import refresh_document

    fresh = {str(e.revision["revision_date"]): e.activities for e in extractions}
    with document_transaction(root, document_id) as document_dir:
        for extraction in extractions:  # activities are written once, with their ids, by refresh_document
            save_revision(document_dir, extraction.revision, None, extraction.glossary)
        refresh_document(document_dir, document_id, set(fresh), fresh)


def _quarantine(root: Path, path: Path, extraction: Extraction) -> JobAidError:
    """An extraction that failed validation → kept aside; the error that says where."""
    try:
        folder = save_quarantine(root, extraction.document_id, extraction.revision, extraction.activities,
                                 extraction.quarantine)
    except JobAidError as exc:
        return exc
    except OSError as exc:
        return store_error(exc, root)
    return ValidationFailedError(path, f"{len(extraction.quarantine)} value(s) failed validation",
                                 f"see {folder / 'quarantine.csv'}")


def warehouse_is_stale(root: Path) -> bool:
    """Whether the BI tables are missing or older than the newest stored document."""
    database = root / WAREHOUSE_FILE
    documents = [root / d for d in list_documents(root)]
    if not documents:
        return False
    return not database.exists() or database.stat().st_mtime < max(d.stat().st_mtime for d in documents)
