"""jdcore.analysis.keywords: a keyword matches whole words in their forms, and says which."""

from __future__ import annotations

import pandas as pd
import pytest

from jdcore.analysis.keywords import match_keyword

TEXTS = pd.Series([
    "Negotiate contracts with buyers",            # 0
    "Hire subcontractors for the site",           # 1
    "Sign the contract.",                         # 2
    "Contracting and contracted work",            # 3
    "Implement the contractual policy",           # 4
    None,                                         # 5
    "Send the e-mail to the client",              # 6
    "Report to the head of department",           # 7
    "Reports, reporting and reporters",           # 8
], dtype="str")


def rows(keyword: str, inside_words: bool = False) -> list[int]:
    return [i for i, hit in enumerate(match_keyword(TEXTS, keyword, inside_words).mask) if hit]


@pytest.mark.parametrize("keyword, expected", [
    ("contract", [0, 2, 3]),          # contracts, contract, contracting / contracted
    ("CONTRACTS", [0, 2, 3]),         # any case, any of the forms as the keyword
    ("contracted", [0, 2, 3]),
    ("subcontractor", [1]),           # a word of its own
    ("contractual", [4]),             # a derived word is not a form of "contract"
    ("report", [7, 8]),               # report, reports, reporting (and, for Snowball, reporters)
    ("reporting", [7, 8]),
    ("e-mail", [6]),                  # punctuation: matched as written
    ("head", [7]), ("he", []),        # never inside a word
    ("zebra", []),
])
def test_a_keyword_matches_whole_words_in_their_forms(keyword, expected):
    assert rows(keyword) == expected


def test_inside_words_matches_anywhere_as_before():
    assert rows("contract", inside_words=True) == [0, 1, 2, 3, 4]
    assert rows("he", inside_words=True) == [1, 2, 4, 6, 7]


def test_the_forms_found_are_named_those_in_the_most_texts_first():
    assert match_keyword(TEXTS, "contract").forms == (
        "contract", "contracted", "contracting", "contracts")
    assert match_keyword(TEXTS, "report").forms == ("report", "reporters", "reporting",
                                                     "reports")
    assert match_keyword(TEXTS, "zebra").forms == ()
    assert match_keyword(TEXTS, "e-mail").forms == ("e-mail",)
    many = pd.Series(["Reports", "reports", "report"], dtype="str")
    assert match_keyword(many, "report").forms == ("reports", "report")


def test_missing_text_never_matches_and_an_empty_keyword_matches_everything():
    assert not match_keyword(TEXTS, "contract").mask[5]
    assert match_keyword(TEXTS, "  ").mask.all()


@pytest.mark.parametrize("keyword, text", [
    ("companies", "Represent the company"), ("company", "Audit the companies"),
    ("manage", "Managing the stores"), ("managing", "Manage the stores"),
    ("negotiations", "Negotiate prices"), ("stop", "Work stopped"),
])
def test_a_form_whose_stem_ends_otherwise_than_the_keyword_is_still_found(keyword, text):
    texts = pd.Series([text, "Something else"], dtype="str")
    assert match_keyword(texts, keyword).mask.tolist() == [True, False]
