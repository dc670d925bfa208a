"""Charts of the Overview and Catalogue pages: roles per department, a role's duty categories and scales."""

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
