"""Documents read side by side, and the pages of one document split across helper processes, read as when alone."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest

import pipeline.read.pdf as pdf_module
import pipeline.read.pdfium as pdfium_module
from pipeline.errors import LimitExceededError
from pipeline.read.parallel import map_split, read_many
from pipeline.read.pdf import read_pdfium_pages, read_with_pdfium, read_with_pdfplumber
from pipeline.read.sandbox import Limits, extend_deadline, granted_cores
from tests.read.test_pdfium_reader import ALL_PDFS, PDFS

#: Fixtures of more than one page that pdfium reads itself.
MULTIPAGE = [p for p in PDFS if len(pdfium.PdfDocument(str(p))) > 1]
#: Fixtures of more than one page, whichever reader reads them.
ALL_MULTIPAGE = [p for p in ALL_PDFS if len(pdfium.PdfDocument(str(p))) > 1]


@pytest.mark.parametrize("path", MULTIPAGE, ids=[p.name for p in MULTIPAGE])
def test_pages_read_by_helpers_are_the_pages_read_alone(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "MIN_PAGES_PER_PART", 1)
    document = pdfium.PdfDocument(str(path))
    try:
        count = len(document)
        alone = read_pdfium_pages(document, path, None, count, 1)
        split = read_pdfium_pages(document, path, None, count, count)
    finally:
        document.close()
    assert split == alone


@pytest.mark.parametrize("path", ALL_MULTIPAGE, ids=[p.name for p in ALL_MULTIPAGE])
def test_pages_read_by_pdfplumber_helpers_are_the_pages_read_alone(path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "MIN_PAGES_PER_PART", 1)
    monkeypatch.setattr(pdf_module, "granted_cores", lambda: 1)
    alone = read_with_pdfplumber(path)
    monkeypatch.setattr(pdf_module, "granted_cores", lambda: 8)
    split = read_with_pdfplumber(path)
    assert (split.layouts, split.page_images, split.metadata) == (alone.layouts, alone.page_images, alone.metadata)


def test_an_error_in_a_helper_surfaces_as_when_reading_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    path = max(MULTIPAGE, key=lambda p: len(pdfium.PdfDocument(str(p))))
    original = pdfium_module.pdfium_page_to_layout

    def crowded_last_page(pdf: object, index: int, max_chars: int) -> object:
        if index == len(pdf) - 1:  # type: ignore[arg-type]
            raise pdfium_module.TooManyChars(index + 1, max_chars + 1)
        return original(pdf, index, max_chars)

    monkeypatch.setattr(pdfium_module, "pdfium_page_to_layout", crowded_last_page)
    monkeypatch.setattr(pdf_module, "MIN_PAGES_PER_PART", 1)
    monkeypatch.setattr(pdf_module, "granted_cores", lambda: 1)
    with pytest.raises(LimitExceededError) as alone:
        read_with_pdfium(path, None, 2000)
    monkeypatch.setattr(pdf_module, "granted_cores", lambda: 2)
    with pytest.raises(LimitExceededError) as split:
        read_with_pdfium(path, None, 2000)
    assert str(split.value) == str(alone.value)


def _square_or_die(n: int) -> int:
    if n == 2:
        os._exit(3)
    return n * n


def test_a_helper_that_dies_leaves_its_part_to_the_caller() -> None:
    assert map_split(_square_or_die, [1, 2, 3]) == [1, None, 9]


def _slow_after_extending(seconds: float) -> str:
    extend_deadline(30.0)
    time.sleep(seconds)
    return "slow"


def _fast() -> str:
    time.sleep(0.3)
    return "fast"


def test_a_child_asking_for_more_time_does_not_hold_up_the_others() -> None:
    work = [(Path("slow.pdf"), (2.0,)), (Path("fast.pdf"), ())]
    funcs = {0: _slow_after_extending, 1: _fast}

    def either(*args: float) -> str:
        return funcs[0 if args else 1](*args)

    answers = [result for _, result in read_many(either, work, Limits(timeout_s=1.5), jobs=2)]
    assert answers == ["fast", "slow"]


def test_a_lone_document_gets_the_idle_cores() -> None:
    work = [(Path(f"{i}.pdf"), ()) for i in range(3)]
    granted = dict(read_many(granted_cores, work, Limits(), jobs=2))
    assert granted == {0: 1, 1: 1, 2: 1}
    assert dict(read_many(granted_cores, work[:1], Limits(), jobs=2)) == {0: 2}
