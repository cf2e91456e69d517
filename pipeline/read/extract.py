"""One job-aid PDF → its activities, glossary and revision metadata, validated: the pipeline's flow."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline import __version__
from pipeline.errors import NotAJobAidError, ScannedPdfError
from pipeline.profile import DEFAULT_PROFILE, Profile, load_profile
from pipeline.read.assemble import grids_to_records
from pipeline.read.columns import map_columns
from pipeline.read.confidence import add_ocr_confidence
from pipeline.read.dating import read_dates, revision_date
from pipeline.read.glossary import ruled_glossary
from pipeline.read.history import find_history
from pipeline.read.layout import Line
from pipeline.read.locate import PageGrid, candidate_headers, layouts_to_grids
from pipeline.read.normalise import records_to_activities
from pipeline.read.pdf import DEFAULT_MAX_PAGES, DEFAULT_READER, REFERENCE_READER, Document, read_document
from pipeline.read.revision import find_date, lines_to_title_block, pdf_date
from pipeline.read.running import running_lines
from pipeline.read.validate import validate_extraction


@dataclass
class Extraction:
    """Everything read from one revision of a job aid."""

    document_id: str
    activities: pd.DataFrame
    glossary: pd.DataFrame
    revision: dict[str, Any]
    quarantine: pd.DataFrame
    grids: list[PageGrid] = field(default_factory=list)
    phase_rows: list[tuple[int, float, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.quarantine.empty


def extract(
    path: Path, password: str | None = None, max_pages: int = DEFAULT_MAX_PAGES, profile_name: str = DEFAULT_PROFILE,
    reader: str = DEFAULT_READER,
    ocr: str = "auto",
) -> Extraction:
    """A job-aid PDF → its validated extraction: open (OCR where needed) → locate → assemble → normalise → validate.

    A file the fast reader finds no job aid in is read again by the reference reader, which decides the error.
    """
    profile = load_profile(profile_name)
    document = read_document(path, password, max_pages, reader, ocr)
    running = running_lines(document.layouts, profile)
    try:
        grids = locate_table(document, profile, running)
    except (NotAJobAidError, ScannedPdfError):
        if reader == REFERENCE_READER:
            raise
        return extract(path, password, max_pages, profile_name, REFERENCE_READER, ocr)
    assembly = grids_to_records(grids, profile)
    activities = records_to_activities(assembly.records)
    glossary, glossary_heading = read_glossary(document, profile, running, grids)
    revision = read_revision(document, profile, grids, running, activities, glossary)
    add_ocr_confidence(document, grids, assembly, activities, revision, profile)
    quarantine = validate_extraction(activities, glossary, revision)
    return Extraction(
        document_id=revision["document_id"],
        activities=activities,
        glossary=glossary,
        revision=revision,
        quarantine=quarantine,
        grids=grids,
        phase_rows=assembly.phase_rows,
        warnings=suspicions(activities, grids, profile, revision)
        + (["a glossary heading with no terms under it"] if glossary_heading and glossary.empty else []),
    )


def prepare() -> None:
    """Load now what reading a document loads lazily (validation backends and checks, font metrics, the pdfium
    reader, the default profile's patterns), so that readers forked from this process start warm instead of each
    loading it again."""
    import encodings.utf_16_le  # noqa: F401

    import pdfminer.fontmetrics  # noqa: F401
    import pdfplumber.utils  # noqa: F401

    import pipeline.read.pdfium  # noqa: F401
    from pipeline.read.assemble import FIELDS, Record

    profile = load_profile(DEFAULT_PROFILE)  # its patterns, and the date patterns it makes, compiled once here
    find_date("rev 10Feb20", profile.revision_prefixes, profile.not_revision_words)
    activities = records_to_activities([Record("Phase", {name: [name.title()] for name in FIELDS}, [1])])
    glossary = pd.DataFrame([{"term": "Term", "definition": "What it means"}])
    revision = {"document_id": "warm-up", "title": "Warm-up", "revision_date": "2020-02-10",
                "revision_date_source": "printed", "source_sha256": "0" * 64, "page_count": 1}
    validate_extraction(activities, glossary, revision)  # the checks of a valid extraction
    validate_extraction(pd.DataFrame(), pd.DataFrame(), {})  # and pandera's failure reports


def locate_table(document: Document, profile: Profile, running: list[set[int]]) -> list[PageGrid]:
    """A document → the grids of its job-aid table, or the error that says why there is none."""
    grids = layouts_to_grids(document.layouts, profile, running)
    if grids and any(g.rows for g in grids):
        return grids
    layouts = document.layouts
    if sum(lay.char_count for lay in layouts) == 0:
        if any(lay.image_count for lay in layouts):
            if document.ocr_angles:
                raise ScannedPdfError(document.path, "is a scan and OCR read no text on it",
                                      "check the scan is legible (300 dpi, good contrast) or get the original document")
            raise ScannedPdfError(
                document.path,
                "is a scan: its pages are images with no text layer",
                "read it by OCR (drop --ocr off) or get the original document",
            )
        raise NotAJobAidError(document.path, "has no text at all (blank pages)", "check it is the right file")
    headers = candidate_headers(layouts, profile)
    if headers:
        try:
            map_columns(headers, profile)
        except NotAJobAidError as exc:
            raise NotAJobAidError(document.path, exc.problem, exc.advice) from exc
    raise NotAJobAidError(
        document.path,
        "holds no job-aid table (no header naming activity, reseller and direct columns)",
        "check it is a job aid",
    )


def _text_lines(document: Document, running: list[set[int]]) -> list[list[Line]]:
    """Each page's lines without running headers, footers and page numbers."""
    return [
        [ln for i, ln in enumerate(lay.lines) if i not in skip]
        for lay, skip in zip(document.layouts, running, strict=True)
    ]


def read_glossary(
    document: Document, profile: Profile, running: list[set[int]], grids: list[PageGrid]
) -> tuple[pd.DataFrame, bool]:
    """A document → its glossary (the lines after the glossary heading, outside the table and up to a revision
    history, as term and definition) and whether it has a glossary heading."""
    table = {g.page: (g.top, g.bottom) for g in grids}
    collected: list[Line] = []
    pages: list[int] = []
    started = ended = False
    for number, lines in enumerate(_text_lines(document, running), start=1):
        top, bottom = table.get(number, (0.0, -1.0))
        for ln in lines:
            if top <= ln.top <= bottom or ended:
                continue
            if not started:
                started = profile.is_glossary_heading(ln.text)
                continue
            ended = profile.is_history_heading(ln.text)  # a revision history after the glossary ends it
            if not ended:
                collected.append(ln)
                pages.append(number)
    rules = {n: document.layouts[n - 1].rules for n in set(pages)}
    return ruled_glossary(collected, pages, rules, profile.glossary_columns), started


def read_revision(
    document: Document,
    profile: Profile,
    grids: list[PageGrid],
    running: list[set[int]],
    activities: pd.DataFrame,
    glossary: pd.DataFrame,
) -> dict[str, Any]:
    """A document and its table → revision metadata: title, label, ISO date and where the date came from."""
    first = grids[0]
    page_lines = document.layouts[first.page - 1].lines
    table_top = first.header.top if first.header else first.top
    cover = [ln for lines in _text_lines(document, running)[: first.page - 1] for ln in lines]  # pages before it
    above = cover + [ln for ln in page_lines if ln.bottom <= table_top]
    block = lines_to_title_block(above, profile.title_prefixes)
    body = [ln for lines in _text_lines(document, running) for ln in lines]
    history = find_history(body, profile.is_history_heading, profile.revision_id_words,
                           lambda text: read_dates(text, profile))
    in_history = {id(ln) for ln in history.lines} if history else set()
    furniture = [ln.text for ln in above if id(ln) not in in_history]  # the title block, then every page's running
    furniture += [lay.lines[i].text for lay, skip in zip(document.layouts, running, strict=True) for i in sorted(skip)]
    rest = [ln.text for lay in document.layouts for ln in lay.lines if id(ln) not in in_history]
    dated = revision_date(furniture, history, rest, profile, pdf_date(document.metadata))
    label, iso, source = dated.label, dated.iso, dated.source
    title = block.title or str(document.metadata.get("Title") or "")
    return {
        "document_id": document_id(title, block.subtitle),
        "title": title,
        "subtitle": block.subtitle,
        "revision_label": label,
        "revision_date": iso,
        "revision_date_source": source,
        "source_file": document.path.name,
        "source_sha256": document.sha256,
        "page_count": document.page_count,
        "table_pages": [g.page for g in grids if g.rows],
        "pipeline_version": __version__,
        "counts": {
            "activities": len(activities),
            "phases": int(activities["phase"].nunique()) if len(activities) else 0,
            "glossary_terms": len(glossary),
        },
    }


def document_id(title: str, subtitle: str) -> str:
    """Title and subtitle → a stable slug naming the document across its revisions."""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{title} {subtitle}".casefold()).strip("-")
    return slug or "untitled"


def suspicions(
    activities: pd.DataFrame, grids: list[PageGrid], profile: Profile, revision: dict[str, Any]
) -> list[str]:
    """An extraction → things a reader should double-check (not failures)."""
    notes = []
    if revision["revision_date_source"] == "pdf-metadata":
        notes.append("no printed revision date; used the PDF's creation date")
    if revision["revision_date"] is None:
        notes.append("no revision date found")
    duplicated = activities[activities.duplicated(["phase", "activity"], keep=False)]
    if len(duplicated):
        notes.append(f"{len(duplicated)} activities appear twice in the same phase")
    headers = grids[0].header.texts if grids and grids[0].header else []
    own = grids[0].header.own if grids and grids[0].header else []
    mapping = map_columns(headers, profile, strict=False, own=own) or {}
    missing = [rule.field for rule in profile.columns if rule.field not in mapping]
    if missing:
        notes.append("no column for: " + ", ".join(missing))
    extra = [h for j, h in enumerate(headers) if j not in mapping.values() and h]
    if extra:
        notes.append("ignored column(s): " + ", ".join(extra))
    return notes
