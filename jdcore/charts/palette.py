"""The colours of charts that colour by role: one clearly distinct colour per chosen role.

Okabe and Ito's palette for colour-vision deficiency, in an order that keeps the first two
(and the first six) far apart in hue and lightness; its yellow, hard to see on white, comes
last. Compare shows up to six roles, each in its own colour.
"""

from __future__ import annotations

import html

import altair as alt

ROLE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000",
                "#F0E442")
LEGEND_LABEL_PX = 400   # legend labels are never cut: a role title is far shorter


def role_colour_scale(roles: list[str]) -> alt.Scale:
    """The scale that gives each role (in the order given) its colour of ROLE_COLOURS."""
    return alt.Scale(domain=list(roles),
                     range=[ROLE_COLOURS[i % len(ROLE_COLOURS)] for i in range(len(roles))])


def role_legend() -> alt.Legend:
    """A legend of roles under the chart, one role a line, no title cut short."""
    return alt.Legend(orient="bottom", direction="vertical", columns=1,
                      labelLimit=LEGEND_LABEL_PX, titleLimit=LEGEND_LABEL_PX)


def role_key_html(roles: list[str]) -> str:
    """One key of the role colours for a whole page, as HTML: a swatch and the full title of
    each role (escaped), wrapping like text on any screen, where a chart's own legend would
    be cut off beside a long axis on a phone."""
    items = "".join(
        f'<span class="role-key-item" style="display:inline-flex; align-items:center; '
        f'gap:6px; margin:0 16px 4px 0"><span style="display:inline-block; width:12px; '
        f'height:12px; border-radius:2px; background:{colour}"></span>'
        f"{html.escape(role)}</span>"
        for role, colour in zip(roles, role_colour_scale(roles).range))
    return (f'<div class="role-key" style="display:flex; flex-wrap:wrap; font-size:14px">'
            f"{items}</div>")
