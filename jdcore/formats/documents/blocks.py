"""The common block model every reader produces: headings with levels, paragraphs, list items
and table rows, each with where in its document it was found.

Plain text (and a PDF's text layer) has no markup, so `text_blocks` reads its lines: a line
starting with a bullet glyph or an outline number is a list item (its marker kept apart), a
short line without closing punctuation may be a heading (the recogniser decides, from the
wording), anything else is a paragraph; wrapped lines of one paragraph are joined.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

HEADING, PARAGRAPH, ITEM, ROW = "heading", "paragraph", "item", "row"


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of a document's text.

    kind: heading | paragraph | item | row. level: a heading's level (1 = top), 0 for a
    plain-text line that only looks like one (short, no closing punctuation). marker: an
    item's bullet or outline number ("-", "2.1.", "IV."). bold: the whole paragraph is bold
    (Word and HTML documents often make headings that way). where: "line 12", "paragraph 7",
    "page 2, line 4", "table 1, row 3".
    """

    kind: str
    text: str
    where: str
    level: int = 0
    marker: str = ""
    bold: bool = False


class DocumentError(Exception):
    """A document cannot be read; the message says why and what to do."""


_SPACE = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def clean(text: str) -> str:
    """One line of text: NFKC, invisible and control characters dropped, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE.sub("", text)
    if not text.isprintable():  # (most lines are: no need to look at each character)
        text = "".join(c if c.isprintable() or c in "\t\n" else " " for c in text)
    return _SPACE.sub(" ", text).strip()


BULLETS = "-*•·▪▫◦‣⁃–—●○■□►▸▹➢➤✓✔❖◆◇→+"
_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
# "-", "•", "1.", "1)", "2.1.", "2.1", "a)", "IV.", "(3)"
MARKER = re.compile(
    rf"^(?P<marker>[{re.escape(BULLETS)}]|\(?\d{{1,3}}(?:\.\d{{1,3}})*[.)]?|\(?[a-z][.)]|"
    rf"\(?{_ROMAN}[.)])\s+(?P<text>\S.*)$", re.IGNORECASE)
_CLOSING = ".;!?"


def split_marker(line: str) -> tuple[str, str]:
    """(marker, text) of a line that starts with a bullet or an outline number; ("", line)."""
    match = MARKER.match(line)
    if not match:
        return "", line
    marker = match.group("marker")
    if marker.upper() in ("", "(", ")"):
        return "", line
    # a bare number with no dot ("2024 Author: ...") is not a marker
    if re.fullmatch(r"\d+", marker):
        return "", line
    return marker, match.group("text")


def looks_like_heading(text: str) -> bool:
    """A line short enough, and without closing punctuation, to be a heading."""
    words = text.split()
    return 0 < len(words) <= 10 and len(text) <= 90 and text[-1] not in _CLOSING + ","


def text_blocks(lines: list[str], where_prefix: str = "") -> list[Block]:
    """Blocks of plain-text lines (see the module's docstring)."""
    blocks: list[Block] = []
    pending: list[str] = []
    pending_where = ""
    widest = max((len(line) for line in lines), default=0)

    def flush():
        nonlocal pending
        if pending:
            text = clean(" ".join(pending))
            if text:
                blocks.append(_plain_block(text, pending_where, len(pending)))
        pending = []

    for number, raw in enumerate(lines, 1):
        line = clean(raw)
        where = f"{where_prefix}line {number}"
        if not line:
            flush()
            continue
        marker, rest = split_marker(line)
        if pending and not marker:
            previous = pending[-1]
            # a wrapped line: the previous one ran to the margin and did not close
            if widest >= 50 and len(previous) >= 0.6 * widest and previous[-1] not in _CLOSING + ":":
                pending.append(line)
                continue
        flush()
        pending, pending_where = [line], where
    flush()
    return blocks


def _plain_block(text: str, where: str, lines: int) -> Block:
    marker, rest = split_marker(text)
    if marker:
        return Block(ITEM, rest, where, marker=marker)
    if lines == 1 and looks_like_heading(text.rstrip(":")):
        return Block(HEADING, text, where, level=0)
    return Block(PARAGRAPH, text, where)
