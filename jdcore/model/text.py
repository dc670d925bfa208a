"""Catalogue text is data: helpers that keep it from being read as markup."""

from __future__ import annotations

import html
import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>:~$=&])")


def escape_markdown(text: object) -> str:
    """Backslash-escape every character Markdown (and Streamlit's extensions) could act on."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", "" if text is None else str(text))


def escape_html(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)
