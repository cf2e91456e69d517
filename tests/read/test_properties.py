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

from hypothesis import HealthCheck, given, settings
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
