"""Revisions to changes: matching, every change kind, layout noise, phase renames, stable ids."""

from __future__ import annotations

import pandas as pd
import pytest
from rapidfuzz import fuzz

from pipeline.compare.diff import diff_revisions
from pipeline.compare.ids import assign_activity_ids
from pipeline.compare.match import DiffSettings, match_key, match_rows, to_rows
from schemas.changes import COLUMNS, ChangesSchema

QUOTING = "Quoting & Ordering"
DEPLOY = "Customer IBX Access & Product, Cage Deployment and Logistics"
ADMIN = "Equinix Customer Portal (ECP) Administration"
SUPPORT = "Equinix Support"

Row = tuple[str, str, str, str, str]

# A handful of rows modelled on the 10Feb20 job aid: phase, activity, self-service, reseller, direct.
BASE: list[Row] = [
    (QUOTING, "Primary Owner of EUC (relationship).", "",
     "Reseller leads the relationship. EQIX AE supports reseller.",
     "EQIX AE leads the EUC relationship. No reseller participation."),
    (QUOTING, "Customer requests a quote", "",
     "EUC contacts reseller for quotes and pricing.", "EUC contacts EQIX AE for quotes & pricing."),
    (DEPLOY, "Install equipment in Cage (rack-n-stack)", "",
     "Reseller may provide their own tech support in IBX or issue ECP ticket for IBX Smart Hands.",
     "EUC may provide own tech support or request Smart Hands services on ECP."),
    (DEPLOY, "Request ECX Fabric Port", "Self-service not available",
     "EUC submits order to reseller for port. Reseller assigns ECX port and notifies EUC.",
     "EUC orders port and self-configures."),
    (DEPLOY, "Order Network Edge services (ECX Portal)", "",
     "Currently not available for reseller resale.", "EUC can self-order on ECP (ECX Fabric) portal."),
    (DEPLOY, "Order Metro Connect services", "",
     "EUC Orders from reseller. Reseller orders from AE", "EUC orders from ECP."),
    (DEPLOY, "Order SmartView", "", "Reseller orders on ECP for EUC.",
     "EUC orders from AE. EUC orders Smart Hands on ECP as needed."),
    (DEPLOY, "Order PDUs", "", "EUC orders from reseller. Reseller orders from AE",
     "EUC orders from AE."),
    (DEPLOY, "Resolve issues with power Draw Cap for circuit-based power.", "",
     "EUC resolves with reseller. Reseller engages AE to increase Draw Cap",
     "EUC submits PO based on AE quote for increased kVA."),
    (ADMIN, "Assign EUC assets in ECP", "EUC Master Admin Self-service",
     "Reseller assigns assets in ECP or delegates to EUC MA.",
     "EUC self-service on ECP. Limited EUC CSM assistance."),
    (SUPPORT, "Add services to existing footprint", "",
     "Reseller engages their assigned partner CSM for assistance.", "EUC CSM provides support."),
    (SUPPORT, "EUC issues escalation and resolution", "",
     "Reseller engages their assigned partner CSM for assistance.", "EUC CSM provides support."),
]


def activities(rows: list[Row]) -> pd.DataFrame:
    """Rows of (phase, activity, self-service, reseller, direct) to an activities frame."""
    frame = pd.DataFrame(
        rows, columns=["phase", "activity", "self_service", "reseller_owner", "direct_owner"]
    )
    frame["order"] = range(1, len(frame) + 1)
    frame["pages"] = "1"
    frame["self_service_status"] = "not_stated"
    return frame


def replace(rows: list[Row], name: str, /, **changes: str) -> list[Row]:
    """Rows, an activity name and new cell values to a copy of the rows with that row changed."""
    fields = ("phase", "activity", "self_service", "reseller_owner", "direct_owner")
    out = []
    for row in rows:
        if row[1] == name:
            values = dict(zip(fields, row, strict=True)) | changes
            row = tuple(values[f] for f in fields)  # type: ignore[assignment]
        out.append(row)
    return out


def kinds(changes: pd.DataFrame) -> list[str]:
    return list(changes["change"])


def test_same_revision_has_no_changes() -> None:
    changes = diff_revisions(activities(BASE), activities(BASE))
    assert changes.empty
    assert tuple(changes.columns) == COLUMNS
    ChangesSchema.validate(changes)


def test_layout_noise_is_not_a_change() -> None:
    def relayout(text: str) -> str:
        words = text.replace("-", "-\n").split(" ")
        return "  ".join(words[:2]) + "\n" + " ".join(words[2:]).replace("ll", "l\u00adl")

    noisy = [(relayout(p), relayout(a), relayout(s), relayout(r), relayout(d)) for p, a, s, r, d in BASE]
    assert diff_revisions(activities(BASE), activities(noisy)).empty


def test_changes_frame_starts_with_the_contract_columns_and_validates() -> None:
    new = replace(BASE, "Order PDUs", direct_owner="EUC orders from AE or on ECP.")
    changes = diff_revisions(activities(BASE), activities(new))
    assert list(changes.columns[:6]) == ["change", "phase", "activity", "field", "old", "new"]
    assert tuple(changes.columns) == COLUMNS
    ChangesSchema.validate(changes, lazy=True)


def test_added_and_removed() -> None:
    new = [r for r in BASE if r[1] != "Order SmartView"]
    new.insert(7, (DEPLOY, "Order Equinix Fabric Cloud Router", "Self-service on ECP",
                   "Reseller sets EUC user permission to allow self-ordering of Cloud Router.",
                   "EUC user self-orders and configures Cloud Router on ECP."))
    changes = diff_revisions(activities(BASE), activities(new))
    assert kinds(changes) == ["removed", "added"]
    removed, added = changes.to_dict("records")
    assert removed["activity"] == "Order SmartView" and removed["phase"] == DEPLOY
    assert added["activity"] == "Order Equinix Fabric Cloud Router"
    assert removed["responsibility_change"] and added["responsibility_change"]
    assert removed["lead_lost"] == "reseller:Reseller;direct:EUC"
    assert removed["support_lost"] == "direct:EQIX AE;direct:Smart Hands"
    assert added["lead_gained"] == "self_service:EUC;reseller:Reseller;direct:EUC"
    assert added["lead_lost"] == added["support_lost"] == ""


def test_reworded_is_not_removed_and_added() -> None:
    new = replace(BASE, "Install equipment in Cage (rack-n-stack)",
                  activity="Install equipment in cage (rack and stack)")
    changes = diff_revisions(activities(BASE), activities(new))
    assert kinds(changes) == ["reworded"]
    row = changes.iloc[0]
    assert row["activity"] == "Install equipment in cage (rack and stack)"
    assert (row["old"], row["new"]) == (
        "Install equipment in Cage (rack-n-stack)", "Install equipment in cage (rack and stack)"
    )
    assert not row["responsibility_change"]


def test_reworded_by_similarity() -> None:
    new = replace(BASE, "Customer requests a quote", activity="Customer requests a price quote")
    changes = diff_revisions(activities(BASE), activities(new))
    assert kinds(changes) == ["reworded"]
    assert 0.6 <= changes.iloc[0]["similarity"] < 1


def test_match_key_unifies_and_variants() -> None:
    assert match_key("Rack-n-Stack") == match_key("rack and  stack") == match_key("Rack & Stack")
    assert match_key("Cage \u2013 demarc.") == match_key("cage - demarc")


def test_subset_name_is_not_matched_by_token_set_logic() -> None:
    old_name = "Install Performance / Data Hub (rack-n-stack)"
    new_name = "Install Hub"
    assert fuzz.token_set_ratio(match_key(old_name), match_key(new_name)) == 100
    cells = ("Self-service", "Reseller provides technician.", "EUC self-installs.")
    old = BASE + [(DEPLOY, old_name, *cells)]
    # elsewhere in the new revision: only the text could pair them (at the same place with the same cells,
    # the name would be a rewording: test_strong_rewording_in_place_with_the_same_cells)
    new = [*BASE[:2], (DEPLOY, new_name, *cells), *BASE[2:]]
    changes = diff_revisions(activities(old), activities(new))
    assert sorted(kinds(changes)) == ["added", "removed"]


def test_modified_rows_one_per_changed_cell() -> None:
    new = replace(
        BASE, "Request ECX Fabric Port",
        self_service="Self-service on ECP",
        reseller_owner="Reseller may order on ECP or set EUC user permission to allow EUC self-service.",
    )
    changes = diff_revisions(activities(BASE), activities(new))
    assert kinds(changes) == ["modified", "modified"]
    assert list(changes["field"]) == ["self_service", "reseller_owner"]
    assert list(changes["old"]) == [
        "Self-service not available",
        "EUC submits order to reseller for port. Reseller assigns ECX port and notifies EUC.",
    ]
    # the customer gains the self-service lead; on the reseller path the Reseller leads before
    # and after (the EUC is only served), so no party gained or lost a part there
    assert list(changes["responsibility_change"]) == [True, False]
    assert list(changes["lead_gained"]) == ["self_service:EUC", ""]


@pytest.mark.parametrize(
    ("activity", "column", "new_text", "shift"),
    [
        ("Customer requests a quote", "reseller_owner", "EUC contacts reseller for quotes & pricing.", False),
        ("Order Network Edge services (ECX Portal)", "direct_owner",
         "EUC can self-order on ECP (Equinix Fabric) portal.", False),
        ("Order Network Edge services (ECX Portal)", "reseller_owner",
         "Reseller orders on ECP for EUC. EQIX AE supports reseller.", True),
        # a portal added as a channel: the same parties take the same parts
        ("Order PDUs", "direct_owner", "EUC orders from AE or on ECP.", False),
        ("Order PDUs", "direct_owner", "EUC orders from AE. EUC orders Smart Hands on ECP.", True),
        ("Primary Owner of EUC (relationship).", "reseller_owner",
         "EQIX AE leads the relationship. Reseller supports EQIX AE.", True),
    ],
)
def test_responsibility_change_flag(activity: str, column: str, new_text: str, shift: bool) -> None:
    new = replace(BASE, activity, **{column: new_text})
    changes = diff_revisions(activities(BASE), activities(new))
    assert kinds(changes) == ["modified"]
    assert bool(changes.iloc[0]["responsibility_change"]) is shift


def test_moved_activity() -> None:
    draw_cap = "Resolve issues with power Draw Cap for circuit-based power."
    moved = next(r for r in BASE if r[1] == draw_cap)
    new = [r for r in BASE if r[1] != draw_cap] + [(SUPPORT, *moved[1:])]
    changes = diff_revisions(activities(BASE), activities(new))
    assert kinds(changes) == ["moved"]
    row = changes.iloc[0]
    assert (row["phase"], row["activity"], row["old"], row["new"]) == (SUPPORT, draw_cap, DEPLOY, SUPPORT)
    assert not row["responsibility_change"]  # a move changes no party's part


def test_phase_rename_is_one_row_and_no_moves() -> None:
    renamed = "Equinix Customer Support"
    new = [(renamed if r[0] == SUPPORT else r[0], *r[1:]) for r in BASE]
    changes = diff_revisions(activities(BASE), activities(new))
    assert kinds(changes) == ["phase_renamed"]
    row = changes.iloc[0]
    assert (row["old"], row["new"], row["activity"], row["phase"]) == (SUPPORT, renamed, "", renamed)
    assert not row["responsibility_change"]
    ChangesSchema.validate(changes)


def test_phase_rename_by_position_with_an_unlike_name() -> None:
    new = [("Portal housekeeping" if r[0] == ADMIN else r[0], *r[1:]) for r in BASE]
    changes = diff_revisions(activities(BASE), activities(new))
    assert kinds(changes) == ["phase_renamed"]


def test_phase_rename_with_a_move_out_of_it() -> None:
    renamed = "Equinix Customer Support"
    audit = (SUPPORT, "EUC install base validation & Audits", "",
             "Reseller engages their assigned partner CSM for assistance.", "EUC CSM provides support.")
    old = BASE + [audit]
    new = [(renamed if r[0] == SUPPORT else r[0], *r[1:]) for r in old]
    footprint = next(r for r in new if r[1] == "Add services to existing footprint")
    new.remove(footprint)
    new.insert(9, (DEPLOY, *footprint[1:]))
    changes = diff_revisions(activities(old), activities(new))
    assert kinds(changes) == ["moved", "phase_renamed"]
    moved, rename = changes.to_dict("records")
    assert (moved["activity"], moved["old"], moved["new"]) == (footprint[1], SUPPORT, DEPLOY)
    assert (rename["old"], rename["new"]) == (SUPPORT, renamed)


def test_rows_follow_new_document_order_with_removed_at_old_place() -> None:
    new = [r for r in BASE if r[1] != "Customer requests a quote"]
    new = replace(new, "Order PDUs", direct_owner="EUC orders from AE or on ECP.")
    new = replace(new, "Primary Owner of EUC (relationship).", direct_owner="EQIX AE leads it.")
    changes = diff_revisions(activities(BASE), activities(new))
    assert list(changes["activity"]) == [
        "Primary Owner of EUC (relationship).", "Customer requests a quote", "Order PDUs"
    ]
    assert kinds(changes) == ["modified", "removed", "modified"]


def test_duplicate_activity_texts_pair_by_phase() -> None:
    old = BASE + [(ADMIN, "Review", "", "Reseller leads.", "EUC leads."),
                  (SUPPORT, "Review", "", "Reseller leads.", "EUC CSM leads.")]
    new = BASE + [(SUPPORT, "Review", "", "Reseller leads.", "EUC CSM leads."),
                  (ADMIN, "Review", "", "Reseller leads.", "EUC leads.")]
    matches = match_rows(to_rows(activities(old)), to_rows(activities(new)))
    paired = {(m.old, m.new) for m in matches if m.old is not None and m.new is not None}
    assert (12, 13) in paired and (13, 12) in paired
    assert diff_revisions(activities(old), activities(new)).empty


def test_match_covers_every_row_once() -> None:
    new = [r for r in BASE if r[1] != "Order SmartView"] + [(SUPPORT, "Brand new thing", "", "Reseller leads.", "")]
    matches = match_rows(to_rows(activities(BASE)), to_rows(activities(new)))
    assert sorted(m.old for m in matches if m.old is not None) == list(range(len(BASE)))
    assert sorted(m.new for m in matches if m.new is not None) == list(range(len(new)))
    assert all(0 <= m.similarity <= 1 for m in matches)


def test_settings_check_themselves() -> None:
    with pytest.raises(ValueError):
        DiffSettings(text_weight=0.9)
    with pytest.raises(ValueError):
        DiffSettings(match_threshold=1.5)


def test_corpus_planted_changes_are_reproduced() -> None:
    """The planted changes of the 10Feb20 → 15Jun21 corpus pair, typed in on a few rows."""
    draw_cap = "Resolve issues with power Draw Cap for circuit-based power."
    new = replace(BASE, "Order Network Edge services (ECX Portal)",
                  reseller_owner="Reseller orders on ECP for EUC. EQIX AE supports reseller.")
    new = replace(new, "Request ECX Fabric Port", self_service="Self-service on ECP",
                  reseller_owner="Reseller may order on ECP or set EUC user permission to allow EUC self-service.")
    new = replace(new, "Order PDUs", direct_owner="EUC orders from AE or on ECP.")
    new = replace(new, "Install equipment in Cage (rack-n-stack)",
                  activity="Install equipment in cage (rack and stack)")
    moved = next(r for r in new if r[1] == draw_cap)
    new = [r for r in new if r[1] not in ("Order SmartView", draw_cap)]
    new.insert(6, (DEPLOY, "Order Equinix Fabric Cloud Router", "Self-service on ECP",
                   "Reseller sets EUC user permission to allow self-ordering of Cloud Router.",
                   "EUC user self-orders and configures Cloud Router on ECP."))
    new.append((SUPPORT, *moved[1:]))
    # Layout noise on top of the planted changes must not add any.
    new = [(p, a.replace(" ", "\n", 1), s, r.replace(". ", ".\n"), d) for p, a, s, r, d in new]

    changes = diff_revisions(activities(BASE), activities(new))
    got = [(c["change"], c["activity"], c["field"], c["old"], c["new"]) for c in changes.to_dict("records")]
    assert got == [
        ("reworded", "Install equipment in cage (rack and stack)", "",
         "Install equipment in Cage (rack-n-stack)", "Install equipment in cage (rack and stack)"),
        ("modified", "Request ECX Fabric Port", "self_service",
         "Self-service not available", "Self-service on ECP"),
        ("modified", "Request ECX Fabric Port", "reseller_owner",
         "EUC submits order to reseller for port. Reseller assigns ECX port and notifies EUC.",
         "Reseller may order on ECP or set EUC user permission to allow EUC self-service."),
        ("modified", "Order Network Edge services (ECX Portal)", "reseller_owner",
         "Currently not available for reseller resale.",
         "Reseller orders on ECP for EUC. EQIX AE supports reseller."),
        ("removed", "Order SmartView", "", "", ""),
        ("added", "Order Equinix Fabric Cloud Router", "", "", ""),
        ("modified", "Order PDUs", "direct_owner", "EUC orders from AE.", "EUC orders from AE or on ECP."),
        ("moved", draw_cap, "", DEPLOY, SUPPORT),
    ]
    ChangesSchema.validate(changes, lazy=True)


# ---------------------------------------------------------------- activity ids


def test_activity_ids_are_stable_across_three_revisions() -> None:
    first = activities(BASE)
    second_rows = replace(BASE, "Install equipment in Cage (rack-n-stack)",
                          activity="Install equipment in cage (rack and stack)")
    second_rows = [r for r in second_rows if r[1] != "Order SmartView"]
    second_rows.append((DEPLOY, "Order Equinix Fabric Cloud Router", "Self-service on ECP",
                        "Reseller sets permissions.", "EUC self-orders."))
    third_rows = [(SUPPORT if r[0] == SUPPORT else r[0], *r[1:]) for r in second_rows]
    third_rows = replace(third_rows, "Order PDUs", direct_owner="EUC orders from AE or on ECP.")
    third_rows.insert(0, (QUOTING, "Order SmartView", "", "Reseller orders on ECP for EUC.", "EUC orders."))
    revisions = [first, activities(second_rows), activities(third_rows)]

    one, two, three = assign_activity_ids(revisions, "job-aid-reseller-vs-direct")
    again = assign_activity_ids(revisions, "job-aid-reseller-vs-direct")
    assert all(a.equals(b) for a, b in zip((one, two, three), again, strict=True))

    def ids(frame: pd.DataFrame) -> dict[str, str]:
        return dict(zip(frame["activity"], frame["activity_id"], strict=True))

    assert ids(one)["Order PDUs"] == ids(two)["Order PDUs"] == ids(three)["Order PDUs"]
    rack = ids(one)["Install equipment in Cage (rack-n-stack)"]
    assert ids(two)["Install equipment in cage (rack and stack)"] == rack
    assert ids(three)["Install equipment in cage (rack and stack)"] == rack
    router = ids(two)["Order Equinix Fabric Cloud Router"]
    assert router not in ids(one).values() and ids(three)["Order Equinix Fabric Cloud Router"] == router
    # A removed activity that comes back later is a new activity with a fresh id.
    assert ids(three)["Order SmartView"] != ids(one)["Order SmartView"]
    for frame in (one, two, three):
        assert frame["activity_id"].is_unique
        assert frame["activity_id"].str.fullmatch(r"a[0-9a-f]{10}").all()


def test_activity_ids_carry_into_changes() -> None:
    one, two = assign_activity_ids(
        [activities(BASE), activities(replace(BASE, "Order PDUs", direct_owner="EUC orders on ECP."))],
        "doc",
    )
    changes = diff_revisions(one, two)
    assert list(changes["activity_id"]) == [one.loc[one["activity"] == "Order PDUs", "activity_id"].item()]


def test_first_revision_ids_depend_on_document_and_text_only() -> None:
    (a,) = assign_activity_ids([activities(BASE)], "doc")
    (b,) = assign_activity_ids([activities(BASE[::-1])], "doc")
    (c,) = assign_activity_ids([activities(BASE)], "other-doc")
    assert dict(zip(a["activity"], a["activity_id"], strict=True)) == dict(
        zip(b["activity"], b["activity_id"], strict=True)
    )
    assert set(a["activity_id"]).isdisjoint(c["activity_id"])
