"""Results → what the terminal shows: progress, a summary table per document, change counts, history."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from pipeline.errors import StoreError, ValidationFailedError

console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)


class ProgressReporter:
    """Files done, rate and time left across several files, on a terminal only (no background thread: fork-safe)."""

    def __init__(self, total: int) -> None:
        self.enabled = total > 1 and sys.stderr.isatty()
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("left"),
                                 TimeRemainingColumn(), console=Console(stderr=True), auto_refresh=False,
                                 transient=True)
        self.task = self.progress.add_task("extracting", total=total, rate="")

    def __enter__(self) -> ProgressReporter:
        if self.enabled:
            self.progress.start()
            self.progress.refresh()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self.enabled:
            self.progress.stop()

    def advance(self, outcome: Any) -> None:
        if self.enabled:
            self.progress.update(self.task, advance=1, description=outcome.path.name)
            task = self.progress.tasks[0]
            if task.elapsed:
                self.progress.update(self.task, rate=f"{60 * task.completed / task.elapsed:.0f} files/min")
            self.progress.refresh()


def print_summary(outcomes: Sequence[Any], root: Path) -> None:
    """Outcomes of `extract` → one table row per file: what was read, where it went, what looks odd."""
    table = Table(title=f"Extracted into {root}/", title_justify="left")
    for name in ("file", "revision", "rows", "phases", "pages", "terms", "status", "notes"):
        table.add_column(name, overflow="fold")
    for o in outcomes:
        e = o.extraction
        if o.stored is not None:
            r = o.stored
            table.add_row(o.path.name, f"{r['revision_date']} ({r['revision_label'] or r['revision_date_source']})",
                          str(r["counts"]["activities"]), str(r["counts"]["phases"]), str(r["page_count"]),
                          str(r["counts"]["glossary_terms"]), outcome_status(o), "")
            continue
        if e is None:
            table.add_row(o.path.name, "", "", "", "", "", outcome_status(o), "")
            continue
        r = e.revision
        status = outcome_status(o)
        notes = "; ".join([*([f"{len(e.quarantine)} failed check(s)"] if not e.quarantine.empty else []),
                           *([f"pages {_pages(r['ocr']['pages'])} read by OCR"] if r.get("ocr") else []),
                           *e.warnings])
        table.add_row(o.path.name, f"{r['revision_date']} ({r['revision_label'] or r['revision_date_source']})",
                      str(r["counts"]["activities"]), str(r["counts"]["phases"]), str(r["page_count"]),
                      str(r["counts"]["glossary_terms"]), status, notes)
    console.print(table)
    for o in outcomes:
        if o.extraction is not None and not o.extraction.quarantine.empty:
            print_quarantine(o.path, o.extraction.quarantine)
    for o in outcomes:
        if o.extraction is not None and (o.extraction.revision.get("ocr") or {}).get("low_confidence_cells"):
            print_low_confidence(o.path, o.extraction.revision["ocr"])
    for o in outcomes:
        if o.changed and o.folder is not None:
            print_new_changes(o.folder)


def outcome_status(outcome: Any) -> str:
    """An outcome → what became of the file: stored, unchanged, not stored (a write failed), invalid, or the error."""
    error = outcome.error
    if isinstance(error, ValidationFailedError):
        return "[red]invalid[/red]"
    if isinstance(error, StoreError):
        return "[red]not stored[/red]"
    if error is not None:
        return f"[red]{error.kind}[/red]"
    done = "stored" if outcome.changed else "unchanged"
    return f"{done}; [red]BI tables not rebuilt[/red]" if outcome.bi_error is not None else done


def print_new_changes(revision_folder: Path) -> None:
    """A newly stored revision → what changed since the revision before it, and where the report is."""
    import pandas as pd

    for folder in sorted((revision_folder.parent / "changes").glob(f"*__{revision_folder.name}")):
        changes = pd.read_csv(folder / "changes.csv", dtype=str, keep_default_na=False)
        old = folder.name.split("__")[0]
        counts = changes["change"].value_counts().to_dict()
        shifts = int((changes["responsibility_change"].str.lower() == "true").sum())
        listed = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "no changes"
        console.print(f"{revision_folder.parent.name}: {old} → {revision_folder.name}: {listed}; "
                      f"{shifts} change(s) in who is responsible. Report: {folder / 'report.html'}")


def _pages(numbers: list[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def print_low_confidence(path: Path, ocr: dict[str, Any]) -> None:
    """The OCR block of one revision → the cells read with low confidence (all of them are in revision.json)."""
    cells = ocr["low_confidence_cells"]
    table = Table(title=f"Cells OCR read with confidence below {ocr['low_confidence_threshold']:g} in {path.name} "
                  "(check them)", title_justify="left")
    for name in ("page", "row", "column", "confidence", "text"):
        table.add_column(name, overflow="fold")
    for cell in cells[:20]:
        table.add_row(str(cell["page"]), str(cell["order"] or ""), cell["field"], f"{cell['confidence']:g}",
                      cell["text"])
    console.print(table)
    if len(cells) > 20:
        console.print(f"... and {len(cells) - 20} more")


def print_quarantine(path: Path, quarantine: Any) -> None:
    """Failed checks of one file → a short table (the full list is in quarantine.csv)."""
    table = Table(title=f"Validation failures in {path.name}", title_justify="left")
    for name in quarantine.columns:
        table.add_column(name, overflow="fold")
    for row in quarantine.head(20).itertuples(index=False):
        table.add_row(*[str(v) for v in row])
    console.print(table)
    if len(quarantine) > 20:
        console.print(f"... and {len(quarantine) - 20} more")


def print_changes(changes: Any, meta: dict[str, Any], output: Path) -> None:
    """A diff → counts per change type and where the reports are."""
    counts = changes["change"].value_counts().to_dict() if len(changes) else {}
    shifts = int(changes["responsibility_change"].astype(bool).sum()) if len(changes) else 0
    console.print(f"{meta.get('title', '')}: {meta.get('old_label')} → {meta.get('new_label')}")
    if not counts:
        console.print("no changes")
    for kind in ("added", "removed", "reworded", "moved", "modified", "phase_renamed"):
        if counts.get(kind):
            console.print(f"  {kind}: {counts[kind]}")
    console.print(f"  responsibility shifts: {shifts}")
    console.print(f"reports: {output / 'report.md'}, {output / 'report.html'}; data: {output / 'changes.csv'}")


def print_history(document: str, rows: Sequence[Any]) -> None:
    """A document's revisions → one line each with counts of changes against the previous one."""
    table = Table(title=document, title_justify="left")
    for name in ("revision", "label", "activities", "changes since previous"):
        table.add_column(name)
    for row in rows:
        changes = ", ".join(f"{k} {v}" for k, v in sorted(row.changes.items())) or "—"
        table.add_row(row.revision_date, row.revision_label, str(row.activities), changes)
    console.print(table)


def print_who(party: str, report: Any) -> None:
    """A `who` answer → one table: what the party leads, supports, and what changed for it."""
    if report.empty:
        console.print(f"{party}: takes no part in the latest revision and nothing changed for it")
        return
    title, shown = party, report
    if report["document_id"].nunique() == 1:  # one document: name it once, in the title
        title = f"{party} in {report['document_id'].iloc[0]} ({report['revision_date'].max()})"
        shown = report.drop(columns=["document_id", "revision_date"])
    table = Table(title=title, title_justify="left")
    for name in shown.columns:
        table.add_column(name, overflow="fold")
    for row in shown.itertuples(index=False):
        table.add_row(*[str(v) for v in row])
    console.print(table)
