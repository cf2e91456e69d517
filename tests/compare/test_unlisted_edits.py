"""Cells edited in case or punctuation only: no change in the change list, one counting line in the reports."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from pipeline.compare.diff import diff_revisions, unlisted_edits
from pipeline.compare.match import match_rows, to_rows
from pipeline.compare.pair import compare
from pipeline.compare.refresh import refresh_document
from pipeline.compare.report import UNLISTED_EDITS, changes_to_html, changes_to_markdown
from pipeline.store.files import save_revision

DOC = "case-doc"
QUOTING, SUPPORT = "Quoting & Ordering", "Equinix Support"
OLD = [
    (QUOTING, "Customer requests a quote", "", "EUC contacts reseller.", "EUC contacts EQIX AE."),
    (QUOTING, "Order PDUs", "Self-service", "Reseller orders from AE.", "EUC orders from AE."),
    (SUPPORT, "Add services to existing footprint", "", "Reseller engages CSM.", "EUC CSM provides support."),
    (SUPPORT, "Escalate an issue", "", "Reseller", "EUC CSM\nprovides support."),
    (SUPPORT, "Dropped activity", "", "Reseller", "EUC"),
]
NEW = [
    (QUOTING, "customer requests a quote.", "", "EUC contacts reseller.", "EUC contacts EQIX AE."),  # activity
    (QUOTING, "Order PDUs", "Self service", "Reseller orders from AE.", "EUC orders from AE."),  # self-service
    ("Equinix support", "Add services to existing footprint", "", "reseller engages CSM.",  # phase, reseller
     "EUC CSM provides support."),
    ("Equinix support", "Escalate an issue", "", "EQIX AE", "EUC CSM provides support."),  # a change; a line wrap
    ("Equinix support", "Install a cage", "", "EQIX AE leads.", "Equinix"),
]


def activities(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["phase", "activity", "self_service", "reseller_owner", "direct_owner"])
    return frame.assign(order=range(1, len(frame) + 1), pages="1", self_service_status="not_stated")


def test_case_and_punctuation_edits_are_counted_not_listed() -> None:
    old, new = activities(OLD), activities(NEW)
    changes = diff_revisions(old, new)
    assert sorted(changes["change"]) == ["added", "modified", "removed"]  # the one real edit, not the others
    old_rows, new_rows = to_rows(old), to_rows(new)
    # the activity, self-service and reseller cells and the phase name (once for its three rows); not the line
    # wrap, the real change or the rows added and removed
    assert unlisted_edits(old_rows, new_rows, match_rows(old_rows, new_rows)) == 4
    same = to_rows(old)
    assert unlisted_edits(same, same, match_rows(same, same)) == 0


def test_reports_say_how_many_cells_differ_only_in_case_or_punctuation() -> None:
    changes = diff_revisions(activities(OLD), activities(NEW))
    line = "4 cells differ only in case or punctuation; not listed as changes."
    md = changes_to_markdown(changes, {UNLISTED_EDITS: 4})
    assert md.count(line) == 1
    assert md.index("| **Total** | 3 |") < md.index(line) < md.index("## Responsibility shifts")
    page = changes_to_html(changes, {UNLISTED_EDITS: 4})
    assert f'<p class="unlisted">{line}</p>' in page
    one = "1 cell differs only in case or punctuation; not listed as a change."
    assert one in changes_to_markdown(changes, {UNLISTED_EDITS: 1})
    assert one in changes_to_html(changes, {UNLISTED_EDITS: 1})
    for meta in ({UNLISTED_EDITS: 0}, {}):
        assert "only in case or punctuation" not in changes_to_markdown(changes, meta)
        assert "only in case or punctuation" not in changes_to_html(changes, meta)


def test_stored_diffs_and_jobaid_diff_report_the_count(tmp_path: Path) -> None:
    store = tmp_path / "store"
    document_dir = store / DOC
    for day, rows in (("2020-02-10", OLD), ("2021-06-15", NEW)):
        revision = {"title": "Job aid", "document_id": DOC, "revision_label": day, "revision_date": day,
                    "source_file": f"{day}.pdf", "source_sha256": "0" * 64, "page_count": 1}
        save_revision(document_dir, revision, activities(rows), pd.DataFrame(columns=["term", "definition"]))
    refresh_document(document_dir, DOC)
    line = "4 cells differ only in case or punctuation; not listed as changes."
    stored = document_dir / "changes" / "2020-02-10__2021-06-15"
    assert line in (stored / "report.md").read_text(encoding="utf-8")
    assert line in (stored / "report.html").read_text(encoding="utf-8")
    out = tmp_path / "out"
    comparison = compare(f"{DOC}@2020-02-10", f"{DOC}@2021-06-15", store, out)
    assert comparison.meta[UNLISTED_EDITS] == 4
    assert line in (out / "report.md").read_text(encoding="utf-8")
    with (out / "changes.csv").open(encoding="utf-8", newline="") as handle:
        assert sorted(row["change"] for row in csv.DictReader(handle)) == ["added", "modified", "removed"]
    assert (out / "changes.csv").read_bytes() == (stored / "changes.csv").read_bytes()
