"""Owner cells to responsibilities: real cells of the 10Feb20 job aid and a few made-up ones."""

from __future__ import annotations

import pytest

from pipeline.read.responsibility import (
    Responsibility,
    collapse_layout,
    load_roles,
    parse_owner_cell,
    parse_self_service,
    roles_from_mapping,
)

# Every cell of the 10Feb20 and 2023-03-07 samples is checked against hand labels in
# test_responsibility_truth.py; these are the cases around it.


def test_wrapped_cell_parses_like_the_printed_one() -> None:
    printed = "Reseller leads the relationship. EQIX AE supports reseller."
    wrapped = "Reseller leads the\nrelationship.  EQIX\nAE supports re\u00adseller."
    assert parse_owner_cell(wrapped) == parse_owner_cell(printed)


def test_resource_center_roles_are_known() -> None:
    text = "Account Manager owns it. Billing Analyst assists. Global Service Desk engages SE."
    got = parse_owner_cell(text)
    assert got.lead == "AM"
    assert set(got.supports) == {"BA", "SE", "GSD"}
    assert set(got.parties) == {"AM", "BA", "GSD", "SE"}


def test_acronyms_match_case_sensitively() -> None:
    assert parse_owner_cell("I am here to see the se of it.").parties == ()


def test_product_names_are_not_parties() -> None:
    got = parse_owner_cell("EUC orders on the Equinix Customer Portal.")
    assert got.parties == ("EUC",)
    assert got.self_serve


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("", "not_stated"),
        ("   ", "not_stated"),
        ("Self-service", "available"),
        ("Self-service on ECP", "available"),
        ("EUC Master Admin Self-\nservice", "available"),
        ("self serve", "available"),
        ("Self-service not available", "not_available"),
        ("Self service currently unavailable", "not_available"),
        ("N/A", "not_available"),
        ("Yes", "available"),
        ("See note 3", "not_stated"),
    ],
)
def test_parse_self_service(text: str, status: str) -> None:
    assert parse_self_service(text) == status


@pytest.mark.parametrize(
    ("old", "new", "changed"),
    [
        # wording only
        ("EUC contacts reseller for quotes and pricing.", "EUC contacts reseller for quotes & pricing.", False),
        (
            "EUC can self-order on ECP (ECX Fabric) portal.",
            "EUC can self-order on ECP (Equinix Fabric) portal.",
            False,
        ),
        ("EUC CSM provides support.", "The EUC CSM provides support.", False),
        # a channel added, same parties: no party gained or lost a part
        ("EUC orders from AE.", "EUC orders from AE or on ECP.", False),
        ("Reseller orders on ECP for EUC.", "Reseller sets EUC user permission to allow self-ordering.", False),
        # who does it changed
        ("Reseller leads the relationship.", "EQIX AE leads the relationship.", True),
        ("Reseller takes EUC calls.", "Reseller takes EUC calls. EQIX supports reseller.", True),
        ("Currently not available for reseller resale.", "Reseller orders on ECP for EUC.", True),
        ("Reseller supports EUC.", "Reseller leads; EUC assists.", True),
    ],
)
def test_responsibility_differs(old: str, new: str, changed: bool) -> None:
    """A cell's responsibility changed when a party gained or lost the lead or a supporting part."""
    assert (parse_owner_cell(old).roles() != parse_owner_cell(new).roles()) is changed


def test_collapse_layout_keeps_real_hyphens_and_drops_soft_ones() -> None:
    assert collapse_layout("self-\nservice  on\tECP") == "self-service on ECP"
    assert collapse_layout("ship\u00adment\n") == "shipment"
    assert collapse_layout(None) == ""


def test_vocabulary_is_data() -> None:
    profile = {
        "parties": {"Vendor": ["vendor"], "Buyer": {"aliases": ["buyer"], "kind": "customer"}},
        "verbs": {"act": ["runs"], "request": ["asks"]},
        "kinds": {"customer": "none"},
        "grammar": {"subject_fillers": [], "conjunctions": ["and"], "sentence_openers": []},
        "self_service": {
            "available": ["do it yourself"], "not_available": ["never"], "yes_words": [],
            "no_words": [], "self_serve_parties": [],
        },
    }
    roles = roles_from_mapping(profile)
    got = parse_owner_cell("Buyer asks vendor. Vendor runs it.", roles)
    assert got == Responsibility(("Vendor",), (), ("Vendor", "Buyer"))
    assert parse_self_service("Do it yourself", roles) == "available"


def test_packaged_profile_loads_from_a_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import tomllib
    from importlib import resources

    data = resources.files("schemas").joinpath("profiles", "roles.toml").read_bytes()
    (tmp_path / "roles.toml").write_bytes(data)
    assert "CSM" in load_roles(tmp_path / "roles.toml").canonical_parties
    assert "parties" in tomllib.loads(data.decode())
