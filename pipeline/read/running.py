"""Page layouts → the lines each page repeats in its margins: running headers, footers and page numbers."""

from __future__ import annotations

import re

from pipeline.profile import Profile
from pipeline.read.layout import Line, PageLayout
from pipeline.read.locate import find_header

#: Running headers and footers stand within this share of the page height from its top or bottom.
RUNNING_MARGIN = 0.12
#: A running line repeats within this many points of the same height.
RUNNING_TOLERANCE = 4.0
#: A line read by OCR repeats another page's line when their texts (digits aside) are this similar (rapidfuzz
#: ratio, 0-100): OCR misreads or skips a few characters of a footer ("Page |" for "Page 2", or no page number).
RUNNING_SIMILARITY = 85.0

_PAGE_NUMBER = re.compile(r"(\bpage\s*\d+(\s*(of|/)\s*\d+)?\b|^\s*\d+\s*$|^\s*\d+\s*(of|/)\s*\d+\s*$)", re.I)
#: A page number as OCR may read it: digits, or the marks a 1 is misread as ("Page |", "Page l").
_OCR_PAGE_NUMBER = re.compile(r"\bpage\s*[\d|Il!\]]{1,4}(\s*(of|/)\s*[\d|Il!\]]{1,4})?\s*$", re.I)


def running_lines(layouts: list[PageLayout], profile: Profile) -> list[set[int]]:
    """Pages → per page, the indexes of running headers, footers and page numbers.

    A running line stands in the page's top or bottom margin, before any body text from that edge, and
    either holds a page number or repeats (digits aside) at the same height on at least half the pages.
    """
    tops: dict[str, list[tuple[int, float]]] = {}
    for number, layout in enumerate(layouts):
        for ln in layout.lines:
            tops.setdefault(_running_key(ln), []).append((number, ln.top))

    margins = [[ln for ln in layout.lines if _in_margin(ln, layout)] for layout in layouts]

    def repeated(ln: Line) -> bool:
        pages = {n for n, top in tops.get(_running_key(ln), []) if abs(top - ln.top) <= RUNNING_TOLERANCE}
        if ln.by_ocr:
            pages |= _alike_pages(ln, margins)
        return len(layouts) > 1 and len(pages) > 1 and len(pages) >= len(layouts) / 2

    def candidate(ln: Line) -> bool:
        numbered = _PAGE_NUMBER.search(ln.text) or ln.by_ocr and _OCR_PAGE_NUMBER.search(ln.text)
        return bool(numbered) or repeated(ln)

    result = []
    for layout in layouts:
        found: set[int] = set()
        found_header = find_header(layout, profile, set())  # a repeated table header is never a running line
        header = found_header[0] if found_header else None
        indexed = [(i, ln) for i, ln in enumerate(layout.lines)
                   if header is None or not header.top - 0.5 <= ln.top <= header.bottom]
        for edge in (indexed, indexed[::-1]):
            for i, ln in edge:
                if not (_in_margin(ln, layout) and candidate(ln)):
                    break
                found.add(i)
        result.append(found)
    return result


def _in_margin(ln: Line, layout: PageLayout) -> bool:
    margin = RUNNING_MARGIN * layout.height
    return ln.top < margin or ln.bottom > layout.height - margin


def _running_key(ln: Line) -> str:
    return re.sub(r"\d+", "#", ln.text.casefold())


def _alike_pages(ln: Line, margins: list[list[Line]]) -> set[int]:
    """A line read by OCR and each page's margin lines → the pages with a line at its height whose text (digits
    aside) is nearly the same."""
    from rapidfuzz.fuzz import ratio  # only pages read by OCR get here

    key = _running_key(ln)
    return {n for n, lines in enumerate(margins) for other in lines if abs(other.top - ln.top) <= RUNNING_TOLERANCE
            and ratio(key, _running_key(other), score_cutoff=RUNNING_SIMILARITY) > 0}
