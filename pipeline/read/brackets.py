"""A page's OCR words → braces that close or open a parenthesis on their line read as that parenthesis."""

from __future__ import annotations

from dataclasses import replace

from pipeline.read.ocr import OcrWord

#: What OCR reads a round bracket as on a thick or thresholded scan (the brace's waist is a speck of noise).
AS_BRACE = {"(": "{", ")": "}"}


#: A bracket opened on a line may close on the next lines of its cell: lines whose baselines stand at most this many
#: row heights lower.
WRAP_REACH = 2.5


def mend_brackets(found: list[OcrWord]) -> list[OcrWord]:
    """OCR words → a "}" that closes an open "(" made ")", and a "{" that a later ")" or "}" closes made "("
    ("(field sales}" → "(field sales)"), the bracket opened on its line or, left open there, on a line just above
    (a cell's text wrapped). A brace nothing pairs with is left as read."""
    lines: dict[int, list[int]] = {}
    for i, w in enumerate(found):
        lines.setdefault(w.line, []).append(i)
    texts = [list(w.text) for w in found]
    left_open: list[tuple[float, float, list[tuple[int, int]]]] = []  # per line above: baseline, height, openers
    for indexes in sorted(lines.values(), key=lambda ix: found[ix[0]].baseline):
        first = found[indexes[0]]
        above = [opened for base, height, opened in left_open
                 if opened and 0 < first.baseline - base <= WRAP_REACH * max(height, first.row_height)]
        chars = [(i, k) for i in sorted(indexes, key=lambda i: found[i].x0) for k in range(len(texts[i]))]
        left_open.append((first.baseline, first.row_height, _pair(texts, chars, above[-1] if above else [])))
    return [w if "".join(t) == w.text else replace(w, text="".join(t)) for w, t in zip(found, texts, strict=True)]


def _pair(texts: list[list[str]], chars: list[tuple[int, int]], above: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """One line's characters (word, position) in reading order, and the brackets left open on the line above it →
    braces paired as round brackets, in place; the brackets this line leaves open."""
    opened: list[tuple[int, int]] = []  # the open brackets and braces, innermost last
    for i, k in chars:
        c = texts[i][k]
        if c in ("(", AS_BRACE["("]):
            opened.append((i, k))
        elif c in (")", AS_BRACE[")"]) and (opened or above):
            j, m = opened.pop() if opened else above.pop()
            if texts[j][m] == AS_BRACE["("] and c == AS_BRACE[")"]:
                continue  # a real pair of braces
            texts[j][m], texts[i][k] = "(", ")"
    return opened
