"""AppTest runs of the Import page, and the Export page's Excel and Word downloads."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from jdcore.formats.bundle import bundle_zip
from jdcore.formats.upload import MAX_UPLOAD_MB
from jdcore.formats.xlsx import workbook_bytes
from apptest_tables import table
from jdcore.model.text import escape_markdown, escape_markdown_name

DATA = Path(__file__).resolve().parent.parent / "data"


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def upload(at, name: str, data: bytes, mime: str = "application/zip"):
    at.file_uploader(key="upload").set_value((name, data, mime))
    at.run()
    return at



def test_page_states_the_size_cap_before_any_upload(run_page):
    at = run_page("import")
    assert not at.exception
    assert f"up to {MAX_UPLOAD_MB} MB" in at.caption[0].value
    assert len(at.file_uploader) == 1


def test_valid_bundle_preview_problems_and_explore(run_page, catalogue):
    before = snapshot(DATA)
    at = upload(run_page("import"), "bundle.zip", bundle_zip(catalogue))
    assert not at.exception
    assert at.success[0].value.startswith(
        f"{escape_markdown('bundle.zip')} is a valid catalogue: 24 roles")
    preview = table(at, "preview-duties")
    assert list(preview.columns) == list(catalogue.duties.columns)
    assert list(preview["text"]) == list(catalogue.duties["text"].head(200))
    problems = table(at, "problems")
    assert list(problems["message"]) == [p.message for p in catalogue.problems]
    at.button(key="explore").click().run()
    assert not at.exception
    imported = Path(at.session_state["imported_catalogue"])
    assert imported.is_dir() and DATA not in imported.parents and imported != DATA
    assert sorted(p.stem for p in (imported / "roles").glob("*.yaml")) == \
        sorted(catalogue.roles["role_id"])
    assert snapshot(DATA) == before


def test_workbook_with_a_formula_lists_the_problem_and_offers_no_explore(run_page, catalogue):
    import io

    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(workbook_bytes(catalogue.tables)))
    book["duties"]["F2"] = "=1+1"
    buffer = io.BytesIO()
    book.save(buffer)
    at = upload(run_page("import"), "book.xlsx", buffer.getvalue(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert not at.exception
    assert at.error[0].value.startswith(
        f"{escape_markdown('book.xlsx')} cannot be imported: 1 error(s)")
    problems = table(at, "problems")
    assert list(problems["message"]) == ["cell F2 holds a formula (=1+1); formulas are not "
                                         "imported, replace it with its value"]
    assert list(problems["file"]) == ["book.xlsx sheet duties"]
    assert not [b for b in at.button if b.key == "explore"]


def test_not_a_zip_is_an_error_not_a_traceback(run_page):
    at = upload(run_page("import"), "bundle.zip", b"hello")
    assert not at.exception
    assert list(table(at, "problems")["message"]) == [
        "not a ZIP file; upload the ZIP of CSV files the Export page downloads"]


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_hostile_workbook_is_refused_with_one_clear_problem(run_page, catalogue):
    from hostile_uploads import xfd_dimension_workbook

    at = upload(run_page("import"), "xfd.xlsx",
                xfd_dimension_workbook(workbook_bytes(catalogue.tables)), XLSX_MIME)
    assert not at.exception
    assert at.error[0].value.startswith(
        f"{escape_markdown('xfd.xlsx')} cannot be imported: 1 error(s)")
    assert list(table(at, "problems")["message"]) == [
        "cell A1048576 holds a value in row 1,048,576; a sheet holds at most 500,000 rows "
        "below its header: delete the rows below the table"]
    assert at.session_state["import_run"]["folder"] is None  # nothing written, nothing kept
    assert not [b for b in at.button if b.key == "explore"]


def test_role_ids_that_cannot_be_file_names_are_problems_naming_the_row(run_page, catalogue):
    tables = {name: frame.copy() for name, frame in catalogue.tables.items()}
    tables["roles"].loc[0, "role_id"] = "a/b"
    tables["roles"].loc[1, "role_id"] = ".."
    tables["roles"].loc[2, "role_id"] = "x" * 300
    changed = type(catalogue)(catalogue.path, catalogue.taxonomy, tables)
    at = upload(run_page("import"), "ids.zip", bundle_zip(changed))
    assert not at.exception
    problems = table(at, "problems")
    refused = problems[problems["field"] == "role_id"].head(3)
    assert list(refused["line"]) == [2, 3, 4]
    assert [m.split(" cannot be used as a file name")[0] for m in refused["message"]] == [
        "'a/b'", "'..'", f"'{'x' * 39}\u2026'"]
    assert at.session_state["import_run"]["folder"] is None


@pytest.mark.parametrize("sizes", [dict(file_size=10), dict(compress_size=10),
                                   dict(compress_size=50, local=True)],
                         ids=["size", "compressed", "local-header"])
def test_a_zip_whose_directory_lies_about_sizes_is_an_error_not_a_traceback(run_page, catalogue,
                                                                           sizes):
    from hostile_uploads import lying_zip

    at = upload(run_page("import"), "lying.zip", lying_zip(bundle_zip(catalogue), "duties.csv",
                                                           **sizes))
    assert not at.exception
    assert at.error[0].value.startswith(
        f"{escape_markdown('lying.zip')} cannot be imported: 1 error(s)")
    assert list(table(at, "problems")["message"])[0].endswith(
        "; the ZIP is damaged: create it again")


def test_an_upload_is_imported_once_not_on_every_rerun(run_page, catalogue, monkeypatch):
    from jdcore.formats import importworker

    calls = []
    real = importworker.run_import
    monkeypatch.setattr(importworker, "run_import",
                        lambda *args, **kwargs: calls.append(args[0]) or real(*args, **kwargs))
    at = upload(run_page("import"), "bundle.zip", bundle_zip(catalogue))
    at.run()
    at.run()
    assert not at.exception
    assert at.success[0].value.startswith(
        f"{escape_markdown('bundle.zip')} is a valid catalogue: 24 roles")
    assert calls == ["bundle.zip"]


def test_explored_import_wins_over_data_and_back_button_returns(run_page, catalogue):
    tables = {name: frame.copy() for name, frame in catalogue.tables.items()}
    tables["roles"].loc[tables["roles"]["role_id"] == "head-of-sales", "title"] = "Imported head"
    changed = type(catalogue)(catalogue.path, catalogue.taxonomy, tables)
    at = upload(run_page("import"), "bundle.zip", bundle_zip(changed))
    at.button(key="explore").click().run()
    assert not at.exception
    at.switch_page("pages/export.py").run()
    assert "Imported head" in at.selectbox(key="role").options  # every page reads the import
    at.switch_page("pages/import.py").run()
    at.button(key="back").click().run()
    assert "imported_catalogue" not in at.session_state
    at.switch_page("pages/export.py").run()
    assert "Imported head" not in at.selectbox(key="role").options
    assert "Head of Sales Department" in at.selectbox(key="role").options


def test_sidebar_says_which_catalogue_and_leads_back(tmp_path):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"),
                           default_timeout=60)
    at.session_state["imported_catalogue"] = str(Path(__file__).parent / "fixtures" / "hand")
    at.session_state["imported_catalogue_name"] = "hand.zip"
    # the default page: a switch_page run in a later AppTest of the process skips app.py
    at.run()
    assert [i.value for i in at.sidebar.info] == [
        "This session shows the imported catalogue hand\\.zip."]
    assert [b.key for b in at.sidebar.button] == ["leave-import"]


def test_export_page_offers_xlsx_and_docx(run_page):
    at = run_page("export")
    assert not at.exception
    keys = {b.key for b in at.download_button}
    assert {"download-xlsx", "download-docx", "download-docx-zip"} <= keys


# --- job descriptions as documents (issue 10) ------------------------------------------------

def upload_documents(at, files: list[tuple[str, bytes]]):
    at.radio(key="import_kind").set_value("documents").run()
    at.file_uploader(key="documents").set_value([(n, d, "text/plain") for n, d in files])
    at.run()
    return at


def test_documents_are_drafted_reviewed_corrected_and_explored(run_page):
    from document_fixtures import FAMILY_MD, MANAGER_MD

    seed = Path("/work/shared/seed/000_e0e69ebdad818eab.txt")
    if not seed.is_file():
        seed = Path(__file__).resolve().parents[2] / "shared" / "seed" / seed.name
    before = snapshot(DATA)
    at = upload_documents(run_page("import"), [("seed.txt", seed.read_bytes()),
                                               ("family.md", FAMILY_MD.encode()),
                                               ("manager.md", MANAGER_MD.encode())])
    assert not at.exception
    assert at.success[0].value.startswith("3 document(s) read: 5 role(s) drafted")
    fields = table(at, "fields-head-of-sales-department")
    assert fields.set_index("field").loc["title", "drafted"] == "Head of Sales Department"
    assert fields.set_index("field").loc["title", "where"] == "seed.txt, line 2"
    # the seed's sales role is in the catalogue already: the draft resolves against it
    at.selectbox(key="reports-head-of-sales-department").set_value("general-director").run()
    at.text_input(key="title-head-of-sales-department").set_value("Head of Sales (imported)")
    at.run()
    assert not at.exception
    at.button(key="explore-documents").click().run()
    assert not at.exception
    imported = Path(at.session_state["imported_catalogue"])
    names = {p.stem for p in (imported / "roles").glob("*.yaml")}
    assert {"head-of-sales", "head-of-sales-department", "senior-backend-engineer"} <= names
    text = (imported / "roles" / "head-of-sales-department.yaml").read_text(encoding="utf-8")
    assert "title: Head of Sales (imported)" in text and "reports_to: general-director" in text
    assert snapshot(DATA) == before


def test_a_bad_document_is_a_message_not_a_traceback(run_page):
    at = upload_documents(run_page("import"), [("scan.pdf", b"%PDF-1.4 broken")])
    assert not at.exception
    assert at.error[0].value.startswith("No role could be drafted: 1 error(s)")
    problems = table(at, "document-problems")
    assert list(problems["file"]) == ["scan.pdf"]


def test_drafted_roles_are_listed_with_their_source(run_page):
    from document_fixtures import FAMILY_MD

    at = upload_documents(run_page("import"), [("family.md", FAMILY_MD.encode())])
    assert not at.exception
    roles = table(at, "drafted-roles")
    assert list(roles["title"]) == ["Intermediate Backend Engineer", "Senior Backend Engineer",
                                    "Staff Backend Engineer"]
    assert set(roles["document"]) == {"family.md"}
    unrecognised = table(at, "unrecognised")
    assert "Deep knowledge of PostgreSQL" in set(unrecognised["text"])
    assert {b.key for b in at.download_button} >= {
        "download-draft", "download-role-senior-backend-engineer"}


def test_drafted_roles_are_saved_as_drafts_with_the_vocabulary_they_need(run_page, tmp_path,
                                                                          monkeypatch):
    """The drafted roles (as corrected) become workspace drafts; the departments and business
    area they name that the taxonomy lacks are added to it in the same transaction; the
    approved catalogue is unchanged until they are approved, and then loads without error."""
    from document_fixtures import FAMILY_MD

    from jdcore.store import Workspace, load_snapshot

    url = f"sqlite:///{tmp_path / 'drafts.sqlite'}"
    monkeypatch.setenv("JDCORE_WORKSPACE", url)
    at = upload_documents(run_page("import"), [("family.md", FAMILY_MD.encode())])
    assert not at.exception
    at.text_input(key="title-staff-backend-engineer").set_value("Staff Engineer (imported)")
    # the workspace allows one role without a manager per business area: the review sets
    # the family's lines, as a user does before approval
    at.selectbox(key="reports-intermediate-backend-engineer").set_value("senior-backend-engineer")
    at.selectbox(key="reports-senior-backend-engineer").set_value("staff-backend-engineer")
    at.run()
    workspace = Workspace.open(url)
    before = load_snapshot(workspace)
    taxonomy_before = workspace.current_taxonomy()
    at.button(key="save-document-drafts").click().run()
    assert not at.exception
    assert at.success[-1].value.startswith(escape_markdown("Saved 3 drafts in the workspace."))
    assert escape_markdown("The taxonomy gained what the drafts name and it lacked (") in (
        at.success[-1].value)
    pending = {v.role_id: v for v in workspace.pending()}
    assert set(pending) == {"intermediate-backend-engineer", "senior-backend-engineer",
                            "staff-backend-engineer"}
    assert "title: Staff Engineer (imported)" in pending["staff-backend-engineer"].document
    assert all(v.note == "imported from 1 document(s)" for v in pending.values())
    taxonomy_after = workspace.current_taxonomy()
    assert taxonomy_after.version == taxonomy_before.version + 1
    import yaml
    old, new = yaml.safe_load(taxonomy_before.document), yaml.safe_load(taxonomy_after.document)
    department = yaml.safe_load(pending["senior-backend-engineer"].document)["department"]
    assert department not in old["departments"] and department in new["departments"]
    assert new.get("reporting") == old.get("reporting") and new["frequencies"] == old["frequencies"]
    # drafts do not change the approved catalogue
    assert set(load_snapshot(workspace).catalogue.roles["role_id"]) == set(
        before.catalogue.roles["role_id"])
    workspace.approve_all()
    approved = load_snapshot(workspace).catalogue
    assert "staff-backend-engineer" in set(approved.roles["role_id"])
    assert not [p for p in approved.errors if "backend-engineer" in str(p)]
    # a second click does not store them twice: the page says they were saved
    at.run()
    assert at.success[-1].value.startswith("Saved 3 drafts")
    assert len(workspace.history("senior-backend-engineer")) == 2


def test_the_spinner_shows_the_file_name_as_text(run_page, catalogue, monkeypatch):
    import contextlib

    import streamlit

    shown = []
    real = streamlit.spinner

    def spinner(text="", *args, **kwargs):
        shown.append(text)
        return real(text, *args, **kwargs) if args or kwargs else contextlib.nullcontext()

    monkeypatch.setattr(streamlit, "spinner", spinner)
    name = "![x](http://example.invalid/x.png) *b*.zip"
    at = upload(run_page("import"), name, bundle_zip(catalogue))
    assert not at.exception
    assert shown == [f"Reading {escape_markdown_name(name)}…"]


def drafted(at):
    """The draft as the worker made it (before the review's corrections)."""
    (draft,) = at.session_state["document_drafts"].values()
    return draft


def test_every_correction_of_the_review_lands_in_the_stored_drafts(run_page, tmp_path,
                                                                    monkeypatch):
    import yaml

    from document_fixtures import FAMILY_MD

    from jdcore.store import Workspace

    url = f"sqlite:///{tmp_path / 'corrected.sqlite'}"
    monkeypatch.setenv("JDCORE_WORKSPACE", url)
    at = upload_documents(run_page("import"), [("family.md", FAMILY_MD.encode())])
    assert not at.exception
    rid = "senior-backend-engineer"
    original = drafted(at).roles[rid]
    duties = [d["text"] for d in original["responsibilities"]]
    assert len(duties) >= 3
    taxonomy = drafted(at).taxonomy
    grade = next(g["id"] for g in taxonomy["grades"] if g["id"] != original["grade"])
    department = next(d for d in taxonomy["departments"] if d != original["department"])
    category = next(c for c in taxonomy["duty_categories"]
                    if c != original["responsibilities"][1]["category"])
    at.text_input(key=f"title-{rid}").set_value("Senior Engineer (corrected)")
    at.selectbox(key=f"grade-{rid}").set_value(grade)
    at.selectbox(key=f"department-{rid}").set_value(department)
    at.selectbox(key=f"reports-{rid}").set_value("staff-backend-engineer")
    at.text_area(key=f"summary-{rid}").set_value("Leads the design of the backend services.")
    at.session_state[f"items-responsibilities-{rid}"] = {
        "edited_rows": {0: {"text": "Lead the design of features (reworded)"},
                        1: {"category": category}, 2: {"keep": False}},
        "added_rows": [{"text": "Review the designs of other teams", "keep": True}],
        "deleted_rows": []}
    at.session_state[f"items-requirements-{rid}"] = {
        "edited_rows": {}, "added_rows": [{"text": "A degree in computer science"}],
        "deleted_rows": [0]}
    at.session_state[f"items-accountabilities-{rid}"] = {
        "edited_rows": {}, "added_rows": [{"text": "Outages of the services they lead"}],
        "deleted_rows": []}
    at.checkbox(key="drop-intermediate-backend-engineer").check()
    at.run()
    assert not at.exception
    assert list(table(at, "drafted-roles")["role_id"]) == [rid, "staff-backend-engineer"]
    at.button(key="save-document-drafts").click().run()
    assert not at.exception
    assert at.success[-1].value.startswith(escape_markdown("Saved 2 drafts in the workspace."))
    workspace = Workspace.open(url)
    try:
        pending = {v.role_id: yaml.safe_load(v.document) for v in workspace.pending()}
    finally:
        workspace.close()
    assert set(pending) == {rid, "staff-backend-engineer"}  # the dropped role is not stored
    stored = pending[rid]
    assert (stored["title"], stored["grade"], stored["department"], stored["reports_to"],
            stored["summary"]) == ("Senior Engineer (corrected)", grade, department,
                                   "staff-backend-engineer",
                                   "Leads the design of the backend services.")
    texts = [d["text"] for d in stored["responsibilities"]]
    assert texts == ["Lead the design of features (reworded)", duties[1], *duties[3:],
                     "Review the designs of other teams"]
    assert stored["responsibilities"][1]["category"] == category
    added = stored["responsibilities"][-1]
    assert (added["frequency"], added["time_share"], added["essential"], added["source"]) == \
        (None, None, None, "imported")  # nothing invented
    requirements = [r["text"] for r in stored["requirements"]]
    assert requirements == [r["text"] for r in original["requirements"][1:]] + [
        "A degree in computer science"]
    assert stored["accountabilities"] == [{"text": "Outages of the services they lead",
                                           "source": "imported"}]


def test_the_review_offers_the_ambiguous_managers_first(run_page):
    east = b"# Regional Manager East\n\n## Duties\n\n- Run the east region\n- Hire staff\n"
    west = b"# Regional Manager West\n\n## Duties\n\n- Run the west region\n- Hire staff\n"
    clerk = (b"# Regional Clerk\n\nThe clerk reports to the Regional Manager.\n\n## Duties\n\n"
             b"- File the regional reports\n- Answer the phone\n- Order supplies\n")
    at = upload_documents(run_page("import"), [("east.md", east), ("west.md", west),
                                               ("clerk.md", clerk)])
    assert not at.exception
    box = at.selectbox(key="reports-regional-clerk")
    assert box.value == ""  # "(none)": ambiguous, so not chosen for the user
    assert box.options[:3] == [
        "(none)", "Regional Manager East (regional-manager-east) · matches the document",
        "Regional Manager West (regional-manager-west) · matches the document"]
    assert "matches the document" not in " ".join(box.options[3:])
    box.set_value("regional-manager-west").run()
    assert not at.exception
    assert table(at, "drafted-roles").set_index("role_id").loc[
        "regional-clerk", "reports_to"] == "regional-manager-west"
