"""Charts of the Overview and Catalogue pages: roles per department, a role's duty categories and scales."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .palette import role_colour_scale, role_legend

SCALE_DOMAIN = [0, 5]
SCALE_AXIS_DOMAIN = [0, 5.5]   # room right of 5 for its label
SCALE_TICKS = [1, 2, 3, 4, 5]
SCALE_LABELS = {1: "1 very low", 2: "2 low", 3: "3 medium", 4: "4 high", 5: "5 very high"}
UNASSIGNED_CATEGORY = "unassigned"  # jdcore.analysis.profile.UNASSIGNED: drawn last, in grey


def scale_axis(title: str) -> alt.Axis:
    """The axis of a 1-5 scale: a tick at each whole step, named by the scale's own words
    (the number over its word, two short lines that fit a phone's width)."""
    expression = " : ".join(f"datum.value == {v} ? {label.split(' ', 1)!r}"
                            for v, label in SCALE_LABELS.items())
    return alt.Axis(title=title, values=SCALE_TICKS, format="d",
                    labelExpr=f"{expression} : ''", labelOverlap=False, labelFontSize=10,
                    grid=True)


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


def category_profile(shares: pd.DataFrame, role_titles: dict[str, str],
                     legend: bool = True) -> alt.Chart:
    """Time share by duty category, one bar group per role (profile and compare pages);
    `legend` False leaves the role colours to a key of the page's own (role_key_html)."""
    data = shares.assign(role=shares["role_id"].map(role_titles))
    several = data["role_id"].nunique() > 1
    # the categories by their total share, the time no duty is assigned to last
    totals = data.groupby("category_name", sort=False)["time_share"].sum()
    unassigned = set(data.loc[data["category"] == UNASSIGNED_CATEGORY, "category_name"])
    categories = sorted(totals.index, key=lambda c: (c in unassigned, -totals[c], c))
    encoding = dict(
        y=alt.Y("category_name:N", title=None, axis=alt.Axis(labelLimit=260), sort=categories),
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
                                        scale=role_colour_scale(order),
                                        legend=role_legend() if legend else None),
                        yOffset=alt.YOffset("role:N", sort=order))
    if unassigned:  # the unassigned share reads as a gap, not as a category of work
        encoding["opacity"] = alt.condition(
            alt.datum.category == UNASSIGNED_CATEGORY, alt.value(0.35), alt.value(1.0))
    return alt.Chart(data, title="Time share by duty category").mark_bar().encode(**encoding)


def scale_bars(scales: pd.DataFrame, roles: list[str] | None = None,
               legend: bool = True) -> alt.Chart:
    """Small bars of 1-5 scales (authority scales and time pressure) for one or more roles;
    `roles` (their titles, as in the 'role' column) orders the bars and the legend (`legend`
    False: the page's own key, role_key_html)."""
    data = scales.copy()
    order = (list(roles) if roles is not None
             else list(dict.fromkeys(data["role"])) if "role" in data else [])
    color = (alt.Color("role:N", title="Role", sort=order, scale=role_colour_scale(order),
                       legend=role_legend() if legend else None)
             if len(order) > 1 else alt.value("#4c78a8"))
    encoding = dict(
        y=alt.Y("label:N", title=None, sort=alt.EncodingSortField("order"),
                axis=alt.Axis(labelLimit=220)),
        x=alt.X("value:Q", scale=alt.Scale(domain=SCALE_AXIS_DOMAIN, nice=False),
                axis=scale_axis("Scale (1-5)")),
        color=color,
        tooltip=[alt.Tooltip(c, title=t) for c, t in
                 (("role:N", "Role"), ("label:N", "Scale"), ("value:Q", "Value"))
                 if c.split(":")[0] in data],
    )
    if len(order) > 1:
        encoding["yOffset"] = alt.YOffset("role:N", sort=order)
    return alt.Chart(data, title="Authority and workload scales").mark_bar().encode(
        **encoding)
