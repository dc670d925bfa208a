"""Export: every catalogue table as CSV (one by one or as a ZIP), and printable job descriptions."""

import time

import streamlit as st

from jdcore.formats.bundle import BUNDLE_FILE_NAME, bundle_contents, bundle_files, zip_bytes
from jdcore.formats.jobdoc import (DOCUMENTS_ZIP_NAME, PAPER_SIZES, Approval, DocumentOptions,
                                   document_file_name, documents_zip, job_description, to_html,
                                   to_markdown)
from jdcore.formats.wordfile import DOCX_MIME, DOCX_ZIP_NAME, documents_docx_zip, to_docx
from jdcore.formats.xlsx import WORKBOOK_FILE_NAME, XLSX_MIME, catalogue_workbook
from pages.common import (IMPORTED_KEY, background_job, pending_shown, current_catalogue, labels,
                          per_catalogue, require_roles)
from pages.workspace_state import current_workspace

CARDS_PER_ROW = 3
EAGER_ROLES = 200  # up to this many roles the files are built with the page; above, on request
PROGRESS_EVERY_S = 1.0


current_bundle_files = per_catalogue("Writing the CSV files…")(bundle_files)


EAGER_BUILDERS = {}  # kind -> the builder of a small catalogue's file (built once, cached)


def _eager_file(catalogue, kind: str, options: tuple) -> bytes:
    return EAGER_BUILDERS[kind](catalogue, *options)


current_eager_file = per_catalogue(False, max_entries=16)(_eager_file)  # not built per rerun


def bulk_download(catalogue, kind: str, label: str, build, *, file_name: str, mime: str,
                  icon: str, options=(), primary: bool = False) -> None:
    """A download of a whole-catalogue file. Small catalogues: the file is built with the page.
    Large ones: a button starts `build(catalogue, *options, progress=...)` in the background
    (pages.common.background_job), a progress bar follows it, and the download appears when
    it is done; the job goes on if the user leaves, and is found again on return."""
    key = f"download-{kind}"
    if len(catalogue.roles) <= EAGER_ROLES:
        EAGER_BUILDERS[kind] = build
        st.download_button(label, current_eager_file(catalogue, kind, options),
                           file_name=file_name, mime=mime,
                           key=key, icon=icon, on_click="ignore",
                           type="primary" if primary else "secondary")
        return
    job_key = (str(catalogue.path), catalogue.fingerprint, kind, options)

    def start():
        background_job(job_key, kind, lambda progress: build(catalogue, *options,
                                                             progress=progress), start=True)

    job = background_job(job_key, kind, None)
    running = job is not None and job.running

    @st.fragment(run_every=PROGRESS_EVERY_S if running else None)
    def follow():
        job = background_job(job_key, kind, None)
        if job is None:
            st.button(f"{label}: build it", key=f"start-{kind}", icon=":material/play_arrow:",
                      on_click=start, type="primary" if primary else "secondary",
                      help="Built in the background: you can leave the page meanwhile.")
        elif job.running:
            if not running:  # started from this fragment: draw the page again, polling
                st.rerun(scope="app")
            share = job.done / job.total if job.total else 0.0
            st.progress(share, text=f"{label}: {job.done:,} of {job.total:,} done "
                                    f"({time.monotonic() - job.started:.0f} s). You can leave "
                                    "this page; the file is kept for when you come back.")
        elif job.error:
            st.error(f"{label} failed: {job.error}", icon=":material/error:")
        else:
            if running:  # it finished while we watched: draw the page again without polling
                st.rerun(scope="app")
            st.download_button(f"{label} · ready ({len(job.result) / 1e6:.1f} MB, built in "
                               f"{job.finished - job.started:.0f} s)", job.result,
                               file_name=file_name, mime=mime, key=key, icon=icon,
                               on_click="ignore", type="primary" if primary else "secondary")

    follow()


current_bundle_contents = per_catalogue(False)(bundle_contents)


def _role_files(catalogue, role_id: str, paper: str, provenance: bool,
                version: str | None = None) -> tuple[str, bytes, bytes]:
    """A role's job description as Markdown text, printable HTML and Word bytes; `version`
    labels the header (the workspace's approved version)."""
    options = DocumentOptions(paper=paper, provenance=provenance)
    document = job_description(catalogue, role_id, version)
    return (to_markdown(document, options), to_html(document, options).encode("utf-8"),
            to_docx(document, options))


current_role_files = per_catalogue(False, max_entries=64)(_role_files)  # not built per rerun


catalogue = current_catalogue()
require_roles(catalogue)
st.title("Export")
st.caption("The catalogue as spreadsheet-safe CSV tables (UTF-8; text that a spreadsheet would "
           "run as a formula starts with an apostrophe), and any role's job description as a "
           "printable document.")

st.header("Catalogue tables")
files = current_bundle_files(catalogue)
contents = current_bundle_contents(catalogue)
st.download_button(  # the CSV files are built with the page (below): zipping them is quick
    f"Download all {len(files)} tables as one ZIP",
    zip_bytes(files) if len(catalogue.roles) <= EAGER_ROLES else lambda: zip_bytes(files),
    file_name=BUNDLE_FILE_NAME, mime="application/zip", key="download-bundle", type="primary",
    icon=":material/folder_zip:", on_click="ignore")
bulk_download(catalogue, "xlsx", f"Download all {len(files)} tables as one Excel workbook (.xlsx)",
              catalogue_workbook, file_name=WORKBOOK_FILE_NAME, mime=XLSX_MIME,
              icon=":material/table_view:")
st.caption("The same files `python -m jdcore export` writes: one CSV per table, keyed by "
           "`role_id`. The workbook holds one sheet per table (`export --xlsx`); both can be "
           "imported again on the Import page.")
for start in range(0, len(contents), CARDS_PER_ROW):
    for column, table in zip(st.columns(CARDS_PER_ROW),
                             contents.iloc[start:start + CARDS_PER_ROW].itertuples()):
        with column.container(border=True, height="stretch"):
            st.markdown(f"**{table.table}**")
            st.caption(f"{table.row} {table.columns} columns.")
            st.download_button(
                f"{table.file} · {table.rows} rows", files[table.file], file_name=table.file,
                mime="text/csv", key=f"download-{table.table}", icon=":material/download:",
                on_click="ignore")

st.header("Job description")
titles = labels(catalogue)
role_titles = {titles[r]: r for r in catalogue.roles.sort_values("title")["role_id"]}
chosen = st.selectbox("Role", list(role_titles), key="role", bind="query-params")
role_id = role_titles[chosen]
layout = st.columns([1, 2])
paper = layout[0].segmented_control("Paper", list(PAPER_SIZES), default="A4", key="paper",
                                    bind="query-params") or "A4"
provenance = layout[1].toggle("Mark where each item comes from (seed / illustrative)",
                              value=True, key="sources", bind="query-params")
options = DocumentOptions(paper=paper, provenance=provenance)


def approval_of(role_id: str) -> Approval | None:
    """The approved version this session shows of the role (None: a folder, an import, or
    the catalogue with pending changes applied)."""
    if st.session_state.get(IMPORTED_KEY) or pending_shown():
        return None
    live = current_workspace()
    version = live.snapshot.versions.get(role_id) if live and live.snapshot else None
    if version is None or version.approved_at is None:
        return None
    return Approval(version.version, version.approved_at.strftime("%Y-%m-%d"),
                    version.approver)


approval = approval_of(role_id)
markdown, html, docx = current_role_files(catalogue, role_id, paper, provenance,
                                          approval.label if approval else None)

buttons = st.columns([1, 1, 2])
buttons[0].download_button(
    "Markdown (.md)", markdown.encode("utf-8"), file_name=document_file_name(role_id, "md"),
    mime="text/markdown", key="download-md", icon=":material/description:", on_click="ignore",
    width="stretch")
buttons[1].download_button(
    "Printable HTML (.html)", html,
    file_name=document_file_name(role_id, "html"), mime="text/html", key="download-html",
    icon=":material/print:", on_click="ignore", width="stretch")
with buttons[2]:
    bulk_download(catalogue, "documents",
                  f"Every role's job description ({len(role_titles)} roles, ZIP)",
                  documents_zip, file_name=DOCUMENTS_ZIP_NAME, mime="application/zip",
                  icon=":material/folder_zip:", options=(options,))
docx_buttons = st.columns([1, 1, 2])
docx_buttons[0].download_button(
    "Word (.docx)", docx, file_name=document_file_name(role_id, "docx"),
    mime=DOCX_MIME, key="download-docx", icon=":material/article:", on_click="ignore",
    width="stretch")
with docx_buttons[2]:
    bulk_download(catalogue, "docx-zip",
                  f"Every role's job description as Word ({len(role_titles)} roles, ZIP)",
                  documents_docx_zip, file_name=DOCX_ZIP_NAME, mime="application/zip",
                  icon=":material/folder_zip:", options=(options,))
st.caption(f"Open the HTML file in a browser and print it: it is laid out for {paper} paper, "
           "with the role and version at the top of every page and page numbers at the "
           "bottom, and needs no network. The ZIP holds every role's job description in both "
           "formats.")

with st.container(border=True, height=760):
    st.markdown(markdown)
