"""Activity, phase and cell texts → the keys they are matched by, and how alike they are (0..1).

Keys: `collapsed` (layout only), `match_key` (case, dashes and "and" unified), `wording_key` (what a reader
compares: letters and digits). Similarities come from rapidfuzz's batched `process.cdist` (every old text with
every new one: a matrix, rows old, columns new) or `process.cpdist` (`paired`: the i-th old text with the i-th new
one: a vector) and a word overlap; never `token_set_ratio`, which scores 100 for a subset of words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from pipeline.compare.settings import DEFAULT_SETTINGS, DiffSettings
from pipeline.read.responsibility import collapse_layout

#: Dash glyphs that mean the same as "-" when matching activity names.
DASH_GLYPHS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_AND_VARIANTS = re.compile(r"\s*-n-\s*|\s+'?n'?\s+|\s*&\s*", re.IGNORECASE)
_EDGE_PUNCTUATION = " .,;:"
_WHITESPACE = re.compile(r"\s+")
_NOT_ALPHANUMERIC = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]+")
#: Words that carry no meaning of their own when activity texts are compared word by word.
FUNCTION_WORDS = frozenset({
    "a", "an", "the", "and", "or", "of", "for", "to", "in", "on", "with", "by", "from", "at", "as", "per", "via",
    "its", "their",
})

#: A rapidfuzz scorer: two texts to a score in 0..100.
Scorer = Callable[..., Any]
#: collapse_layout, remembered: the same cells are collapsed again for matching, ids and the diff.
collapsed = lru_cache(maxsize=1 << 14)(collapse_layout)


@lru_cache(maxsize=1 << 14)
def match_key(text: str | None) -> str:
    """Activity or phase text to the key used to match it: casefolded, dashes and "and" unified."""
    key = collapsed(text).casefold()
    key = key.translate({ord(ch): "-" for ch in DASH_GLYPHS})
    key = _AND_VARIANTS.sub(" and ", key)
    return _WHITESPACE.sub(" ", key).strip(_EDGE_PUNCTUATION)


@lru_cache(maxsize=1 << 14)
def wording_key(text: str | None) -> str:
    """Cell text to what a reader compares: letters and digits casefolded, no spaces, punctuation or hyphens.

    Two cells with equal keys differ only in case, punctuation or layout ("e-mail" / "Email."): no change. A cell
    of marks only ("✓", "--") keeps its marks: it says something, unlike a blank one.
    """
    key = _NOT_ALPHANUMERIC.sub("", collapsed(text).casefold())
    return key or _WHITESPACE.sub("", match_key(text))


def _word_stem(word: str) -> str:
    """A casefolded word to its stem for word overlap: a plural or third-person "s" dropped."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def content_words(key: str) -> frozenset[str]:
    """A match key to its content words, stemmed (function words left out)."""
    return frozenset(_word_stem(w) for w in _WORD.findall(key) if w not in FUNCTION_WORDS)


def text_similarity(a: str, b: str, settings: DiffSettings = DEFAULT_SETTINGS) -> float:
    """Two match keys to a similarity in 0..1: characters (ratio and token-sort ratio, never token-set) and words."""
    if a == b:
        return 1.0
    return float(similarity_matrix([a], [b], settings)[0, 0])


def _batch_scores(old_texts: list[str], new_texts: list[str], scorer: Scorer, paired: bool) -> np.ndarray:
    """Two lists of texts and a rapidfuzz scorer to its scores (0..100): a matrix, or a vector when `paired`."""
    if paired:
        return process.cpdist(old_texts, new_texts, scorer=scorer)
    return process.cdist(old_texts, new_texts, scorer=scorer)


def keys_equal(old_keys: list[str], new_keys: list[str], paired: bool) -> np.ndarray:
    """Two lists of keys to 1.0 where they are equal, else 0.0: a matrix, or a vector when `paired`."""
    old, new = np.array(old_keys, dtype=object), np.array(new_keys, dtype=object)
    equal: np.ndarray = (old == new if paired else old[:, None] == new[None, :]).astype(float)
    return equal


def _word_overlap(old_texts: list[str], new_texts: list[str], paired: bool = False) -> np.ndarray:
    """Two lists of match keys to the Dice overlap of their content words in 0..1 (rows old, columns new; a vector
    when `paired`).

    A changed verb weighs as much as any other word: "create ticket" and "update ticket" share half their words.
    """
    old_words, new_words = [content_words(t) for t in old_texts], [content_words(t) for t in new_texts]
    vocabulary = {w: i for i, w in enumerate(sorted(set().union(*old_words, *new_words)))}
    old_bag = np.zeros((len(old_words), len(vocabulary)))
    new_bag = np.zeros((len(new_words), len(vocabulary)))
    for bag, words in ((old_bag, old_words), (new_bag, new_words)):
        for row, found in enumerate(words):
            bag[row, [vocabulary[w] for w in found]] = 1.0
    if paired:
        shared, sizes = (old_bag * new_bag).sum(axis=1), old_bag.sum(axis=1) + new_bag.sum(axis=1)
    else:
        shared, sizes = old_bag @ new_bag.T, old_bag.sum(axis=1)[:, None] + new_bag.sum(axis=1)[None, :]
    overlap: np.ndarray = np.divide(2 * shared, sizes, out=np.zeros_like(shared), where=sizes > 0)
    return overlap


def similarity_matrix(
    old_texts: list[str], new_texts: list[str], settings: DiffSettings, paired: bool = False
) -> np.ndarray:
    """Two lists of match keys to their text similarities in 0..1 (rows old, columns new; a vector when `paired`)."""
    ratio = _batch_scores(old_texts, new_texts, fuzz.ratio, paired)
    token_sort = _batch_scores(old_texts, new_texts, fuzz.token_sort_ratio, paired)
    characters = (settings.ratio_share * ratio + (1 - settings.ratio_share) * token_sort) / 100
    words = _word_overlap(old_texts, new_texts, paired)
    return settings.word_share * words + (1 - settings.word_share) * characters


def cell_similarity(old_keys: list[str], new_keys: list[str], paired: bool = False) -> np.ndarray:
    """Two lists of a column's cells (match keys) to their similarity in 0..1 (rows old, columns new; a vector when
    `paired`): half for being the same cell (case, punctuation and layout aside), half by `fuzz.ratio`.

    A cell kept as it was weighs more than one rewritten alike, so that of two look-alike activities the one that
    kept its cells is paired (fewer changes to report).
    """
    ratio = _batch_scores(old_keys, new_keys, fuzz.ratio, paired) / 100
    same = keys_equal([wording_key(k) for k in old_keys], [wording_key(k) for k in new_keys], paired)
    similarity: np.ndarray = (ratio + same) / 2
    return similarity
