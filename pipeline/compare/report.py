"""A changes frame to reports for people: Markdown and one self-contained HTML page.

Both put summary counts first, then the changes in who is responsible, then every change grouped
by phase. The HTML page has no external resources: its CSS and JavaScript are inline, every
text is escaped, and changed words inside a cell are marked with <del> and <ins>.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from pipeline.compare.match import frame_rows
from pipeline.compare.worddiff import markdown_escape, word_diff_html, word_diff_markdown
from schemas.changes import CHANGE_KINDS, PARTY_CHANGE_COLUMNS

#: How each change kind is named in a report.
KIND_LABELS: dict[str, str] = {
    "added": "Added",
    "removed": "Removed",
    "reworded": "Reworded",
    "moved": "Moved",
    "modified": "Modified",
    "phase_renamed": "Phase renamed",
}
#: How each changed cell is named in a report.
FIELD_LABELS: dict[str, str] = {
    "self_service": "Self-service",
    "reseller_owner": "When EUC buys from reseller",
    "direct_owner": "When EUC buys direct",
    "": "",
}
#: How a change is marked when its old or new cell was read by OCR with low confidence.
READING_DOUBT = "check: may be a reading error"
#: The report metadata key of how many cells were edited in case or punctuation only (not listed as changes).
UNLISTED_EDITS = "case_or_punctuation_cells"


def doubtful(row: Mapping[str, Any], meta: Mapping[str, Any]) -> bool:
    """A change record and report metadata → whether OCR was unsure of its old or new cell."""
    for side in ("old", "new"):
        for cell in meta.get(f"{side}_low_confidence") or []:
            same_cell = cell.get("activity") == row["activity"] and cell.get("field") in (row["field"], "activity")
            if (row[side] and cell.get("text") == row[side]) or same_cell:
                return True
    return False


def _meta_text(meta: Mapping[str, Any], key: str, default: str = "") -> str:
    """Report metadata and a key to its text ("" or `default` when absent)."""
    value = meta.get(key)
    return str(value) if value not in (None, "") else default


def _revision_label(meta: Mapping[str, Any], side: str) -> str:
    """Report metadata and "old"/"new" to a label such as "10Feb20 (2020-02-10)"."""
    label = _meta_text(meta, f"{side}_label", side)
    date = _meta_text(meta, f"{side}_date")
    return f"{label} ({date})" if date and date != label else label


def unlisted_line(meta: Mapping[str, Any]) -> str:
    """Report metadata to the line that says how many cells differ only in case or punctuation ("" when none)."""
    count = int(meta.get(UNLISTED_EDITS) or 0)
    if count == 1:
        return "1 cell differs only in case or punctuation; not listed as a change."
    return f"{count} cells differ only in case or punctuation; not listed as changes." if count else ""


#: A changes frame as plain rows: one dict per change, keyed by column name.
Records = Sequence[Mapping[str, Any]]


def count_changes(changes: pd.DataFrame | Records) -> dict[str, int]:
    """A changes frame (or its rows) to the number of changes of each kind, every kind listed."""
    counts = Counter(str(row["change"]) for row in _rows(changes))
    return {kind: counts[kind] for kind in CHANGE_KINDS}


def responsibility_shifts(changes: pd.DataFrame | Records) -> list[Mapping[str, Any]]:
    """A changes frame (or its rows) to the rows that change who is responsible."""
    return [row for row in _rows(changes) if bool(row["responsibility_change"])]


#: How each party-change column is said in a report, and how each buying path is named.
PARTY_CHANGE_LABELS: dict[str, str] = {
    "lead_gained": "now leads",
    "lead_lost": "no longer leads",
    "support_gained": "now supports",
    "support_lost": "no longer supports",
}
PATH_LABELS: dict[str, str] = {
    "self_service": "self-service",
    "reseller": "via reseller",
    "direct": "direct",
}


def changes_by_party(changes: pd.DataFrame | Records) -> dict[str, list[tuple[str, str, str]]]:
    """A changes frame (or its rows) to party → (what changed for it, path, activity), parties sorted."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    rows = _rows(changes)
    columns = [c for c in PARTY_CHANGE_COLUMNS if rows and c in rows[0]]
    for row in rows:
        for column in columns:
            for entry in filter(None, str(row[column] or "").split(";")):
                path, _, party = entry.partition(":")
                what = PARTY_CHANGE_LABELS[column]
                found.setdefault(party, []).append((what, PATH_LABELS.get(path, path), str(row["activity"])))
    return dict(sorted(found.items()))


def _by_phase(rows: Records) -> dict[str, list[Mapping[str, Any]]]:
    """Change rows to the rows of each phase, phases in order of first appearance."""
    phases: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        phases.setdefault(row["phase"], []).append(row)
    return phases


# ---------------------------------------------------------------- Markdown


def _md(text: object) -> str:
    """Any text to Markdown-safe inline text (one line, special characters escaped)."""
    return markdown_escape(" ".join(str(text).split()))


def _md_change_line(row: Mapping[str, Any]) -> str:
    """One change record to one Markdown bullet, old → new (changed words marked in a reworded or modified cell)."""
    kind, activity = row["change"], _md(row["activity"])
    flag = " **(responsibility shift)**" if row["responsibility_change"] else ""
    if kind == "phase_renamed":
        return f"- **Phase renamed**: {_md(row['old'])} → {_md(row['new'])}"
    if kind in ("added", "removed"):
        return f"- **{KIND_LABELS[kind]}**: {activity}{flag} — {_md(row['summary'])}"
    if kind == "modified":
        field = _md(FIELD_LABELS.get(row["field"], row["field"]))
        old, new = word_diff_markdown(str(row["old"]), str(row["new"]))
        return f"- **Modified** {activity} — {field}{flag}: “{old}” → “{new}”"
    if kind == "reworded":
        old, new = word_diff_markdown(str(row["old"]), str(row["new"]))
        return f"- **Reworded** {activity}{flag}: “{old}” → “{new}”"
    return f"- **{KIND_LABELS[kind]}** {activity}{flag}: “{_md(row['old'])}” → “{_md(row['new'])}”"


def changes_to_markdown(changes: pd.DataFrame | Records, meta: Mapping[str, Any]) -> str:
    """A changes frame (or its rows) and report metadata to a Markdown report: counts, shifts, then by phase."""
    title = _meta_text(meta, "title", "Job aid")
    old_label, new_label = _revision_label(meta, "old"), _revision_label(meta, "new")
    rows = _rows(changes)
    counts = count_changes(rows)
    unlisted = unlisted_line(meta)
    lines = [
        f"# {_md(title)}: changes {_md(old_label)} → {_md(new_label)}",
        "",
        "## Summary",
        "",
        "| change | count |",
        "|---|---:|",
        *(f"| {KIND_LABELS[kind]} | {n} |" for kind, n in counts.items()),
        f"| **Total** | {len(rows)} |",
        "",
        *([unlisted, ""] if unlisted else []),
        "## Responsibility shifts",
        "",
    ]
    shifts = responsibility_shifts(rows)
    if not shifts:
        lines.append("No change in who is responsible.")
    for row in shifts:
        what = FIELD_LABELS.get(row["field"], "") or KIND_LABELS[row["change"]]
        lines.append(f"- {_md(row['activity'])} — {_md(what)}: {_md(row['summary'])}")
    lines += ["", "## By party", ""]
    by_party = changes_by_party(rows)
    if not by_party:
        lines.append("No party gained or lost a part.")
    for party, items in by_party.items():
        lines.append(f"- **{_md(party)}**: " + "; ".join(
            f"{what} ({path}) — {_md(activity)}" for what, path, activity in items
        ))
    lines += ["", "## Changes by phase", ""]
    if not rows:
        lines.append("No changes.")
    for phase, phase_rows in _by_phase(rows).items():
        lines += [f"### {_md(phase)}", ""]
        lines += [_md_change_line(r) + (f" — **{READING_DOUBT}**" if doubtful(r, meta) else "")
                  for r in phase_rows]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# ---------------------------------------------------------------- HTML


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1d1d1f}
h1{font-size:1.4rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem}
.sub{color:#555;margin:0 0 1rem}
.counts{display:flex;gap:.6rem;flex-wrap:wrap;margin:0;padding:0;list-style:none}
.counts li{border:1px solid #ccc;border-radius:6px;padding:.35rem .7rem}
.counts b{font-size:1.15rem;margin-right:.3rem}
.filters label{margin-right:1rem;cursor:pointer;user-select:none}
table{border-collapse:collapse;width:100%;margin-top:.6rem}
th,td{border:1px solid #ddd;padding:.35rem .5rem;vertical-align:top;text-align:left}
th{background:#f4f4f6}tr.phase td{background:#fafafa;font-weight:600}
tr.shift td:first-child{border-left:4px solid #d9480f}
.badge{display:inline-block;font-size:.75rem;border-radius:4px;padding:0 .35rem;background:#eee}
.badge.shift{background:#fff0e6;color:#a63a00;border:1px solid #f3b38a}
.badge.doubt{background:#fdeaf5;color:#8a1f5c;border:1px solid #e377c2}
.kind-added{background:#e6f6ea}.kind-removed{background:#fde8e8}
.kind-modified{background:#fff8e1}.kind-moved,.kind-phase_renamed{background:#e8f0fe}
.kind-reworded{background:#f1e8fd}
del{background:#ffd7d5;color:#82071e;text-decoration:line-through}
ins{background:#ccf3d3;color:#055d20;text-decoration:none}
.summary{color:#555;font-size:.85rem}.unlisted{color:#555;margin:.5rem 0 0}
ul.shifts li{margin:.15rem 0}
tr.party-gain td:nth-child(2){color:#055d20}tr.party-loss td:nth-child(2){color:#82071e}
"""

_JS = """
(function(){
  var boxes=document.querySelectorAll('input[data-kind]');
  function apply(){
    var shown={};
    boxes.forEach(function(b){shown[b.getAttribute('data-kind')]=b.checked;});
    document.querySelectorAll('tr[data-change]').forEach(function(r){
      r.style.display=shown[r.getAttribute('data-change')]?'':'none';
    });
    document.querySelectorAll('tr.phase').forEach(function(p){
      var n=p.nextElementSibling,any=false;
      while(n&&!n.classList.contains('phase')){if(n.style.display!=='none'){any=true;}n=n.nextElementSibling;}
      p.style.display=any?'':'none';
    });
  }
  boxes.forEach(function(b){b.addEventListener('change',apply);});
  apply();
})();
"""


def _html_cells(row: Mapping[str, Any]) -> tuple[str, str]:
    """One change record to the escaped HTML of its old and new cells."""
    if row["change"] in ("modified", "reworded", "phase_renamed", "moved"):
        return word_diff_html(str(row["old"]), str(row["new"]))
    return html.escape(str(row["old"])), html.escape(str(row["new"]))


def _html_row(row: Mapping[str, Any], doubt: bool = False) -> str:
    """One change record to one escaped table row, tagged with its kind for the filter."""
    kind = str(row["change"])
    shift = bool(row["responsibility_change"])
    old_html, new_html = _html_cells(row)
    badge = '<br><span class="badge shift">responsibility shift</span>' if shift else ""
    badge += f'<br><span class="badge doubt">{READING_DOUBT}</span>' if doubt else ""
    field = html.escape(FIELD_LABELS.get(str(row["field"]), str(row["field"])))
    return (
        f'<tr data-change="{html.escape(kind)}" class="{"shift" if shift else ""}">'
        f'<td class="kind-{html.escape(kind)}">{html.escape(KIND_LABELS.get(kind, kind))}{badge}</td>'
        f"<td>{html.escape(str(row['activity']))}</td><td>{field}</td>"
        f"<td>{old_html}</td><td>{new_html}</td>"
        f'<td class="summary">{html.escape(str(row["summary"]))}</td></tr>'
    )


def _html_table(rows: Records, meta: Mapping[str, Any]) -> str:
    """Change rows to an escaped HTML table grouped by phase."""
    head = (
        "<table><thead><tr><th>Change</th><th>Activity</th><th>Cell</th><th>Old</th>"
        "<th>New</th><th>What changed</th></tr></thead><tbody>"
    )
    body: list[str] = []
    for phase, phase_rows in _by_phase(rows).items():
        body.append(f'<tr class="phase"><td colspan="6">{html.escape(str(phase))}</td></tr>')
        body += [_html_row(r, doubtful(r, meta)) for r in phase_rows]
    return head + "".join(body) + "</tbody></table>"


def _html_by_party(records: Records) -> str:
    """Change rows to the escaped "By party" section: one table row per part gained or lost."""
    rows = "".join(
        f'<tr class="party-{"gain" if what.startswith("now") else "loss"}">'
        f"<td>{html.escape(party)}</td><td>{html.escape(what)}</td>"
        f"<td>{html.escape(path)}</td><td>{html.escape(activity)}</td></tr>"
        for party, items in changes_by_party(records).items()
        for what, path, activity in items
    )
    if not rows:
        return '<h2>By party</h2><p class="by-party">No party gained or lost a part.</p>'
    return (
        '<h2>By party</h2><table class="by-party"><thead><tr><th>Party</th><th>What changed</th>'
        f"<th>Path</th><th>Activity</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _html_unlisted(meta: Mapping[str, Any]) -> str:
    """Report metadata to the escaped paragraph saying how many cells differ only in case or punctuation."""
    line = unlisted_line(meta)
    return f'<p class="unlisted">{html.escape(line)}</p>' if line else ""


def changes_to_html(changes: pd.DataFrame | Records, meta: Mapping[str, Any]) -> str:
    """A changes frame (or its rows) and report metadata to one self-contained HTML page (inline CSS and JS)."""
    title = _meta_text(meta, "title", "Job aid")
    old_label, new_label = _revision_label(meta, "old"), _revision_label(meta, "new")
    heading = f"{title}: changes {old_label} → {new_label}"
    rows = _rows(changes)
    counts = count_changes(rows)
    count_items = "".join(
        f"<li><b>{n}</b>{html.escape(KIND_LABELS[kind])}</li>" for kind, n in counts.items()
    )
    filters = "".join(
        f'<label><input type="checkbox" data-kind="{kind}" checked> '
        f"{html.escape(KIND_LABELS[kind])} ({n})</label>"
        for kind, n in counts.items()
    )
    shifts = responsibility_shifts(rows)
    shift_items = "".join(
        f"<li><b>{html.escape(str(r['activity']))}</b> — "
        f"{html.escape(FIELD_LABELS.get(r['field'], '') or KIND_LABELS[r['change']])}: "
        f"{html.escape(str(r['summary']))}</li>"
        for r in shifts
    ) or "<li>No change in who is responsible.</li>"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(heading)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{html.escape(heading)}</h1>"
        f'<p class="sub">{len(rows)} changes; '
        f"{len(shifts)} change who is responsible.</p>"
        f'<h2>Summary</h2><ul class="counts">{count_items}</ul>'
        f"{_html_unlisted(meta)}"
        f'<h2>Responsibility shifts</h2><ul class="shifts">{shift_items}</ul>'
        f"{_html_by_party(rows)}"
        f'<h2>Changes by phase</h2><div class="filters">Show: {filters}</div>'
        f"{_html_table(rows, meta)}"
        f"<script>{_JS}</script></body></html>\n"
    )


def _rows(changes: pd.DataFrame | Records) -> Records:
    """A changes frame (or its rows) → its rows as dicts keyed by column name."""
    if isinstance(changes, pd.DataFrame):
        return frame_rows(changes)
    return changes
