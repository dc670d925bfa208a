"""Which characters catalogue text may hold (jdcore.model.characters), checked on the values
a YAML file decodes to, so that an escape such as "\\u202e" is found too."""

from __future__ import annotations

import pytest

from jdcore.loading.files import read_role_file, read_taxonomy
from jdcore.model.characters import refused_character

FARSI_WANT = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"   # "mi<ZWNJ>khaham"
PERSIAN_WITH_MARK = "\u0628\u064e\u200c\u0647"                       # beh, fatha, ZWNJ, heh
DEVANAGARI_HALF = "\u0915\u094d\u200d\u0937"                         # ka, virama, ZWJ, ssa
DEVANAGARI_NO_LIGATURE = "\u0915\u094d\u200c\u0937"                  # ka, virama, ZWNJ, ssa
MALAYALAM_CHILLU = "\u0d28\u0d4d\u200d"                              # na, virama, ZWJ (word end)
BENGALI_YA_PHALA = "\u09b0\u200d\u09cd\u09af"                        # ra, ZWJ, virama, ya
WOMAN_TECHNOLOGIST = "\U0001f469\u200d\U0001f4bb"
RAINBOW_FLAG = "\U0001f3f3\ufe0f\u200d\U0001f308"
ASTRONAUT_MEDIUM_SKIN = "\U0001f9d1\U0001f3fd\u200d\U0001f680"
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
ENGLAND_FLAG = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"


@pytest.mark.parametrize("text", [
    "Plain text", "tabs\tand\nline feeds", FARSI_WANT, f"Head of {FARSI_WANT} sales",
    PERSIAN_WITH_MARK, DEVANAGARI_HALF, DEVANAGARI_NO_LIGATURE, MALAYALAM_CHILLU,
    f"{MALAYALAM_CHILLU} next", BENGALI_YA_PHALA, WOMAN_TECHNOLOGIST, RAINBOW_FLAG,
    ASTRONAUT_MEDIUM_SKIN, FAMILY, ENGLAND_FLAG, "\u00e9t\u00e9 caf\u00e9",
], ids=["plain", "tab-newline", "persian", "persian-in-latin", "persian-mark", "devanagari-half",
        "devanagari-zwnj", "malayalam-chillu", "chillu-then-word", "bengali-ya-phala",
        "woman-technologist", "rainbow-flag", "skin-tone", "family", "england-flag", "accents"])
def test_text_and_joiners_that_join_are_kept(text):
    assert refused_character(text) is None


@pytest.mark.parametrize("text, code", [
    ("Head of \u202eGNITEKRAM", "U+202E"),   # right-to-left override
    ("a\u2066b\u2069", "U+2066"),            # left-to-right isolate
    ("a\u200fb", "U+200F"),                  # right-to-left mark
    ("a\u061cb", "U+061C"),                  # Arabic letter mark
    ("zero\u200bwidth", "U+200B"),
    ("word\u2060joiner", "U+2060"),
    ("\ufeffbom", "U+FEFF"),
    ("nul\x00", "U+0000"),
    ("bell\x07", "U+0007"),
    ("escape\x1b[2J", "U+001B"),
    ("carriage\rreturn", "U+000D"),
    ("vertical\x0btab", "U+000B"),
    ("delete\x7f", "U+007F"),
    ("next line\x85", "U+0085"),
    ("c1\x9b", "U+009B"),
    ("line\u2028separator", "U+2028"),
    ("tag\U000e0041", "U+E0041"),            # tags outside a flag
    ("\U000e0067\U000e007f", "U+E0067"),      # tags without the flag's black flag
    ("a\u200cb", "U+200C"),                  # ZWNJ between Latin letters
    ("a\u200db", "U+200D"),                  # ZWJ between Latin letters
    ("\u200c" + FARSI_WANT, "U+200C"),       # at the start
    (FARSI_WANT + "\u200c", "U+200C"),       # at the end, not after a virama
    ("\u0645\u200c a", "U+200C"),            # before a space
    ("\u0645\u200c\u200c\u062e", "U+200C"),  # two in a row
    ("\u0645\u200c\u0915", "U+200C"),        # between two scripts
    ("\U0001f469\u200c\U0001f4bb", "U+200C"),  # ZWNJ between emoji
    ("\U0001f469\u200d", "U+200D"),          # ZWJ after the last emoji
    ("\U0001f469\u200da", "U+200D"),         # ZWJ from an emoji to a letter
], ids=lambda value: value if value.startswith("U+") else None)
def test_controls_invisible_characters_and_stray_joiners_are_refused(text, code):
    found = refused_character(text)
    assert found is not None and found.code == code
    assert found.message.endswith("delete it") or "delete it " in found.message


ROLE = """\
id: head-of-sales
title: {title}
department: sales
business_area: trade
grade: head-of-department
headcount: 1
summary: Leads the sales department.
source: {{document: Test, modified: 2024-01-15, note: illustrative}}
responsibilities:
  - {{text: {duty}, category: sales-negotiation, frequency: daily, time_share: 40, essential: true}}
authority: {{freedom_to_make_decisions: 2, impact_of_decisions: 2, responsibility_for_outcomes: 3,
            frequency_of_decisions: 3}}
workload: {{weekly_hours: 40, time_pressure: 3, travel_share: 10}}
"""


@pytest.fixture(scope="module")
def taxonomy():
    from pathlib import Path

    return read_taxonomy(Path(__file__).resolve().parent.parent / "data" / "taxonomy.yaml")


def text_problems(tmp_path, taxonomy, title: str, duty: str = "Sell") -> list[str]:
    path = tmp_path / "head-of-sales.yaml"
    path.write_text(ROLE.format(title=title, duty=duty), encoding="utf-8")
    _, problems = read_role_file(path, taxonomy)
    return [f"{p.line}: {p.field}: {p.message}" for p in problems
            if "character" in p.message or "joins nothing" in p.message]


@pytest.mark.parametrize("written, code", [
    ('"Head of \\u202eGNITEKRAM"', "U+202E"),      # a bidi override as an escape
    ('"Head of\\u200b sales"', "U+200B"),           # a zero-width space as an escape
    ('"Head of sales\\0"', "U+0000"),              # NUL as an escape
    ('"Head of sales\\e[31m"', "U+001B"),          # ESC as an escape
    ('"Head of sales\\x85"', "U+0085"),            # NEL as an escape
    ('"Head of sales\\L"', "U+2028"),              # line separator as an escape
    ("'Head of \u202eGNITEKRAM'", "U+202E"),       # written as itself, single-quoted
    ('"Head\\u200c of sales"', "U+200C"),           # a ZWNJ after a Latin letter
], ids=["bidi-escape", "zero-width-escape", "nul", "esc", "nel", "line-separator",
        "bidi-raw", "zwnj-latin"])
def test_a_refused_character_written_as_an_escape_is_found_in_the_field(tmp_path, taxonomy,
                                                                        written, code):
    problems = text_problems(tmp_path, taxonomy, written)
    assert len(problems) == 1, problems
    assert problems[0].startswith("2: title: contains ") and code in problems[0]


@pytest.mark.parametrize("written", [
    f'"{FARSI_WANT}"', '"\\u0645\\u06cc\\u200c\\u062e\\u0648\\u0627\\u0647\\u0645"',
    f'"Sales {WOMAN_TECHNOLOGIST}"', '"Sales \\U0001F469\\u200D\\U0001F4BB"',
    f'"{DEVANAGARI_HALF}"', f'"{ENGLAND_FLAG} sales"',
], ids=["persian", "persian-escaped", "emoji", "emoji-escaped", "devanagari", "flag"])
def test_joiners_that_join_pass_written_as_themselves_or_as_escapes(tmp_path, taxonomy, written):
    assert text_problems(tmp_path, taxonomy, written, duty=written) == []
