"""Revisions a real reviser makes: strong rewordings, rewording and moving at once, look-alike activity texts,
edits of case, punctuation or hyphens only, renamed phases that lose activities, re-spelled role names."""

from __future__ import annotations

import pandas as pd

from pipeline.compare.diff import diff_revisions
from pipeline.compare.report import word_diff_html
from schemas.changes import ChangesSchema
from tests.compare.test_diff import ADMIN, BASE, DEPLOY, QUOTING, SUPPORT, Row, activities, replace

Change = tuple[str, str, str, str, str, str]


def changes_of(old: list[Row], new: list[Row]) -> list[Change]:
    """Two revisions' rows → their changes as (change, phase, activity, field, old, new), schema checked."""
    changes = diff_revisions(activities(old), activities(new))
    ChangesSchema.validate(changes, lazy=True)
    return [tuple(r) for r in changes[["change", "phase", "activity", "field", "old", "new"]].itertuples(index=False)]


def renamed(rows: list[Row], names: dict[str, str]) -> list[Row]:
    """Rows and old → new phase names to the rows under the new names."""
    return [(names.get(r[0], r[0]), *r[1:]) for r in rows]


TICKETS: list[Row] = [
    (SUPPORT, "Create ticket", "", "Reseller creates the ticket.", "EUC creates the ticket."),
    (SUPPORT, "Update ticket", "", "Reseller updates the ticket.", "EUC updates the ticket."),
    (SUPPORT, "Close ticket", "", "Reseller closes the ticket.", "EUC closes the ticket."),
]


def test_strong_rewording_in_place_with_the_same_cells() -> None:
    new = replace(BASE, "Customer requests a quote", activity="End customer asks for a price quote")
    assert changes_of(BASE, new) == [
        ("reworded", QUOTING, "End customer asks for a price quote", "", "Customer requests a quote",
         "End customer asks for a price quote"),
    ]


def test_another_activity_put_in_the_place_of_one_with_the_same_cells_is_removed_and_added() -> None:
    # a reviser replaces an activity in its place; boilerplate owner cells may well be the same
    for replacement in ("End customer asks for pricing", "Order Equinix Fabric Cloud Router"):
        new = replace(BASE, "Customer requests a quote", activity=replacement)
        assert sorted(c[0] for c in changes_of(BASE, new)) == ["added", "removed"]
    new = replace(BASE, "EUC issues escalation and resolution", activity="Joint service reviews")
    assert sorted(c[0] for c in changes_of(BASE, new)) == ["added", "removed"]


def test_strong_rewording_of_the_last_activity_of_a_phase() -> None:
    new = replace(BASE, "EUC issues escalation and resolution", activity="Escalations raised by EUC until resolved")
    assert [c[0] for c in changes_of(BASE, new)] == ["reworded"]


def test_strong_rewording_with_a_new_owner_is_removed_and_added() -> None:
    new = replace(BASE, "Customer requests a quote", activity="End customer asks for a price quote",
                  direct_owner="EUC asks the AE.")
    assert sorted(c[0] for c in changes_of(BASE, new)) == ["added", "removed"]


def test_twin_rows_strongly_reworded_pair_in_order() -> None:
    twins = [(SUPPORT, "Review services quarterly", "", "Reseller leads.", "EUC CSM leads."),
             (SUPPORT, "Plan service improvements", "", "Reseller leads.", "EUC CSM leads.")]
    new_twins = [(SUPPORT, "Quarterly business review", *twins[0][2:]),
                 (SUPPORT, "Service improvements roadmap session", *twins[1][2:])]
    got = changes_of(BASE + twins, BASE + new_twins)
    assert [(c[0], c[4], c[5]) for c in got] == [
        ("reworded", "Review services quarterly", "Quarterly business review"),
        ("reworded", "Plan service improvements", "Service improvements roadmap session"),
    ]


def test_words_added_and_moved_at_once() -> None:
    pdus = next(r for r in BASE if r[1] == "Order PDUs")
    new = [r for r in BASE if r is not pdus]
    new.insert(2, (QUOTING, "Order PDUs (power strips)", *pdus[2:]))
    assert changes_of(BASE, new) == [
        ("reworded", QUOTING, "Order PDUs (power strips)", "", "Order PDUs", "Order PDUs (power strips)"),
        ("moved", QUOTING, "Order PDUs (power strips)", "", DEPLOY, QUOTING),
    ]


def test_look_alike_texts_do_not_cross_match() -> None:
    # "Update ticket" replaces "Create ticket": another verb, another activity
    assert sorted(changes_of(BASE + TICKETS[:1], BASE + TICKETS[1:2])) == [
        ("added", SUPPORT, "Update ticket", "", "", ""),
        ("removed", SUPPORT, "Create ticket", "", "", ""),
    ]
    # "Create ticket" reworded and moved after "Close ticket", "Update ticket" removed
    new = BASE + [TICKETS[2], (SUPPORT, "Create a ticket", *TICKETS[0][2:])]
    assert sorted(changes_of(BASE + TICKETS, new)) == [
        ("removed", SUPPORT, "Update ticket", "", "", ""),
        ("reworded", SUPPORT, "Create a ticket", "", "Create ticket", "Create a ticket"),
    ]


def test_case_punctuation_and_hyphen_only_edits_are_no_change() -> None:
    old = replace(BASE, "Add services to existing footprint", direct_owner="EUC CSM provides email support.")
    new = replace(old, "Primary Owner of EUC (relationship).", activity="Primary Owner of EUC (relationship)")
    new = replace(new, "Order PDUs", activity="Order PDUs", direct_owner="EUC orders from AE")
    new = replace(new, "Request ECX Fabric Port", activity="Request ECX fabric port",
                  self_service="Self-Service not available")
    new = replace(new, "Add services to existing footprint", direct_owner="EUC CSM provides e-mail support.")
    new = renamed(new, {SUPPORT: "EQUINIX SUPPORT"})
    assert changes_of(old, new) == []
    # words that change stay changes: "&" for "and" is a word
    new = replace(BASE, "Customer requests a quote", reseller_owner="EUC contacts reseller for quotes & pricing.")
    assert [c[:4] for c in changes_of(BASE, new)] == [("modified", QUOTING, "Customer requests a quote",
                                                       "reseller_owner")]


def test_phase_renamed_while_half_its_activities_leave() -> None:
    new = renamed(BASE, {SUPPORT: "Ongoing Support"})
    leaving = [r for r in new if r[0] == "Ongoing Support"][:1]
    new = [r for r in new if r not in leaving]
    new[10:10] = [(ADMIN, *r[1:]) for r in leaving]
    got = changes_of(BASE, new)
    assert ("phase_renamed", "Ongoing Support", "", "", SUPPORT, "Ongoing Support") in got
    assert [c for c in got if c[0] != "phase_renamed"] == [
        ("moved", ADMIN, leaving[0][1], "", SUPPORT, ADMIN),
    ]


def test_role_name_spelled_out_is_modified_but_no_responsibility_change() -> None:
    new = replace(BASE, "Add services to existing footprint",
                  direct_owner="EUC Customer Success Manager provides support.")
    changes = diff_revisions(activities(BASE), activities(new))
    assert list(changes["change"]) == ["modified"] and list(changes["field"]) == ["direct_owner"]
    assert not changes["responsibility_change"].any()


def test_self_service_yes_to_y_is_modified_without_a_shift() -> None:
    old = replace(BASE, "Order PDUs", self_service="Yes")
    new = replace(BASE, "Order PDUs", self_service="Y")
    changes: pd.DataFrame = diff_revisions(activities(old), activities(new))
    assert list(changes["change"]) == ["modified"] and list(changes["field"]) == ["self_service"]
    assert not changes["responsibility_change"].any()


def test_word_diff_of_unlike_phrases_is_whole() -> None:
    assert word_diff_html(DEPLOY, QUOTING) == (
        "<del>Customer IBX Access &amp; Product, Cage Deployment and Logistics</del>",
        "<ins>Quoting &amp; Ordering</ins>",
    )


def test_merged_rows_pair_with_the_row_that_kept_its_cells() -> None:
    # "Order SmartView" folded into "Order PDUs": the widened row has the PDUs row's cells
    new = replace(BASE, "Order PDUs", activity="Order PDUs and SmartView")
    new = [r for r in new if r[1] != "Order SmartView"]
    assert sorted(changes_of(BASE, new)) == [
        ("removed", DEPLOY, "Order SmartView", "", "", ""),
        ("reworded", DEPLOY, "Order PDUs and SmartView", "", "Order PDUs", "Order PDUs and SmartView"),
    ]


def test_every_phase_renamed_and_reordered_is_renames_only() -> None:
    names = {QUOTING: "Sales", DEPLOY: "Deployment", ADMIN: "Portal Administration", SUPPORT: "Ongoing Support"}
    new = renamed(BASE, names)
    new = [r for r in new if r[0] == "Ongoing Support"] + [r for r in new if r[0] != "Ongoing Support"]
    got = changes_of(BASE, new)
    assert sorted(got) == sorted(("phase_renamed", n, "", "", o, n) for o, n in names.items())


def test_a_cell_of_marks_only_is_not_blank() -> None:
    for before, after in (("✓", ""), ("--", ""), ("✓", "--")):
        old = replace(BASE, "Order PDUs", self_service=before)
        new = replace(BASE, "Order PDUs", self_service=after)
        assert changes_of(old, new) == [("modified", DEPLOY, "Order PDUs", "self_service", before, after)]
    old = replace(BASE, "Order PDUs", self_service="\u2013")
    assert changes_of(old, replace(BASE, "Order PDUs", self_service="-")) == []
