"""What every chart shares: colours that never repeat, legends that are never cut, and
long labels wrapped onto lines (the full text stays in the tooltip).

Vega-Lite cuts a symbol legend after 30 entries (the browser console says "Symbol legend
count exceeds limit") and a categorical scheme repeats its colours after its length (10 or
20): `category_colour` lifts the limit and picks a scheme long enough, and a chart with more
categories than MAX_COLOURS colours by a coarser field instead (`colour_field`).
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

SCHEMES = ((10, "tableau10"), (20, "tableau20"))  # (colours, scheme): each colour once
MAX_COLOURS = SCHEMES[-1][0]
LINE_BREAK = "\n"            # wrapped labels hold it; label_lines() splits axis labels on it
LABEL_CHARS = 26             # characters per line of a wrapped label
LABEL_LINES = 2              # lines of a wrapped label; a longer one ends in "…"


def wrap_label(text: str, width: int = LABEL_CHARS, lines: int = LABEL_LINES) -> str:
    """`text` on at most `lines` lines of about `width` characters, joined by LINE_BREAK."""
    return LINE_BREAK.join(textwrap.wrap(str(text), width=width, max_lines=lines,
                                         placeholder=" …", break_long_words=True) or [""])


def wrapped(values: pd.Series) -> pd.Series:
    """wrap_label of every value; two values that would wrap alike are told apart by a
    number, so the wrapped labels can stand for the values on an axis."""
    distinct, seen = {}, {}
    for value in pd.unique(values.astype(str)):
        label = wrap_label(value)
        seen[label] = seen.get(label, 0) + 1
        distinct[value] = label if seen[label] == 1 else f"{label} ({seen[label]})"
    return values.astype(str).map(distinct)


def label_lines() -> str:
    """The labelExpr that draws a wrapped label (see `wrap_label`) on its lines."""
    return f"split(datum.label, {LINE_BREAK!r})"


def colour_field(data: pd.DataFrame, fine: str, coarse: str) -> str:
    """`fine` (e.g. department) when it has at most MAX_COLOURS values, else `coarse` (e.g.
    business area): a colour is told apart only while no other category shares it."""
    return fine if data[fine].nunique() <= MAX_COLOURS else coarse


def category_colour(field: str, title: str, values) -> alt.Color:
    """A colour per category of `field` (`values`: the categories, in legend order) from a
    scheme long enough that no colour repeats (up to MAX_COLOURS), with a legend that lists
    every category (no symbol limit) under the chart (`bottom_legend`)."""
    values = list(dict.fromkeys(values))
    scheme = next((name for size, name in SCHEMES if len(values) <= size), SCHEMES[-1][1])
    return alt.Color(f"{field}:N", title=title, sort=values,
                     scale=alt.Scale(domain=values, scheme=scheme),
                     legend=bottom_legend(len(values)))


# A legend beside a chart takes the plot's room on a phone, and one wider than the screen is
# cut. Under the chart it fits a phone's chart (about 290 px right of the y axis): one column
# of labels up to LEGEND_LABEL_PX while it is short (ONE_COLUMN entries), else two columns of
# labels up to TWO_COLUMN_LABEL_PX (the tooltips say the whole name).
ONE_COLUMN, LEGEND_LABEL_PX, TWO_COLUMN_LABEL_PX = 12, 240, 110


def bottom_legend(entries: int, **options) -> alt.Legend:
    """A legend under the chart that lists all its `entries` (no symbol limit)."""
    layout = ({"columns": 1, "labelLimit": LEGEND_LABEL_PX} if entries <= ONE_COLUMN
              else {"columns": 2, "labelLimit": TWO_COLUMN_LABEL_PX})
    return alt.Legend(**({"orient": "bottom", "symbolLimit": 0} | layout | options))
