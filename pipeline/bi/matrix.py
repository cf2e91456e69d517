"""fact_involvement → a responsibility matrix per revision: activities × parties, L/S per path.

A cell lists the party's part on each buying path, e.g. `R:L D:S` (leads when bought from a
reseller, supports when bought direct). Pure: frames in, frames and text out.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

import pandas as pd

from schemas.warehouse import PATHS, DimRevision, FactInvolvement, FactResponsibility

MATRIX_DIR = "matrix"
#: How each buying path and each role is abbreviated in a matrix cell.
PATH_CODES = {"self_service": "SS", "reseller": "R", "direct": "D"}
ROLE_CODES = {"lead": "L", "support": "S"}
LEGEND = (
    "Cells: SS = self-service, R = bought from a reseller, D = bought direct; "
    "L = leads, S = supports."
)
MATRIX_KEYS = ["phase", "activity", "activity_id"]


def revision_matrix(
    responsibility: pd.DataFrame, involvement: pd.DataFrame, revision_key: str, parties: list[str]
) -> pd.DataFrame:
    """One revision's fact rows and involvement, and parties in order → the matrix (one row per activity)."""
    F, V = FactResponsibility, FactInvolvement
    acts = responsibility[responsibility[F.revision_key] == revision_key].sort_values(F.activity_order)
    rows = involvement[involvement[V.revision_key] == revision_key]
    cells: dict[tuple[str, str], list[str]] = {}
    path_order = {path: i for i, path in enumerate(PATHS)}
    ordered = sorted(rows.to_dict("records"), key=lambda r: path_order[r[V.path]])
    for row in ordered:
        code = f"{PATH_CODES[row[V.path]]}:{ROLE_CODES[row[V.role]]}"
        cells.setdefault((row[V.activity_id], row[V.party]), []).append(code)
    present = [p for p in parties if any(party == p for _, party in cells)]
    records = []
    for act in acts.to_dict("records"):
        record = {"phase": act[F.phase], "activity": act[F.activity], "activity_id": act[F.activity_id]}
        for party in present:
            record[party] = " ".join(cells.get((act[F.activity_id], party), []))
        records.append(record)
    return pd.DataFrame(records, columns=[*MATRIX_KEYS, *present])


def matrix_name(document_id: str, revision_date: object) -> str:
    """A revision → the file name stem of its matrix (`<document>__<date>`)."""
    return f"{document_id}__{revision_date}"


def matrix_to_html(matrix: pd.DataFrame) -> str:
    """A matrix → an escaped HTML table: phases as group rows, leads dark, supports light."""
    parties = [c for c in matrix.columns if c not in MATRIX_KEYS]
    head = "".join(f"<th>{html.escape(p)}</th>" for p in parties)
    body: list[str] = []
    phase = None
    for row in matrix.to_dict("records"):
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


def matrix_page(title: str, matrix: pd.DataFrame) -> str:
    """A title and a matrix → one self-contained HTML page."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>"
        "body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d1d1f}"
        f"{MATRIX_CSS}</style></head><body><h1>{html.escape(title)}</h1>"
        f"{matrix_to_html(matrix)}</body></html>\n"
    )


def matrix_files(tables: Mapping[str, pd.DataFrame], parties: list[str]) -> dict[str, bytes]:
    """Every BI table and the parties in order → `<document>__<date>.csv` and `.html` per revision."""
    files: dict[str, bytes] = {}
    for rev in tables["dim_revision"].to_dict("records"):
        matrix = revision_matrix(
            tables["fact_responsibility"], tables["fact_involvement"], rev[DimRevision.revision_key], parties
        )
        name = matrix_name(rev[DimRevision.document_id], rev[DimRevision.revision_date])
        files[f"{name}.csv"] = matrix.to_csv(index=False, lineterminator="\n").encode("utf-8")
        title = f"Who does what: {rev[DimRevision.document_id]}, {rev[DimRevision.revision_date]}"
        files[f"{name}.html"] = matrix_page(title, matrix).encode("utf-8")
    return files
