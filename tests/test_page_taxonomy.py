"""AppTest runs of the Taxonomy page, signed in (a permissions file) on a workspace of its
own: an administrator edits and saves, an editor reads only and is refused when the action
is forged, a save on top of a newer version is refused with who and when, a removal that
roles still use is refused, a rename updates the roles, and nothing stored changes on a
refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from apptest_tables import edit_table, has_table, table as table_of
from permission_fixtures import TEAM_PERMISSIONS, page, team_workspace, text
from jdcore.model.text import escape_markdown
from jdcore.store import Workspace
from jdcore.store.access import Access, PermissionDenied
from jdcore.store.permissions import User, parse_permissions

ROOT = Path(__file__).resolve().parent.parent
ADMIN, EDITOR = "admin@example.org", "ed@example.org"
PREFIX = "tx-1-0-"


@pytest.fixture
def workspace_file(tmp_path, monkeypatch) -> str:
    return team_workspace(tmp_path, monkeypatch, "taxonomy")


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def stored(url: str) -> tuple:
    ws = Workspace.open(url)
    try:
        return ws.revision(), [v.version for v in ws.taxonomy_history()], \
            ws.current_taxonomy().document
    finally:
        ws.close()


def departments_row(at: AppTest, ident: str) -> int:
    frame = at.dataframe(key=PREFIX + "departments").value
    return int(frame.index[frame["id"] == ident][0])


def test_an_administrator_edits_a_name_sees_the_difference_and_saves(workspace_file):
    at = page("taxonomy", ADMIN)
    departments = at.dataframe(key=PREFIX + "departments").value
    assert departments.set_index("id").loc["sales", "roles"] > 0
    assert departments.set_index("id").loc["sales", "business areas"] == "Trading company"
    edit_table(at, PREFIX + "departments",
               edited={departments_row(at, "hr"): {"name": "People and culture"}})
    assert not at.exception
    assert at.success[0].value == ("No problems: every role in the catalogue stays valid with "
                                   "this taxonomy.")
    assert table_of(at, "taxonomy-changes").to_dict("records") == [
        {"section": "departments: hr", "change": "name changed", "old": "Human resources",
         "new": "People and culture"}]
    at.text_input(key=PREFIX + "note").set_value("HR is People and culture now").run()
    button(at, "Save taxonomy").click().run()
    assert not at.exception
    assert at.success[0].value == escape_markdown("Saved the taxonomy as version 2.")
    ws = Workspace.open(workspace_file)
    current = ws.current_taxonomy()
    assert (current.version, current.author, current.note) == (
        2, ADMIN, "HR is People and culture now")
    assert "  hr: People and culture\n" in current.document
    assert "# Weight of one duty in the frequency-weighted duty load" in current.document
    ws.close()
    assert table_of(at, "taxonomy-history")[["version", "author"]].to_dict("records") == [
        {"version": 2, "author": ADMIN}, {"version": 1, "author": "local"}]
    assert table_of(at, "taxonomy-diff").to_dict("records") == [
        {"section": "departments: hr", "change": "name changed", "old": "Human resources",
         "new": "People and culture"}]
    # the catalogue pages show the new name
    catalogue = page("taxonomy", ADMIN)
    catalogue.switch_page("pages/catalogue.py").run()
    assert "People and culture" in set(table_of(catalogue, "roles")["department"])


def test_an_editor_reads_the_taxonomy_and_cannot_save_it_even_by_forging(workspace_file):
    at = page("taxonomy", EDITOR)
    assert at.info[0].value == ("You may read the taxonomy but not change it: changing it "
                                "takes an administrator.")
    assert not [b for b in at.button if b.label in ("Save taxonomy",
                                                    "Rename and update 1 role(s)")]
    assert set(table_of(at, "taxonomy-departments")["id"]) >= {"sales", "hr"}
    assert has_table(at, "taxonomy-history")
    before = stored(workspace_file)
    # the action itself, forged past the page: the server refuses it
    ws = Workspace.open(workspace_file)
    access = Access(ws, User(EDITOR), parse_permissions(TEAM_PERMISSIONS, "permissions.yaml"))
    with pytest.raises(PermissionDenied, match="ed@example.org may not change the taxonomy"):
        access.save_taxonomy(ws.current_taxonomy().document.replace(
            "hr: Human resources", "hr: People"), 1)
    ws.close()
    assert stored(workspace_file) == before


def test_a_save_is_refused_when_the_permission_went_while_the_page_was_open(workspace_file,
                                                                            tmp_path):
    at = page("taxonomy", ADMIN)
    edit_table(at, PREFIX + "departments",
               edited={departments_row(at, "hr"): {"name": "People"}})
    # the administrator is made an editor after the page drew its Save button
    permissions = tmp_path / "permissions.yaml"
    permissions.write_text(TEAM_PERMISSIONS.replace(
        "  - email: admin@example.org\n    role: admin",
        "  - email: admin@example.org\n    role: editor\n    departments: [sales]"),
        encoding="utf-8")
    before = stored(workspace_file)
    save = button(at, "Save taxonomy")
    assert not save.disabled
    save.click().run()
    assert not at.exception
    # the click reaches a server that no longer lets them: the page reads only
    assert at.info[0].value.startswith("You may read the taxonomy but not change it")
    assert not [b for b in at.button if b.label == "Save taxonomy"]
    assert stored(workspace_file) == before


def test_a_save_on_top_of_a_newer_version_is_refused_with_who_and_when(workspace_file):
    at = page("taxonomy", ADMIN)
    ws = Workspace.open(workspace_file)
    theirs = ws.save_taxonomy(ws.current_taxonomy().document.replace(
        "sales: Sales\n", "sales: Sales and dealers\n"), 1, author="bob@example.org")
    ws.close()
    edit_table(at, PREFIX + "departments",
               edited={departments_row(at, "hr"): {"name": "People"}})
    assert text(at.warning[0]).startswith("Version 2 was saved by bob@example.org at ")
    before = stored(workspace_file)
    button(at, "Save taxonomy").click().run()
    assert not at.exception
    assert at.error[0].value == escape_markdown(
        f"The taxonomy was saved by bob@example.org at {theirs.created_at:%H:%M} UTC (version "
        "2) while you were editing version 1; your changes were not saved. Review what "
        "changed, then re-apply your changes on top of version 2.")
    assert table_of(at, "taxonomy-conflict-theirs").to_dict("records") == [
        {"section": "departments: sales", "change": "name changed", "old": "Sales",
         "new": "Sales and dealers"}]
    assert table_of(at, "taxonomy-conflict-mine")["section"].tolist() == ["departments: hr"]
    assert stored(workspace_file) == before
    button(at, "Start again from version 2").click().run()
    assert not at.exception
    departments = at.dataframe(key="tx-2-1-departments").value.set_index("id")
    assert departments.loc["sales", "name"] == "Sales and dealers"


def test_removing_a_department_that_roles_use_is_refused_and_nothing_is_stored(workspace_file):
    at = page("taxonomy", ADMIN)
    before = stored(workspace_file)
    edit_table(at, PREFIX + "departments", deleted=[departments_row(at, "hr")])
    assert not at.exception
    problems = table_of(at, "taxonomy-problems")
    assert problems.iloc[0]["message"] == (
        "department 'hr' cannot be removed: 1 role(s) use it (hr-manager). Move those roles "
        "to another department first, or rename 'hr' (Rename a value), which updates them too")
    assert "roles/hr-manager.yaml (version 1)" in set(problems["file"])
    assert at.error[0].value.startswith("2 error(s) to fix before saving")
    assert button(at, "Save taxonomy").disabled
    assert stored(workspace_file) == before


def test_a_rename_updates_the_roles_that_use_the_value(workspace_file):
    at = page("taxonomy", ADMIN)
    at.selectbox(key="rename-vocabulary").set_value("departments").run()
    at.selectbox(key="rename-old").set_value("hr").run()
    at.text_input(key="rename-new").set_value("people").run()
    assert not at.exception
    button(at, "Rename and update 1 role(s)").click().run()
    assert not at.exception
    assert at.success[0].value == escape_markdown(
        "Renamed 'hr' to 'people': taxonomy version 2, 1 role(s) updated.")
    ws = Workspace.open(workspace_file)
    assert "  people: Human resources\n" in ws.current_taxonomy().document
    latest = ws.latest("hr-manager")
    assert (latest.version, latest.status, latest.author) == (2, "approved", ADMIN)
    assert "department: people\n" in latest.document
    ws.close()
    departments = at.dataframe(key="tx-2-1-departments").value.set_index("id")
    assert departments.loc["people", "roles"] == 1


def test_a_folder_opened_alone_shows_its_taxonomy_read_only(monkeypatch):
    monkeypatch.delenv("JDCORE_WORKSPACE", raising=False)
    monkeypatch.setenv("JDCORE_CATALOGUE", str(ROOT / "data"))
    at = page("taxonomy")
    assert at.info[0].value.startswith("This catalogue is a folder opened read-only")
    grades = table_of(at, "taxonomy-grades")
    assert grades[["id", "level"]].values.tolist()[0] == ["board", 1]
    assert not [b for b in at.button if b.label == "Save taxonomy"]
