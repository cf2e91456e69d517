"""Changes to reports: Markdown with counts first, one self-contained HTML page."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pipeline.compare.diff import diff_revisions
from pipeline.compare.report import (
    changes_to_html,
    changes_to_markdown,
    count_changes,
    word_diff_html,
    word_diff_markdown,
)

DEPLOY = "Customer IBX Access & Product, Cage Deployment and Logistics"
SUPPORT = "Equinix Support"
META = {
    "title": "End Customer Support Comparison",
    "old_label": "10Feb20",
    "old_date": "2020-02-10",
    "new_label": "15Jun21",
    "new_date": "2021-06-15",
}


def activities(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    """Rows of (phase, activity, self-service, reseller, direct) to an activities frame."""
    frame = pd.DataFrame(
        rows, columns=["phase", "activity", "self_service", "reseller_owner", "direct_owner"]
    )
    frame["order"] = range(1, len(frame) + 1)
    return frame


@pytest.fixture
def changes() -> pd.DataFrame:
    old = activities([
        (DEPLOY, "Request ECX Fabric Port", "Self-service not available",
         "EUC submits order to reseller for port. Reseller assigns ECX port and notifies EUC.",
         "EUC orders port and self-configures."),
        (DEPLOY, "Customer requests a quote", "", "EUC contacts reseller for quotes and pricing.",
         "EUC contacts EQIX AE for quotes & pricing."),
        (DEPLOY, "Order SmartView", "", "Reseller orders on ECP for EUC.", "EUC orders from AE."),
        (DEPLOY, "Order PDUs <b>now</b>", "", "EUC orders from reseller.", "EUC orders from AE."),
        (SUPPORT, "Add services to existing footprint", "",
         "Reseller engages their assigned partner CSM for assistance.", "EUC CSM provides support."),
    ])
    new = activities([
        (DEPLOY, "Request ECX Fabric Port", "Self-service on ECP",
         "Reseller may order on ECP or set EUC user permission to allow EUC self-service.",
         "EUC orders port and self-configures."),
        (DEPLOY, "Customer requests a quote", "", "EUC contacts reseller for quotes & pricing.",
         "EUC contacts EQIX AE for quotes & pricing."),
        (DEPLOY, "Order PDUs <b>now</b>", "", "EUC orders from reseller.",
         "EUC orders from AE or on ECP."),
        ("Equinix Customer Support", "Add services to existing footprint", "",
         "Reseller engages their assigned partner CSM for assistance.", "EUC CSM provides support."),
    ])
    return diff_revisions(old, new)


def test_counts_cover_every_kind(changes: pd.DataFrame) -> None:
    assert count_changes(changes) == {
        "added": 0, "removed": 1, "reworded": 0, "moved": 0, "modified": 4, "phase_renamed": 1,
    }


def test_markdown_puts_counts_first_then_shifts_then_phases(changes: pd.DataFrame) -> None:
    md = changes_to_markdown(changes, META)
    assert md.startswith("# End Customer Support Comparison")
    assert "10Feb20 (2020-02-10) → 15Jun21 (2021-06-15)" in md
    summary, shifts, phases = (md.index(h) for h in ("## Summary", "## Responsibility shifts", "## Changes by phase"))
    assert summary < shifts < phases
    assert "| Modified | 4 |" in md and "| Removed | 1 |" in md and "| **Total** | 6 |" in md
    assert md.index("| Modified | 4 |") < shifts
    shift_section = md[shifts:phases]
    assert "Request ECX Fabric Port" in shift_section
    assert "Customer requests a quote" not in shift_section  # wording only
    assert "“EUC orders from AE.” → “EUC orders from AE **or on ECP**.”" in md  # inserted words in bold
    assert "### Equinix Customer Support" in md
    assert "\\<b\\>" in md  # markup in the data is escaped


def test_markdown_of_no_changes() -> None:
    frame = activities([(DEPLOY, "Order PDUs", "", "Reseller orders.", "EUC orders.")])
    md = changes_to_markdown(diff_revisions(frame, frame), META)
    assert "| **Total** | 0 |" in md and "No changes." in md


def test_html_is_self_contained(changes: pd.DataFrame) -> None:
    page = changes_to_html(changes, META)
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "http://" not in page and "https://" not in page
    assert "<link" not in page and "<script src" not in page
    assert "<style>" in page and "<script>" in page


def test_html_has_counts_filters_and_shift_marks(changes: pd.DataFrame) -> None:
    page = changes_to_html(changes, META)
    for kind in ("added", "removed", "reworded", "moved", "modified", "phase_renamed"):
        assert f'data-kind="{kind}"' in page
    assert page.count('<tr data-change="modified"') == 4
    # the self-service gain and the removal; rewording a cell or adding the portal as a channel
    # (same parties, same parts) is not a shift
    assert page.count('class="shift"') == 2
    assert page.index('class="counts"') < page.index("<table>")


def test_html_highlights_changed_words(changes: pd.DataFrame) -> None:
    page = changes_to_html(changes, META)
    assert "EUC orders from AE<ins> or on ECP</ins>." in page
    assert "<del>and</del>" in page and "<ins>&amp;</ins>" in page


def test_html_escapes_text(changes: pd.DataFrame) -> None:
    page = changes_to_html(changes, META | {"title": "<script>alert(1)</script>"})
    assert "<b>now</b>" not in page and "&lt;b&gt;now&lt;/b&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_word_diff_marks_only_changed_words() -> None:
    old_html, new_html = word_diff_html("EUC orders from AE.", "EUC orders from AE or <ECP>.")
    assert old_html == "EUC orders from AE."
    assert new_html == "EUC orders from AE<ins> or &lt;ECP&gt;</ins>."
    old_html, new_html = word_diff_html("Self-service not available", "Self-service on ECP")
    assert old_html == "Self-service <del>not available</del>"
    assert new_html == "Self-service <ins>on ECP</ins>"
    assert word_diff_html("same text", "same text") == ("same text", "same text")


def test_markdown_marks_changed_words(changes: pd.DataFrame) -> None:
    md = changes_to_markdown(changes, META)
    assert "“Self-service ~~not available~~” → “Self-service **on ECP**”" in md
    assert "for quotes ~~and~~ pricing.” → “EUC contacts reseller for quotes **&** pricing.”" in md
    old_md, new_md = word_diff_markdown("EUC  orders from\nAE.", "EUC orders <ECP> from AE.")
    assert (old_md, new_md) == ("EUC orders from AE.", "EUC orders **\\<ECP\\>** from AE.")


def test_by_party_lists_every_part_gained_or_lost(changes: pd.DataFrame) -> None:
    md = changes_to_markdown(changes, META)
    by_party = md[md.index("## By party") : md.index("## Changes by phase")]
    assert "**EUC**: now leads (self-service) — Request ECX Fabric Port" in by_party
    assert "no longer leads (via reseller) — Order SmartView" in by_party
    assert "**EQIX AE**: no longer supports (direct) — Order SmartView" in by_party
    assert "Customer requests a quote" not in by_party
    page = changes_to_html(changes, META)
    section = page[page.index("<h2>By party</h2>") : page.index("<h2>Changes by phase</h2>")]
    assert section.count('<tr class="party-gain">') == 1
    assert section.count('<tr class="party-loss">') == 3  # Reseller, EUC, EQIX AE on SmartView
