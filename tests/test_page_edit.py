"""AppTest runs of the Edit page, each on a workspace of its own (an SQLite file seeded from
data/ on the first run), and the Catalogue page's Edit button."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from apptest_tables import table as table_of
from jdcore.model.text import escape_markdown
from jdcore.store import Workspace, load_snapshot

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "e-head-of-sales-1-0-"


def edit_page(role: str = "Head of Sales Department") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["role"] = role
    at.switch_page("pages/edit.py")
    at.run()
    assert not at.exception, at.exception
    return at


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_an_edit_is_saved_as_a_new_version_and_every_page_shows_it(workspace_file):
    at = edit_page()
    assert at.success[0].value == "No problems: the catalogue stays valid with this edit."
    assert button(at, "Save").disabled  # nothing changed yet
    at.text_input(key=PREFIX + "title").set_value("Head of Sales and Dealers").run()
    changes = table_of(at, "edit-changes")
    assert changes.to_dict("records") == [{"section": "title", "change": "changed",
                                           "old": "Head of Sales Department",
                                           "new": "Head of Sales and Dealers"}]
    at.text_input(key=PREFIX + "note").set_value("dealers too")
    button(at, "Save").click().run()
    assert not at.exception
    assert at.success[0].value == escape_markdown("Saved head-of-sales as version 2 (approved).")
    ws = Workspace.open(workspace_file)
    latest = ws.latest("head-of-sales")
    assert (latest.version, latest.note, latest.author) == (2, "dealers too", "local")
    assert "title: Head of Sales and Dealers\n" in latest.document
    assert "title: Head of Sales Department\n" in ws.version("head-of-sales", 1).document
    ws.close()
    catalogue = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    catalogue.switch_page("pages/catalogue.py")
    catalogue.run()
    assert "Head of Sales and Dealers" in set(table_of(catalogue, "roles")["title"])


def test_an_invalid_edit_says_what_to_fix_and_cannot_be_saved(workspace_file):
    at = edit_page()
    # the middle sales manager reports to the head of sales: a cycle
    at.selectbox(key=PREFIX + "reports_to").set_value("middle-sales-manager").run()
    table = table_of(at, "edit-problems")
    errors = table[table["severity"] == "error"]
    assert at.error[0].value == (f"{len(errors)} error(s) to fix before saving: each row says "
                                 "what is wrong and how to fix it.")
    cycle = errors[errors["message"].str.startswith("reporting lines form a cycle")]
    assert cycle[["file", "field", "message"]].to_dict("records") == [{
        "file": "roles/head-of-sales.yaml (your edit)", "field": "reports_to",
        "message": "reporting lines form a cycle: head-of-sales -> middle-sales-manager -> "
                   "head-of-sales; change one reports_to to break it"}]
    assert button(at, "Save").disabled
    ws = Workspace.open(workspace_file)
    assert [v.version for v in ws.history("head-of-sales")] == [1]
    ws.close()


def test_a_save_on_top_of_a_newer_version_is_refused_and_can_be_reapplied(workspace_file):
    at = edit_page()
    ws = Workspace.open(workspace_file)
    base = ws.latest("head-of-sales")
    theirs = ws.save_role("head-of-sales", base.document.replace(
        "headcount: 1\n", "headcount: 2\n"), 1, author="bob")
    at.text_input(key=PREFIX + "title").set_value("Mine").run()
    assert "was saved by bob" in at.warning[0].value
    button(at, "Save").click().run()
    assert not at.exception
    message = at.error[0].value
    assert message == escape_markdown(
        f"'head-of-sales' was saved by bob at {theirs.created_at:%H:%M} UTC (version 2) while "
        "you were editing version 1; your changes were not saved. Review what changed, then "
        "re-apply your changes on top of version 2.")
    assert table_of(at, "conflict-theirs").to_dict("records") == [
        {"section": "headcount", "change": "changed", "old": "1", "new": "2"}]
    assert table_of(at, "conflict-mine")["section"].tolist() == ["title"]
    assert [v.version for v in ws.history("head-of-sales")] == [1, 2]
    button(at, "Re-apply my changes on top of version 2").click().run()
    assert at.text_input(key="e-head-of-sales-2-1-title").value == "Mine"
    button(at, "Save").click().run()
    latest = ws.latest("head-of-sales")
    assert (latest.version, latest.base_version) == (3, 2)
    assert "title: Mine\n" in latest.document and "headcount: 2\n" in latest.document
    ws.close()


def test_history_shows_every_version_and_the_difference(workspace_file):
    at = edit_page()
    at.text_input(key=PREFIX + "title").set_value("Renamed").run()
    button(at, "Save").click().run()
    history = table_of(at, "history")
    assert history[["version", "status", "author"]].to_dict("records") == [
        {"version": 2, "status": "approved", "author": "local"},
        {"version": 1, "status": "approved", "author": "local"}]
    assert table_of(at, "diff").to_dict("records") == [
        {"section": "title", "change": "changed", "old": "Head of Sales Department",
         "new": "Renamed"}]
    button(at, "Restore version 1 as a new version").click().run()
    ws = Workspace.open(workspace_file)
    assert ws.latest("head-of-sales").note == "restored version 1"
    assert ws.latest("head-of-sales").document == ws.version("head-of-sales", 1).document
    ws.close()


def test_a_folder_opened_alone_is_read_only(monkeypatch):
    monkeypatch.delenv("JDCORE_WORKSPACE", raising=False)
    monkeypatch.setenv("JDCORE_CATALOGUE", str(ROOT / "data"))
    at = edit_page()
    assert at.info[0].value.startswith("This catalogue is a folder opened read-only.")
    assert not [b for b in at.button if b.label == "Save"]


def test_a_workspace_that_cannot_be_reached_shows_the_folder_and_says_why(tmp_path,
                                                                         monkeypatch, catalogue):
    monkeypatch.setenv("JDCORE_WORKSPACE", f"postgresql://nobody@/none?host={tmp_path}")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.sidebar.error[0].value.startswith("The workspace cannot be opened: cannot reach "
                                                "the workspace database")
    assert {m.label: m.value for m in at.metric}["Roles"] == str(len(catalogue.roles))


def test_the_catalogue_profile_has_an_edit_button_that_opens_the_role(workspace_file):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["role"] = "Head of Sales Department"
    at.switch_page("pages/catalogue.py")
    at.run()
    [link] = at.get("page_link")
    assert (link.proto.label, link.proto.page) == ("Edit", "edit")
    assert link.proto.query_string == "role=Head+of+Sales+Department"
    # the link's query opens that role on the Edit page
    assert edit_page("Head of Sales Department").selectbox(key="role").value == "head-of-sales"


def test_a_folder_opened_alone_has_no_edit_button(monkeypatch):
    monkeypatch.delenv("JDCORE_WORKSPACE", raising=False)
    monkeypatch.setenv("JDCORE_CATALOGUE", str(ROOT / "data"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["role"] = "Head of Sales Department"
    at.switch_page("pages/catalogue.py")
    at.run()
    assert not at.exception
    assert at.get("page_link") == []


def test_an_import_lands_as_drafts_that_are_reviewed_and_approved(workspace_file, catalogue):
    from jdcore.formats.bundle import bundle_zip
    from jdcore.model.catalogue import Catalogue

    tables = {name: frame.copy() for name, frame in catalogue.tables.items()}
    roles = tables["roles"]
    roles.loc[roles["role_id"] == "head-of-sales", "title"] = "Head of Sales (imported)"
    bundle = bundle_zip(Catalogue(catalogue.path, catalogue.taxonomy, tables))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/import.py")
    at.run()
    at.file_uploader(key="upload").set_value(("bundle.zip", bundle, "application/zip")).run()
    at.button(key="drafts").click().run()
    assert not at.exception
    assert at.success[-1].value.startswith("Saved 24 drafts in the workspace.")
    ws = Workspace.open(workspace_file)
    pending = {v.role_id: v for v in ws.pending()}
    assert len(pending) == 24 and pending["head-of-sales"].note == "imported from bundle.zip"
    before = load_snapshot(ws).catalogue.roles.set_index("role_id")
    assert before.loc["head-of-sales", "title"] == "Head of Sales Department"  # drafts wait
    review = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    review.switch_page("pages/review.py")
    review.run()
    assert len(table_of(review, "drafts")) == 24
    review.multiselect(key="submit-choice").set_value(["pick-head-of-sales-2"]).run()
    button(review, "Submit for review").click().run()
    assert not review.exception
    assert ws.latest("head-of-sales").status == "in review"
    diff = table_of(review, "diff-head-of-sales")
    assert {"section": "title", "change": "changed", "old": "Head of Sales Department",
            "new": "Head of Sales (imported)"} in diff.to_dict("records")
    review.checkbox(key="pick-head-of-sales-3").check().run()
    button(review, "Approve selected").click().run()
    assert not review.exception
    assert ws.latest("head-of-sales").status == "approved"
    after = load_snapshot(ws).catalogue.roles.set_index("role_id")
    assert after.loc["head-of-sales", "title"] == "Head of Sales (imported)"
    assert "head-of-sales" not in {v.role_id for v in ws.pending()}
    ws.close()


def test_a_role_is_duplicated_as_a_new_role_and_another_retired(workspace_file):
    at = edit_page()
    at.text_input(key=PREFIX + "duplicate-id").set_value("head-of-sales-2").run()
    button(at, "Duplicate as a new role").click().run()
    assert not at.exception
    assert at.text_input(key="n-head-of-sales-2-title").value == "Head of Sales Department"
    at.text_input(key="n-head-of-sales-2-title").set_value("Head of Sales, second area").run()
    button(at, "Create").click().run()
    assert not at.exception
    ws = Workspace.open(workspace_file)
    created = ws.latest("head-of-sales-2")
    assert (created.version, created.status, created.note) == (1, "approved", "new role")
    assert "title: Head of Sales, second area\n" in created.document

    site = edit_page("Site Manager")
    site.toggle(key="e-site-manager-1-0-retire-open").set_value(True).run()
    blocked = table_of(site, "retire-problems")
    assert ("roles/site-foreman.yaml (version 1)", "reports_to") in set(
        zip(blocked["file"], blocked["field"]))
    assert button(site, "Retire").disabled

    copy = edit_page("Head of Sales, second area")  # no role refers to the copy
    copy.toggle(key="e-head-of-sales-2-1-0-retire-open").set_value(True).run()
    button(copy, "Retire").click().run()
    assert not copy.exception
    assert ws.latest("head-of-sales-2").status == "retired"
    assert "head-of-sales-2" not in set(load_snapshot(ws).catalogue.roles["role_id"])
    ws.close()


def test_a_workspace_of_a_newer_schema_is_left_alone_and_the_app_says_what_to_do(
        workspace_file, catalogue):
    from sqlalchemy import text

    ws = Workspace.open(workspace_file, create=True)
    ws.seed_from_folder(ROOT / "data")
    with ws.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    ws.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    message = at.sidebar.error[0].value
    assert "schema version 9999, newer than this version of jdcore knows" in message
    assert "upgrade the app" in message
    assert {m.label: m.value for m in at.metric}["Roles"] == str(len(catalogue.roles))


def test_the_workspace_can_be_set_in_streamlits_secrets(tmp_path, monkeypatch):
    monkeypatch.delenv("JDCORE_WORKSPACE", raising=False)
    monkeypatch.delenv("JDCORE_CATALOGUE", raising=False)
    path = tmp_path / "from-secrets.sqlite"
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["connections"] = {"workspace": {"url": f"sqlite:///{path}"}}
    at.run()
    assert not at.exception
    assert at.sidebar.text[0].value == f"Workspace (SQLite): {path}"
    assert Workspace.open(f"sqlite:///{path}").role_ids()[:1] == ["board-of-directors"]


def test_a_reapply_where_both_changed_the_same_field_asks_whose_value_to_keep(workspace_file):
    at = edit_page()
    ws = Workspace.open(workspace_file)
    base = ws.latest("head-of-sales")
    ws.save_role("head-of-sales", base.document.replace(
        "title: Head of Sales Department\n", "title: Theirs\n").replace(
        "headcount: 1\n", "headcount: 2\n"), 1, author="bob")
    at.text_input(key=PREFIX + "title").set_value("Mine").run()
    at.text_area(key=PREFIX + "summary").set_value("My summary.").run()
    button(at, "Save").click().run()
    button(at, "Re-apply my changes on top of version 2").click().run()
    assert not at.exception
    assert table_of(at, "merge-conflicts")[["section", "change", "before", "yours",
                                            "theirs"]].to_dict("records") == [
        {"section": "title", "change": "both changed", "before": "Head of Sales Department",
         "yours": "Mine", "theirs": "Theirs"}]
    use = next(b for b in at.button if b.label.startswith("Use these choices"))
    assert use.disabled and use.label == "Use these choices (0 of 1 chosen)"
    at.radio(key="merge-head-of-sales-0").set_value("theirs").run()
    button(at, "Use these choices (1 of 1 chosen)").click().run()
    assert not at.exception
    assert at.text_input(key="e-head-of-sales-2-1-title").value == "Theirs"
    assert at.text_area(key="e-head-of-sales-2-1-summary").value == "My summary."
    button(at, "Save").click().run()
    latest = ws.latest("head-of-sales")
    assert (latest.version, latest.base_version) == (3, 2)
    assert "title: Theirs\n" in latest.document and "headcount: 2\n" in latest.document
    assert "My summary." in latest.document
    ws.close()


def test_an_accountability_added_on_the_edit_page_is_saved_and_shown_on_the_profile(
        workspace_file):
    at = edit_page()
    at.session_state[PREFIX + "accountabilities"] = {
        "edited_rows": {}, "deleted_rows": [],
        "added_rows": [{"text": "Meeting the department's sales plan", "source": "seed"}]}
    at.run()
    changes = table_of(at, "edit-changes")
    assert changes.to_dict("records") == [{"section": "accountabilities", "change": "added",
                                           "old": "", "new": "text: Meeting the department's "
                                           "sales plan, source: seed"}]
    button(at, "Save").click().run()
    assert not at.exception
    ws = Workspace.open(workspace_file)
    try:
        assert ("accountabilities:\n- text: Meeting the department's sales plan\n  source: seed\n"
                in ws.latest("head-of-sales").document)
    finally:
        ws.close()
    profile = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    profile.query_params["role"] = "Head of Sales Department"
    profile.switch_page("pages/catalogue.py")
    profile.run()
    assert not profile.exception
    assert table_of(profile, "profile-accountabilities")["accountability"].tolist() == [
        "Meeting the department's sales plan"]
