"""Owner cells to responsibilities: real cells of the 10Feb20 job aid and a few made-up ones."""

from __future__ import annotations

import pytest

from pipeline.read.responsibility import (
    Responsibility,
    collapse_layout,
    default_roles,
    load_roles,
    parse_owner_cell,
    parse_self_service,
    responsibility_differs,
    roles_from_mapping,
)

# Cells copied from the 10Feb20 job aid: text, lead, supports, parties, self_serve, not_available.
REAL_CELLS = [
    (
        "Reseller leads the relationship. EQIX AE supports reseller.",
        "Reseller", ("EQIX AE",), ("Reseller", "EQIX AE"), False, False,
    ),
    (
        "EQIX AE leads the EUC relationship. No reseller participation.",
        "EQIX AE", (), ("EQIX AE", "EUC", "Reseller"), False, False,
    ),
    (
        "Reseller takes EUC calls. EQIX supports reseller.",
        "Reseller", ("EQIX",), ("Reseller", "EUC", "EQIX"), False, False,
    ),
    (
        "Reseller supports EUC. Reseller may enlist help from EQIX AE & SE",
        "Reseller", ("EQIX AE", "SE"), ("Reseller", "EUC", "EQIX AE", "SE"), False, False,
    ),
    (
        "Reseller prepares offer quote. Reseller may enlist help from EQIX AE, PSSA",
        "Reseller", ("EQIX AE", "PSSA"), ("Reseller", "EQIX AE", "PSSA"), False, False,
    ),
    (
        "EUC contacts EQIX AE. Enlists help from EQIX SE",
        "EUC", ("SE",), ("EUC", "EQIX AE", "SE"), False, False,
    ),
    (
        "Reseller leads deployment project and completes ECP tickets for EUC. "
        "EQIX CPM supports reseller.",
        "Reseller", ("CPM",), ("Reseller", "EUC", "CPM"), False, False,
    ),
    (
        "Won deals are passed to CPM & EUC CSM team to execute deploy with EUC",
        "CPM", (), ("CPM", "CSM", "EUC"), False, False,
    ),
    (
        "Reseller schedules meeting with EUC and leads deployment project. "
        "Reseller may enlist EQIX CPM & CSM as needed.",
        "Reseller", ("CPM", "CSM"), ("Reseller", "EUC", "CPM", "CSM"), False, False,
    ),
    (
        "EQIX CPM or (EUC) CSM will schedule and lead project update calls as needed.",
        "CPM", (), ("CPM", "CSM"), False, False,
    ),
    (
        "EUC CSM schedules EUC turn-up call. May include CPM as needed.",
        "CSM", ("CPM",), ("CSM", "EUC", "CPM"), False, False,
    ),
    (
        "EUC may request reseller manage CPE logistics. "
        "Reseller opens ECP tickets for in-bound shipment to IBX.",
        "Reseller", (), ("EUC", "Reseller"), False, False,
    ),
    (
        "EUC or the EUC CSM opens tickets for in-bound shipments. "
        "EUC may request Smart Hands to manage logistics inside IBX.",
        "EUC", (), ("EUC", "CSM", "Smart Hands"), False, False,
    ),
    (
        "Reseller may order on ECP or set EUC user permission to allow EUC self-service.",
        "Reseller", (), ("Reseller", "EUC"), True, False,
    ),
    (
        "EUC Master Admin sets EUC user permissions to allow EUC to self order.",
        "EUC Master Admin", (), ("EUC Master Admin", "EUC"), True, False,
    ),
    (
        "EUC submits order to reseller for port. Reseller assigns ECX port and notifies EUC.",
        "Reseller", (), ("EUC", "Reseller"), False, False,
    ),
    (
        "Reseller, orders, configures and installs for EUC.",
        "Reseller", (), ("Reseller", "EUC"), False, False,
    ),
    ("Currently not available for reseller resale.", None, (), ("Reseller",), False, True),
    ("EUC can self-order on ECP (ECX Fabric) portal.", "EUC", (), ("EUC",), True, False),
    (
        "EUC resolves with reseller. Reseller engages AE to increase Draw Cap",
        "EUC", ("EQIX AE",), ("EUC", "Reseller", "EQIX AE"), False, False,
    ),
    (
        "EUC CSM trains Reseller's CSM how to use portal and assigns Reseller Master Admin (MA). "
        "Reseller MA administers portal users and permissions.",
        "CSM", (), ("CSM", "Reseller"), False, False,
    ),
    (
        "Reseller trains EUC user on ECP. Assigns EUC Master Admin. "
        "EUC MA administers additional users and permissions.",
        "Reseller", (), ("Reseller", "EUC", "EUC Master Admin"), False, False,
    ),
    (
        "Reseller engages their assigned partner CSM for assistance.",
        "Reseller", ("CSM",), ("Reseller", "CSM"), False, False,
    ),
    ("EUC CSM provides support.", "CSM", (), ("CSM",), False, False),
    ("Self-service on ECP", None, (), (), True, False),
    ("Sales issues to AE, Support to GSD & CSM.", None, (), ("EQIX AE", "GSD", "CSM"), False, False),
]


@pytest.mark.parametrize(
    ("text", "lead", "supports", "parties", "self_serve", "not_available"), REAL_CELLS
)
def test_real_cells_parse(
    text: str,
    lead: str | None,
    supports: tuple[str, ...],
    parties: tuple[str, ...],
    self_serve: bool,
    not_available: bool,
) -> None:
    got = parse_owner_cell(text, default_roles())
    assert got == Responsibility(lead, supports, parties, self_serve, not_available)


def test_wrapped_cell_parses_like_the_printed_one() -> None:
    printed = "Reseller leads the relationship. EQIX AE supports reseller."
    wrapped = "Reseller leads the\nrelationship.  EQIX\nAE supports re\u00adseller."
    assert parse_owner_cell(wrapped) == parse_owner_cell(printed)


def test_resource_center_roles_are_known() -> None:
    text = "Account Manager owns it. Billing Analyst assists. Global Service Desk engages SE."
    got = parse_owner_cell(text)
    assert got.lead == "AM"
    assert set(got.supports) == {"BA", "SE"}
    assert got.parties == ("AM", "BA", "GSD", "SE")


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
        # who does it changed
        ("Reseller leads the relationship.", "EQIX AE leads the relationship.", True),
        ("Reseller takes EUC calls.", "Reseller takes EUC calls. EQIX supports reseller.", True),
        ("Currently not available for reseller resale.", "Reseller orders on ECP for EUC.", True),
        ("EUC orders from AE.", "EUC orders from AE or on ECP.", True),
        ("Reseller orders on ECP for EUC.", "Reseller sets EUC user permission to allow self-ordering.", True),
    ],
)
def test_responsibility_differs(old: str, new: str, changed: bool) -> None:
    assert responsibility_differs(parse_owner_cell(old), parse_owner_cell(new)) is changed


def test_collapse_layout_keeps_real_hyphens_and_drops_soft_ones() -> None:
    assert collapse_layout("self-\nservice  on\tECP") == "self-service on ECP"
    assert collapse_layout("ship\u00adment\n") == "shipment"
    assert collapse_layout(None) == ""


def test_vocabulary_is_data() -> None:
    profile = {
        "parties": {"Vendor": ["vendor"], "Buyer": ["buyer"]},
        "verbs": {"lead": ["runs"], "support_subject": [], "support_object": ["asks"], "handover": []},
        "grammar": {"subject_fillers": [], "conjunctions": ["and"], "sentence_openers": []},
        "self_service": {
            "available": ["do it yourself"], "not_available": ["never"], "yes_words": [],
            "no_words": [], "self_serve_parties": [],
        },
    }
    roles = roles_from_mapping(profile)
    got = parse_owner_cell("Buyer asks vendor. Vendor runs it.", roles)
    assert got == Responsibility("Vendor", (), ("Buyer", "Vendor"), False, False)
    assert parse_self_service("Do it yourself", roles) == "available"


def test_packaged_profile_loads_from_a_path(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import tomllib
    from importlib import resources

    data = resources.files("schemas").joinpath("profiles", "roles.toml").read_bytes()
    (tmp_path / "roles.toml").write_bytes(data)
    assert "CSM" in load_roles(tmp_path / "roles.toml").canonical_parties
    assert "parties" in tomllib.loads(data.decode())
