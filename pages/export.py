"""Export: every catalogue table as CSV (one by one or as a ZIP), and printable job descriptions."""

import streamlit as st

from jdcore.formats.bundle import BUNDLE_FILE_NAME, bundle_contents, bundle_files, zip_bytes
from jdcore.formats.jobdoc import (DOCUMENTS_ZIP_NAME, document_file_name, documents_zip,
                                   job_description, to_html, to_markdown)
from jdcore.formats.wordfile import DOCX_MIME, DOCX_ZIP_NAME, documents_docx_zip, to_docx
from jdcore.formats.xlsx import WORKBOOK_FILE_NAME, XLSX_MIME, catalogue_workbook
from pages.common import current_catalogue, labels, per_catalogue, require_roles

CARDS_PER_ROW = 3
EAGER_ROLES = 200  # up to this many roles the files are built with the page; above, on click


def on_click_above(limit: int, count: int, build):
    """The file's bytes now for a small catalogue; a builder run on click for a large one."""
    return build() if count <= limit else build


current_documents_zip = per_catalogue("Writing every job description…")(documents_zip)
current_bundle_files = per_catalogue("Writing the CSV files…")(bundle_files)
current_workbook = per_catalogue("Writing the workbook…")(catalogue_workbook)
current_docx_zip = per_catalogue("Writing every Word document…")(documents_docx_zip)
current_bundle_contents = per_catalogue(False)(bundle_contents)


def _role_files(catalogue, role_id: str) -> tuple[str, bytes, bytes]:
    """A role's job description as Markdown text, printable HTML and Word bytes."""
    document = job_description(catalogue, role_id)
    return to_markdown(document), to_html(document).encode("utf-8"), to_docx(document)


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
st.download_button(
    f"Download all {len(files)} tables as one ZIP",
    on_click_above(EAGER_ROLES, len(catalogue.roles), lambda: zip_bytes(files)),
    file_name=BUNDLE_FILE_NAME,
    mime="application/zip", key="download-bundle", type="primary",
    icon=":material/folder_zip:", on_click="ignore")
st.download_button(
    f"Download all {len(files)} tables as one Excel workbook (.xlsx)",
    on_click_above(EAGER_ROLES, len(catalogue.roles),
                   lambda: current_workbook(catalogue)),
    file_name=WORKBOOK_FILE_NAME, mime=XLSX_MIME, key="download-xlsx",
    icon=":material/table_view:", on_click="ignore")
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
markdown, html, docx = current_role_files(catalogue, role_id)

buttons = st.columns([1, 1, 2])
buttons[0].download_button(
    "Markdown (.md)", markdown.encode("utf-8"), file_name=document_file_name(role_id, "md"),
    mime="text/markdown", key="download-md", icon=":material/description:", on_click="ignore",
    width="stretch")
buttons[1].download_button(
    "Printable HTML (.html)", html,
    file_name=document_file_name(role_id, "html"), mime="text/html", key="download-html",
    icon=":material/print:", on_click="ignore", width="stretch")
buttons[2].download_button(
    f"Every role's job description ({len(role_titles)} roles, ZIP)",
    on_click_above(EAGER_ROLES, len(catalogue.roles),
                   lambda: current_documents_zip(catalogue)),
    file_name=DOCUMENTS_ZIP_NAME, mime="application/zip", key="download-documents",
    icon=":material/folder_zip:", on_click="ignore")
docx_buttons = st.columns([1, 1, 2])
docx_buttons[0].download_button(
    "Word (.docx)", docx, file_name=document_file_name(role_id, "docx"),
    mime=DOCX_MIME, key="download-docx", icon=":material/article:", on_click="ignore",
    width="stretch")
docx_buttons[2].download_button(
    f"Every role's job description as Word ({len(role_titles)} roles, ZIP)",
    on_click_above(EAGER_ROLES, len(catalogue.roles),
                   lambda: current_docx_zip(catalogue)),
    file_name=DOCX_ZIP_NAME, mime="application/zip", key="download-docx-zip",
    icon=":material/folder_zip:", on_click="ignore")
st.caption("Open the HTML file in a browser and print it: it is laid out for A4 paper and "
           "needs no network. The ZIP holds every role's job description in both formats.")

with st.container(border=True, height=760):
    st.markdown(markdown)
