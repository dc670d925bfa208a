"""Findings: where duties overlap or are missing, where authority or workload does not add
up; and the interaction graph of the roles, apart from the reporting lines."""

import streamlit as st

from jdcore.charts import interaction_graph
from jdcore.analysis.findings import (KINDS, SEVERITIES, filter_findings, finding_counts,
                                     shown_findings)
from jdcore.navigation import PAGES_BY_KEY, page_target
from jdcore.analysis.interactions import edges_table, node_count
from jdcore.model.text import escape_badge_label, escape_markdown
from jdcore.model.labels import in_taxonomy_order
from pages.common import (current_catalogue, current_findings, current_interaction_edges,
                          current_interaction_layout, labels, names, note_ignored_query,
                          require_roles, show_table)

MAX_LISTED = 40          # findings drawn as cards; the table below holds every one
MAX_GRAPH_NODES = 80     # beyond this the circle is unreadable: the edge table stays
SEVERITY_BADGES = {"error": ("red", ":material/error:"),
                   "warning": ("orange", ":material/warning:"),
                   "info": ("blue", ":material/info:")}

catalogue = current_catalogue()
require_roles(catalogue)
st.title("Findings")
st.caption("What the catalogue says when it is read as a whole: duties held twice in "
           "different departments, work no role covers, authority that does not follow the "
           "hierarchy, and workload that does not add up. **Error**: the figures cannot all "
           "be true; **warning**: probably wrong, check it; **info**: worth a look, may well "
           "be by design.")
findings = current_findings(catalogue)
titles = labels(catalogue)
area_names = names(catalogue, "business_areas")
present = in_taxonomy_order(area_names, catalogue.roles["business_area"].unique())
area_ids = {area_names.get(a, a): a for a in present}
kind_names = names(catalogue, "interaction_kinds")
kind_ids = {name: kind for kind, name in kind_names.items()}
note_ignored_query("findings", {"kind": ("kind", KINDS), "severity": ("severity", SEVERITIES),
                                "garea": ("business area", area_ids),
                                "gkind": ("interaction", kind_ids)})

# Counts
counts = finding_counts(findings)
cells = st.columns(len(SEVERITIES) + len(KINDS))
for cell, (severity, count) in zip(cells, counts["severity"].items()):
    cell.metric(severity.capitalize(), count)
for cell, (kind, count) in zip(cells[len(SEVERITIES):], counts["kind"].items()):
    cell.metric(KINDS[kind], count)

# Filters
filters = st.columns([2, 2, 3])
kinds = filters[0].multiselect("Kind", list(KINDS), key="kind", bind="query-params",
                               placeholder="Any")
severities = filters[1].multiselect("Severity", list(SEVERITIES), key="severity",
                                    bind="query-params", placeholder="Any")
role_text = filters[2].text_input("Role involved", key="involving", bind="query-params",
                                  placeholder="e.g. foreman, head of sales")
shown = filter_findings(findings, kinds, severities, role_text, titles)
st.caption(f"{len(shown)} of {len(findings)} findings")
if findings.empty:
    st.success("No findings: the catalogue's duties, authority and workload add up.",
                icon=":material/check_circle:")

# Each finding
for finding in shown.head(MAX_LISTED).itertuples(index=False):
    with st.container(border=True):
        colour, icon = SEVERITY_BADGES.get(finding.severity, ("gray", None))
        kind = KINDS.get(finding.kind, finding.kind)
        st.badge(escape_badge_label(f"{finding.severity} · {kind}"), icon=icon, color=colour)
        st.markdown(f"**{escape_markdown(finding.title)}**")
        involved = [escape_markdown(titles.get(r, r)) for r in finding.roles.split(";") if r]
        if involved:
            st.caption("Roles: " + ", ".join(involved))
        st.markdown(escape_markdown(finding.explanation))
        page, params = page_target(finding.page)
        st.page_link(PAGES_BY_KEY[page].script, label=f"Open on {PAGES_BY_KEY[page].title}",
                     icon=":material/arrow_forward:", query_params=params)
if len(shown) > MAX_LISTED:
    st.caption(f"The first {MAX_LISTED} findings are listed; the table below holds all "
               f"{len(shown)}.")

st.subheader("All findings as a table")
show_table(shown_findings(shown, titles), "findings", "findings", view="findings")

# Interaction graph
st.header("Interaction graph")
st.caption("Who deals with whom besides the reporting lines: the interactions the role files "
           "record (suggestions, reports of shortcomings, clarifications, reports, "
           "coordination, instructions, negotiations). An interaction recorded by both roles "
           "is one edge; an arrowhead marks the receiving end of a one-way interaction.")
controls = st.columns([2, 3])
area_name = controls[0].selectbox("Business area", list(area_ids), key="garea",
                                  bind="query-params")
chosen_kinds = controls[1].multiselect("Interactions", list(kind_ids), key="gkind",
                                       bind="query-params", placeholder="All")
edges = current_interaction_edges(catalogue, area_ids[area_name],
                                  tuple(kind_ids[k] for k in chosen_kinds))
if edges.empty:
    st.info(f"No interactions of roles in {escape_markdown(area_name)} are recorded"
            + (" of these kinds." if chosen_kinds else "."), icon=":material/hub:")
else:
    nodes = node_count(edges)
    if nodes > MAX_GRAPH_NODES:  # checked before the layout, which takes seconds at this size
        st.info(f"{nodes} roles and outside parties are too many to draw on one "
                f"circle (at most {MAX_GRAPH_NODES}): choose fewer interaction kinds to draw "
                "a part of the graph. The table below lists every edge.",
                icon=":material/hub:")
    else:
        layout = current_interaction_layout(catalogue, area_ids[area_name],
                                            tuple(kind_ids[k] for k in chosen_kinds))
        with st.container(key="interaction-graph"):  # drawn at its size: the circle stays round
            st.altair_chart(interaction_graph(layout.nodes, layout.edges, layout.arrows,
                                              list(kind_names.values())), width="content")
        st.caption(f"{len(layout.nodes)} roles and outside parties, {len(edges)} edges. "
                   "Point at a line, arrowhead or node for details.")
    show_table(edges_table(edges, titles), f"interactions-{area_ids[area_name]}", "edges",
               view="edges")
