"""`who`: what a party leads and supports in the latest revisions, and what changed for it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.bi.who import WHO_COLUMNS, party_report, report_to_text, resolve_party
from pipeline.errors import RevisionNotFoundError
from pipeline.read.roles import load_roles
from tests.bi.test_warehouse import A2_R1, A3, A5, DOC, R2, R3, write_fake_store


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return write_fake_store(tmp_path / "store")


def test_party_names_resolve_by_canonical_name_or_alias() -> None:
    roles = load_roles()
    assert resolve_party("csm", roles) == "CSM"
    assert resolve_party("Customer Success Manager", roles) == "CSM"
    assert resolve_party("resellers", roles) == "Reseller"
    with pytest.raises(RevisionNotFoundError, match="no party named 'Nobody'"):
        resolve_party("Nobody", roles)


def test_who_lists_leads_supports_and_changes_of_the_latest_revision(store: Path) -> None:
    report = party_report(store, "Reseller")
    assert tuple(report.columns) == WHO_COLUMNS
    assert set(report["revision_date"]) == {str(R3)}
    leads = report[report["section"] == "leads"]
    assert (A3[2], "reseller") in list(zip(leads["activity"], leads["path"], strict=True))
    assert A2_R1[2] not in set(leads["activity"])  # the Reseller supports the EQIX AE there now
    supports = report[report["section"] == "supports"]
    assert (A2_R1[2], "reseller") in list(zip(supports["activity"], supports["path"], strict=True))
    changed = report[report["section"] == "changed"]  # R2 → R3: "Order PDUs" is back
    assert list(zip(changed["activity"], changed["path"], changed["detail"], strict=True)) == [
        (A5[2], "reseller", f"now supports (since {R2}; added)")
    ]
    assert list(report["section"]) == sorted(report["section"], key=["leads", "supports", "changed"].index)


def test_who_of_one_document_and_of_an_unknown_document(store: Path) -> None:
    assert len(party_report(store, "EQIX AE", DOC)) > 0
    with pytest.raises(RevisionNotFoundError):
        party_report(store, "EQIX AE", "no-such-document")


def test_who_as_csv_and_json(store: Path) -> None:
    report = party_report(store, "EQIX AE")
    rows = json.loads(report_to_text(report, "json"))
    assert rows == report.to_dict("records")
    assert report_to_text(report, "csv").splitlines()[0] == ",".join(WHO_COLUMNS)
