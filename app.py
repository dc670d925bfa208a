"""Role catalogue dashboard: entry point. Run with `streamlit run app.py`."""

import streamlit as st

from pages.common import current_catalogue, show_problems, show_session_catalogue

st.set_page_config(page_title="Role catalogue", page_icon=":material/badge:", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("pages/catalogue.py", title="Catalogue", icon=":material/badge:"),
    st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:"),
    st.Page("pages/duties.py", title="Duties", icon=":material/checklist:"),
    st.Page("pages/authority.py", title="Authority & workload", icon=":material/balance:"),
    st.Page("pages/reporting.py", title="Reporting structure", icon=":material/account_tree:"),
    st.Page("pages/findings.py", title="Findings", icon=":material/flag:"),
    st.Page("pages/export.py", title="Export", icon=":material/download:"),
    st.Page("pages/import.py", title="Import", icon=":material/upload:"),
]

page = st.navigation(PAGES)
show_problems(current_catalogue())
show_session_catalogue()
page.run()
