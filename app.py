"""Role catalogue dashboard: entry point. Run with `streamlit run app.py`."""

import streamlit as st

from pages.common import (app_navigation, current_catalogue, mark_app_navigation, show_problems,
                          show_session_catalogue)

st.set_page_config(page_title="Role catalogue", page_icon=":material/badge:", layout="wide")

page = app_navigation()
mark_app_navigation()
show_problems(current_catalogue())
show_session_catalogue()
page.run()
