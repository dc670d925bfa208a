"""Authority & workload: both indices per role, ranked and opened up; decision rights; spans."""

import streamlit as st

from jdcore.charts import index_breakdown_bars, index_ranking_bars, index_scatter, rights_heatmap
from jdcore.analysis.findings import HIGH_WORKLOAD
from jdcore.analysis.indices import INDICES, index_parts, index_ranking, rights_matrix
from jdcore.analysis.orgchart import span_table
from jdcore.analysis.profile import filter_roles, head_role
from jdcore.model.text import escape_markdown
from pages.common import (current_area_roles, current_catalogue, current_index_breakdown,
                          current_index_table, current_roles_table, labels, note_ignored_query,
                          require_roles,
                          show_table)

MAX_RANKED = 40          # bars in the ranking; a large catalogue shows its top roles
MAX_HEATMAP_ROLES = 60   # rows of the decision-rights heatmap

catalogue = current_catalogue()
require_roles(catalogue)
taxonomy = catalogue.taxonomy
st.title("Authority & workload")
st.caption("Both indices run from 0 to 100: a weighted mean of parts that each run from 0 to 1, "
           "with the weights set in taxonomy.yaml. Choose a role below to see every part.")
table = current_index_table(catalogue)
parts = index_parts(catalogue)
titles = labels(catalogue)
roles = current_roles_table(catalogue)
note_ignored_query("authority", {
    "rank": ("ranking", INDICES.values()), "role": ("role", titles.values()),
    "department": ("department", roles["department"].unique()),
    "area": ("business area", roles["business_area"].unique())})

# Scatter and ranking
st.altair_chart(index_scatter(table, parts).properties(height=400), width="stretch")
index_title = st.segmented_control("Rank roles by", list(INDICES.values()),
                                   default=INDICES["authority"], required=True,
                                   key="rank", bind="query-params")
index = {title: name for name, title in INDICES.items()}[index_title]
ranking = index_ranking(table, index)
threshold = {"workload": (HIGH_WORKLOAD, "busy (the findings' threshold)")}.get(index)
st.altair_chart(index_ranking_bars(ranking.head(MAX_RANKED), f"{index}_index", index_title,
                                   *(threshold or ())), width="stretch")
if len(ranking) > MAX_RANKED:
    st.caption(f"The {MAX_RANKED} highest of {len(ranking):,} roles; the metrics table on "
               "the Export page holds every role.")

# Breakdown of one role's indices
st.header("What makes up a role's indices")
role_titles = {titles[r]: r for r in sorted(table["role_id"], key=lambda r: titles[r].casefold())}
chosen = st.selectbox("Role", list(role_titles), key="role", bind="query-params",
                      index=list(role_titles.values()).index(head_role(catalogue, table["role_id"])))
breakdown = current_index_breakdown(catalogue, role_titles[chosen])
st.altair_chart(index_breakdown_bars(breakdown), width="stretch")
for index_name, rows in breakdown.groupby("index_name", sort=False):
    known = rows[rows["value"].notna()]
    weighted, known_weighted = rows[rows["weight"] > 0], known[known["weight"] > 0]
    value = rows["index_value"].iloc[0]
    if known_weighted.empty:
        st.caption(f"{index_name}: unknown (none of its parts is known for this role)")
        continue
    basis = ("" if len(known) == len(rows) else
             f", from {len(known_weighted)} of {len(weighted)} parts (the others are unknown)")
    st.caption(f"{index_name} {value:.1f}{basis} = "
               + " + ".join(f"{c:.2f}" for c in known["contribution"]))
shown = breakdown[["index", "label", "weight", "value", "contribution"]].rename(
    columns={"label": "part"})
shown = shown.assign(value=shown["value"].round(3), contribution=shown["contribution"].round(2))
show_table(shown, f"{role_titles[chosen]}-index-breakdown", "breakdown", height="content",
           view="breakdown")

# Decision rights
st.header("Decision rights")
filters = st.columns(2)
departments = filters[0].multiselect("Department", sorted(roles["department"].unique()),
                                     key="department", bind="query-params")
areas = filters[1].multiselect("Business area", sorted(roles["business_area"].unique()),
                               key="area", bind="query-params")
shown_roles = filter_roles(roles, departments, areas)
if shown_roles.empty:
    st.info("No role matches these filters.")
else:
    drawn = shown_roles.head(MAX_HEATMAP_ROLES)
    matrix = rights_matrix(catalogue, list(drawn["role_id"]))
    st.altair_chart(rights_heatmap(matrix, list(taxonomy.decision_right_scopes)),
                    width="stretch")
    more = (f" (the first {len(drawn)} are drawn; narrow the filters to see others)"
            if len(drawn) < len(shown_roles) else "")
    st.caption(f"{len(shown_roles):,} of {len(roles):,} roles{more}. An area a role file does "
               f"not list counts as '{escape_markdown(taxonomy.decision_right_scopes[0])}'.")

# Span of control
st.header("Span of control")
low, high = taxonomy.span_of_control.min, taxonomy.span_of_control.max
managers = span_table(current_area_roles(catalogue))
outside = int(managers["outside_range"].sum())
st.caption(f"Direct reports per incumbent of every manager; taxonomy.yaml sets the range "
           f"{low}-{high}. {outside} of {len(managers)} managers are outside it (listed first).")
shown = managers.drop(columns=["role_id", "business_area", "outside_range"])
show_table(shown, "span-of-control", "spans", view="spans", column_config={
    "span_flag": st.column_config.MultiselectColumn(
        "Span", options=["under", "ok", "over"], color=["#f58518", "#54a24b", "#e45756"],
        width=80, help="under, ok or over the range of taxonomy.yaml"),
})
