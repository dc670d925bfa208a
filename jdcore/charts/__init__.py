"""Chart builders: each takes DataFrames and returns an Altair chart (tested via to_dict()).

Data is aggregated in pandas first, so the browser gets only what it draws.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

SCALE_DOMAIN = [0, 5]


def roles_per_department(roles: pd.DataFrame, department_names: dict[str, str]) -> alt.Chart:
    """Horizontal bars: how many roles (and positions) each department has."""
    counts = (roles.groupby("department", as_index=False)
              .agg(roles=("role_id", "size"), positions=("headcount", "sum")))
    counts["department_name"] = counts["department"].map(department_names).fillna(
        counts["department"])
    return alt.Chart(counts, title="Roles per department").mark_bar().encode(
        y=alt.Y("department_name:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("roles:Q", title="Roles", axis=alt.Axis(tickMinStep=1, format="d")),
        tooltip=[alt.Tooltip("department_name:N", title="Department"),
                 alt.Tooltip("roles:Q", title="Roles"),
                 alt.Tooltip("positions:Q", title="Positions (headcount)")],
    )


def category_profile(shares: pd.DataFrame, role_titles: dict[str, str]) -> alt.Chart:
    """Time share by duty category, one bar group per role (profile and compare pages)."""
    data = shares.assign(role=shares["role_id"].map(role_titles))
    several = data["role_id"].nunique() > 1
    encoding = dict(
        y=alt.Y("category_name:N", title=None, axis=alt.Axis(labelLimit=260),
                sort=alt.EncodingSortField("time_share", "sum", order="descending")),
        x=alt.X("time_share:Q", title="Time share (%)"),
        tooltip=[alt.Tooltip("role:N", title="Role"),
                 alt.Tooltip("category_name:N", title="Category"),
                 alt.Tooltip("time_share:Q", title="Time share (%)"),
                 alt.Tooltip("duties:Q", title="Duties")],
    )
    if several:
        present = set(data["role_id"])  # the roles in the order given, not alphabetical
        order = [title for rid, title in role_titles.items() if rid in present]
        encoding.update(color=alt.Color("role:N", title="Role", sort=order,
                                        legend=alt.Legend(orient="bottom", columns=2,
                                                          labelLimit=300)),
                        yOffset=alt.YOffset("role:N", sort=order))
    return alt.Chart(data, title="Time share by duty category").mark_bar().encode(**encoding)


def scale_bars(scales: pd.DataFrame, roles: list[str] | None = None) -> alt.Chart:
    """Small bars of 1-5 scales (authority scales and time pressure) for one or more roles;
    `roles` (their titles, as in the 'role' column) orders the bars and the legend."""
    data = scales.copy()
    order = (list(roles) if roles is not None
             else list(dict.fromkeys(data["role"])) if "role" in data else [])
    color = (alt.Color("role:N", title="Role", sort=order,
                       legend=alt.Legend(orient="bottom", columns=2, labelLimit=300))
             if len(order) > 1 else alt.value("#4c78a8"))
    encoding = dict(
        y=alt.Y("label:N", title=None, sort=alt.EncodingSortField("order"),
                axis=alt.Axis(labelLimit=220)),
        x=alt.X("value:Q", title="Scale (1-5)", scale=alt.Scale(domain=SCALE_DOMAIN)),
        color=color,
        tooltip=[alt.Tooltip(c, title=t) for c, t in
                 (("role:N", "Role"), ("label:N", "Scale"), ("value:Q", "Value"))
                 if c.split(":")[0] in data],
    )
    if len(order) > 1:
        encoding["yOffset"] = alt.YOffset("role:N", sort=order)
    return alt.Chart(data, title="Authority and workload scales").mark_bar().encode(
        **encoding)


# --- Authority & workload page -------------------------------------------------------------

INDEX_DOMAIN = [0, 100]
SPAN_FLAG_COLOURS = {"under": "#f58518", "ok": "#54a24b", "over": "#e45756", "none": "#bab0ac"}


def index_scatter(table: pd.DataFrame, parts: pd.DataFrame) -> alt.Chart:
    """Authority index against workload index, one point per role: size = total reports
    (told in the subtitle), colour = department; the tooltip lists both indices and every
    part of each. `parts` names the part columns of `table` (column, index, label)."""
    part_tips = [alt.Tooltip(f"{c}:Q", title=f"{i.capitalize()}: {l}", format=".3f")
                 for c, i, l in zip(parts["column"], parts["index"], parts["label"])]
    title = alt.Title("Authority and workload",
                      subtitle="Point size: total reports (headcount below the role)")
    return alt.Chart(table, title=title).mark_circle(opacity=0.8).encode(
        x=alt.X("authority_index:Q", title="Authority index",
                scale=alt.Scale(domain=INDEX_DOMAIN)),
        y=alt.Y("workload_index:Q", title="Workload index",
                scale=alt.Scale(domain=INDEX_DOMAIN)),
        size=alt.Size("total_reports:Q", title="Total reports",
                      scale=alt.Scale(range=[60, 900]), legend=None),
        color=alt.Color("department:N", title="Department", legend=alt.Legend(labelLimit=240)),
        tooltip=[alt.Tooltip("title:N", title="Role"),
                 alt.Tooltip("department:N", title="Department"),
                 alt.Tooltip("total_reports:Q", title="Total reports"),
                 alt.Tooltip("authority_index:Q", title="Authority index", format=".1f"),
                 alt.Tooltip("workload_index:Q", title="Workload index", format=".1f"),
                 *part_tips],
    )


def index_ranking_bars(ranking: pd.DataFrame, index_column: str, index_title: str) -> alt.Chart:
    """Roles ranked by one index, highest at the top, coloured by department."""
    return alt.Chart(ranking, title=f"Roles ranked by {index_title.lower()}").mark_bar().encode(
        y=alt.Y("title:N", sort="-x", title=None,
                axis=alt.Axis(labelLimit=260, labelOverlap=False)),
        x=alt.X(f"{index_column}:Q", title=index_title, scale=alt.Scale(domain=INDEX_DOMAIN)),
        color=alt.Color("department:N", title="Department", legend=None),
        tooltip=[alt.Tooltip("rank:Q", title="Rank"), alt.Tooltip("title:N", title="Role"),
                 alt.Tooltip("department:N", title="Department"),
                 alt.Tooltip(f"{index_column}:Q", title=index_title, format=".1f")],
    ).properties(height=alt.Step(20))


def rights_heatmap(matrix: pd.DataFrame, scopes: list[str]) -> alt.Chart:
    """Decision rights: roles x decision-right areas, coloured by the scope's level
    (`scopes` in order from the lowest level up); the tooltip names the scope and its limit."""
    return alt.Chart(matrix, title="Decision rights").mark_rect(stroke="white").encode(
        x=alt.X("area_name:N", title=None, axis=alt.Axis(orient="top", labelAngle=-40,
                                                          labelOverlap=False, labelLimit=220)),
        y=alt.Y("title:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
        color=alt.Color("scope:O", title="Scope (lowest to highest)", sort=scopes,
                        scale=alt.Scale(domain=scopes, scheme="blues")),
        tooltip=[alt.Tooltip("title:N", title="Role"),
                 alt.Tooltip("area_name:N", title="Decision area"),
                 alt.Tooltip("scope:N", title="Scope"),
                 alt.Tooltip("scope_level:Q", title="Scope level"),
                 alt.Tooltip("limit:N", title="Limit"),
                 alt.Tooltip("listed:N", title="Listed in the role file")],
    ).properties(height=alt.Step(20))


def index_breakdown_bars(breakdown: pd.DataFrame) -> alt.Chart:
    """One stacked bar per index: each part's contribution (index points), so the bar's
    length is the index itself."""
    data = breakdown.assign(part_no=range(len(breakdown)))
    return alt.Chart(data, title="What makes up the indices").mark_bar().encode(
        y=alt.Y("index_name:N", title=None),
        x=alt.X("sum(contribution):Q", title="Index points (0-100)",
                scale=alt.Scale(domain=INDEX_DOMAIN)),
        color=alt.Color("label:N", title="Part", sort=alt.EncodingSortField("part_no"),
                        scale=alt.Scale(scheme="tableau20"),
                        legend=alt.Legend(orient="bottom", columns=3, labelLimit=190)),
        order=alt.Order("part_no:Q"),
        tooltip=[alt.Tooltip("index_name:N", title="Index"),
                 alt.Tooltip("label:N", title="Part"),
                 alt.Tooltip("weight:Q", title="Weight"),
                 alt.Tooltip("value:Q", title="Part (0-1)", format=".3f"),
                 alt.Tooltip("contribution:Q", title="Contribution", format=".2f"),
                 alt.Tooltip("index_value:Q", title="Index", format=".1f")],
    ).properties(height=alt.Step(48))


# --- Reporting structure page --------------------------------------------------------------

LAYER_HEIGHT = 120
LINE_DASHES = {"solid": [1, 0], "dotted": [3, 3]}


def org_chart(nodes: pd.DataFrame, edges: pd.DataFrame, labels: bool = True) -> alt.Chart:
    """The org chart from a tree layout: roles as points (colour = department) at (x, y),
    reporting lines as segments, solid and dotted told apart by the dash; titles under the
    points when `labels`. `nodes` and `edges` come from jdcore.analysis.orgchart.tree_layout."""
    depth = int(nodes["y"].max()) if len(nodes) else 0
    x_scale = alt.Scale(domain=[float(nodes["x"].min()) - 0.5, float(nodes["x"].max()) + 0.5])
    y_scale = alt.Scale(domain=[-0.3, depth + 0.7], reverse=True)
    x = alt.X("x:Q", scale=x_scale, axis=None)
    y = alt.Y("y:Q", scale=y_scale, axis=None)
    lines = alt.Chart(edges).mark_rule(color="#888", strokeWidth=1.5).encode(
        x=x, y=y, x2="x2:Q", y2="y2:Q",
        strokeDash=alt.StrokeDash("line:N", title="Line", scale=alt.Scale(
            domain=list(LINE_DASHES), range=list(LINE_DASHES.values()))),
        tooltip=[alt.Tooltip("manager_title:N", title="Manager"),
                 alt.Tooltip("role_title:N", title="Report"),
                 alt.Tooltip("line:N", title="Line")],
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
    if labels:  # a white halo under each title keeps it readable across the lines
        text = dict(baseline="top", dy=12, fontSize=11, lineBreak="\n")
        layers += [alt.Chart(nodes).mark_text(**text, stroke="white", strokeWidth=4,
                                              strokeJoin="round").encode(
                       x=x, y=y, text="label:N", tooltip=role_tips),
                   alt.Chart(nodes).mark_text(**text).encode(
                       x=x, y=y, text="label:N", tooltip=role_tips)]
    return alt.layer(*layers).properties(height=LAYER_HEIGHT * (depth + 1))


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


def duty_heatmap(duties: pd.DataFrame) -> alt.Chart:
    """Department x duty category: how many of the given duties fall in each cell (colour).

    Takes rows of the duties view (department_name, category_name, time_share); the tooltip
    also gives the cell's time share summed over its duties (percent of a role's time each).
    """
    cells = (duties.groupby(["department_name", "category_name"], observed=True, as_index=False)
             .agg(duties=("time_share", "size"), time_share=("time_share", "sum")))
    cells = cells.astype({"department_name": str, "category_name": str})
    cells["time_share"] = cells["time_share"].round(1)
    chart = alt.Chart(cells, title="Duties by department and category").mark_rect().encode(
        x=alt.X("category_name:N", title="Duty category",
                axis=alt.Axis(labelAngle=-40, labelLimit=220, labelOverlap=False)),
        y=alt.Y("department_name:N", title=None, axis=alt.Axis(labelLimit=240)),
        color=alt.Color("duties:Q", title="Duties", scale=alt.Scale(scheme="blues", zero=True),
                        legend=alt.Legend(format="d", tickMinStep=1)),
        tooltip=[alt.Tooltip("department_name:N", title="Department"),
                 alt.Tooltip("category_name:N", title="Category"),
                 alt.Tooltip("duties:Q", title="Duties"),
                 alt.Tooltip("time_share:Q", title="Total time share (%)", format=".1f")],
    )
    return chart.properties(width=alt.Step(32), height=alt.Step(22))


# --- Compare page (jdcore.analysis.compare): duty overlap, index parts, role similarity ------------

STATUS_COLOURS = {"shared": "#e45756", "similar": "#f2a93b", "unique": "#bab0ac"}


def duty_status_bars(matches: pd.DataFrame) -> alt.Chart:
    """Stacked bars: each role's time share in duties shared with, similar to, or unique among
    the other chosen roles (from jdcore.analysis.matching.best_matches with a 'role' column)."""
    data = (matches.groupby(["role", "status"], as_index=False, sort=False)
            .agg(time_share=("time_share", "sum"), duties=("duty_no", "size")))
    data["status_order"] = data["status"].map({s: i for i, s in enumerate(STATUS_COLOURS)})
    return alt.Chart(data, title="Time share by match status").mark_bar().encode(
        y=alt.Y("role:N", title=None, sort=list(matches["role"].unique()),
                axis=alt.Axis(labelLimit=260)),
        x=alt.X("time_share:Q", title="Time share (%)", stack="zero"),
        color=alt.Color("status:N", title="Status", scale=alt.Scale(
            domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
            legend=alt.Legend(orient="bottom")),
        order=alt.Order("status_order:Q"),
        tooltip=[alt.Tooltip("role:N", title="Role"), alt.Tooltip("status:N", title="Status"),
                 alt.Tooltip("duties:Q", title="Duties"),
                 alt.Tooltip("time_share:Q", title="Time share (%)")],
    )


def index_parts_bars(parts: pd.DataFrame, index_name: str) -> alt.Chart:
    """Stacked bars, one per role: an index (0-100) split into the points each of its parts
    adds (jdcore.analysis.indices.index_breakdown rows with a 'role' column), so the bar is the index."""
    data = parts[parts["index_name"] == index_name].assign(
        part_no=lambda d: d.groupby("role").cumcount())
    return alt.Chart(data, title=f"{index_name} and its parts").mark_bar().encode(
        y=alt.Y("role:N", title=None, sort=list(data["role"].unique()),
                axis=alt.Axis(labelLimit=260)),
        x=alt.X("contribution:Q", title=f"{index_name} (0-100)", stack="zero",
                scale=alt.Scale(domain=INDEX_DOMAIN)),
        color=alt.Color("label:N", title="Part", sort=list(data["label"].unique()),
                        legend=alt.Legend(orient="bottom", columns=3, labelLimit=190)),
        order=alt.Order("part_no:Q"),
        tooltip=[alt.Tooltip("role:N", title="Role"), alt.Tooltip("label:N", title="Part"),
                 alt.Tooltip("value:Q", title="Part (0-1)", format=".3f"),
                 alt.Tooltip("weight:Q", title="Weight"),
                 alt.Tooltip("contribution:Q", title="Points", format=".2f"),
                 alt.Tooltip("index_value:Q", title=index_name, format=".1f")],
    )


def similarity_heatmap(matrix: pd.DataFrame) -> alt.LayerChart:
    """Heatmap: the overall duty similarity (0-1) of every pair of chosen roles, 1 on the
    diagonal (jdcore.analysis.matching.role_similarity)."""
    order = list(matrix["role"].unique())
    base = alt.Chart(matrix).encode(
        x=alt.X("other_role:N", title=None, sort=order,
                axis=alt.Axis(orient="top", labelAngle=-40, labelLimit=220, labelOverlap=False)),
        y=alt.Y("role:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
        tooltip=[alt.Tooltip("role:N", title="Role"),
                 alt.Tooltip("other_role:N", title="Other role"),
                 alt.Tooltip("similarity:Q", title="Similarity", format=".2f"),
                 alt.Tooltip("shared_pairs:Q", title="Shared duty pairs"),
                 alt.Tooltip("similar_pairs:Q", title="Similar duty pairs")],
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color("similarity:Q", title="Similarity",
                        scale=alt.Scale(domain=[0, 1], scheme="oranges"),
                        legend=alt.Legend(orient="bottom")))
    labels = base.mark_text(fontSize=12).encode(
        text=alt.Text("similarity:Q", format=".2f"),
        color=alt.when(alt.datum.similarity >= 0.6).then(alt.value("white"))
        .otherwise(alt.value("black")))
    return alt.layer(cells, labels, title="Overall similarity of the roles' duties").properties(
        height=alt.Step(32))


# --- Findings page: the interaction graph (jdcore.analysis.interactions) ---------------------------

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
