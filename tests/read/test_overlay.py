"""`--overlay` draws a phase column's cells and cells merged across columns in their own colours."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from pipeline.read.extract import extract
from pipeline.read.overlay import COLOURS, draw_overlays
from tests.conftest import FIXTURES


def _pixels(paths: list[Path], colour: str) -> int:
    rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    total = 0
    for p in paths:
        image = Image.open(p).convert("RGB")
        total += sum(count for count, value in image.getcolors(image.width * image.height) or [] if value == rgb)
    return total


@pytest.mark.parametrize(("name", "kind", "present"), [
    ("phase_column_merged_seed", "phase_cell", True),
    ("merged_owners_ruled", "merged", True),
    ("multipage_repeated_header", "phase_cell", False),
    ("multipage_repeated_header", "merged", False),
])
def test_overlay_shows_phase_column_and_merged_cells(name: str, kind: str, present: bool, tmp_path: Path) -> None:
    path = FIXTURES / "pdf" / f"{name}.pdf"
    pngs = draw_overlays(path, extract(path), tmp_path)
    assert (_pixels(pngs, COLOURS[kind]) > 100) is present
