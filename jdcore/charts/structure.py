"""Charts of the Reporting structure page: the org chart, layers and spans of control."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .authority import SPAN_FLAG_COLOURS


LAYER_HEIGHT = 120
LINE_DASHES = {"solid": [1, 0], "dotted": [3, 3]}
CHANGE_COLOURS = {"unchanged": "#888888", "changed": "#d62728"}  # a scenario's changed lines


def org_chart(nodes: pd.DataFrame, edges: pd.DataFrame, labels: bool = True) -> alt.Chart:
    """The org chart from a tree layout: roles as points (colour = department) at (x, y),
    reporting lines as segments, solid and dotted told apart by the dash; titles under the
    points when `labels`. `nodes` and `edges` come from jdcore.analysis.orgchart.tree_layout.
    When the edges and nodes have a `change` column ("changed" / "unchanged", from
    jdcore.analysis.scenario.scenario_layouts), changed lines are drawn red and thicker and
    changed roles get a red ring."""
    depth = int(nodes["y"].max()) if len(nodes) else 0
    x_scale = alt.Scale(domain=[float(nodes["x"].min()) - 0.5, float(nodes["x"].max()) + 0.5])
    y_scale = alt.Scale(domain=[-0.3, depth + 0.7], reverse=True)
    x = alt.X("x:Q", scale=x_scale, axis=None)
    y = alt.Y("y:Q", scale=y_scale, axis=None)
    marked = "change" in edges.columns and "change" in nodes.columns
    line_tips = [alt.Tooltip("manager_title:N", title="Manager"),
                 alt.Tooltip("role_title:N", title="Report"),
                 alt.Tooltip("line:N", title="Line")]
    line_style = {}
    if marked:
        line_tips.append(alt.Tooltip("change:N", title="In the scenario"))
        line_style = dict(
            color=alt.Color("change:N", title="In the scenario", scale=alt.Scale(
                domain=list(CHANGE_COLOURS), range=list(CHANGE_COLOURS.values()))),
            strokeWidth=alt.StrokeWidth("change:N", legend=None, scale=alt.Scale(
                domain=list(CHANGE_COLOURS), range=[1.5, 3.5])))
    lines = alt.Chart(edges).mark_rule(color="#888", strokeWidth=1.5).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        strokeDash=alt.StrokeDash("line:N", title="Line", scale=alt.Scale(
            domain=list(LINE_DASHES), range=list(LINE_DASHES.values())),
            legend=None if marked else alt.Legend()),  # half a page wide: fewer legends
        tooltip=line_tips, **line_style,
    )
    role_tips = [alt.Tooltip("title:N", title="Role"),
                 alt.Tooltip("department_name:N", title="Department"),
                 alt.Tooltip("headcount:Q", title="Headcount"),
                 alt.Tooltip("direct_reports:Q", title="Direct reports"),
                 alt.Tooltip("span_of_control:Q", title="Span of control", format=".2f"),
                 alt.Tooltip("hidden_below:Q", title="Roles below, not drawn")]
    points = alt.Chart(nodes).mark_circle(size=320, opacity=1, stroke="white",
                                          strokeWidth=1.5).encode(
        x=x, y=y, color=alt.Color("department_name:N", title="Department",
                                  legend=alt.Legend(labelLimit=220)),
        tooltip=role_tips)
    layers = [lines, points]
    if marked:  # a red ring around each changed role
        layers.append(alt.Chart(nodes[nodes["change"] == "changed"]).mark_circle(
            size=620, filled=False, stroke=CHANGE_COLOURS["changed"], strokeWidth=2.5).encode(
            x=x, y=y, tooltip=role_tips))
    if labels:  # a white halo under each title keeps it readable across the lines
        text = dict(baseline="top", dy=12, fontSize=11, lineBreak="\n")
        layers += [alt.Chart(nodes).mark_text(**text, stroke="white", strokeWidth=4,
                                              strokeJoin="round").encode(
                       x=x, y=y, text="label:N", tooltip=role_tips),
                   alt.Chart(nodes).mark_text(**text).encode(
                       x=x, y=y, text="label:N", tooltip=role_tips)]
    chart = alt.layer(*layers).properties(height=LAYER_HEIGHT * (depth + 1))
    if not marked:
        return chart
    # the charts stand side by side (before, after): the legends go below, not beside
    return chart.resolve_scale(color="independent").configure_legend(orient="bottom",
                                                                     columns=2)


def layer_bars(layers: pd.DataFrame) -> alt.Chart:
    """Roles and positions (headcount) per layer of the reporting structure."""
    data = layers.melt(id_vars="layer", value_vars=["roles", "positions"],
                       var_name="measure", value_name="count")
    data["measure"] = data["measure"].map({"roles": "Roles", "positions": "Positions"})
    return alt.Chart(data, title="Roles and positions per layer").mark_bar().encode(
        x=alt.X("layer:O", title="Layer (1 = top)", axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("measure:N", sort=["Roles", "Positions"]),
        y=alt.Y("count:Q", title="Count"),
        color=alt.Color("measure:N", title=None, sort=["Roles", "Positions"]),
        tooltip=[alt.Tooltip("layer:O", title="Layer"), alt.Tooltip("measure:N", title="Of"),
                 alt.Tooltip("count:Q", title="Count")],
    )


def span_bars(managers: pd.DataFrame, span_min: float, span_max: float) -> alt.LayerChart:
    """Span of control (direct reports per incumbent) of each manager, coloured by its flag,
    with the taxonomy's minimum and maximum as rules."""
    flags = [f for f in SPAN_FLAG_COLOURS if f in set(managers["span_flag"])] or ["ok"]
    bars = alt.Chart(managers, title="Span of control per manager").mark_bar().encode(
        y=alt.Y("title:N", sort="-x", title=None, axis=alt.Axis(labelLimit=200)),
        x=alt.X("span_of_control:Q", title="Direct reports per incumbent"),
        color=alt.Color("span_flag:N", title="Flag", scale=alt.Scale(
            domain=flags, range=[SPAN_FLAG_COLOURS[f] for f in flags])),
        tooltip=[alt.Tooltip("title:N", title="Role"),
                 alt.Tooltip("headcount:Q", title="Headcount"),
                 alt.Tooltip("direct_reports:Q", title="Direct reports"),
                 alt.Tooltip("span_of_control:Q", title="Span of control", format=".2f"),
                 alt.Tooltip("span_flag:N", title="Flag")],
    )
    bounds = pd.DataFrame({"bound": ["minimum", "maximum"], "value": [span_min, span_max]})
    rules = alt.Chart(bounds).mark_rule(strokeDash=[4, 3], color="#444").encode(
        x="value:Q",
        tooltip=[alt.Tooltip("bound:N", title="Taxonomy"), alt.Tooltip("value:Q", title="Span")],
    )
    return alt.layer(bars, rules).properties(height=alt.Step(20))
