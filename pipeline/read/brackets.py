"""A page's OCR words → braces that close or open a parenthesis on their line read as that parenthesis."""

from __future__ import annotations

from dataclasses import replace

from pipeline.read.ocr import OcrWord

#: What OCR reads a round bracket as on a thick or thresholded scan (the brace's waist is a speck of noise).
AS_BRACE = {"(": "{", ")": "}"}


def mend_brackets(found: list[OcrWord]) -> list[OcrWord]:
    """OCR words → on each line, a "}" that closes an open "(" made ")", and a "{" that a later ")" or "}" closes
    made "(" ("(field sales}" → "(field sales)"). A brace nothing on its line pairs with is left as read."""
    lines: dict[int, list[int]] = {}
    for i, w in enumerate(found):
        lines.setdefault(w.line, []).append(i)
    texts = [list(w.text) for w in found]
    for indexes in lines.values():
        chars = [(i, k) for i in sorted(indexes, key=lambda i: found[i].x0) for k in range(len(texts[i]))]
        _pair(texts, chars)
    return [w if "".join(t) == w.text else replace(w, text="".join(t)) for w, t in zip(found, texts, strict=True)]


def _pair(texts: list[list[str]], chars: list[tuple[int, int]]) -> None:
    """One line's characters (word, position) in reading order → braces paired as round brackets, in place."""
    opened: list[tuple[int, int]] = []  # the open brackets and braces, innermost last
    for i, k in chars:
        c = texts[i][k]
        if c in ("(", AS_BRACE["("]):
            opened.append((i, k))
        elif c in (")", AS_BRACE[")"]) and opened:
            j, m = opened.pop()
            if texts[j][m] == AS_BRACE["("] and c == AS_BRACE[")"]:
                continue  # a real pair of braces
            texts[j][m], texts[i][k] = "(", ")"
