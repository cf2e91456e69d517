"""Command line: parse arguments, call the library, print, and turn our errors into exit codes."""

from __future__ import annotations

import enum
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from pipeline.errors import JobAidError
from pipeline.read.sandbox import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S

DEFAULT_OUTPUT = Path("output")
MIXED_FAILURES_EXIT = 12

app = typer.Typer(
    name="jobaid",
    help="Job-aid PDFs → validated tables, revision history, change reports and BI tables.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rendering it with rich costs more than the 0.3 s start-up budget
)

class OcrMode(enum.StrEnum):
    """--ocr: which pages are read by OCR (see pipeline.read.pdf.OCR_MODES)."""

    auto = "auto"
    off = "off"
    force = "force"


Output = Annotated[Path, typer.Option("--output", "-o", help="The store folder (default: output/).")]
Debug = Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")]


def _report(exc: BaseException, debug: bool) -> int:
    """Print one error line (and the traceback with --debug); return the error's exit code."""
    if debug:
        traceback.print_exception(exc)
        child = getattr(exc, "child_traceback", None)
        if child:
            print(child, file=sys.stderr)
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if not isinstance(exc, JobAidError):
        text = f"internal error: {text} (rerun with --debug and report it)"
    print(f"error: {text}", file=sys.stderr)
    return exc.exit_code if isinstance(exc, JobAidError) else 1


def _fail(exc: BaseException, debug: bool) -> None:
    """Report an error and exit with its code."""
    raise typer.Exit(_report(exc, debug))


@app.command("extract")
def extract_command(
    pdfs: Annotated[list[Path], typer.Argument(help="Job-aid PDF files.", show_default=False)],
    output: Output = DEFAULT_OUTPUT,
    password: Annotated[str | None, typer.Option(help="Password of encrypted PDFs.")] = None,
    overlay: Annotated[Path | None, typer.Option(help="Write one PNG per page showing what was read.")] = None,
    timeout: Annotated[float, typer.Option(help="Seconds allowed per document.")] = DEFAULT_TIMEOUT_S,
    memory_mb: Annotated[
        int, typer.Option(help="Memory a document may add while it is read (MiB).")
    ] = DEFAULT_MEMORY_MB,
    max_pages: Annotated[int, typer.Option(help="Pages allowed per document.")] = 2000,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Documents read at once (default: the cores available).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Read files again even when already stored unchanged.")] = False,
    ocr: Annotated[OcrMode, typer.Option(
        help="auto: OCR pages without a text layer; off: fail on them; force: also OCR garbled text layers.")
    ] = OcrMode.auto,
    debug: Debug = False,
) -> None:
    """Extract job-aid PDFs into validated tables in the store (DIR/<document>/<revision-date>/)."""
    from pipeline.read.sandbox import Limits
    from pipeline.run import ingest
    from pipeline.summary import ProgressReporter, print_summary

    try:
        limits = Limits(timeout, memory_mb, max_pages)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    with ProgressReporter(len(pdfs)) as reporter:
        outcomes = ingest(pdfs, output, password, limits, overlay, reporter.advance, jobs, force, ocr.value)
    print_summary(outcomes, output)
    errors = {str(e): e for o in outcomes for e in (o.error, o.bi_error) if e is not None}  # each line once
    codes = {_report(e, debug) for e in errors.values()}
    if codes:
        raise typer.Exit(codes.pop() if len(codes) == 1 else MIXED_FAILURES_EXIT)


@app.command("diff")
def diff_command(
    old: Annotated[str, typer.Argument(help="Old revision: a PDF, a revision folder, DOCUMENT@DATE.")],
    new: Annotated[str, typer.Argument(help="New revision: a PDF, a revision folder, DOCUMENT@DATE.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the change files.")] = Path("."),
    store: Annotated[Path, typer.Option(help="The store to look stored revisions up in.")] = DEFAULT_OUTPUT,
    password: Annotated[str | None, typer.Option(help="Password of encrypted PDFs.")] = None,
    debug: Debug = False,
) -> None:
    """Compare two revisions: write changes.csv/.json, report.md and report.html, print the summary."""
    from pipeline.compare.pair import compare
    from pipeline.summary import print_changes

    try:
        result = compare(old, new, store, output, password)
    except JobAidError as exc:
        _fail(exc, debug)
    print_changes(result.changes, result.meta, output)


@app.command("history")
def history_command(
    document: Annotated[str, typer.Argument(help="A document id (see the store's folders).")],
    output: Output = DEFAULT_OUTPUT,
    debug: Debug = False,
) -> None:
    """List a document's stored revisions with row counts and changes against the previous one."""
    from pipeline.errors import RevisionNotFoundError
    from pipeline.store.history import document_history
    from pipeline.summary import print_history

    try:
        rows = document_history(output, document)
    except JobAidError as exc:
        _fail(exc, debug)
    if not rows:
        _fail(
            RevisionNotFoundError(
                output / document, "holds no stored revisions", "run `extract` first or check the document id"
            ),
            debug,
        )
    print_history(document, rows)


@app.command("who")
def who_command(
    party: Annotated[str, typer.Argument(help="A party: canonical name or alias, e.g. CSM, Reseller.")],
    document: Annotated[str | None, typer.Argument(help="Only this document id.")] = None,
    output: Output = DEFAULT_OUTPUT,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    debug: Debug = False,
) -> None:
    """What PARTY leads and supports in the latest revision of each document, and what changed for it."""
    from pipeline.bi.who import FORMATS, party_report, report_to_text
    from pipeline.summary import print_who

    if fmt not in FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(FORMATS)}", param_hint="--format")
    try:
        report = party_report(output, party, document)
    except JobAidError as exc:
        _fail(exc, debug)
    if fmt == "table":
        print_who(party, report)
    else:
        sys.stdout.write(report_to_text(report, fmt))


@app.command("export")
def export_command(
    to: Annotated[str, typer.Option("--to", help="PostgreSQL URL, e.g. postgresql://user@host/db.")],
    output: Output = DEFAULT_OUTPUT,
    debug: Debug = False,
) -> None:
    """Write the store's BI tables into a PostgreSQL database (idempotent upsert, one transaction)."""
    from pipeline.bi.build import store_to_tables
    from pipeline.bi.postgres import export_to_postgres

    try:
        counts = export_to_postgres(store_to_tables(output), to)
    except JobAidError as exc:
        _fail(exc, debug)
    for table, count in counts.items():
        print(f"{table}: {count} rows")


def main() -> None:
    """Entry point of `jobaid`."""
    app()


extract_app = typer.Typer(name="extract", add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
extract_app.command()(extract_command)


def extract_main() -> None:
    """Entry point of `extract`: the same as `jobaid extract`."""
    extract_app()
