"""AppTest runs of the Export page: CSV and ZIP downloads, and the job description of a role."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from hostile_catalogue import HOSTILE_TITLE, write_hostile_catalogue

from jdcore import TABLES
from jdcore.formats.bundle import bundle_zip
from jdcore.formats.csvio import csv_bytes
from jdcore.formats.jobdoc import job_description, to_html, to_markdown
from jdcore.model.text import escape_markdown

MARKETING = "Head of Marketing Department"


def preview(at) -> str:
    """The Markdown of the job-description preview (the page's last Markdown block)."""
    return at.markdown[-1].value


def test_every_table_has_a_csv_download_named_after_it_with_its_row_count(run_page, downloads,
                                                                          catalogue):
    at = run_page("export")
    assert not at.exception
    files = downloads(at)
    for table in TABLES:
        name, data = files[f"download-{table}"]
        assert name == f"{table}.csv"
        assert data == csv_bytes(catalogue.tables[table])
        assert at.download_button(key=f"download-{table}").label == \
            f"{table}.csv · {len(catalogue.tables[table])} rows"


def test_the_bundle_download_is_the_zip_of_every_table(run_page, downloads, catalogue):
    at = run_page("export")
    name, data = downloads(at)["download-bundle"]
    assert name == "role-catalogue-csv.zip"
    assert data == bundle_zip(catalogue)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.namelist() == [f"{t}.csv" for t in TABLES]


def test_role_from_query_params_is_previewed_and_downloaded(run_page, downloads, catalogue,
                                                           temporary_workspace):
    from jdcore.formats.jobdoc import Approval
    from jdcore.store import Workspace

    at = run_page("export", {"role": MARKETING})
    assert not at.exception
    assert at.selectbox(key="role").value == MARKETING
    workspace = Workspace.open(temporary_workspace)
    approved = workspace.latest("head-of-marketing")
    workspace.close()
    # the workspace's approved version, with its date and approver
    approval = Approval(approved.version, f"{approved.approved_at:%Y-%m-%d}", approved.approver)
    document = job_description(catalogue, "head-of-marketing", approval.label)
    assert document.version == f"{approved.version}, approved {approved.approved_at:%Y-%m-%d} " \
        f"by {approved.approver}"
    assert preview(at) == to_markdown(document).rstrip("\n")  # st.markdown drops the last newline
    files = downloads(at)
    assert files["download-md"] == ("head-of-marketing-job-description.md",
                                    to_markdown(document).encode("utf-8"))
    assert files["download-html"] == ("head-of-marketing-job-description.html",
                                      to_html(document).encode("utf-8"))


def test_every_roles_documents_download_is_a_zip_of_both_formats(run_page, downloads, catalogue):
    at = run_page("export")
    name, data = downloads(at)["download-documents"]
    assert name == "job-descriptions.zip"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
    assert len(names) == 2 * len(catalogue.roles)
    assert "head-of-marketing-job-description.html" in names


def test_choosing_another_role_previews_it_and_renames_the_downloads(run_page, downloads):
    at = run_page("export")
    at.selectbox(key="role").set_value(MARKETING).run()
    assert preview(at).startswith(f"# {escape_markdown(MARKETING)}\n")
    assert downloads(at)["download-md"][0] == "head-of-marketing-job-description.md"


def test_role_choices_are_every_role_title_in_alphabetical_order(run_page, catalogue):
    at = run_page("export")
    assert at.selectbox(key="role").options == sorted(catalogue.roles["title"])


def test_hostile_role_title_is_escaped_in_the_preview(run_page, tmp_path):
    folder = write_hostile_catalogue(tmp_path / "catalogue")
    at = run_page("export", {"role": HOSTILE_TITLE}, catalogue_dir=folder)
    assert not at.exception
    assert at.selectbox(key="role").value == HOSTILE_TITLE
    assert preview(at).startswith(f"# {escape_markdown(HOSTILE_TITLE)}\n")
    assert not any(re.search(r"(?<!\\)<script", block.value) for block in at.markdown)
