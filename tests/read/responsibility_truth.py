"""Who leads and who supports, labelled by hand for every owner cell of two sample revisions.

The revisions are the project's own samples (raw/end-customer-support_10Feb20.pdf and
raw/end-customer-support_2023-03-07.pdf, golden rows in tests/fixtures/expected/). Labels were
written by reading each cell, not by running the parser. Conventions (see docs/data-dictionary.md):
- the party the text says leads, or else the one that does the work, or else the one that asks,
  leads; "X supports Y" makes Y the lead; alternatives ("X or Y opens") lead together;
- a party helped, engaged, enlisted, ordered from, or a service called on (Smart Hands), supports;
- the customer named only as the one served ("for EUC", "with EUC") takes no part;
- a party named only to be excluded ("No reseller participation", "not available for reseller")
  is listed as excluded and takes no part.
Each label: (leads, supports, excluded); a cell without a label must yield no party at all.
"""

from __future__ import annotations

Label = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]

R, E, MA, AE, SE, CSM, CPM = "Reseller", "EUC", "EUC Master Admin", "EQIX AE", "SE", "CSM", "CPM"
PSSA, GSD, SH, EQIX = "PSSA", "GSD", "Smart Hands", "EQIX"


def lead(*parties: str, support: tuple[str, ...] = (), excluded: tuple[str, ...] = ()) -> Label:
    """Leads, supporters and excluded parties → one label."""
    return (parties, support, excluded)


NOT_FOR_RESELLER = lead(excluded=(R,))
CSM_HELP = lead(R, support=(CSM,))
CSM_SUPPORTS = lead(support=(CSM,))

#: activity → {path: label} for the 10Feb20 revision (paths: self_service, reseller, direct).
SEED_TRUTH: dict[str, dict[str, Label]] = {
    "Primary Owner of EUC (relationship).": {
        "reseller": lead(R, support=(AE,)),
        "direct": lead(AE, excluded=(R,)),
    },
    "RFQ & Issues escalation primary contact": {
        "reseller": lead(R, support=(EQIX,)),
        "direct": lead(AE, GSD, CSM),  # sales issues to the AE, support issues to GSD & CSM
    },
    "Customer requests a quote": {
        "reseller": lead(E, support=(R,)),
        "direct": lead(E, support=(AE,)),
    },
    "Defining purchase specifications (CABe, Draw Cap, PDU, Cage demarc, etc.": {
        "reseller": lead(E, support=(R, AE, SE)),  # "Reseller supports EUC"
        "direct": lead(E, support=(AE, SE)),
    },
    "Preparing Equinix quote": {
        "reseller": lead(R, support=(AE, PSSA)),
        "direct": lead(PSSA, support=(AE,)),  # the EUC only asks; the PSSA creates the quote
    },
    "Equinix Customer Project Management (CPM) creates project plan, manages implementation with "
    "CSM and communicates commit dates.": {
        "reseller": lead(R, support=(CPM,)),
        "direct": lead(CPM, CSM),  # passed to CPM & EUC CSM team
    },
    "Weekly status call with Customer on implementation progress, based on customer requirements": {
        "reseller": lead(R, support=(CPM, CSM)),
        "direct": lead(CPM, CSM),
    },
    "Final project wrap-up and punchlist call per EUC requirements": {
        "reseller": lead(R, support=(CPM, CSM)),
        "direct": lead(CSM, support=(CPM,)),
    },
    "Coordinate Customer Provided Equipment (CPE) Delivery to IBX": {
        "self_service": lead(E),
        "reseller": lead(R),  # the EUC only asks the reseller to manage it
        "direct": lead(E, CSM, support=(SH,)),
    },
    "Customer Requests ongoing IBX access": {
        "self_service": lead(E),
        "reseller": lead(R),
        "direct": lead(CSM),
    },
    "Customer Requests guest IBX access (limited access)": {
        "self_service": lead(E),
        "reseller": lead(R),
        "direct": lead(CSM),
    },
    "Move equipment from loading dock to Cage": {
        "reseller": lead(R, support=(SH,)),
        "direct": lead(E, support=(SH,)),
    },
    "Install equipment in Cage (rack-n-stack)": {
        "reseller": lead(R, support=(SH,)),
        "direct": lead(E, support=(SH,)),
    },
    "Requests network connectivity. Request Network Service Delivery (NSD) assistance": {
        "reseller": lead(R, E, support=(SH,)),  # the reseller, or the EUC it has issue the ticket
        "direct": lead(E, support=(SH,)),
    },
    "Request cross connect": {
        "self_service": lead(E),
        "reseller": lead(R),
        "direct": lead(MA),
    },
    "Request ECX Fabric Port": {
        "reseller": lead(R),  # the EUC submits the order; the reseller assigns the port
        "direct": lead(E),
    },
    "Orders ECX Fabric Virtual Connection": {
        "self_service": lead(E),
        "reseller": lead(R),
        "direct": lead(E),
    },
    "Orders Equipment for Performance Hub deployment": {
        "reseller": lead(R),
        "direct": lead(E, support=(SH,)),
    },
    "Install Performance / Data Hub (rack-n-stack)": {
        "self_service": lead(E),
        "reseller": lead(R, E, support=(SH,)),
        "direct": lead(E, support=(SH,)),
    },
    "Order Network Edge services (ECX Portal)": {
        "reseller": NOT_FOR_RESELLER,
        "direct": lead(E),
    },
    "Order Equinix Internet Exchange (IEX) services": {
        "reseller": NOT_FOR_RESELLER,
        "direct": lead(E, support=(AE, SH)),
    },
    "Order Metro Connect services": {
        "reseller": lead(E, support=(R, AE)),
        "direct": lead(E),
    },
    "Order SmartView": {
        "reseller": lead(R),
        "direct": lead(E, support=(AE, SH)),
    },
    "Order PDUs": {
        "reseller": lead(E, support=(R, AE)),
        "direct": lead(E, support=(AE,)),
    },
    "Resolve issues with power Draw Cap for circuit-based power.": {
        "reseller": lead(E, support=(R, AE)),
        "direct": lead(E, support=(AE,)),
    },
    "Train Reseller how to use ECP portal": {
        "reseller": lead(CSM, support=(R,)),
    },
    "EUC access to ECP": {
        "self_service": lead(MA),
        "reseller": lead(R, support=(MA,)),
        "direct": lead(CSM, support=(MA,)),
    },
    "Assign EUC assets in ECP": {
        "self_service": lead(MA),
        "reseller": lead(R, MA),  # assigns, or delegates to the EUC MA
        "direct": lead(E, support=(CSM,)),
    },
    "Issues Tickets and engages EQIX Global Service Desk (GSD)": {
        "self_service": lead(MA),
        "reseller": lead(R, MA),
        "direct": lead(E, support=(CSM,)),
    },
    "Add services to existing footprint": {"reseller": CSM_HELP, "direct": CSM_SUPPORTS},
    "EUC install base validation & Audits": {"reseller": CSM_HELP, "direct": CSM_SUPPORTS},
    "EUC issues escalation and resolution": {"reseller": CSM_HELP, "direct": CSM_SUPPORTS},
    "EUC and Reseller Service improvement plans": {"reseller": CSM_HELP, "direct": CSM_SUPPORTS},
}

#: The 2023-03-07 revision: the cells that differ from 10Feb20 (activity → {path: label}).
LATER_CHANGES: dict[str, dict[str, Label]] = {
    "Primary Owner of EUC (relationship).": {
        "reseller": lead(AE, support=(R,)),  # "Reseller supports EQIX AE"
    },
    "RFQ & Issues escalation primary contact": {
        "direct": lead(AE, GSD, CSM),  # "Sales issues go to AE, support issues to GSD & CSM."
    },
    "Request Smart Hands troubleshooting": {
        "self_service": lead(E),
        "reseller": lead(R, support=(SH,)),
        "direct": lead(E, support=(SH,)),
    },
    "Request ECX Fabric Port": {"self_service": lead(E)},
    "Order Network Edge services (ECX Portal)": {"reseller": lead(R)},
}
#: Renamed in 2023-03-07 (old activity text → new); the cells stay the same.
LATER_RENAMES = {"Customer requests a quote": "Customer requests a price quote"}
#: Removed in 2023-03-07.
LATER_REMOVED = ("Order SmartView",)


def later_truth() -> dict[str, dict[str, Label]]:
    """The labels of the 2023-03-07 revision: the seed's, renamed, removed and changed cells applied."""
    truth: dict[str, dict[str, Label]] = {}
    for activity, paths in SEED_TRUTH.items():
        if activity not in LATER_REMOVED:
            truth[LATER_RENAMES.get(activity, activity)] = dict(paths)
    for activity, paths in LATER_CHANGES.items():
        truth.setdefault(activity, {}).update(paths)
    return truth
