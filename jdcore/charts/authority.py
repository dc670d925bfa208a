"""Charts of the Authority & workload page: the index scatter and rankings, decision rights, index breakdowns."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .style import bottom_legend, category_colour, colour_field, label_lines, wrapped


INDEX_DOMAIN = [0, 100]
SPAN_FLAG_COLOURS = {"under": "#f58518", "ok": "#54a24b", "over": "#e45756", "none": "#bab0ac"}


def index_scatter(table: pd.DataFrame, parts: pd.DataFrame) -> alt.Chart:
    """Authority index against workload index, one point per role: size = total reports
    (told in the subtitle), colour = department; the tooltip lists both indices and every
    part of each. `parts` names the part columns of `table` (column, index, label)."""
    part_tips = [alt.Tooltip(f"{c}:Q", title=f"{i.capitalize()}: {l}", format=".3f")
                 for c, i, l in zip(parts["column"], parts["index"], parts["label"])]
    field = colour_field(table, "department", "business_area")
    name = "Department" if field == "department" else "Business area"
    subtitle = ["Point size: total reports (headcount below the role)"]
    if field != "department":
        subtitle.append(f"Colour: business area ({table['department'].nunique()} departments "
                        "are too many to tell apart by colour; the tooltip names each)")
    title = alt.Title("Authority and workload", subtitle=subtitle)
    return alt.Chart(table, title=title).mark_circle(opacity=0.8).encode(
        x=alt.X("authority_index:Q", title="Authority index",
                scale=alt.Scale(domain=INDEX_DOMAIN)),
        y=alt.Y("workload_index:Q", title="Workload index",
                scale=alt.Scale(domain=INDEX_DOMAIN)),
        size=alt.Size("total_reports:Q", title="Total reports",
                      scale=alt.Scale(range=[60, 900]), legend=None),
        color=category_colour(field, name, sorted(table[field].astype(str).unique())),
        tooltip=[alt.Tooltip("title:N", title="Role"),
                 alt.Tooltip("department:N", title="Department"),
                 alt.Tooltip("business_area:N", title="Business area"),
                 alt.Tooltip("total_reports:Q", title="Total reports"),
                 alt.Tooltip("authority_index:Q", title="Authority index", format=".1f"),
                 alt.Tooltip("workload_index:Q", title="Workload index", format=".1f"),
                 *part_tips],
    ).properties(  # the height is the plot's: the legend under it adds to it, not from it
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def index_ranking_bars(ranking: pd.DataFrame, index_column: str, index_title: str,
                       threshold: float | None = None,
                       threshold_name: str = "") -> alt.Chart | alt.LayerChart:
    """Roles ranked by one index, highest at the top; long titles wrap onto two lines (the
    tooltip has the whole title). With a `threshold` (the one the findings use, e.g.
    HIGH_WORKLOAD), the bars at or above it are coloured apart, a line marks it and the
    legend says what the colours mean (`threshold_name`: what being above it means)."""
    data = ranking.assign(label=wrapped(ranking["title"]))
    lines = int(data["label"].str.count("\n").max() + 1) if len(data) else 1
    tooltip = [alt.Tooltip("rank:Q", title="Rank"), alt.Tooltip("title:N", title="Role"),
               alt.Tooltip("department:N", title="Department"),
               alt.Tooltip(f"{index_column}:Q", title=index_title, format=".1f")]
    x = alt.X(f"{index_column}:Q", title=index_title, scale=alt.Scale(domain=INDEX_DOMAIN))
    y = alt.Y("label:N", sort="-x", title=None,
              axis=alt.Axis(labelLimit=260, labelOverlap=False, labelExpr=label_lines()))
    title = f"Roles ranked by {index_title.lower()}"
    if threshold is None:
        return alt.Chart(data, title=title).mark_bar(color="#4c78a8").encode(
            y=y, x=x, tooltip=tooltip).properties(height=alt.Step(14 * lines + 6))
    above = f"{threshold:g} or more: {threshold_name}" if threshold_name else \
        f"{threshold:g} or more"
    below = f"below {threshold:g}"
    data["band"] = [above if v >= threshold else below for v in data[index_column]]
    bars = alt.Chart(data).mark_bar().encode(
        y=y, x=x, tooltip=tooltip + [alt.Tooltip("band:N", title=index_title)],
        color=alt.Color("band:N", title=index_title, sort=[above, below],
                        scale=alt.Scale(domain=[above, below], range=["#e45756", "#4c78a8"]),
                        legend=bottom_legend(2, orient="top", labelLimit=320)))
    rule = alt.Chart(pd.DataFrame({"threshold": [threshold]})).mark_rule(
        color="#333333", strokeDash=[4, 3]).encode(
        x=alt.X("threshold:Q", scale=alt.Scale(domain=INDEX_DOMAIN)),
        tooltip=[alt.Tooltip("threshold:Q", title="Threshold of the findings")])
    return alt.layer(bars, rule, title=title).properties(height=alt.Step(14 * lines + 6))


NO_SCOPE_COLOUR = "#f6f7f9"      # the lowest scope ("none"): reads as an empty cell
NO_SCOPE_TEXT = "#9aa1ad"        # and its word in grey
SCOPE_BLUES = ("#c6dbef", "#6baed6", "#2171b5")   # light to dark
DARK_SCOPE_COLOURS = {"#2171b5"}                     # white text on these


def scope_colours(scopes: list[str]) -> list[str]:
    """A colour per scope from the lowest up: the lowest (none) as an empty cell, then
    ever darker blues (the darkest for the highest scope)."""
    rest = max(len(scopes) - 1, 0)
    blues = list(SCOPE_BLUES[-rest:]) if rest <= len(SCOPE_BLUES) else (
        list(SCOPE_BLUES[:-1]) + [SCOPE_BLUES[-1]] * (rest - len(SCOPE_BLUES) + 1))
    return [NO_SCOPE_COLOUR, *blues][:len(scopes)]


def rights_heatmap(matrix: pd.DataFrame, scopes: list[str],
                   areas_down: bool = False) -> alt.LayerChart:
    """Decision rights: roles x decision-right areas, coloured by the scope's level
    (`scopes` in order from the lowest level up) and with the scope written in each cell;
    the lowest scope (none) is an empty-looking cell with its word in grey. The tooltip
    names the scope and its limit. `areas_down` puts the areas in rows and the roles in
    columns (a few roles side by side, as Compare shows them: wide enough cells for the
    words on a phone too)."""
    colours = scope_colours(scopes)
    dark = {scope for scope, colour in zip(scopes, colours) if colour in DARK_SCOPE_COLOURS}
    across = alt.X("area_name:N", title=None, axis=alt.Axis(
        orient="top", labelAngle=-40, labelOverlap=False, labelLimit=220))
    down = alt.Y("title:N", title=None, sort=None, axis=alt.Axis(labelLimit=260))
    if areas_down:
        across = alt.X("title:N", title=None, sort=None, axis=alt.Axis(
            orient="top", labelAngle=-40, labelLimit=200, labelOverlap=False))
        down = alt.Y("area_name:N", title=None, sort=None, axis=alt.Axis(labelLimit=260))
    base = alt.Chart(matrix).encode(
        x=across, y=down,
        tooltip=[alt.Tooltip("title:N", title="Role"),
                 alt.Tooltip("area_name:N", title="Decision area"),
                 alt.Tooltip("scope:N", title="Scope"),
                 alt.Tooltip("scope_level:Q", title="Scope level"),
                 alt.Tooltip("limit:N", title="Limit"),
                 alt.Tooltip("listed:N", title="Listed in the role file")],
    )
    cells = base.mark_rect(stroke="#d0d4da", strokeWidth=0.5).encode(
        color=alt.Color("scope:O", title="Scope", sort=scopes,
                        scale=alt.Scale(domain=scopes, range=colours),
                        legend=alt.Legend(orient="bottom", direction="vertical", columns=1,
                                          labelLimit=220)))
    text = base.mark_text(fontSize=10).encode(
        text=alt.Text("scope:N"),
        color=alt.when(alt.FieldOneOfPredicate(field="scope", oneOf=sorted(dark)))
        .then(alt.value("#ffffff"))
        .when(alt.datum.scope == scopes[0]).then(alt.value(NO_SCOPE_TEXT))
        .otherwise(alt.value("#1f2328")))
    chart = alt.layer(cells, text, title="Decision rights").properties(height=alt.Step(24))
    return chart.properties(width="container") if areas_down else chart


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
                        legend=bottom_legend(len(breakdown["label"].unique()))),
        order=alt.Order("part_no:Q"),
        tooltip=[alt.Tooltip("index_name:N", title="Index"),
                 alt.Tooltip("label:N", title="Part"),
                 alt.Tooltip("weight:Q", title="Weight"),
                 alt.Tooltip("value:Q", title="Part (0-1)", format=".3f"),
                 alt.Tooltip("contribution:Q", title="Contribution", format=".2f"),
                 alt.Tooltip("index_value:Q", title="Index", format=".1f")],
    ).properties(height=alt.Step(48))
