"""jdcore.model.wording: the English phrasing the Duties filter and the findings share."""

from __future__ import annotations

import pytest

from jdcore.model.wording import counted, join_listing, join_words, plural, quote


@pytest.mark.parametrize("name, expected", [
    ("Head of department", "heads of department"),
    ("Manager", "managers"),
    ("Chief accountant", "chief accountants"),
    ("Board", "the board"),
    ("Deputy", "deputies"),
    ("Boss", "bosses"),
    ("HR officer", "HR officers"),
])
def test_plural_names_the_people_who_hold_a_grade(name, expected):
    assert plural(name) == expected


@pytest.mark.parametrize("items, expected", [
    ([], ""), (["a"], "a"), (["a", "b"], "a and b"), (["a", "b", "c"], "a, b and c")])
def test_join_words(items, expected):
    assert join_words(items) == expected


def test_join_words_takes_any_iterable():
    assert join_words(iter(["a", "b"])) == "a and b"


def test_join_listing_keeps_names_that_hold_an_and_apart():
    assert join_listing(["Strategy and planning", "People management"]) == \
        "Strategy and planning; People management"


@pytest.mark.parametrize("count, noun, expected", [
    (1, "pair", "1 pair"), (0, "pair", "0 pairs"), (2, "more pair", "2 more pairs"),
    (3, "category", "3 categories"), (1_200, "position", "1,200 positions")])
def test_counted(count, noun, expected):
    assert counted(count, noun) == expected


def test_quote_puts_text_on_one_line_and_cuts_it_at_the_limit():
    assert quote("Sign\n  contracts") == "“Sign contracts”"
    assert quote("x" * 20, limit=10) == "“" + "x" * 9 + "…”"
