"""Charts of the Compare page (jdcore.analysis.compare): duty overlap, index parts, role similarity."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .authority import INDEX_DOMAIN


STATUS_COLOURS = {"shared": "#e45756", "similar": "#f2a93b", "unique": "#bab0ac"}
# A role title on two lines (its words split in half): a narrower axis leaves the legend
# under the chart room for its whole labels on a phone.
_WORDS = "split(datum.label, ' ')"
_HALF = f"ceil(length({_WORDS}) / 2)"
TWO_LINE_LABEL = f"[join(slice({_WORDS}, 0, {_HALF}), ' '), join(slice({_WORDS}, {_HALF}), ' ')]"


def duty_status_bars(matches: pd.DataFrame) -> alt.Chart:
    """Stacked bars: each role's time share in duties shared with, similar to, or unique among
    the other chosen roles (from jdcore.analysis.matching.best_matches with a 'role' column)."""
    data = (matches.groupby(["role", "status"], as_index=False, sort=False)
            .agg(time_share=("time_share", "sum"), duties=("duty_no", "size")))
    data["status_order"] = data["status"].map({s: i for i, s in enumerate(STATUS_COLOURS)})
    return alt.Chart(data, title="Time share by match status").mark_bar().encode(
        y=alt.Y("role:N", title=None, sort=list(matches["role"].unique()),
                axis=alt.Axis(labelLimit=260, labelExpr=TWO_LINE_LABEL)),
        x=alt.X("time_share:Q", title="Time share (%)", stack="zero"),
        color=alt.Color("status:N", title="Status", scale=alt.Scale(
            domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
            legend=alt.Legend(orient="bottom", direction="vertical", columns=1)),
        order=alt.Order("status_order:Q"),
        tooltip=[alt.Tooltip("role:N", title="Role"), alt.Tooltip("status:N", title="Status"),
                 alt.Tooltip("duties:Q", title="Duties"),
                 alt.Tooltip("time_share:Q", title="Time share (%)")],
    ).properties(height=alt.Step(30))


def index_parts_bars(parts: pd.DataFrame, index_name: str) -> alt.Chart:
    """Stacked bars, one per role: an index (0-100) split into the points each of its parts
    adds (jdcore.analysis.indices.index_breakdown rows with a 'role' column), so the bar is the index."""
    data = parts[parts["index_name"] == index_name].assign(
        part_no=lambda d: d.groupby("role").cumcount())
    return alt.Chart(data, title=f"{index_name} and its parts").mark_bar().encode(
        y=alt.Y("role:N", title=None, sort=list(data["role"].unique()),
                axis=alt.Axis(labelLimit=260, labelExpr=TWO_LINE_LABEL)),
        x=alt.X("contribution:Q", title=f"{index_name} (0-100)", stack="zero",
                scale=alt.Scale(domain=INDEX_DOMAIN)),
        color=alt.Color("label:N", title="Part", sort=list(data["label"].unique()),
                        legend=alt.Legend(orient="bottom", direction="vertical", columns=1,
                                          labelLimit=260)),
        order=alt.Order("part_no:Q"),
        tooltip=[alt.Tooltip("role:N", title="Role"), alt.Tooltip("label:N", title="Part"),
                 alt.Tooltip("value:Q", title="Part (0-1)", format=".3f"),
                 alt.Tooltip("weight:Q", title="Weight"),
                 alt.Tooltip("contribution:Q", title="Points", format=".2f"),
                 alt.Tooltip("index_value:Q", title=index_name, format=".1f")],
    ).properties(height=alt.Step(30))


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
