"""Keyword search in text: whole words and their forms, and which forms were found.

A keyword matches a text when the text holds a word with the keyword's Snowball stem
(`matching.snowball_stem`: contract, contracts, contracted and contracting share the stem
"contract") that begins like the keyword: with what the keyword and its stem share but the
last letter, and at least its first MIN_PROBE letters (a form keeps the start of its word:
company / companies share "compan"; this lets a vectorised scan find the candidates). So "contract" finds
"Contracts" and "contracting", but not "subcontractors" (a word of its own) nor "contractual"
(Snowball gives it the stem "contractu"). Case is ignored. A keyword that is not one word
(it holds punctuation, e.g. "e-mail" or "c++") matches as a substring, as it is written.
`inside_words=True` matches every keyword as a substring (anywhere, even inside a word).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .matching import snowball_stem

MIN_PROBE = 3               # a form begins with at least the keyword's first three letters
_ONE_WORD = re.compile(r"^[^\W_]+$")


@dataclass(frozen=True)
class KeywordMatch:
    mask: np.ndarray            # one bool per text: does it hold the keyword?
    forms: tuple[str, ...]      # the words found (lowercase), in the most texts first;
                                # the keyword itself when matched as a substring


def is_word(keyword: str) -> bool:
    return bool(_ONE_WORD.match(keyword))


def match_keyword(texts: pd.Series, keyword: str, inside_words: bool = False) -> KeywordMatch:
    """Where `keyword` occurs in `texts` (a Series of str; missing values never match)."""
    keyword = keyword.strip().casefold()
    if not keyword:
        return KeywordMatch(np.ones(len(texts), dtype=bool), ())
    if inside_words or not is_word(keyword):
        mask = texts.str.contains(keyword, case=False, regex=False, na=False)
        mask = mask.to_numpy(dtype=bool)
        return KeywordMatch(mask, (keyword,) if mask.any() else ())
    target = snowball_stem(keyword)
    shared = os.path.commonprefix([keyword, target])
    probe = shared[:-1] if len(shared) > MIN_PROBE else keyword[:MIN_PROBE]
    positions = np.flatnonzero(texts.str.contains(probe, case=False, regex=False, na=False)
                               .to_numpy(dtype=bool))
    starting = re.compile(rf"\b{re.escape(probe)}[^\W_]*", re.IGNORECASE)
    # the words of the candidate texts that begin like the keyword, read once per distinct
    # text (a large catalogue repeats many duties word for word)
    codes, distinct = pd.factorize(texts.iloc[positions].astype(str))
    words = [frozenset(w.casefold() for w in starting.findall(text)) for text in distinct]
    per_text = np.bincount(codes, minlength=len(distinct))
    counts = Counter()
    for found, times in zip(words, per_text):
        for w in found:
            counts[w] += int(times)
    forms = {w for w in counts if snowball_stem(w) == target}
    holds = np.array([not forms.isdisjoint(found) for found in words], dtype=bool)
    mask = np.zeros(len(texts), dtype=bool)
    mask[positions] = holds[codes] if len(codes) else False
    ordered = sorted(forms, key=lambda w: (-counts[w], w))
    return KeywordMatch(mask, tuple(ordered))
