"""Catalogue text is data: helpers that keep it from being read as markup.

Streamlit's Markdown does more than CommonMark: emoji and icon shortcodes (``:smile:``,
``:material/home:``, ``:streamlit:``), directives (``:red[text]``, ``:blue-badge[text]``),
links made of bare URLs, ``www.`` addresses and e-mail addresses (GitHub's autolinks),
arrows for ``->`` and ``<=``, and LaTeX between dollar signs. A backslash stops the
CommonMark syntax and the directives, but the shortcodes, bare links and arrows are found in
the text *after* the backslashes are gone. So those are broken up with a WORD JOINER
(U+2060), which shows as nothing and keeps the words together: after a colon that a name or a
``//`` follows, between ``www`` and its dot, before an ``@``, and between the two characters
of an arrow.
"""

from __future__ import annotations

import html
import re

from .problems import printable

WORD_JOINER = "\u2060"

MARKDOWN_SPECIAL = "\\`*_{}[]()#+-.!|<>:~$=&"  # every one is backslash-escaped
_MARKDOWN_ESCAPES = str.maketrans({c: "\\" + c for c in MARKDOWN_SPECIAL})
_BREAK_UP = re.compile(
    r"(?<=:)(?=[\w+\-/])"        # :name: :material/x: :streamlit: http:// mailto:x
    r"|(?i:(?<=www))(?=\.)"       # www.example.com
    r"|(?=@)"                    # user@example.com
    r"|(?<=[<>~\-])(?=[\->=])"   # -> <- <-> -- >= <= ~=
)
_LINE_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)  # 4 spaces would start a code block


def escape_markdown(text: object) -> str:
    """Text that Streamlit's Markdown (and CommonMark) shows exactly as written: every
    ASCII punctuation character backslash-escaped, shortcodes, bare links and arrows broken
    up with an invisible WORD JOINER, and the indentation of lines dropped (it would start a
    code block; Markdown does not show it anyway)."""
    text = "" if text is None else str(text)
    if text[:1] in (" ", "\t") or "\n" in text:
        text = _LINE_INDENT.sub("", text)
    return _BREAK_UP.sub(WORD_JOINER, text).translate(_MARKDOWN_ESCAPES)


def escape_markdown_name(name: object) -> str:
    """A file name (an upload's, a catalogue folder's) for Markdown: control characters
    shown as \\xNN (one line, nothing for a terminal to act on), then escape_markdown."""
    return escape_markdown(printable("" if name is None else str(name)))


def escape_badge_label(text: object) -> str:
    """escape_markdown for st.badge, which escapes the label's brackets itself."""
    return escape_markdown(text).replace("\\[", "[").replace("\\]", "]")


def escape_html(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)
