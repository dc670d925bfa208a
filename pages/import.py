"""Import: upload a CSV bundle (ZIP) or a workbook, preview it, explore it for this session."""

import hashlib
import shutil
from pathlib import Path

import streamlit as st

from jdcore.formats.importworker import run_import
from jdcore.formats.limits import DEFAULT_LIMITS
from jdcore.formats.tablereader import IMPORT_TABLES
from jdcore.formats.upload import MAX_UPLOAD_MB
from pages.uploads import new_import_folder, prune_import_folders
from jdcore.model.problems import problems_frame
from jdcore.model.text import escape_markdown_name
from pages.common import (IMPORTED_KEY, cached_catalogue, ensure_app_navigation,
                          leave_imported_catalogue, show_table)

RUN_KEY = "import_run"  # session state: the last upload's digest, import result and folder

ensure_app_navigation()
st.title("Import")
st.caption(f"Upload a CSV bundle as one ZIP (the files the Export page and `python -m jdcore "
           f"export` write) or an Excel workbook with one sheet per table (up to "
           f"{MAX_UPLOAD_MB} MB, {DEFAULT_LIMITS.roles:,} roles and "
           f"{DEFAULT_LIMITS.duties:,} duties). You see the tables and every problem first; "
           "then you can explore the import in the dashboard for this session. Nothing is "
           "saved to the app's catalogue.")

if st.session_state.get(IMPORTED_KEY):
    name = escape_markdown_name(st.session_state.get(IMPORTED_KEY + "_name", "an upload"))
    st.info(f"This session shows the imported catalogue {name}.", icon=":material/upload:")
    if st.button("Back to the embedded catalogue", key="back", icon=":material/undo:"):
        leave_imported_catalogue()
        st.rerun()

upload = st.file_uploader("CSV bundle (.zip) or Excel workbook (.xlsx)", type=["zip", "xlsx"],
                          key="upload", max_upload_size=MAX_UPLOAD_MB)
if upload is None:
    st.stop()

data = upload.getvalue()
digest = hashlib.sha256(data).hexdigest()[:16]

# Read and validate in a worker process (memory and time capped), which writes a valid
# import to this session's own temporary folder (never data/). Once per upload: the result
# is kept for the reruns of this page.
folders = st.session_state.setdefault("import_folders", {})
last = st.session_state.get(RUN_KEY)
if last is None or last["digest"] != digest or (
        last["folder"] is not None and not Path(last["folder"]).is_dir()):
    # Clear other sessions' old uploads first; this session's stay while it lasts.
    prune_import_folders(keep=list(folders.values()))
    folder = new_import_folder()
    with st.spinner(f"Reading {upload.name}…"):
        run = run_import(upload.name, data, folder)
    if run.written:
        folders[digest] = str(folder)
    else:
        shutil.rmtree(folder, ignore_errors=True)
    last = {"digest": digest, "result": run.result,
            "folder": str(folder) if run.written else None}
    st.session_state[RUN_KEY] = last
result = last["result"]
catalogue = cached_catalogue(last["folder"]) if last["folder"] is not None else None

problems = list(result.problems) + (list(catalogue.problems) if catalogue is not None else [])
errors = sum(p.is_error for p in problems)
upload_name = escape_markdown_name(upload.name)  # the user's file name: text, not Markdown
if not result.ok:
    st.error(f"{upload_name} cannot be imported: {errors} error(s). Fix the file and upload it "
             "again.", icon=":material/error:")
elif errors:
    st.warning(f"{upload_name} was read, but the catalogue it makes has {errors} error(s); "
               "the dashboard shows what could be loaded.", icon=":material/warning:")
else:
    st.success(f"{upload_name} is a valid catalogue: {len(result.tables['roles'])} roles, "
               f"{len(problems)} warning(s).", icon=":material/check_circle:")

st.header(f"Problems ({len(problems)})")
if problems:
    show_table(problems_frame(problems), "import-problems", "problems")
else:
    st.caption("None found.")

if catalogue is not None:
    if st.button("Explore in the dashboard for this session", key="explore", type="primary",
                 icon=":material/explore:"):
        st.session_state[IMPORTED_KEY] = last["folder"]
        st.session_state[IMPORTED_KEY + "_name"] = upload.name
        st.switch_page("pages/overview.py")

if result.tables:
    st.header("Preview")
    tabs = st.tabs([f"{name} ({len(result.tables[name])})" for name in IMPORT_TABLES])
    for tab, name in zip(tabs, IMPORT_TABLES):
        with tab:
            show_table(result.tables[name], f"import-{name}", f"preview-{name}", max_rows=200)
