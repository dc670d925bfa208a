"""Import: upload a CSV bundle (ZIP) or a workbook, preview it, explore it for this session;
or upload job description documents, review the drafted roles, and explore or download them."""

import hashlib
import shutil
from pathlib import Path

import streamlit as st

from jdcore.formats.documents import catalogue_base, write_draft
from jdcore.formats.documents.review import (ADDABLE, correct, draft_zip, fields_frame,
                                             items_frame, manager_choices, role_yaml,
                                             roles_frame, unrecognised_frame)
from jdcore.formats.importworker import run_document_import, run_import
from jdcore.formats.limits import DEFAULT_LIMITS
from jdcore.formats.tablereader import IMPORT_TABLES
from jdcore.formats.upload import MAX_UPLOAD_MB
from jdcore.formats.writer import role_documents
from jdcore.model.problems import problems_frame
from jdcore.model.text import escape_markdown, escape_markdown_name
from jdcore.store import WorkspaceError
from jdcore.store.imports import draft_documents, import_document_drafts, import_drafts
from pages.common import (IMPORTED_KEY, cached_catalogue, current_catalogue,
                          ensure_app_navigation, leave_imported_catalogue, show_table)
from pages.uploads import new_import_folder, prune_import_folders
from pages.signin import current_access
from pages.workspace_state import current_workspace

RUN_KEY = "import_run"  # session state: the last upload's digest, import result and folder

ensure_app_navigation()
MAX_REVIEWED = 40  # drafted roles opened for review one by one
DOCUMENT_TYPES = ["docx", "pdf", "md", "markdown", "txt", "html", "htm", "zip"]
REVIEWED_FIELDS = {"responsibilities": "Duties", "requirements": "Requirements",
                   "qualities": "Qualities", "rights": "Decision rights",
                   "accountabilities": "Accountability", "interactions": "Interactions",
                   "kpis": "Key results"}


def review_documents() -> None:
    """Upload documents, review the drafted roles, correct them, explore or download them."""
    uploads = st.file_uploader("Job descriptions (.docx, .pdf, .md, .txt, .html) or a ZIP of "
                               "them", type=DOCUMENT_TYPES, accept_multiple_files=True,
                               key="documents", max_upload_size=MAX_UPLOAD_MB)
    if not uploads:
        st.caption("Each document may describe one role or a job family with several levels. "
                   "Nothing the documents do not state is invented: a duty's frequency and "
                   "time share, the authority scales and the workload stay unknown.")
        return
    files = [(u.name, u.getvalue()) for u in uploads]
    digest = hashlib.sha256(b"".join(n.encode() + b"\0" + d for n, d in files)).hexdigest()[:16]
    drafts = st.session_state.setdefault("document_drafts", {})
    if digest not in drafts:
        catalogue = current_catalogue()
        base = catalogue_base(catalogue) if catalogue.taxonomy is not None else None
        with st.spinner("Reading the documents…"):
            drafts.clear()  # one review at a time
            # in a worker process, memory and time capped, as a catalogue file is read
            drafts[digest] = run_document_import(files, base)
    draft = drafts[digest].copy()  # corrections are applied afresh on every run
    problems = draft.problems
    errors = [p for p in problems if p.is_error]
    if errors and not draft.roles:
        st.error(f"No role could be drafted: {len(errors)} error(s). Fix the files listed "
                 "below and upload them again.", icon=":material/error:")
    elif errors:
        st.warning(f"{len(errors)} file(s) could not be read (listed below); the other "
                   "documents are drafted.", icon=":material/warning:")
    if draft.roles:
        st.success(f"{len(draft.documents)} document(s) read: {len(draft.roles)} role(s) "
                   f"drafted. Review them below; nothing is kept until you explore or download "
                   "them.", icon=":material/check_circle:")
    st.header(f"Problems ({len(problems)})")
    if problems:
        show_table(problems_frame(problems), "document-problems", "document-problems")
    else:
        st.caption("None found.")
    if not draft.roles:
        return
    taxonomy = draft.taxonomy
    reviewed = list(draft.roles)[:MAX_REVIEWED]
    left_out = [rid for rid in reviewed if st.session_state.get(f"drop-{rid}")]
    for rid in left_out:  # before any role is drawn: nobody may report to a role left out
        draft.drop_role(rid)
    titles = {**draft.base_roles, **{rid: d["title"] for rid, d in draft.roles.items()}}
    st.header(f"Drafted roles ({len(draft.roles)})")
    if left_out:
        st.caption(f"{len(left_out)} drafted role(s) left out: they are not downloaded, "
                   "explored or saved. Untick *Leave this role out* to bring one back.")
    overview = st.empty()  # the roles as corrected below, drawn once the review has run
    if len(reviewed) < len(draft.roles) + len(left_out):
        st.caption(f"The first {MAX_REVIEWED} roles open for review below; the downloads and "
                   "the exploration hold all of them.")
    for rid in reviewed:
        if rid in left_out:
            with st.expander(f"Left out: {escape_markdown(rid)}"):
                st.checkbox("Leave this role out", key=f"drop-{rid}")
            continue
        with st.expander(f"{escape_markdown(draft.roles[rid]['title'])} "
                         f"({escape_markdown(rid)})"):
            review_role(draft, rid, titles)
    with overview.container():
        show_table(roles_frame(draft), "drafted-roles", "drafted-roles")
    if not draft.roles:
        st.info("Every drafted role is left out: there is nothing to keep. Untick *Leave this "
                "role out* on a role to bring it back.", icon=":material/info:")
        return
    unrecognised = unrecognised_frame(draft)
    st.header(f"Not recognised ({len(unrecognised)})")
    st.caption("Text of the documents that became no field: read it for anything to add by "
               "hand. Teasers, navigation and hiring-process text are left out altogether.")
    show_table(unrecognised, "documents-unrecognised", "unrecognised")
    st.header("Keep the draft")
    st.download_button("Download the drafted roles as a catalogue ZIP", draft_zip(draft),
                       file_name="drafted-roles.zip", mime="application/zip",
                       key="download-draft", icon=":material/download:")
    save_document_drafts(draft, digest)
    if st.button("Explore the drafted roles with the catalogue for this session",
                 key="explore-documents", type="primary", icon=":material/explore:"):
        catalogue = current_catalogue()
        folder = new_import_folder()
        prune_import_folders(keep=[folder])
        base_documents = role_documents(catalogue.tables) if not catalogue.roles.empty else None
        write_draft(draft, folder, force=True, base_documents=base_documents)
        st.session_state[IMPORTED_KEY] = str(folder)
        st.session_state[IMPORTED_KEY + "_name"] = f"{len(draft.roles)} drafted role(s)"
        st.switch_page("pages/overview.py")


# The review's category column, per list: its header and where its choices come from.
CATEGORY_CHOICES = {"responsibilities": ("Category", "duty_categories"),
                    "requirements": ("Kind", "requirement_kinds"),
                    "qualities": ("Kind", "quality_kinds"),
                    "rights": ("Area", "decision_right_areas")}


def review_role(draft, rid: str, titles: dict) -> None:
    """One drafted role's review: every field with its source, each correctable."""
    taxonomy = draft.taxonomy
    doc = draft.roles[rid]
    st.checkbox("Leave this role out", key=f"drop-{rid}",
                help="Drop this drafted role from the import: it is not downloaded, explored "
                     "or saved.")
    show_table(fields_frame(draft, rid), f"{rid}-fields", f"fields-{rid}")
    title = st.text_input("Title", doc["title"], key=f"title-{rid}", max_chars=200)
    cols = st.columns(2)
    departments = list(taxonomy["departments"])
    department = cols[0].selectbox("Department", departments,
                                   index=departments.index(doc["department"]),
                                   format_func=lambda d: taxonomy["departments"][d],
                                   key=f"department-{rid}")
    ladder = [g["id"] for g in taxonomy["grades"]]
    names = {g["id"]: g["name"] for g in taxonomy["grades"]}
    grade = cols[1].selectbox("Grade", ladder, index=ladder.index(doc["grade"]),
                              format_func=names.get, key=f"grade-{rid}")
    # "" stands for no manager: a widget whose value is None reads as nothing chosen
    managers = ["" if r is None else r for r in manager_choices(draft, rid)]
    ambiguous = set(draft.candidates.get(rid, []))
    current = doc["reports_to"] if doc["reports_to"] in managers else ""
    reports_to = st.selectbox(
        "Reports to", managers, index=managers.index(current),
        format_func=lambda r: "(none)" if r == "" else
        f"{titles[r]} ({r})" + (" · matches the document" if r in ambiguous else ""),
        key=f"reports-{rid}",
        help="The roles the document's manager matched come first when it matched several.")
    reports_to = reports_to or None
    summary = st.text_area("Summary", doc["summary"], key=f"summary-{rid}", max_chars=4000)
    edited = {}
    for field, label in REVIEWED_FIELDS.items():
        frame = items_frame(draft, rid, field)
        addable = field in ADDABLE
        if frame.empty and not addable:
            continue  # nothing to correct, and nothing the review can add
        st.subheader(f"{label} ({len(frame)})")
        config = {"item": None,  # matches an edited row to its item; not shown
                  "keep": st.column_config.CheckboxColumn("Keep", default=True),
                  "text": st.column_config.TextColumn("Text", max_chars=2000),
                  "confidence": st.column_config.NumberColumn("Confidence", format="%.2f"),
                  "where": st.column_config.TextColumn("Where"),
                  "source_text": st.column_config.TextColumn("Source text")}
        if field in CATEGORY_CHOICES:
            header, vocabulary = CATEGORY_CHOICES[field]
            config["category"] = st.column_config.SelectboxColumn(
                header, options=list(taxonomy[vocabulary]))
        elif field == "interactions":
            config["category"] = st.column_config.TextColumn(
                "With", help="a role id, or external: and the party (external: customers)")
        else:
            config["category"] = None
        edited[field] = st.data_editor(
            frame, key=f"items-{field}-{rid}", hide_index=True, column_config=config,
            disabled=["confidence", "where", "source_text"],
            num_rows="dynamic" if addable else "delete", width="stretch")
        if not addable and not frame.empty:
            st.caption("Add a decision right on the Edit page once the role is saved: it "
                       "needs a scope as well as an area.")
    correct(draft, rid, title=title, department=department, grade=grade,
            reports_to=reports_to, summary=summary, items=edited)
    st.download_button("Download this role (YAML)", role_yaml(draft, rid),
                       file_name=f"{rid}.yaml", mime="application/x-yaml",
                       key=f"download-role-{rid}", icon=":material/download:")


def added_names(values: dict) -> list[str]:
    """The names of added taxonomy values (a grade is a mapping with its name)."""
    return [str(v.get("name", k)) if isinstance(v, dict) else str(v) for k, v in values.items()]


def save_document_drafts(draft, digest: str) -> None:
    """Offer to keep the drafted roles (as corrected) as drafts in the workspace, with the
    vocabulary they need added to its taxonomy."""
    live = current_workspace()
    access = current_access()
    if live is None or live.workspace is None or access is None \
            or st.session_state.get(IMPORTED_KEY):
        return  # a read-only folder, or this session shows an upload: nothing to save into
    saved = st.session_state.setdefault("documents_drafted", {})
    if digest in saved:
        st.success(saved[digest], icon=":material/check_circle:")
        return
    if not st.button(f"Save the {len(draft.roles)} drafted roles as drafts in the workspace",
                     key="save-document-drafts", icon=":material/inventory:"):
        return
    catalogue = current_catalogue()
    base_documents = role_documents(catalogue.tables) if not catalogue.roles.empty else None
    try:
        stored, added = import_document_drafts(access, draft, base_documents,
                                               f"{len(draft.documents)} document(s)")
    except WorkspaceError as failed:
        st.error(escape_markdown(str(failed)), icon=":material/error:")
        return
    message = (f"Saved {len(stored)} drafts in the workspace. Submit them for review and "
               "approve them on the Review page; they stay there until then.")
    if added:
        names = "; ".join(f"{key.replace('_', ' ')}: {', '.join(added_names(values))}"
                          for key, values in added.items())
        message += f" The taxonomy gained what the drafts name and it lacked ({names})."
    saved[digest] = escape_markdown(message)
    st.rerun()


st.title("Import")
st.caption(f"Upload a CSV bundle as one ZIP (the files the Export page and `python -m jdcore "
           f"export` write) or an Excel workbook with one sheet per table (up to "
           f"{MAX_UPLOAD_MB} MB, {DEFAULT_LIMITS.roles:,} roles and "
           f"{DEFAULT_LIMITS.duties:,} duties). You see the tables and every problem first; "
           "then you can explore the import in the dashboard for this session, or save its "
           "roles as drafts in the workspace, to review and approve on the Review page. Nothing "
           "changes the catalogue until a draft is approved.")

if st.session_state.get(IMPORTED_KEY):
    name = escape_markdown_name(st.session_state.get(IMPORTED_KEY + "_name", "an upload"))
    st.info(f"This session shows the imported catalogue {name}.", icon=":material/upload:")
    if st.button("Back to the embedded catalogue", key="back", icon=":material/undo:"):
        leave_imported_catalogue()
        st.rerun()

KINDS = {"catalogue": "A catalogue file (CSV bundle or workbook)",
         "documents": "Job descriptions as documents (Word, PDF, Markdown, HTML, text)"}
kind = st.radio("What to import", list(KINDS), format_func=KINDS.get, key="import_kind",
                horizontal=True)
if kind == "documents":
    review_documents()
    st.stop()

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
    with st.spinner(f"Reading {escape_markdown_name(upload.name)}…"):  # text, not Markdown
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

live = current_workspace()
access = current_access()
if result.ok and live is not None and live.workspace is not None and access is not None:
    drafted = st.session_state.setdefault("import_drafted", {})
    count = len(result.tables["roles"])
    if digest in drafted:
        st.success(drafted[digest], icon=":material/check_circle:")
    elif st.button(f"Save the {count} roles as drafts in the workspace", key="drafts",
                   icon=":material/inventory:"):
        try:
            stored = import_drafts(access, draft_documents(result.tables), upload.name)
        except WorkspaceError as failed:
            st.error(escape_markdown(str(failed)), icon=":material/error:")
        else:
            drafted[digest] = (f"Saved {len(stored)} drafts in the workspace. Submit them for "
                               "review and approve them on the Review page; they stay there "
                               "until then, across reloads and restarts.")
            st.rerun()

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
