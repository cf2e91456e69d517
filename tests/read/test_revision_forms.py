"""Revision dates, revision labels, titles and glossary entries as authors print them, read with the profile's
vocabulary: dots day first, slashes month first, quarters, revision numbers in the label, dates that are not the
revision's, several-word glossary terms, and a glossary heading with nothing under it."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.profile import load_profile
from pipeline.read.extract import extract
from pipeline.read.glossary import lines_to_glossary, rules_above
from pipeline.read.layout import Line, Rule, Word
from pipeline.read.revision import find_revision_id
from tests.conftest import FIXTURES, printed_date

PROFILE = load_profile()




@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Revision: 07.03.2023", ("Revision: 07.03.2023", date(2023, 3, 7), "printed")),  # dots: day first
        ("Updated 07.03.23", ("Updated 07.03.23", date(2023, 3, 7), "printed")),
        ("Updated 03.25.2023", ("Updated 03.25.2023", date(2023, 3, 25), "printed")),  # day first impossible
        ("Effective 03/07/2023", ("Effective 03/07/2023", date(2023, 3, 7), "printed")),  # slashes: month first
        ("Q1 2023", ("Q1 2023", date(2023, 1, 1), "printed-quarter")),
        ("Revised Q3 2022", ("Revised Q3 2022", date(2022, 7, 1), "printed-quarter")),
        ("Rev. 2023-03", ("Rev. 2023-03", date(2023, 3, 1), "printed-month")),
        ("Version 3.2 (May 2023)", ("Version 3.2 (May 2023)", date(2023, 5, 1), "printed-month")),
        ("Version 2.1 - 2023-03-07", ("Version 2.1 - 2023-03-07", date(2023, 3, 7), "printed")),
        ("v3.2 | 07 Mar 2023", ("v3.2 | 07 Mar 2023", date(2023, 3, 7), "printed")),
        ("Last reviewed: 7 March 2023", ("Last reviewed: 7 March 2023", date(2023, 3, 7), "printed")),
        ("Last Updated On: 7 March 2023", ("Last Updated On: 7 March 2023", date(2023, 3, 7), "printed")),
        ("Created 12 January 2020    Revised 7 March 2023", ("Revised 7 March 2023", date(2023, 3, 7), "printed")),
        ("\u00a9 2021 Equinix | June 2022", ("June 2022", date(2022, 6, 1), "printed-month")),
        ("Printed 5/5/2024 - Equinix Confidential", None),
        ("Created: 12 January 2020", None),
    ],
)
def test_revision_dates_as_printed(text: str, expected: tuple[str, date, str] | None) -> None:
    assert printed_date(text) == expected


@pytest.mark.parametrize(
    ("text", "label"),
    [("Document ID JA-1234 Rev C", "Rev C"), ("Revision 3", "Revision 3"), ("Version 2.1", "Version 2.1"),
     ("This version is the one to use", None), ("Revenue by region", None)],
)
def test_a_revision_printed_without_a_date(text: str, label: str | None) -> None:
    assert find_revision_id(text, PROFILE.revision_id_words) == label


def _line(top: float, text: str, x: float = 36.0) -> Line:
    """Text → one line of 9 pt words, 5 pt a letter and 2.5 pt apart, starting at x."""
    return _cells(top, [(x, text)])


def _cells(top: float, cells: list[tuple[float, str]]) -> Line:
    """Cells (x, text) → one line of 9 pt words, 5 pt a letter and 2.5 pt apart."""
    words = []
    for x, text in cells:
        for piece in text.split():
            words.append(Word(piece, x, x + 5.0 * len(piece), top, top + 9, False, 9.0, None))
            x += 5.0 * len(piece) + 2.5
    return Line(words)


@pytest.mark.parametrize(("text", "heading"), [
    ("Terms and acronyms", True), ("Terms & Definitions:", True), ("Key Terms and Definitions", True),
    ("Glossary of Terms", True), ("Key terms", True), ("Terms and conditions of resale", False)])
def test_glossary_headings(text: str, heading: bool) -> None:
    assert PROFILE.is_glossary_heading(text) == heading


def test_a_glossary_tables_header_row_is_not_an_entry() -> None:
    lines = [_cells(100, [(36, "Abbreviation"), (120, "Full name")]),
             _cells(112, [(36, "AE"), (120, "Account Executive")])]
    assert lines_to_glossary(lines, PROFILE.glossary_columns).to_dict("records") == [
        {"term": "AE", "definition": "Account Executive"}]


def test_glossary_terms_of_several_words_before_a_colon_or_dash() -> None:
    lines = [_line(100, "Master Admin: The customer user who manages"),
             _line(112, "permissions on the portal"),
             _line(124, "Bill of Materials (BOM) - The list of parts ordered"),
             _line(136, "ECP: Equinix Customer Portal")]
    assert lines_to_glossary(lines).to_dict("records") == [
        {"term": "Master Admin", "definition": "The customer user who manages permissions on the portal"},
        {"term": "Bill of Materials (BOM)", "definition": "The list of parts ordered"},
        {"term": "ECP", "definition": "Equinix Customer Portal"}]


def test_a_glossary_heading_with_no_terms_gives_an_empty_glossary_and_a_note() -> None:
    got = extract(FIXTURES / "pdf" / "glossary_heading_no_terms.pdf")
    assert got.valid
    assert got.glossary.empty and list(got.glossary.columns) == ["term", "definition"]
    assert "a glossary heading with no terms under it" in got.warnings


def test_no_glossary_at_all_is_valid_without_a_note() -> None:
    got = extract(FIXTURES / "pdf" / "glossary_none.pdf")
    assert got.valid and got.glossary.empty
    assert not any("glossary" in note for note in got.warnings)


def test_a_wrapped_definition_line_that_reads_like_an_entry_continues_the_definition() -> None:
    two_columns = [_cells(100, [(36, "AE"), (80, "Equinix Account Executive, who owns the deal.")]),
                   _cells(112, [(80, "Note: the AE co-sells on large deals")]),
                   _cells(124, [(36, "CSM"), (80, "Customer Success Manager")])]
    assert lines_to_glossary(two_columns, ()).to_dict("records") == [
        {"term": "AE",
         "definition": "Equinix Account Executive, who owns the deal. Note: the AE co-sells on large deals"},
        {"term": "CSM", "definition": "Customer Success Manager"}]
    hanging = [_line(100, "ECP - Equinix Customer Portal, where the"), _line(112, "Master Admin - grants rights", 54.0),
               _line(124, "EUC - End-User Customer")]
    assert lines_to_glossary(hanging, ()).to_dict("records") == [
        {"term": "ECP", "definition": "Equinix Customer Portal, where the Master Admin - grants rights"},
        {"term": "EUC", "definition": "End-User Customer"}]


def test_only_rules_between_lines_of_a_page_make_a_glossary_ruled() -> None:
    lines = [_line(100, "AE - Account Executive"), _line(112, "CSM - Customer Success Manager"),
             _line(40, "ECP - Equinix Customer Portal"), _line(52, "EUC - End-User Customer")]
    header_rules = {1: [Rule("h", 30.0, 36.0, 576.0)], 2: [Rule("h", 30.0, 36.0, 576.0)]}
    ruled = rules_above(lines, [1, 1, 2, 2], header_rules)
    assert ruled == [None, False, None, False]
    assert [e["term"] for e in lines_to_glossary(lines, (), ruled).to_dict("records")] == ["AE", "CSM", "ECP", "EUC"]
