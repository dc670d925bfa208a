"""Role catalogue dashboard: entry point. Run with `streamlit run app.py`."""

import streamlit as st

from jdcore.navigation import DEFAULT_PAGE, PAGES
from pages.common import current_catalogue, show_problems, show_session_catalogue

st.set_page_config(page_title="Role catalogue", page_icon=":material/badge:", layout="wide")

page = st.navigation([st.Page(p.script, title=p.title, icon=p.icon, url_path=p.key,
                              default=p.key == DEFAULT_PAGE) for p in PAGES])
show_problems(current_catalogue())
show_session_catalogue()
page.run()
