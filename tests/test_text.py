"""Text from a catalogue or an upload is data: problems print it on one line without terminal
controls, and Markdown shows it as written (jdcore.model.problems, jdcore.model.text)."""

from __future__ import annotations

import re
import shutil

import pytest
from hostile_catalogue import live_markup

from jdcore import Problem, load_catalogue
from jdcore.model.text import WORD_JOINER, escape_markdown, escape_markdown_name


@pytest.mark.parametrize("file, expected", [
    ("roles/a\x1b[31mb.yaml", "roles/a\\x1b[31mb.yaml"),
    ("roles/a\nb.yaml", "roles/a\\x0ab.yaml"),
    ("roles/a\u2028b.yaml", "roles/a\\u2028b.yaml"),
    ("roles/plain.yaml", "roles/plain.yaml"),
], ids=["escape", "newline", "line-separator", "plain"])
def test_a_problem_prints_its_file_name_like_its_message(file, expected):
    assert str(Problem(file, 3, "title", "bad\x1b")) == f"{expected}:3: title: bad\\x1b"


def test_a_role_file_named_with_an_escape_and_a_newline_is_named_on_one_line(tmp_path,
                                                                             catalogue):
    folder = tmp_path / "catalogue"
    shutil.copytree(catalogue.path, folder)
    shutil.copy(folder / "roles" / "head-of-sales.yaml", folder / "roles" / "x\x1b[2J\ny.yaml")
    lines = [str(p) for p in load_catalogue(folder).problems]
    named = [line for line in lines if line.startswith("roles/x")]
    assert named and all(line.startswith("roles/x\\x1b[2J\\x0ay.yaml:") for line in named)
    assert not any("\x1b" in line or "\n" in line for line in lines)


# --- Markdown: shown as the text it is -----------------------------------------------------

MARKUP = [
    ":material/home: Head", ":material_home:", ":smile: and :+1:", ":streamlit:",
    ":red[Sales]", ":blue-background[x]", ":orange-badge[new]", ":small[x]",
    ":color[x]{foreground=\"red\"}", "see https://evil.example/x", "HTTP://EVIL.EXAMPLE",
    "go to www.evil.example", "WWW.Evil.example", "mail boss@evil.example",
    "mailto:boss@evil.example", "<https://evil.example>", "[link](javascript:alert(1))",
    "![img](http://evil.example/i.png)", "a -> b", "a <- b", "a <-> b", "a -- b", "a >= b",
    "a <= b", "a ~= b", "$x^2$", "$$\nx\n$$", "# heading", "1. item", "- item", "> quote",
    "**bold** _it_ ~~gone~~", "`code`", "<b>bold</b>", "&amp; &#60;", "a | b", "[^1]",
    "line\n    indented four spaces", "\tindented by a tab", "10:30 and Note: this",
]


def unescaped(markdown: str) -> str:
    """The text a Markdown body shows: backslash escapes read, word joiners dropped."""
    return re.sub(r"\\(.)", r"\1", markdown).replace(WORD_JOINER, "")


@pytest.mark.parametrize("text", MARKUP)
def test_escaped_markdown_has_nothing_streamlit_would_act_on(text):
    assert live_markup(escape_markdown(text)) == []


@pytest.mark.parametrize("text", MARKUP)
def test_escaped_markdown_shows_the_text_as_written(text):
    shown = "\n".join(line.lstrip(" \t") for line in text.split("\n"))  # indentation dropped
    assert unescaped(escape_markdown(text)) == shown


@pytest.mark.parametrize("text, expected", [
    (":material/home:", "\\:\u2060material/home\\:"),
    ("https://x.example", "https\\:\u2060//x\\.example"),
    ("www.x.example", "www\u2060\\.x\\.example"),
    ("a@b.example", "a\u2060@b\\.example"),
    ("a -> b", "a \\-\u2060\\> b"),
    ("Note: plain", "Note\\: plain"),        # a colon before a space needs no joiner
    ("Head of Sales Department", "Head of Sales Department"),
])
def test_escape_markdown_breaks_up_only_what_needs_it(text, expected):
    assert escape_markdown(text) == expected


@pytest.mark.parametrize("name, expected", [
    ("![x](http://evil.example/i.png).zip", "\\!\\[x\\]\\(http\\:\u2060//evil\\.example/i\\.png\\)\\.zip"),
    ("a\x1b[2J\nb.zip", "a\\\\x1b\\[2J\\\\x0ab\\.zip"),
])
def test_a_file_name_is_one_line_of_plain_text(name, expected):
    assert escape_markdown_name(name) == expected
    assert live_markup(escape_markdown_name(name)) == []
