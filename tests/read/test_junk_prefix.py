"""A PDF with up to 1,024 junk bytes before its "%PDF-" marker (mail gateways, some exporters) reads as without them."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import NotAPdfError
from pipeline.read.extract import extract
from pipeline.read.pdf import MAGIC_WINDOW
from tests.conftest import RAW

SAMPLE = RAW / "end-customer-support_10Feb20.pdf"
JUNK = {
    "text": (b"Received: from gateway.example.com by mail.example.com\r\n" * 30)[:MAGIC_WINDOW],
    "binary": bytes(range(256)).replace(b"%", b"#") * 4,
    "nul": b"\0" * MAGIC_WINDOW,
    "short": b"\r\n",
}


@pytest.fixture(scope="module")
def clean() -> list[dict[str, str]]:
    return extract(SAMPLE).activities.to_dict("records")


@pytest.mark.parametrize("kind", sorted(JUNK))
def test_junk_before_the_marker_is_skipped(kind: str, clean: list[dict[str, str]], tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(JUNK[kind] + SAMPLE.read_bytes())
    got = extract(path)
    assert got.valid
    assert got.activities.to_dict("records") == clean


def test_marker_further_in_is_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "late.pdf"
    path.write_bytes(b"x" * (MAGIC_WINDOW + 1) + SAMPLE.read_bytes())
    with pytest.raises(NotAPdfError):
        extract(path)
