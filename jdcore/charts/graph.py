"""Chart of the Findings page: the interaction graph (jdcore.analysis.interactions)."""

from __future__ import annotations

import altair as alt
import pandas as pd


GRAPH_DOMAIN = [-1.75, 1.75]     # the unit circle and room for the labels around it
GRAPH_UNIT_PX = 220              # pixels per unit on both axes, so the circle stays round
GRAPH_LABEL_PX = 150             # longer labels end in "…" (the tooltip has the full title)
GRAPH_NODE_SHAPES = {"role": "circle", "external": "square"}


def interaction_graph(nodes: pd.DataFrame, edges: pd.DataFrame, arrows: pd.DataFrame,
                      kind_names: list[str]) -> alt.LayerChart:
    """Who deals with whom, apart from the reporting lines: roles (circles) and outside
    parties (squares) on a circle, labelled along the radius and sized by their number of
    interactions; an edge per interaction coloured by its kind (`kind_names`: every kind of
    the taxonomy, so a kind keeps its colour whatever is drawn; the legend lists the kinds
    drawn), with an arrowhead near the receiving end of a one-way interaction (none for both
    ways). Layout from
    jdcore.analysis.interactions.circular_layout; the tooltips name both ends, kind and subjects."""
    x_scale, y_scale = alt.Scale(domain=GRAPH_DOMAIN), alt.Scale(domain=GRAPH_DOMAIN)
    x, y = alt.X("x:Q", scale=x_scale, axis=None), alt.Y("y:Q", scale=y_scale, axis=None)
    drawn = set(edges["kind_name"])
    colour = alt.Color("kind_name:N", title="Interaction", sort=kind_names,
                       scale=alt.Scale(domain=kind_names, scheme="category10"),
                       legend=alt.Legend(orient="bottom", columns=2, labelLimit=300,
                                         values=[k for k in kind_names if k in drawn]))
    edge_tips = [alt.Tooltip("from_title:N", title="From"),
                 alt.Tooltip("to_title:N", title="To"),
                 alt.Tooltip("kind_name:N", title="Interaction"),
                 alt.Tooltip("direction:N", title="Direction"),
                 alt.Tooltip("subject:N", title="Subject"),
                 alt.Tooltip("recorded_by:N", title="Recorded by")]
    lines = alt.Chart(edges).mark_rule(strokeWidth=1.6, opacity=0.75).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q", color=colour, tooltip=edge_tips)
    heads = alt.Chart(arrows).mark_point(shape="triangle", filled=True, size=70,
                                         opacity=0.9).encode(
        x=x, y=y, color=colour, angle=alt.Angle("angle:Q", scale=None), tooltip=edge_tips)
    node_tips = [alt.Tooltip("title:N", title="Role or party"),
                 alt.Tooltip("department_name:N", title="Department"),
                 alt.Tooltip("interactions:Q", title="Interactions (edges)")]
    points = alt.Chart(nodes).mark_point(filled=True, opacity=1, color="#3a3a3a",
                                         stroke="white", strokeWidth=1.5).encode(
        x=x, y=y,
        shape=alt.Shape("node_kind:N", title="Node", scale=alt.Scale(
            domain=list(GRAPH_NODE_SHAPES), range=list(GRAPH_NODE_SHAPES.values())),
            legend=alt.Legend(orient="bottom")),
        size=alt.Size("interactions:Q", scale=alt.Scale(range=[60, 420]), legend=None),
        tooltip=node_tips)
    labels = [alt.Chart(nodes).transform_filter(alt.datum.side == side)
              .mark_text(align=align, baseline="middle", fontSize=11, limit=GRAPH_LABEL_PX)
              .encode(x=alt.X("label_x:Q", scale=x_scale, axis=None),
                      y=alt.Y("label_y:Q", scale=y_scale, axis=None),
                      angle=alt.Angle("label_angle:Q", scale=None),
                      text="title:N", tooltip=node_tips)
              for side, align in (("left", "right"), ("right", "left"))]
    width = height = round((GRAPH_DOMAIN[1] - GRAPH_DOMAIN[0]) * GRAPH_UNIT_PX)
    return alt.layer(lines, heads, points, *labels,
                     title="Interactions between roles (not the reporting lines)").properties(
        width=width, height=height,
        # the plot keeps its size (legend and title come on top), so the circle stays round
        autosize=alt.AutoSizeParams(type="pad", contains="padding"))
