"""Property: any cell text a job aid can hold, rendered into a PDF by the fixture generator in any of its
table styles, comes back exactly.

Rows are drawn the way job aids write them: activities and owner cells start with a capital letter, owner
cells end like sentences, and no cell ends on a connector ("and", "&", ","), since those are the signals
the reader uses to join a row broken by a page break.
"""

from __future__ import annotations

import os
import string
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pipeline.read.extract import extract
from schemas.activities import CORE_COLUMNS
from tests.conftest import FIXTURES

sys.path.insert(0, str(FIXTURES))
import generate as G  # noqa: E402

LOWER = string.ascii_lowercase
word = st.text(LOWER, min_size=1, max_size=9)
inner = st.one_of(
    word,
    st.builds(lambda a, b: f"{a}-{b}", word, word),  # hyphenated words, which may wrap after the hyphen
    st.builds(lambda a: f"({a})", word),
    st.builds(lambda a: a.upper(), st.text(LOWER, min_size=2, max_size=4)),  # acronyms: EUC, ECP
    st.sampled_from(["&", "/", "2.0", "24x7", "n/a"]),
)
ENDS = st.text(LOWER, min_size=3, max_size=9).filter(lambda w: w not in {"and", "for", "the", "with", "from"})


def phrase(min_words: int, max_words: int, end: str = "") -> st.SearchStrategy[str]:
    """Capitalised words, single-spaced, ending on a plain word (plus `end`)."""
    return st.builds(
        lambda first, middle, last: " ".join([first.capitalize(), *middle, last]) + end,
        word,
        st.lists(inner, max_size=max_words - 2),
        ENDS,
    ).filter(lambda text: len(text.split()) >= min_words)


def row(phase: str) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries(
        {
            "phase": st.just(phase),
            "activity": phrase(2, 12),
            "self_service": st.sampled_from(
                ["", "", "Self-service", "Self-service on ECP", "Self-service not available"]
            ),
            "reseller_owner": phrase(2, 25, "."),
            "direct_owner": st.one_of(phrase(2, 25, "."), st.just("")),
        }
    )


@st.composite
def documents(draw: st.DrawFn) -> list[dict[str, str]]:
    phases = draw(st.lists(phrase(1, 5), min_size=1, max_size=3, unique=True))
    rows: list[dict[str, str]] = []
    for phase in phases:
        rows += draw(st.lists(row(phase), min_size=1, max_size=6))
    acts = [r["activity"] for r in rows]
    assume_unique = len(set(acts)) == len(acts)
    return rows if assume_unique else draw(st.nothing())


styles = st.builds(
    G.Style,
    family=st.sampled_from(["Helvetica", "Times", "Courier"]),
    borders=st.sampled_from(["lines", "rects", "nested", "thin", "header_rule", "none"]),
    phase_layout=st.sampled_from(["span", "first_cell"]),
    orient=st.sampled_from(["L", "P"]),
    repeat_header=st.booleans(),
)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(rows=documents(), style=styles)
def test_rendered_cells_come_back_exactly(rows: list[dict[str, str]], style: G.Style) -> None:
    doc = G.seed_doc(rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "property.pdf"
        G.build(doc, style, path)
        got = extract(path)
    expected = G.expected_of(doc, style)["rows"]
    assert got.activities[list(CORE_COLUMNS)].to_dict("records") == expected


@st.composite
def same_owner_documents(draw: st.DrawFn) -> list[dict[str, str]]:
    """Documents where some rows give both owners (or self-service and both owners) one text."""
    rows = draw(documents())
    for r in rows:
        kind = draw(st.sampled_from(["apart", "apart", "owners", "all"]))
        if kind == "owners":
            r["direct_owner"] = r["reseller_owner"]
        elif kind == "all":
            r["self_service"] = r["reseller_owner"] = r["direct_owner"] = "Not applicable"
    return rows


new_styles = st.builds(
    lambda borders, family, orient, phase_column, phase_rows, merge_owners, repeat_header: G.Style(
        family=family, orient=orient, borders=borders, repeat_header=repeat_header,
        phase_column=phase_column, phase_rows=phase_rows or not phase_column, merge_owners=merge_owners,
        phase_layout="span", phase_fill=(31, 56, 100) if borders == "dividers" else (217, 217, 217),
        phase_color=(255, 255, 255) if borders == "dividers" else (0, 0, 0),
        order=G.PHASE_ORDER if phase_column else G.KEYS,
        fracs=(0.16, 0.24, 0.12, 0.24, 0.24) if phase_column else (0.28, 0.14, 0.29, 0.29),
    ),
    borders=st.sampled_from(["dividers", "lines", "rects", "none"]),
    family=st.sampled_from(["Helvetica", "Times", "Courier"]),
    orient=st.sampled_from(["L", "P"]),
    phase_column=st.sampled_from(["", "merged", "repeated"]),
    phase_rows=st.booleans(),
    merge_owners=st.booleans(),
    repeat_header=st.booleans(),
).filter(lambda s: not (s.phase_column == "merged" and s.borders == "rects"))  # the generator draws no merged rects


@settings(
    max_examples=30,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(rows=same_owner_documents(), style=new_styles, phase_word=st.sampled_from(["Phase", "Stage", "Step", "Area"]))
def test_divider_phase_column_and_merged_cell_layouts_come_back_exactly(
    rows: list[dict[str, str]], style: G.Style, phase_word: str
) -> None:
    if style.borders == "none":  # no rule or fill shows where a table without borders ends on the right, so
        # a short text centred across self-service and both owners cannot be told from one centred in its column
        assume(not any(r["self_service"] == r["direct_owner"] == "Not applicable" for r in rows))
    doc = G.seed_doc(rows)
    if style.phase_column:
        doc = G.with_phase_header(doc, phase_word)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "property.pdf"
        G.build(doc, style, path)
        got = extract(path)
    expected = G.expected_of(doc, style)["rows"]
    assert got.activities[list(CORE_COLUMNS)].to_dict("records") == expected


#: Found by the property test above (random run, seed 215118691934806215238124749463098913231): every owner cell
#: of the table is merged across both owner columns, so the body has no left-aligned direct-owner text, and the
#: boundary taken from the header is moved left into the gap before the merged texts; "Oh aaa." then reads as
#: a direct-owner cell only. Fixed: a boundary now moves only to where several body text runs of different widths
#: are left-aligned, so the header's boundary stands under merged centred text.
KNOWN_MERGED_ONLY_ROWS = [
    ("G p", "Pbgn h aoemcfbyd", "Mjbnsypfa faz.", ""),
    ("G p", "Iojbztbrf i-role lwisuef ql cihjaazoj uzrcvxkbn zpaznr algks-agujlgvlx a k vehadful",
     "Zir a gamin hzlh bcmafzfza.", "Zir a gamin hzlh bcmafzfza."),
    ("G p", "H aaa", "A aaa.", "A aaa."),
    ("Ay w", "Sbflpla aaa", "A aaa.", "A aaa."),
    ("Ay w", "Ba aaa", "Oh aaa.", "Oh aaa."),
    ("Ay w", "A aaa", "A aaa.", "A aaa."),
]


def test_merged_owner_cells_in_every_row_of_a_divider_only_table() -> None:
    rows = [{"phase": p, "activity": a, "self_service": "", "reseller_owner": r, "direct_owner": d}
            for p, a, r, d in KNOWN_MERGED_ONLY_ROWS]
    style = G.Style(family="Helvetica", size=9.0, fmt="Letter", orient="L", fracs=(0.28, 0.14, 0.29, 0.29),
                    borders="dividers", phase_bold=True, phase_fill=(31, 56, 100), phase_color=(255, 255, 255),
                    header_fill=(234, 234, 234), merge_owners=True, rule_color=(170, 170, 170))
    doc = G.seed_doc(rows)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "merged_only.pdf"
        G.build(doc, style, path)
        got = extract(path)
    assert got.activities[list(CORE_COLUMNS)].to_dict("records") == G.expected_of(doc, style)["rows"]
