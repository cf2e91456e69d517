"""Revision dates, revision histories, titles and glossaries of job aids the reader had not seen (round 2): version
numbers and identifiers that look like dates, the latest of several revision dates, a creation date as the only
date, a revision-history table, a logotype above the title, bullet glossaries and acronyms with small letters."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.profile import load_profile
from pipeline.read.dating import read_dates, revision_date
from pipeline.read.glossary import lines_to_glossary, ruled_glossary
from pipeline.read.history import find_history
from pipeline.read.layout import Line, Rule, Word
from pipeline.read.revision import lines_to_title_block
from tests.conftest import printed_date

PROFILE = load_profile()




@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Version 1.2.23", None),  # a version number, not 1 February 2023
        ("Release 4.10.22", None),
        ("Updated 07.03.23", ("Updated 07.03.23", date(2023, 3, 7), "printed")),  # still a date after another word
        ("Revised 7th of March 2023", ("Revised 7th of March 2023", date(2023, 3, 7), "printed")),
        ("Valid from 1 April 2023", ("Valid from 1 April 2023", date(2023, 4, 1), "printed")),
        ("Published Sept. 14, 2021", ("Published Sept. 14, 2021", date(2021, 9, 14), "printed")),
        ("Next review: March 2024", None),  # a date to come
        ("Last reviewed: 7 March 2023    Next review: March 2024",
         ("Last reviewed: 7 March 2023", date(2023, 3, 7), "printed")),
        ("Raise ticket #12-2019 for escalations", None),  # identifiers
        ("Document JA-2023-03 | Equinix Confidential", None),
        ("Hotline 1-800-555-0199 | Form 10.02.20-A", None),
        ("Form EQX-10-2022", None),
        ("Rev.2023-03", ("Rev.2023-03", date(2023, 3, 1), "printed-month")),  # glued to a revision word: a date
        ("Page 1 of 3 | Rev. 2.1 | 2023-03-07", ("Rev. 2.1 | 2023-03-07", date(2023, 3, 7), "printed")),
        ("Revised 15 November 2022 | Updated 2023-03-07", ("Updated 2023-03-07", date(2023, 3, 7), "printed")),
        ("Updated Mar-2023", ("Updated Mar-2023", date(2023, 3, 1), "printed-month")),
        ("Last Modified: 7 March 2023", ("Last Modified: 7 March 2023", date(2023, 3, 7), "printed")),
        ("Approved 7 March 2023 | Printed 5/5/2024", ("Approved 7 March 2023", date(2023, 3, 7), "printed")),
    ],
)
def test_round2_dates_as_printed(text: str, expected: tuple[str, date, str] | None) -> None:
    assert printed_date(text) == expected


def test_a_creation_date_is_kept_marked_with_its_word() -> None:
    (found,) = read_dates("Created: 12 January 2020", PROFILE)
    assert (found.label, found.value, found.created) == ("Created: 12 January 2020", date(2020, 1, 12), True)


def test_a_creation_date_is_the_revision_date_only_when_no_other_is_printed() -> None:
    alone = revision_date(["Created: 12 January 2020"], None, [], PROFILE, date(2024, 5, 2))
    assert (alone.label, alone.iso, alone.source) == ("Created: 12 January 2020", "2020-01-12", "printed")
    both = revision_date(["Created: 12 January 2020", "Revised 7 March 2023"], None, [], PROFILE, date(2024, 5, 2))
    assert (both.label, both.iso) == ("Revised 7 March 2023", "2023-03-07")
    stamp = revision_date(["Printed 5/5/2024"], None, [], PROFILE, date(2024, 5, 2))
    assert (stamp.label, stamp.iso, stamp.source) == (None, "2024-05-02", "pdf-metadata")


def _cells(top: float, cells: list[tuple[float, str]], bold: bool = False, size: float = 9.0) -> Line:
    """Cells (x, text) → one line of words 5 pt a letter and 2.5 pt apart."""
    words = []
    for x, text in cells:
        for piece in text.split():
            words.append(Word(piece, x, x + 5.0 * len(piece), top, top + size, bold, size, None))
            x += 5.0 * len(piece) + 2.5
    return Line(words)


HISTORY = [
    _cells(90, [(36, "Revision History")], bold=True),
    _cells(100, [(40, "Rev"), (100, "Date"), (190, "Change")], bold=True),
    _cells(112, [(40, "1.0"), (100, "10 Feb 2020"), (190, "First release")]),
    _cells(124, [(40, "2.0"), (100, "15 Nov 2021"), (190, "Escalation steps added for the")]),
    _cells(136, [(190, "network service desk")]),
    _cells(148, [(40, "3.0"), (100, "7 Mar 2023"), (190, "Portal renamed")]),
    _cells(170, [(36, "Terms used in this Document:")], bold=True),
    _cells(182, [(36, "AE"), (80, "Account Executive 1 Jan 2025")]),
]


def _history():  # type: ignore[no-untyped-def]
    return find_history(HISTORY, PROFILE.is_history_heading, PROFILE.revision_id_words,
                        lambda text: read_dates(text, PROFILE))


def test_a_revision_history_gives_its_rows_and_ends_at_the_next_heading() -> None:
    history = _history()
    assert history is not None
    assert [(r.ident, r.label, r.date.value) for r in history.rows] == [
        ("1.0", "Rev 1.0", date(2020, 2, 10)), ("2.0", "Rev 2.0", date(2021, 11, 15)),
        ("3.0", "Rev 3.0", date(2023, 3, 7))]
    assert len(history.lines) == 6  # heading, header row, three rows and a wrapped change


def test_the_revision_is_the_row_the_footer_names_else_the_latest() -> None:
    history = _history()
    named = revision_date(["Equinix Confidential | Rev 2"], history, [], PROFILE, None)
    assert (named.label, named.iso) == ("Rev 2", "2021-11-15")
    latest = revision_date(["Equinix Confidential"], history, [], PROFILE, None)
    assert (latest.label, latest.iso, latest.source) == ("Rev 3.0", "2023-03-07", "printed")
    dated = revision_date(["Revised 1 April 2023"], history, [], PROFILE, None)  # a date printed outside wins
    assert (dated.label, dated.iso) == ("Revised 1 April 2023", "2023-04-01")


def test_a_logotype_above_the_title_is_not_the_title() -> None:
    lines = [_cells(40, [(36, "EQUINIX")], bold=True, size=26.0),
             _cells(80, [(36, "End Customer Support Comparison")], bold=True, size=18.0),
             _cells(110, [(36, "Reseller vs Direct")], size=12.6)]
    block = lines_to_title_block(lines)
    assert (block.title, block.subtitle) == ("End Customer Support Comparison", "Reseller vs Direct")


@pytest.mark.parametrize(("text", "heading"), [
    ("List of Acronyms", True), ("Acronym List", True), ("Abbreviations list", True),
    ("List of changes in this release", False)])
def test_round2_glossary_headings(text: str, heading: bool) -> None:
    assert PROFILE.is_glossary_heading(text) == heading


def test_a_bullet_list_glossary_with_a_wrapped_definition() -> None:
    lines = [_cells(100, [(40, "\u2022"), (52, "AM \u2013 Account Manager")]),
             _cells(112, [(40, "\u2022"), (52, "AE \u2013 Equinix Account Executive, who owns the")]),
             _cells(124, [(52, "relationship with the end-user customer")]),
             _cells(136, [(40, "\u2022"), (52, "CSM \u2013 Customer Success Manager")])]
    assert lines_to_glossary(lines).to_dict("records") == [
        {"term": "AM", "definition": "Account Manager"},
        {"term": "AE", "definition": "Equinix Account Executive, who owns the relationship with the end-user customer"},
        {"term": "CSM", "definition": "Customer Success Manager"}]


def test_acronyms_with_small_letters_are_terms() -> None:
    lines = [_cells(100, [(36, "AE: Equinix Account Executive")]),
             _cells(112, [(36, "eCP: The new Equinix Customer Portal")]),
             _cells(124, [(36, "iPaaS \u2013 Integration Platform as a Service")]),
             _cells(136, [(36, "SaaS"), (90, "Software as a Service")])]
    assert lines_to_glossary(lines).to_dict("records") == [
        {"term": "AE", "definition": "Equinix Account Executive"},
        {"term": "eCP", "definition": "The new Equinix Customer Portal"},
        {"term": "iPaaS", "definition": "Integration Platform as a Service"},
        {"term": "SaaS", "definition": "Software as a Service"}]


def test_a_date_before_an_extension_is_a_date_but_one_glued_to_a_code_is_not() -> None:
    assert printed_date("end-customer-support 10Feb20.pdf") == ("10Feb20", date(2020, 2, 10), "printed")
    assert printed_date("Form 10Feb20-B") is None


def test_one_line_starting_with_a_dash_does_not_make_a_bullet_list() -> None:
    lines = [_cells(100, [(36, "- AE"), (90, "Equinix Account Executive")]),
             _cells(112, [(36, "CSM"), (90, "Customer Success Manager")])]
    assert {"term": "CSM", "definition": "Customer Success Manager"} in lines_to_glossary(lines).to_dict("records")


def test_side_by_side_ruled_columns_of_entries_are_read_column_by_column() -> None:
    lines = [_cells(100, [(36, "AE"), (80, "Account Executive, who owns"), (400, "IBX"), (444, "Data centre")]),
             _cells(112, [(80, "the deal"), (400, "MA"), (444, "Master Admin")]),
             _cells(124, [(36, "CSM"), (80, "Customer Success Manager"), (400, "NSD"), (444, "Network Desk")])]
    rules = {1: [Rule("h", 110.5, 396.0, 746.0), Rule("h", 122.0, 36.0, 386.0), Rule("h", 122.5, 396.0, 746.0),
                 Rule("h", 135.0, 36.0, 386.0), Rule("h", 135.0, 396.0, 746.0)]}
    assert ruled_glossary(lines, [1, 1, 1], rules).to_dict("records") == [
        {"term": "AE", "definition": "Account Executive, who owns the deal"},
        {"term": "CSM", "definition": "Customer Success Manager"},
        {"term": "IBX", "definition": "Data centre"}, {"term": "MA", "definition": "Master Admin"},
        {"term": "NSD", "definition": "Network Desk"}]
    table = [_cells(100, [(40, "AE"), (110, "Account Executive")]), _cells(116, [(40, "CSM"), (110, "Success")])]
    cells = {1: [Rule("h", r, 36.0, 100.0) for r in (97.0, 113.0, 129.0)]
             + [Rule("h", r, 106.0, 400.0) for r in (97.0, 113.0, 129.0)]}  # term cells ruled apart from the rest
    assert ruled_glossary(table, [1, 1], cells).to_dict("records") == [
        {"term": "AE", "definition": "Account Executive"}, {"term": "CSM", "definition": "Success"}]


@pytest.mark.parametrize(("line", "title"), [
    ("End Customer Support Comparison - March 2023", "End Customer Support Comparison"),
    ("End Customer Support Comparison (Rev. 3, 07 Mar 2023)", "End Customer Support Comparison"),
    ("Q1 2023 | Partner Program Update", "Partner Program Update"),
    ("Top 10 Tasks for 2023 Onboarding", "Top 10 Tasks for 2023 Onboarding")])
def test_a_date_at_either_end_of_the_title_line_is_not_part_of_the_title(line: str, title: str) -> None:
    assert lines_to_title_block([_cells(40, [(36, line)], bold=True, size=18.0)]).title == title


def test_a_history_row_numbered_v2_is_the_revision_a_footer_calls_version_2() -> None:
    lines = [_cells(90, [(36, "Version History")], bold=True),
             _cells(100, [(40, "Version"), (100, "Date"), (190, "Change")], bold=True),
             _cells(112, [(40, "v1"), (100, "2020-02-10"), (190, "First release")]),
             _cells(124, [(40, "v2"), (100, "2021-11-15"), (190, "Escalation steps")]),
             _cells(136, [(40, "v3"), (100, "2023-03-07"), (190, "Draft")])]
    history = find_history(lines, PROFILE.is_history_heading, PROFILE.revision_id_words,
                           lambda text: read_dates(text, PROFILE))
    assert history is not None and [r.label for r in history.rows] == ["v1", "v2", "v3"]
    named = revision_date(["Equinix Confidential | Version 2"], history, [], PROFILE, None)
    assert (named.label, named.iso) == ("Version 2", "2021-11-15")
