"""Catalogue: a filterable table of roles and the full profile of the chosen role."""

import streamlit as st

from jdcore.charts import category_profile, scale_bars
from jdcore.analysis.profile import filter_roles, head_role, profile_tables
from jdcore.model.text import escape_markdown
from pages.common import (IMPORTED_KEY, current_catalogue, current_role_profile,
                          current_roles_table, filters_expander, labels, names,
                          note_ignored_query, require_roles, show_table)
from pages.workspace_state import current_workspace

catalogue = current_catalogue()
require_roles(catalogue)
st.title("Catalogue")
table = current_roles_table(catalogue)
titles = labels(catalogue)

department_options = sorted(table["department"].unique())
area_options = sorted(table["business_area"].unique())
grade_options = list(names(catalogue, "grades").values())
note_ignored_query("catalogue", {"department": ("department", department_options),
                                 "area": ("business area", area_options),
                                 "grade": ("grade", grade_options),
                                 "role": ("role", titles.values())})
with filters_expander("role-filters", {"department": "department", "area": "business area",
                                       "grade": "grade", "q": "title"}, "every role is shown"):
    filters = st.columns([2, 2, 2, 3])
    departments = filters[0].multiselect("Department", department_options, key="department",
                                         bind="query-params")
    areas = filters[1].multiselect("Business area", area_options, key="area",
                                   bind="query-params")
    grades = filters[2].multiselect("Grade", grade_options, key="grade", bind="query-params")
    text = filters[3].text_input("Title contains", key="q", bind="query-params",
                                 placeholder="e.g. head, manager")
shown = filter_roles(table, departments, areas, grades, text)

st.caption(f"{len(shown)} of {len(table)} roles")
show_table(shown.drop(columns="role_id"), "roles", "roles", view="roles")

if shown.empty:
    st.stop()
role_titles = {titles[r]: r for r in shown["role_id"]}
head = titles[head_role(catalogue, shown["role_id"])]
if st.session_state.get("role") not in (None, *role_titles):
    st.session_state["role"] = head  # the filters no longer offer it: neither page nor URL keep it
default = {} if "role" in st.session_state else {"index": list(role_titles).index(head)}
chosen = st.selectbox("Open a role profile", list(role_titles), key="role", bind="query-params",
                      **default)
profile = current_role_profile(catalogue, role_titles[chosen])
role = profile.role

st.divider()
heading = st.columns([6, 1], vertical_alignment="bottom")
heading[0].header(escape_markdown(role["title"]))
live = current_workspace()
if live is not None and live.workspace is not None and live.snapshot is not None \
        and not st.session_state.get(IMPORTED_KEY):  # an imported catalogue is not edited
    heading[1].page_link("pages/edit.py", label="Edit", icon=":material/edit:",
                         query_params={"role": chosen})
source = "from the founding document" if role["source_note"] == "seed" else "illustrative"
st.caption(" · ".join(escape_markdown(x) for x in (
    names(catalogue, "departments").get(role["department"], role["department"]),
    names(catalogue, "business_areas").get(role["business_area"], role["business_area"]),
    names(catalogue, "grades").get(role["grade"], role["grade"]),
    f"headcount {role['headcount']}", f"source: {source}")))
st.markdown(escape_markdown(role["summary"]))

chain = " → ".join(escape_markdown(title) for _, title in profile.chain)
st.markdown(f"**Chain of command:** {chain}")
facts = st.columns(3)
facts[0].markdown("**Direct reports:** " + (", ".join(
    f"{escape_markdown(t)} ×{h}" for t, h in zip(profile.direct_reports["title"],
                                                 profile.direct_reports["headcount"]))
    or "none"))
facts[1].markdown("**Next career step:** " + (", ".join(
    escape_markdown(t) for _, t in profile.next_steps) or "none recorded"))
facts[2].markdown("**Dotted lines to:** " + (", ".join(
    escape_markdown(t) for _, t in profile.dotted_to) or "none"))

charts = st.columns([5, 4, 2], gap="large")
charts[0].altair_chart(category_profile(profile.category_shares, titles), width="stretch")
charts[1].altair_chart(scale_bars(profile.scales), width="stretch")
if profile.metrics is not None:
    charts[2].metric("Authority", f"{profile.metrics['authority_index']:.0f}",
                     help="Index 0-100; its parts are on the Authority & workload page")
    charts[2].metric("Workload", f"{profile.metrics['workload_index']:.0f}",
                     help="Index 0-100; its parts are on the Authority & workload page")

tables = profile_tables(profile, catalogue.taxonomy)
st.subheader("Responsibilities")
show_table(tables["profile-duties"], f"{role.name}-duties", "profile-duties",
           view="profile-duties")
st.subheader("Decision rights")
show_table(tables["profile-rights"], f"{role.name}-rights", "profile-rights",
           view="profile-rights")
if not profile.accountabilities.empty:
    st.subheader("Accountability")
    st.caption("What the holder answers for.")
    show_table(tables["profile-accountabilities"], f"{role.name}-accountabilities",
               "profile-accountabilities", view="profile-accountabilities")
st.subheader("Qualities")
show_table(tables["profile-qualities"], f"{role.name}-qualities", "profile-qualities",
           view="profile-qualities")
st.subheader("Requirements")
show_table(tables["profile-requirements"], f"{role.name}-requirements",
           "profile-requirements", view="profile-requirements")
st.subheader("Interactions")
show_table(tables["profile-interactions"], f"{role.name}-interactions", "profile-interactions",
           view="profile-interactions")
if not profile.kpis.empty:
    st.subheader("Key results")
    show_table(tables["profile-kpis"], f"{role.name}-kpis", "profile-kpis", view="profile-kpis")
