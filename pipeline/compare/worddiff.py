"""Old and new cell text → the same texts with the changed words marked, as Markdown (~~deleted~~, **inserted**)
or as escaped HTML (<del>, <ins>)."""

from __future__ import annotations

import difflib
import html
import re

#: A word (hyphens and apostrophes inside it kept), a run of spaces, or one punctuation mark.
_WORDS = re.compile(r"\w+(?:['’-]\w+)*|\s+|[^\w\s]")
_WORD_CHARACTER = re.compile(r"\w")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>])")


def markdown_escape(text: str) -> str:
    """Text to the same text with Markdown's special characters escaped (spaces kept as they are)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_marked(text: str, mark: str) -> str:
    """Changed text and a Markdown mark ("~~" or "**") to the text escaped and marked, its edge spaces outside the
    marks (CommonMark does not take a mark next to a space)."""
    core = text.strip()
    if not core:
        return text
    start = len(text) - len(text.lstrip())
    return f"{text[:start]}{mark}{markdown_escape(core)}{mark}{text[start + len(core):]}"


def _diff_segments(old: str, new: str) -> list[tuple[bool, str, str]]:
    """Old and new text to (unchanged?, old part, new part) segments, word by word.

    A run of spaces or punctuation between two changed words joins them into one change (a lone "&" or ","
    kept between two unlike phrases is no common ground).
    """
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    segments = [
        (op == "equal", "".join(old_words[i1:i2]), "".join(new_words[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
    ]
    merged: list[tuple[bool, str, str]] = []
    for index, (same, before, after) in enumerate(segments):
        between_changes = 0 < index < len(segments) - 1 and not segments[index + 1][0]
        if same and not _WORD_CHARACTER.search(before) and between_changes and merged and not merged[-1][0]:
            same = False
        if merged and not same and not merged[-1][0]:
            _, prev_before, prev_after = merged.pop()
            before, after = prev_before + before, prev_after + after
        merged.append((same, before, after))
    return merged


def word_diff_markdown(old: str, new: str) -> tuple[str, str]:
    """Old and new cell text to Markdown of each, deleted words struck through (~~), inserted words in bold."""
    old_parts: list[str] = []
    new_parts: list[str] = []
    for same, before, after in _diff_segments(old, new):
        if same:
            old_parts.append(markdown_escape(before))
            new_parts.append(markdown_escape(after))
        else:
            old_parts.append(_md_marked(before, "~~"))
            new_parts.append(_md_marked(after, "**"))
    return " ".join("".join(old_parts).split()), " ".join("".join(new_parts).split())


def word_diff_html(old: str, new: str) -> tuple[str, str]:
    """Old and new cell text to escaped HTML of each, deleted words in <del>, inserted in <ins>."""
    old_html: list[str] = []
    new_html: list[str] = []
    for same, before, after in _diff_segments(old, new):
        if same:
            old_html.append(html.escape(before))
            new_html.append(html.escape(after))
            continue
        if before:
            old_html.append(f"<del>{html.escape(before)}</del>")
        if after:
            new_html.append(f"<ins>{html.escape(after)}</ins>")
    return "".join(old_html), "".join(new_html)
