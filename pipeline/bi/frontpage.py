"""BI tables → `index.html`, the store's front page: documents, revision timelines, reports, latest matrix.

The page is self-contained (inline CSS, no script, no external resource); its links are relative
to the store folder, where it is written. Pure: tables in, text out.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyarrow as pa_arrow
import pyarrow.compute as pc

from pipeline.bi.matrix import MATRIX_CSS, MATRIX_DIR, Row, group_rows, matrix_name, matrix_to_html, revision_matrix
from pipeline.store.files import BI_DIR, CHANGES_DIR, WAREHOUSE_FILE
from schemas.changes import CHANGE_KINDS
from schemas.warehouse import DimDocument, DimRevision, FactChange, FactInvolvement, FactResponsibility

INDEX_FILE = "index.html"
#: How each change kind is abbreviated on the timeline.
KIND_SIGNS = {
    "added": "+", "removed": "−", "reworded": "~", "moved": "→", "modified": "Δ", "phase_renamed": "¶",
}

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1d1d1f;max-width:1200px}
h1{font-size:1.5rem;margin:0 0 .2rem}h2{font-size:1.2rem;margin:2rem 0 .4rem;border-bottom:2px solid #eee}
h3{font-size:1rem;margin:1.2rem 0 .3rem}.sub{color:#555;margin:0 0 1rem}
a{color:#1f5fa8}
table.docs{border-collapse:collapse}
table.docs th,table.docs td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left}
table.docs th{background:#f4f4f6}
.timeline{position:relative;height:8.5rem;margin:1rem 6.5rem}
.timeline .line{position:absolute;top:1rem;left:0;right:0;height:3px;background:#c9d6e8}
.timeline .rev{position:absolute;top:.55rem;transform:translateX(-50%);width:11rem;text-align:center;font-size:12px}
.timeline .dot{display:block;margin:0 auto .3rem;width:.9rem;height:.9rem;border-radius:50%;
  background:#1f5fa8;border:2px solid #fff;box-shadow:0 0 0 1px #1f5fa8}
.timeline .latest .dot{background:#d9480f;box-shadow:0 0 0 1px #d9480f}
.timeline .counts{color:#555}.timeline .shift{color:#a63a00;font-weight:600}
ul.links{margin:.2rem 0;padding-left:1.2rem}
"""


def document_sections(tables: Mapping[str, pa_arrow.Table], parties: list[str]) -> list[tuple[str, str]]:
    """The BI tables of some whole documents (Arrow) and the parties in order → each document's id and its section
    of the front page, in document order (a section depends on its document's rows only)."""
    R, C = DimRevision, FactChange
    revisions = tables["dim_revision"].to_pylist()
    latest = pa_arrow.array([r[R.revision_key] for r in revisions if r[R.is_latest]], pa_arrow.string())
    fact, involvement = (tables[name].filter(pc.is_in(tables[name][R.revision_key], value_set=latest)).to_pylist()
                         for name in ("fact_responsibility", "fact_involvement"))
    changes = tables["fact_change"].select([C.document_id, C.new_revision_date, C.change, C.responsibility_change])
    context = _Context(
        revisions=group_rows(revisions, R.document_id),
        counts=_change_counts(changes.to_pylist()),
        acts=group_rows(fact, FactResponsibility.revision_key),
        parts=group_rows(involvement, FactInvolvement.revision_key),
        parties=parties,
    )
    documents = tables["dim_document"].to_pylist()
    return [(str(doc[DimDocument.document_id]), _document_section(context, doc)) for doc in documents]


def index_html_pieces(documents: int, revisions: int, rows: Iterable[str], sections: Iterable[str]) -> Iterator[str]:
    """The counts of documents and revisions, the rows of the documents table and the documents' sections (in
    document order, as text in pieces) → the front page's text, piece by piece."""
    yield (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Job aids: who does what</title><style>{_CSS}{MATRIX_CSS}</style></head><body>"
        "<h1>Job aids: who does what</h1>"
        f'<p class="sub">{documents} document(s), '
        f"{revisions} revision(s). BI tables: "
        f'<a href="{BI_DIR}/datapackage.json">datapackage.json</a> (Parquet and CSV in '
        f'<a href="{BI_DIR}/">{BI_DIR}/</a>), <a href="{WAREHOUSE_FILE}">{WAREHOUSE_FILE}</a>.</p>'
    )
    yield (
        '<h2>Documents</h2><table class="docs"><thead><tr><th>Job aid</th><th>Id</th>'
        "<th>Revisions</th><th>First</th><th>Latest</th></tr></thead><tbody>"
    )
    yield from rows
    yield "</tbody></table>"
    yield from sections
    if not documents:
        yield "<p>The store holds no revisions yet: run <code>extract</code> on a job aid.</p>"
    yield "</body></html>\n"


@dataclass(frozen=True)
class _Context:
    """What the sections of the page read, grouped once: revisions by document, change counts by pair,
    fact and involvement rows of each latest revision, the parties in order."""

    revisions: dict[Any, list[Row]]
    counts: dict[tuple[str, date], dict[str, int]]
    acts: dict[Any, list[Row]]
    parts: dict[Any, list[Row]]
    parties: list[str]


def document_rows(documents: Sequence[Row]) -> str:
    """dim_document rows → their rows of the table of the stored documents."""
    D = DimDocument
    return "".join(
        f'<tr><td><a href="#{html.escape(str(d[D.document_id]))}">{html.escape(str(d[D.title]))}</a>'
        f"<br><small>{html.escape(str(d[D.subtitle]))}</small></td>"
        f"<td><code>{html.escape(str(d[D.document_id]))}</code></td><td>{d[D.revision_count]}</td>"
        f"<td>{d[D.first_revision_date]}</td><td>{d[D.latest_revision_date]}</td></tr>"
        for d in documents
    )


def _document_section(context: _Context, doc: Row) -> str:
    """One document → its timeline, links to every report and its latest matrix."""
    R = DimRevision
    document_id = str(doc[DimDocument.document_id])
    revisions = sorted(context.revisions.get(document_id, []), key=lambda r: r[R.revision_date])
    counts = {when: found for (doc_id, when), found in context.counts.items() if doc_id == document_id}
    latest = revisions[-1]
    key = latest[R.revision_key]
    matrix = revision_matrix(context.acts.get(key, []), context.parts.get(key, []), context.parties)
    anchor = html.escape(document_id)
    return (
        f'<h2 id="{anchor}">{html.escape(str(doc[DimDocument.title]))}</h2>'
        f"<h3>Revisions</h3>{_timeline(revisions, counts, document_id)}"
        f"<h3>Reports and data</h3>{_links(revisions, document_id)}"
        f"<h3>Who does what in the latest revision ({latest[R.revision_date]})</h3>"
        f"{matrix_to_html(matrix)}"
    )


def _change_counts(changes: Sequence[Row]) -> dict[tuple[str, date], dict[str, int]]:
    """fact_change rows → per document and newer revision date, the count of each change kind and shifts."""
    C = FactChange
    found: dict[tuple[str, date], dict[str, int]] = {}
    for row in changes:
        counts = found.setdefault((row[C.document_id], row[C.new_revision_date]),
                                  {**dict.fromkeys(CHANGE_KINDS, 0), "shifts": 0})
        if row[C.change] in counts:
            counts[row[C.change]] += 1
        counts["shifts"] += int(bool(row[C.responsibility_change]))
    return found


def _timeline(revisions: Sequence[Row], counts: Mapping[date, Mapping[str, int]], document_id: str) -> str:
    """A document's revisions, oldest first → markers on a line, placed by date, with change counts."""
    R = DimRevision
    dates = [rev[R.revision_date] for rev in revisions]
    span = max((dates[-1] - dates[0]).days, 1)
    marks = []
    for i, rev in enumerate(revisions):
        when = rev[R.revision_date]
        left = 50.0 if len(dates) == 1 else 100.0 * (when - dates[0]).days / span
        label = html.escape(str(rev[R.revision_label] or when))
        if i == 0:
            detail = '<span class="counts">first revision</span>'
        else:
            detail = _counts_html(counts.get(when, {}))
            report = _report_href(document_id, rev[R.previous_revision_date], when)
            detail += f'<br><a href="{report}">report</a>'
        latest = " latest" if rev[R.is_latest] else ""
        marks.append(
            f'<div class="rev{latest}" style="left:{left:.1f}%"><span class="dot"></span>'
            f"<b>{when}</b><br>{label} · {rev[R.activity_count]} activities<br>{detail}</div>"
        )
    return f'<div class="timeline"><div class="line"></div>{"".join(marks)}</div>'


def _counts_html(counts: Mapping[str, int]) -> str:
    """Change counts of one pair → a short line such as "Δ4 +1 −1 · 3 shifts"."""
    signs = " ".join(f"{KIND_SIGNS[k]}{counts[k]}" for k in CHANGE_KINDS if counts.get(k))
    total = sum(counts.get(k, 0) for k in CHANGE_KINDS)
    shifts = counts.get("shifts", 0)
    return (
        f'<span class="counts" title="{total} changes">{html.escape(signs or "no changes")}</span>'
        f' · <span class="shift">{shifts} in who is responsible</span>'
    )


def _report_href(document_id: str, old: object, new: object) -> str:
    """A consecutive pair → the relative link of its HTML report."""
    return html.escape(f"{document_id}/{CHANGES_DIR}/{old}__{new}/report.html")


def _links(revisions: Sequence[Row], document_id: str) -> str:
    """A document's revisions → links to each report, each revision's data and each matrix."""
    R = DimRevision
    items = []
    for rev in revisions:
        when = rev[R.revision_date]
        folder = html.escape(f"{document_id}/{when}")
        matrix = html.escape(f"{BI_DIR}/{MATRIX_DIR}/{matrix_name(document_id, when)}")
        parts = [
            f'<a href="{folder}/activities.csv">activities.csv</a>',
            f'<a href="{folder}/revision.json">revision.json</a>',
            f'matrix <a href="{matrix}.html">HTML</a> / <a href="{matrix}.csv">CSV</a>',
        ]
        if rev[R.previous_revision_date] is not None:
            old = rev[R.previous_revision_date]
            pair = html.escape(f"{document_id}/{CHANGES_DIR}/{old}__{when}")
            parts.insert(0, f'changes since {old}: <a href="{pair}/report.html">report</a> '
                            f'(<a href="{pair}/report.md">Markdown</a>, <a href="{pair}/changes.csv">CSV</a>)')
        items.append(f"<li><b>{when}</b> — {' · '.join(parts)}</li>")
    return f'<ul class="links">{"".join(items)}</ul>'
