"""Reporting structure: the org chart of one business area, layers, spans, chains, problems."""

import streamlit as st

from jdcore.charts import layer_bars, org_chart, span_bars
from jdcore.analysis.orgchart import (chain_table, has_reporting_lines, layer_counts,
                                      root_candidates, tree_layout)
from jdcore.model.text import escape_markdown
from pages.common import (current_area_roles, current_catalogue, current_integrity_problems,
                          names, require_roles, show_table)

MAX_LABELLED_LEAVES = 12

catalogue = current_catalogue()
require_roles(catalogue)
taxonomy = catalogue.taxonomy
st.title("Reporting structure")

area_names = names(catalogue, "business_areas")
present = sorted(catalogue.roles["business_area"].unique(),
                 key=lambda a: area_names.get(a, a).casefold())
area_ids = {area_names.get(a, a): a for a in present}
area_name = st.selectbox("Business area", list(area_ids), key="area", bind="query-params")
roles = current_area_roles(catalogue, area_ids[area_name])
titles = dict(zip(roles["role_id"], roles["title"]))

if not has_reporting_lines(roles):
    st.info(f"No role in {escape_markdown(area_name)} reports to another role: every one of its "
            f"{len(roles)} roles is a root, so there is no structure to draw. Set `reports_to` "
            "in the role files to connect them.", icon=":material/account_tree:")
else:
    # Org chart
    controls = st.columns([3, 1])
    root_titles = {titles[r]: r for r in root_candidates(roles)}
    root_title = controls[0].selectbox("Top of the chart", list(root_titles), key="root",
                                       bind="query-params")
    depth = int(controls[1].number_input("Layers below it", min_value=1, max_value=20, value=4,
                                         step=1, key="depth", bind="query-params"))
    layout = tree_layout(roles, catalogue.reporting, root_titles[root_title], depth)
    leaves = int(layout.nodes["x"].max()) + 1
    st.altair_chart(org_chart(layout.nodes, layout.edges, labels=leaves <= MAX_LABELLED_LEAVES),
                    width="stretch")
    notes = [f"{len(layout.nodes)} of {len(roles)} roles drawn",
             f"{layout.left_out} left out below layer {depth}",
             f"{layout.not_below_root} not under the chosen top role"]
    if leaves > MAX_LABELLED_LEAVES:
        notes.append("titles hidden on a chart this wide: point at a role to see it")
    st.caption(" · ".join(notes) + ". Solid lines: reports to; dotted lines: functional "
               "(dotted) lines between roles on the chart.")

    # Layers and spans
    left, right = st.columns([2, 3], gap="large")
    with left:
        st.altair_chart(layer_bars(layer_counts(roles)), width="stretch")
    with right:
        managers = roles[roles["direct_reports"].fillna(0) > 0]
        st.altair_chart(span_bars(managers, taxonomy.span_of_control.min,
                                  taxonomy.span_of_control.max), width="stretch")

    # Chain of command
    st.header("Chain of command")
    role_ids = {titles[r]: r for r in sorted(titles, key=lambda r: titles[r].casefold())}
    deepest = roles.sort_values("layer", ascending=False, na_position="last")["role_id"].iloc[0]
    chosen = st.selectbox("Role", list(role_ids), index=list(role_ids.values()).index(deepest),
                          key="role", bind="query-params")
    chain = chain_table(current_area_roles(catalogue), role_ids[chosen])
    st.markdown(" → ".join(escape_markdown(t) for t in chain["title"]))
    show_table(chain.drop(columns="role_id"), f"{role_ids[chosen]}-chain-of-command", "chain")

# Integrity problems
st.header("Integrity of the reporting lines")
problems = current_integrity_problems(catalogue)
if problems.empty:
    st.success("No cycles, dangling lines or unreachable roles in the catalogue.",
               icon=":material/check_circle:")
else:
    st.warning(f"{len(problems)} problem(s) with reporting lines in the whole catalogue. "
               "The roles they concern are left off the chart where no line reaches them.",
               icon=":material/warning:")
    show_table(problems.drop(columns="severity"), "reporting-problems", "problems",
               column_config={"role": st.column_config.TextColumn("Role", width="medium"),
                              "file": st.column_config.TextColumn("File", width="medium"),
                              "field": st.column_config.TextColumn("Field", width="small"),
                              "message": st.column_config.TextColumn("Message", width="large")})
