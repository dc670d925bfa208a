"""Import: upload a CSV bundle (ZIP) or a workbook, preview it, explore it for this session."""

import hashlib
from pathlib import Path

import streamlit as st

from jdcore import load_catalogue
from jdcore.formats.tablereader import IMPORT_TABLES, write_import
from jdcore.formats.upload import MAX_UPLOAD_MB, import_upload
from pages.uploads import new_import_folder, prune_import_folders
from jdcore.model.problems import problems_frame
from jdcore.model.text import escape_markdown, escape_markdown_name
from jdcore.store import WorkspaceError
from jdcore.store.imports import draft_documents, import_drafts
from pages.workspace_state import current_workspace
from pages.common import IMPORTED_KEY, ensure_app_navigation, leave_imported_catalogue, show_table

ensure_app_navigation()
st.title("Import")
st.caption(f"Upload a CSV bundle as one ZIP (the files the Export page and `python -m jdcore "
           f"export` write) or an Excel workbook with one sheet per table (up to "
           f"{MAX_UPLOAD_MB} MB). You see the tables and every problem first; then you can "
           "explore the import in the dashboard for this session, or save its roles as drafts "
           "in the workspace, to review and approve on the Edit page. Nothing changes the "
           "catalogue until a draft is approved.")

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
result = import_upload(upload.name, data)

# Validate by writing the import to this session's own temporary folder (never data/).
folders = st.session_state.setdefault("import_folders", {})
catalogue = None
if result.ok:
    if digest not in folders or not Path(folders[digest]).is_dir():
        # Clear other sessions' old uploads first; this session's stay while it lasts.
        prune_import_folders(keep=list(folders.values()))
        folders[digest] = str(new_import_folder())
        write_import(result, folders[digest], force=True)
    catalogue = load_catalogue(folders[digest])

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

live = current_workspace()
if result.ok and live is not None and live.workspace is not None:
    drafted = st.session_state.setdefault("import_drafted", {})
    count = len(result.tables["roles"])
    if digest in drafted:
        st.success(drafted[digest], icon=":material/check_circle:")
    elif st.button(f"Save the {count} roles as drafts in the workspace", key="drafts",
                   icon=":material/inventory:"):
        try:
            stored = import_drafts(live.workspace, draft_documents(result.tables), upload.name)
        except WorkspaceError as failed:
            st.error(escape_markdown(str(failed)), icon=":material/error:")
        else:
            drafted[digest] = (f"Saved {len(stored)} drafts in the workspace. Review and approve "
                               "them on the Edit page, under Drafts to review; they stay there "
                               "until then, across reloads and restarts.")
            st.rerun()

if catalogue is not None:
    if st.button("Explore in the dashboard for this session", key="explore", type="primary",
                 icon=":material/explore:"):
        st.session_state[IMPORTED_KEY] = folders[digest]
        st.session_state[IMPORTED_KEY + "_name"] = upload.name
        st.switch_page("pages/overview.py")

if result.tables:
    st.header("Preview")
    tabs = st.tabs([f"{name} ({len(result.tables[name])})" for name in IMPORT_TABLES])
    for tab, name in zip(tabs, IMPORT_TABLES):
        with tab:
            show_table(result.tables[name], f"import-{name}", f"preview-{name}", max_rows=200)
