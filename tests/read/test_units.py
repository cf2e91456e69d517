"""Small pure pieces, case by case: dates as printed, header words, cell text joining, self-service status."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.errors import NotAJobAidError
from pipeline.profile import load_profile
from pipeline.read.columns import map_columns
from pipeline.read.normalise import self_service_status
from pipeline.read.revision import find_date
from pipeline.text import join_lines


@pytest.mark.parametrize(
    ("text", "label", "value", "day_printed"),
    [
        ("10Feb20", "10Feb20", date(2020, 2, 10), True),
        ("Revised 7 March 2023", "Revised 7 March 2023", date(2023, 3, 7), True),
        ("2023-03-07", "2023-03-07", date(2023, 3, 7), True),
        ("Rev. 03/2023", "Rev. 03/2023", date(2023, 3, 1), False),
        ("March 7, 2023", "March 7, 2023", date(2023, 3, 7), True),
        ("10-Feb-2020", "10-Feb-2020", date(2020, 2, 10), True),
        ("Last updated 2023/03/07", "Last updated 2023/03/07", date(2023, 3, 7), True),
        ("Updated: 07/03/2023", "Updated: 07/03/2023", date(2023, 7, 3), True),  # month first, US style
        ("Updated: 25/03/2023", "Updated: 25/03/2023", date(2023, 3, 25), True),  # day first when it must be
        ("Equinix Confidential - Job Aid 15Jun21 Page 3", "15Jun21", date(2021, 6, 15), True),
        ("Sept 2021", "Sept 2021", date(2021, 9, 1), False),
    ],
)
def test_printed_dates(text: str, label: str, value: date, day_printed: bool) -> None:
    found = find_date(text)
    assert found is not None
    assert (found.label, found.value, found.day_printed) == (label, value, day_printed)


@pytest.mark.parametrize("text", ["11/22/26, 1:51 PM End Customer Support Comparison", "Page 1 of 3", "v2.3",
                                  "Call 1-800-555-0100", "31Feb20"])
def test_no_revision_date(text: str) -> None:
    assert find_date(text) is None


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Support Activity", "End User Customer (EUC)", "When EUC Buys from Reseller",
          "When EUC Buys Direct from Equinix"], ["activity", "self_service", "reseller_owner", "direct_owner"]),
        (["Task", "Partner", "Direct", "Self-Service (EUC)"],
         ["activity", "reseller_owner", "direct_owner", "self_service"]),
        (["Activity", "Customer self-service", "Indirect (Channel)", "Buying direct from Equinix"],
         ["activity", "self_service", "reseller_owner", "direct_owner"]),
        (["Onboarding Step", "Self-service", "Distributor", "Direct"],
         ["activity", "self_service", "reseller_owner", "direct_owner"]),
        (["Activity", "Notes", "Reseller", "Direct"], ["activity", None, "reseller_owner", "direct_owner"]),
    ],
)
def test_columns_are_mapped_by_meaning(headers: list[str], expected: list[str | None]) -> None:
    mapping = map_columns(headers, load_profile())
    assert mapping is not None
    by_column = {j: field for field, j in mapping.items()}
    assert [by_column.get(j) for j in range(len(headers))] == expected


def test_unmappable_headers_are_named_in_the_error() -> None:
    with pytest.raises(NotAJobAidError, match="Name | Age | City"):
        map_columns(["Name", "Age", "City"], load_profile())


@pytest.mark.parametrize(
    ("lines", "text"),
    [
        (["Reseller leads the", "relationship."], "Reseller leads the relationship."),
        (["EUC orders port and self-", "configures."], "EUC orders port and self-configures."),
        (["  spaced   out ", "", "text"], "spaced out text"),
        (["soft\u00adhyphen"], "softhyphen"),
        ([], ""),
    ],
)
def test_cell_lines_join(lines: list[str], text: str) -> None:
    assert join_lines(lines) == text


@pytest.mark.parametrize(
    ("cell", "status"),
    [("", "not_stated"), ("Self-service", "available"), ("Self-service on ECP", "available"),
     ("Self-service not available", "not_available"), ("EUC Master Admin Self-service", "available"),
     ("N/A", "not_available"), ("Not offered", "not_available"), ("N", "not_available"), ("Y", "available"),
     ("\u2717", "not_available"), ("\u2713", "available"), ("Not applicable", "not_available"),
     ("No (ask your CSM)", "not_available"), ("Yes (portal)", "available"), ("Not supported", "not_available"),
     ("Not possible.", "not_available"), ("--", "not_available"), ("none", "not_available")],
)
def test_self_service_status(cell: str, status: str) -> None:
    assert self_service_status(cell) == status
