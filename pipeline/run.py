"""PDF paths → extractions stored in the revision store: the library entry point behind `extract`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from pipeline.bi.tables import WAREHOUSE_FILE, build_warehouse
from pipeline.errors import JobAidError, StoreError, ValidationFailedError
from pipeline.read.extract import Extraction, extract
from pipeline.read.sandbox import Limits, run_bounded
from pipeline.store.files import (
    document_transaction,
    is_stored,
    list_documents,
    recover,
    save_quarantine,
    save_revision,
    store_lock,
)
from pipeline.store.history import refresh_document


@dataclass
class Outcome:
    """What happened to one input file."""

    path: Path
    extraction: Extraction | None = None
    folder: Path | None = None
    changed: bool = False
    error: JobAidError | None = None


def ingest(
    paths: Sequence[Path],
    root: Path,
    password: str | None = None,
    limits: Limits | None = None,
    overlay_dir: Path | None = None,
    progress: Callable[[Outcome], None] | None = None,
    ocr: str = "auto",
) -> list[Outcome]:
    """Each PDF → extracted in a bounded child process, validated, and stored; a bad file never stops the rest."""
    limits = limits or Limits()
    outcomes = []
    for path in paths:
        outcome = Outcome(path)
        try:
            extraction = run_bounded(partial(extract, ocr=ocr), (path, password, limits.max_pages), path, limits)
            outcome.extraction = extraction
            if overlay_dir is not None:
                from pipeline.read.overlay import draw_overlays

                draw_overlays(path, extraction, overlay_dir, password)
            outcome.folder, outcome.changed = store_extraction(root, path, extraction)
        except JobAidError as exc:
            outcome.error = exc
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome)
    if any(o.changed for o in outcomes) or warehouse_is_stale(root):
        with store_lock(root):
            build_warehouse(root)
    return outcomes


def store_extraction(root: Path, path: Path, extraction: Extraction) -> tuple[Path, bool]:
    """A finished extraction → published with its document's ids and diffs in one commit, or kept aside."""
    try:
        with store_lock(root):
            recover(root)
            if not extraction.valid:
                folder = save_quarantine(
                    root, extraction.document_id, extraction.revision, extraction.activities, extraction.quarantine
                )
                raise ValidationFailedError(
                    path, f"{len(extraction.quarantine)} value(s) failed validation", f"see {folder / 'quarantine.csv'}"
                )
            final = root / extraction.document_id / str(extraction.revision["revision_date"])
            if is_stored(root, extraction.document_id, extraction.revision):
                return final, False
            with document_transaction(root, extraction.document_id) as document_dir:
                save_revision(document_dir, extraction.revision, extraction.activities, extraction.glossary)
                refresh_document(document_dir, extraction.document_id)
            return final, True
    except OSError as exc:
        raise StoreError(
            root, f"cannot be written ({exc.strerror or exc})", "check free space and permissions"
        ) from exc


def warehouse_is_stale(root: Path) -> bool:
    """Whether the BI tables are missing or older than the newest stored document."""
    database = root / WAREHOUSE_FILE
    documents = [root / d for d in list_documents(root)]
    if not documents:
        return False
    return not database.exists() or database.stat().st_mtime < max(d.stat().st_mtime for d in documents)
