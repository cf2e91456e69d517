"""PDF paths → extractions stored in the revision store: the library entry point behind `extract`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import JobAidError, ValidationFailedError
from pipeline.extract import Extraction, extract
from pipeline.sandbox import Limits, run_bounded
from pipeline.store import save_quarantine, save_revision, store_lock


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
) -> list[Outcome]:
    """Each PDF → extracted in a bounded child process, validated, and stored; a bad file never stops the rest."""
    limits = limits or Limits()
    outcomes = []
    for path in paths:
        outcome = Outcome(path)
        try:
            extraction = run_bounded(extract, (path, password, limits.max_pages), path, limits)
            outcome.extraction = extraction
            if overlay_dir is not None:
                from pipeline.overlay import draw_overlays

                draw_overlays(path, extraction, overlay_dir, password)
            outcome.folder, outcome.changed = store_extraction(root, path, extraction)
        except JobAidError as exc:
            outcome.error = exc
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome)
    if any(o.changed for o in outcomes):
        refresh_store(root, {o.extraction.document_id for o in outcomes if o.changed and o.extraction})
    return outcomes


def store_extraction(root: Path, path: Path, extraction: Extraction) -> tuple[Path, bool]:
    """A finished extraction → published in the store when valid, else kept aside and reported."""
    with store_lock(root):
        if not extraction.valid:
            folder = save_quarantine(root, extraction.document_id, extraction.revision, extraction.activities,
                                     extraction.quarantine)
            raise ValidationFailedError(
                path, f"{len(extraction.quarantine)} value(s) failed validation",
                f"see {folder / 'quarantine.csv'}")
        return save_revision(root, extraction.document_id, extraction.revision, extraction.activities,
                             extraction.glossary)


def refresh_store(root: Path, document_ids: set[str]) -> None:
    """After new revisions: recompute activity ids and diffs of the touched documents, then BI tables."""
    from pipeline.history import refresh_document
    from pipeline.warehouse import build_warehouse

    with store_lock(root):
        for document_id in sorted(document_ids):
            refresh_document(root, document_id)
        build_warehouse(root)
