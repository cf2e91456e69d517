"""Printed text lines → the contract's cell text."""

from __future__ import annotations

import unicodedata


def join_lines(lines: list[str]) -> str:
    """Printed lines of one cell → its text: whitespace runs become one space, a line ending in a
    hyphen joins the next line without a space and keeps the hyphen."""
    text = ""
    for raw in lines:
        line = " ".join(unicodedata.normalize("NFC", raw).replace("\u00ad", "").split())
        if not line:
            continue
        if not text:
            text = line
        elif text.endswith("-"):
            text += line
        else:
            text += " " + line
    return text
