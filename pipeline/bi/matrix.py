"""fact_involvement → a responsibility matrix per revision: activities × parties, L/S per path.

A cell lists the party's part on each buying path, e.g. `R:L D:S` (leads when bought from a
reseller, supports when bought direct). Pure: rows in, text out.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa_arrow

from schemas.warehouse import PATHS, DimRevision, FactInvolvement, FactResponsibility

MATRIX_DIR = "matrix"
#: The files written per revision.
MATRIX_SUFFIXES = (".csv", ".html")
#: How each buying path and each role is abbreviated in a matrix cell.
PATH_CODES = {"self_service": "SS", "reseller": "R", "direct": "D"}
ROLE_CODES = {"lead": "L", "support": "S"}
LEGEND = (
    "Cells: SS = self-service, R = bought from a reseller, D = bought direct; "
    "L = leads, S = supports."
)
MATRIX_KEYS = ["phase", "activity", "activity_id"]
Row = Mapping[str, Any]


@dataclass(frozen=True)
class Matrix:
    """One revision's matrix: its columns (MATRIX_KEYS, then the parties named in it) and one row per activity."""

    columns: list[str]
    rows: list[dict[str, str]]

    @property
    def parties(self) -> list[str]:
        return [c for c in self.columns if c not in MATRIX_KEYS]


def revision_matrix(acts: Sequence[Row], parts: Sequence[Row], parties: list[str]) -> Matrix:
    """One revision's fact_responsibility rows, its fact_involvement rows and the parties in order → its matrix."""
    F, V = FactResponsibility, FactInvolvement
    path_order = {path: i for i, path in enumerate(PATHS)}
    cells: dict[tuple[str, str], list[str]] = {}
    for part in sorted(parts, key=lambda part: path_order[part[V.path]]):
        code = f"{PATH_CODES[part[V.path]]}:{ROLE_CODES[part[V.role]]}"
        cells.setdefault((part[V.activity_id], part[V.party]), []).append(code)
    named = {party for _, party in cells}
    present = [p for p in parties if p in named]
    rows = []
    for act in sorted(acts, key=lambda act: act[F.activity_order]):
        row = {"phase": act[F.phase], "activity": act[F.activity], "activity_id": act[F.activity_id]}
        for party in present:
            row[party] = " ".join(cells.get((act[F.activity_id], party), []))
        rows.append(row)
    return Matrix(columns=[*MATRIX_KEYS, *present], rows=rows)


def matrix_to_csv(matrix: Matrix) -> bytes:
    """A matrix → CSV bytes (a header, then one line per activity; quoted only where needed)."""
    sink = io.StringIO()
    writer = csv.writer(sink, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(matrix.columns)
    writer.writerows([row[c] for c in matrix.columns] for row in matrix.rows)
    return sink.getvalue().encode("utf-8")


def group_rows(rows: Sequence[Row], key: str) -> dict[Any, list[Row]]:
    """Rows and a key column → the rows of each key, in their order."""
    groups: dict[Any, list[Row]] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    return groups


def matrix_name(document_id: str, revision_date: object) -> str:
    """A revision → the file name stem of its matrix (`<document>__<date>`)."""
    return f"{document_id}__{revision_date}"


def matrix_to_html(matrix: Matrix) -> str:
    """A matrix → an escaped HTML table: phases as group rows, leads dark, supports light."""
    parties = matrix.parties
    head = "".join(f"<th>{html.escape(p)}</th>" for p in parties)
    body: list[str] = []
    phase = None
    for row in matrix.rows:
        if row["phase"] != phase:
            phase = row["phase"]
            body.append(f'<tr class="phase"><td colspan="{len(parties) + 1}">{html.escape(str(phase))}</td></tr>')
        tds = "".join(_cell_html(str(row[p])) for p in parties)
        body.append(f"<tr><td>{html.escape(str(row['activity']))}</td>{tds}</tr>")
    return (
        f'<table class="matrix"><thead><tr><th>Activity</th>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table><p class=\"legend\">{html.escape(LEGEND)}</p>"
    )


def _cell_html(text: str) -> str:
    """One matrix cell → a table cell classed by the strongest part in it."""
    kind = "lead" if ":L" in text else ("support" if ":S" in text else "none")
    return f'<td class="{kind}">{html.escape(text)}</td>'


MATRIX_CSS = """
table.matrix{border-collapse:collapse;font-size:12px;margin-top:.5rem}
table.matrix th,table.matrix td{border:1px solid #ddd;padding:.2rem .35rem;text-align:left;vertical-align:top}
table.matrix th{background:#f4f4f6;position:sticky;top:0}
table.matrix td.lead{background:#1f5fa8;color:#fff;font-weight:600}
table.matrix td.support{background:#d7e6f7;color:#123}
table.matrix tr.phase td{background:#fafafa;font-weight:600}
.legend{color:#555;font-size:12px}
"""


def matrix_page(title: str, matrix: Matrix) -> str:
    """A title and a matrix → one self-contained HTML page."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>"
        "body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d1d1f}"
        f"{MATRIX_CSS}</style></head><body><h1>{html.escape(title)}</h1>"
        f"{matrix_to_html(matrix)}</body></html>\n"
    )


def matrix_files(
    revisions: pa_arrow.Table, responsibility: pa_arrow.Table, involvement: pa_arrow.Table, parties: list[str]
) -> dict[str, bytes]:
    """dim_revision rows, their fact and involvement rows, and the parties in order → `<document>__<date>.csv`
    and `.html` per revision."""
    R, F, V = DimRevision, FactResponsibility, FactInvolvement
    acts = group_rows(responsibility.to_pylist(), F.revision_key)
    parts = group_rows(involvement.to_pylist(), V.revision_key)
    files: dict[str, bytes] = {}
    for rev in revisions.to_pylist():
        key, document_id, when = rev[R.revision_key], rev[R.document_id], rev[R.revision_date]
        matrix = revision_matrix(acts.get(key, []), parts.get(key, []), parties)
        name = matrix_name(document_id, when)
        files[f"{name}.csv"] = matrix_to_csv(matrix)
        files[f"{name}.html"] = matrix_page(f"Who does what: {document_id}, {when}", matrix).encode("utf-8")
    return files
