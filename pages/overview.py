"""Overview: the catalogue in numbers, roles per department, catalogue health, page guide."""

import streamlit as st

from jdcore.charts import roles_per_department
from jdcore.model.text import escape_markdown_name
from jdcore.navigation import PAGES
from pages.common import current_catalogue, names, problems_table, require_roles, show_table

catalogue = current_catalogue()
st.title("Role catalogue")
st.caption(f"Job descriptions loaded from {escape_markdown_name(catalogue.path)}")
require_roles(catalogue)
roles = catalogue.roles

counts = st.columns(4)
counts[0].metric("Roles", f"{len(roles):,}")
counts[1].metric("Departments", roles["department"].nunique())
counts[2].metric("Business areas", roles["business_area"].nunique())
counts[3].metric("Duties", f"{len(catalogue.duties):,}")

left, right = st.columns([3, 2], gap="large")
with left:
    st.altair_chart(roles_per_department(roles, names(catalogue, "departments")),
                    width="stretch")
with right:
    st.subheader("Catalogue health")
    if catalogue.is_valid and not catalogue.warnings:
        st.success("Every file passed validation: no errors, no warnings.",
                   icon=":material/check_circle:")
    elif catalogue.is_valid:
        st.warning(f"Valid, with {len(catalogue.warnings)} warning(s).",
                   icon=":material/warning:")
    else:
        st.error(f"{len(catalogue.errors)} error(s) and {len(catalogue.warnings)} warning(s).",
                 icon=":material/error:")
    sources = roles["source_note"].value_counts()
    st.caption(f"{sources.get('seed', 0)} role(s) come from the founding document (seed); "
               f"{sources.get('illustrative', 0)} were written to complete the organisation "
               "(illustrative).")

if catalogue.problems:
    with st.expander(f"Validation problems ({len(catalogue.problems)})",
                     expanded=not catalogue.is_valid):
        show_table(problems_table(catalogue), "validation-problems", "problems", column_config={
            "message": st.column_config.TextColumn("Message", width="large")})

st.subheader("Where to go")
st.markdown("\n".join(f"- **{page.title}**: {page.guide}" for page in PAGES[1:]))
