"""Role catalogue dashboard: entry point. Run with `streamlit run app.py`."""

import streamlit as st

from pages.common import (app_navigation, current_catalogue, error_guard, mark_app_navigation,
                          show_pending_banner, show_problems, show_session_catalogue,
                          show_workspace)
from pages.signin import require_sign_in, show_user

page = app_navigation()
# An emoji icon is drawn in the browser (a Material icon's favicon is fetched from a font host)
st.set_page_config(page_title=f"{page.title} · Role catalogue", page_icon="🗂️", layout="wide")
mark_app_navigation()
with error_guard():  # no traceback ever reaches the browser: a message and a reference
    require_sign_in()  # sign-in when [auth] is configured; else single-user, this machine only
    show_user()
    show_pending_banner()
    show_problems(current_catalogue())
    show_session_catalogue()
    show_workspace()
    page.run()
