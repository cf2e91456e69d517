"""The owner-cell parser against hand labels of two sample revisions, and phrasings they lack."""

from __future__ import annotations

import pytest

from pipeline.read.responsibility import (
    Responsibility,
    parse_owner_cell,
    self_service_leads,
)
from tests.conftest import expected
from tests.read.responsibility_truth import SEED_TRUTH, Label, later_truth

PATH_COLUMNS = {"self_service": "self_service", "reseller": "reseller_owner", "direct": "direct_owner"}


def read(path: str, text: str) -> Label:
    """A path and a cell's text → (leads, supports, excluded) as the parser reads them."""
    if path == "self_service":
        return (self_service_leads(text), (), ())
    got = parse_owner_cell(text)
    return (got.leads, got.supports, got.excluded)


def cells(sample: str, truth: dict[str, dict[str, Label]]) -> list[tuple[str, str, str, Label]]:
    """A golden sample's rows and their labels → (activity, path, cell text, label) per cell."""
    rows = expected(sample)["rows"]
    assert {r["activity"] for r in rows} == set(truth), "labels and rows name different activities"
    return [
        (row["activity"], path, row[column], truth[row["activity"]].get(path, ((), (), ())))
        for row in rows
        for path, column in PATH_COLUMNS.items()
    ]


CELLS = [
    pytest.param(*cell, id=f"{sample}:{cell[0][:30]}:{cell[1]}")
    for sample, truth in (("sample_10Feb20", SEED_TRUTH), ("sample_2023-03-07", later_truth()))
    for cell in cells(sample, truth)
]


@pytest.mark.parametrize(("activity", "path", "text", "label"), CELLS)
def test_every_labelled_cell(activity: str, path: str, text: str, label: Label) -> None:
    leads, supports, excluded = read(path, text)
    assert (set(leads), set(supports), set(excluded)) == tuple(set(part) for part in label), text


def test_the_labels_cover_every_owner_cell() -> None:
    assert len(CELLS) == 3 * (33 + 33)
    labelled = [c for c in CELLS if any(c.values[3])]
    assert len(labelled) >= 100  # every non-blank cell has a label


# Phrasings that the samples do not contain: each says who leads, supports or is excluded.
OTHER_PHRASINGS: list[tuple[str, Responsibility]] = [
    ("Reseller leads, CSM assists.", Responsibility(("Reseller",), ("CSM",), ("Reseller", "CSM"))),
    (
        "EQIX AE with support from the SE.",
        Responsibility(("EQIX AE",), ("SE",), ("EQIX AE", "SE")),
    ),
    ("Reseller or EUC.", Responsibility(("Reseller", "EUC"), (), ("Reseller", "EUC"))),
    ("N/A", Responsibility((), (), (), not_available=True)),
    ("Not applicable.", Responsibility((), (), (), not_available=True)),
    (
        "EQIX AE owns the renewal without reseller involvement.",
        Responsibility(("EQIX AE",), (), ("EQIX AE",), excluded=("Reseller",)),
    ),
    (
        "Not available for resellers.",
        Responsibility((), (), (), excluded=("Reseller",), not_available=True),
    ),
    (
        "Reseller does not participate. EUC CSM leads.",
        Responsibility(("CSM",), (), ("CSM",), excluded=("Reseller",)),
    ),
    (
        "Account Manager takes the lead; the Billing Analyst helps the customer.",
        Responsibility(("AM",), ("BA",), ("AM", "BA", "EUC")),
    ),
    (
        "CPM supports the reseller. Smart Hands installs.",
        Responsibility(("Reseller",), ("CPM", "Smart Hands"), ("Reseller", "CPM", "Smart Hands")),
    ),
    (
        "Handled by the Global Service Desk; the CSM is engaged on escalations.",
        Responsibility(("GSD",), ("CSM",), ("GSD", "CSM")),
    ),
    (
        "EUC requests it from the AE. SE designs it.",  # the one who does it leads, not who asks
        Responsibility(("SE",), ("EQIX AE",), ("SE", "EQIX AE", "EUC")),
    ),
    ("Reseller: N/A", Responsibility((), (), (), excluded=("Reseller",), not_available=True)),
    (
        "EQIX AE (Reseller not involved).",
        Responsibility(("EQIX AE",), (), ("EQIX AE",), excluded=("Reseller",)),
    ),
    (
        "Not applicable for resellers.",
        Responsibility((), (), (), excluded=("Reseller",), not_available=True),
    ),
    (
        "Either Reseller or EQIX AE may lead.",
        Responsibility(("Reseller", "EQIX AE"), (), ("Reseller", "EQIX AE")),
    ),
    (
        "Reseller leads, with support from EQIX AE and SE.",
        Responsibility(("Reseller",), ("EQIX AE", "SE"), ("Reseller", "EQIX AE", "SE")),
    ),
    ("Handled by the GSD.", Responsibility(("GSD",), (), ("GSD",))),
]


@pytest.mark.parametrize(("text", "reading"), OTHER_PHRASINGS)
def test_other_phrasings(text: str, reading: Responsibility) -> None:
    got = parse_owner_cell(text)
    assert (set(got.leads), set(got.supports), set(got.excluded), got.not_available) == (
        set(reading.leads), set(reading.supports), set(reading.excluded), reading.not_available
    ), got


def test_self_service_path_names_the_admin_or_the_customer() -> None:
    assert self_service_leads("EUC Master Admin Self-service") == ("EUC Master Admin",)
    assert self_service_leads("Self-service on ECP") == ("EUC",)
    assert self_service_leads("Self-service not available") == ()
    assert self_service_leads("") == ()
