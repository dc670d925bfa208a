"""The taxonomy edited as tables (jdcore.store.taxonomy) and saved as versions, on SQLite and
PostgreSQL (the `workspace_url` fixture): the document written back keeps what did not
change, a removal that roles still use is refused naming them, a rename updates every role
in the same transaction, a save on top of a newer version is refused, only an administrator
may save, and nothing stored changes on a refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from permission_fixtures import as_, seeded_workspace

from jdcore.store import ConflictError, WorkspaceError, load_snapshot
from jdcore.store.access import PermissionDenied
from jdcore.store.editing import role_data
from jdcore.store.permissions import User
from jdcore.store.taxonomy import (catalogue_documents, check_taxonomy, plan_rename,
                                   settings_table, taxonomy_diff, taxonomy_document,
                                   taxonomy_edit, taxonomy_tables)

ROOT = Path(__file__).resolve().parent.parent
ADMIN, EDITOR, APPROVER = User("admin@example.org"), User("ed@example.org"), User("ap@example.org")


@pytest.fixture
def workspace(workspace_url):
    with seeded_workspace(workspace_url) as ws:
        yield ws


def edited(snapshot, change=None):
    """The snapshot's taxonomy as tables, changed by `change(tables)`, as an edit."""
    taxonomy = snapshot.catalogue.taxonomy
    tables = taxonomy_tables(taxonomy)
    if change is not None:
        change(tables)
    return taxonomy_edit(tables, settings_table(taxonomy), taxonomy.reporting)


def without(key, ident):
    def change(tables):
        tables[key] = tables[key][tables[key]["id"] != ident].reset_index(drop=True)
    return change


def stored_state(ws) -> tuple:
    return ws.revision(), [v.version for v in ws.taxonomy_history()]


def test_the_tables_write_back_the_same_document_and_a_change_keeps_the_rest(workspace):
    snapshot = load_snapshot(workspace)
    original = snapshot.taxonomy.document
    assert taxonomy_document(edited(snapshot).data, original) == original

    def rename_grade(tables):
        tables["grades"].loc[tables["grades"]["id"] == "board", "name"] = "Supervisory board"
    document = taxonomy_document(edited(snapshot, rename_grade).data, original)
    assert "  - {id: board, name: Board, level: 1}" in original
    assert "- {id: board, name: Supervisory board, level: 1}\n" in document
    # every other section as written, with its comments
    assert "# Weight of one duty in the frequency-weighted duty load" in document
    assert "  daily: 1.0\n" in document
    assert len(document.splitlines()) == len(original.splitlines())
    assert [(c.change, c.old, c.new) for c in taxonomy_diff(original, document)] == [
        ("name changed", "Board", "Supervisory board")]


def test_the_difference_says_what_was_added_removed_reordered_and_changed(workspace):
    snapshot = load_snapshot(workspace)

    def change(tables):
        tables["duty_categories"].loc[len(tables["duty_categories"])] = ["quality", "Quality"]
        scopes = tables["decision_right_scopes"]
        tables["decision_right_scopes"] = scopes.iloc[[0, 2, 1, 3]].reset_index(drop=True)
        tables["frequencies"].loc[tables["frequencies"]["id"] == "weekly", "weight"] = 0.5
    document = taxonomy_document(edited(snapshot, change).data, snapshot.taxonomy.document)
    assert [(c.section, c.change, c.old, c.new)
            for c in taxonomy_diff(snapshot.taxonomy.document, document)] == [
        ("duty_categories", "added", "", "quality: Quality"),
        ("frequencies: weekly", "weight changed", "0.6", "0.5"),
        ("decision_right_scopes", "reordered", "none, recommend, approve, decide",
         "none, approve, recommend, decide")]


def test_removing_a_department_that_roles_use_is_refused_naming_them(workspace):
    snapshot = load_snapshot(workspace)
    documents = catalogue_documents(workspace, snapshot)
    check = check_taxonomy(documents, edited(snapshot, without("departments", "hr")))
    assert not check.ok
    [removal] = [p for p in check.errors if p.field == "departments.hr"]
    assert removal.file == "taxonomy.yaml (your edit)"
    assert removal.message == (
        "department 'hr' cannot be removed: 1 role(s) use it (hr-manager). Move those roles "
        "to another department first, or rename 'hr' (Rename a value), which updates them too")
    # the loader's own check of the role, with the edited taxonomy
    assert any(p.file == "roles/hr-manager.yaml (version 1)" and p.field == "department"
               and p.message.startswith("'hr' is not allowed") for p in check.errors)


def test_removing_a_grade_that_roles_use_is_refused_and_an_unused_value_may_go(workspace):
    snapshot = load_snapshot(workspace)
    documents = catalogue_documents(workspace, snapshot)
    users = documents.usage()["grades"]["operative"]
    check = check_taxonomy(documents, edited(snapshot, without("grades", "operative")))
    [removal] = [p for p in check.errors if p.field == "grades.operative"]
    assert removal.message.startswith(f"grade 'operative' cannot be removed: {len(users)} "
                                      f"role(s) use it ({', '.join(users[:8])}")

    def add(tables):
        tables["departments"].loc[len(tables["departments"])] = ["quality", "Quality"]
    added = edited(snapshot, add)
    assert check_taxonomy(documents, added).ok
    as_(workspace, ADMIN).save_taxonomy(taxonomy_document(added.data,
                                                          snapshot.taxonomy.document), 1)
    snapshot = load_snapshot(workspace)
    documents = catalogue_documents(workspace, snapshot)
    assert "quality" not in documents.usage()["departments"]
    check = check_taxonomy(documents, edited(snapshot, without("departments", "quality")))
    assert check.ok and check.problems == ()


def test_a_duplicated_id_and_an_invalid_setting_are_problems_of_the_edit(workspace):
    snapshot = load_snapshot(workspace)
    documents = catalogue_documents(workspace, snapshot)

    def twice(tables):
        tables["departments"].loc[len(tables["departments"])] = ["sales", "Sales again"]
    check = check_taxonomy(documents, edited(snapshot, twice))
    assert [p.message for p in check.errors] == [
        "department id 'sales' is listed twice (rows 3 and 11); give each its own id or "
        "delete one row"]
    taxonomy = snapshot.catalogue.taxonomy
    settings = settings_table(taxonomy)
    settings.loc[settings["setting"] == "span_of_control.min", "value"] = 40
    check = check_taxonomy(documents, taxonomy_edit(taxonomy_tables(taxonomy), settings,
                                                    taxonomy.reporting))
    assert [(p.file, p.field) for p in check.errors] == [("taxonomy.yaml (your edit)",
                                                          "span_of_control")]
    assert "swap them" in check.errors[0].message


def test_an_administrator_saves_a_new_version_and_every_version_stays(workspace):
    snapshot = load_snapshot(workspace)

    def add(tables):
        tables["departments"].loc[len(tables["departments"])] = ["quality", "Quality"]
    document = taxonomy_document(edited(snapshot, add).data, snapshot.taxonomy.document)
    saved = as_(workspace, ADMIN).save_taxonomy(document, 1, note="quality department")
    assert (saved.version, saved.author, saved.note) == (2, "admin@example.org",
                                                         "quality department")
    assert [(v.version, v.author) for v in workspace.taxonomy_history()] == [
        (1, "local"), (2, "admin@example.org")]
    assert workspace.taxonomy_version(1).document == snapshot.taxonomy.document
    assert load_snapshot(workspace).catalogue.taxonomy.departments["quality"] == "Quality"


@pytest.mark.parametrize("user", [EDITOR, APPROVER])
def test_anyone_but_an_administrator_is_refused_and_nothing_is_stored(workspace, user):
    snapshot = load_snapshot(workspace)
    before = stored_state(workspace)
    with pytest.raises(PermissionDenied, match="change the taxonomy"):
        as_(workspace, user).save_taxonomy(snapshot.taxonomy.document + "\n", 1)
    documents = catalogue_documents(workspace, snapshot)
    rename = plan_rename(documents, snapshot.catalogue.taxonomy, "departments", "hr", "people")
    with pytest.raises(PermissionDenied):
        as_(workspace, user).save_taxonomy(
            taxonomy_document(rename.edit.data, snapshot.taxonomy.document), 1,
            roles={rid: (text, 1) for rid, text in rename.roles.items()})
    assert stored_state(workspace) == before


def test_a_save_on_top_of_a_newer_version_is_refused_with_who_and_when(workspace):
    document = workspace.current_taxonomy().document
    first = as_(workspace, ADMIN).save_taxonomy(document + "# one\n", 1)
    before = stored_state(workspace)
    with pytest.raises(ConflictError) as refused:
        as_(workspace, ADMIN).save_taxonomy(document + "# two\n", 1)
    assert str(refused.value) == (
        f"'taxonomy' was saved by admin@example.org at {first.created_at:%H:%M} UTC (version "
        "2) while you were editing version 1; your changes were not saved. Review what "
        "changed, then re-apply your changes on top of version 2.")
    assert stored_state(workspace) == before
    assert workspace.current_taxonomy().document.endswith("# one\n")


def test_a_rename_updates_every_role_that_uses_it_in_one_transaction(workspace):
    snapshot = load_snapshot(workspace)
    documents = catalogue_documents(workspace, snapshot)
    rename = plan_rename(documents, snapshot.catalogue.taxonomy, "duty_categories",
                         "reporting-control", "reporting")
    assert rename.ok, rename.refused or rename.check.problems
    users = documents.usage()["duty_categories"]["reporting-control"]
    assert sorted(rename.roles) == users and len(users) > 1
    saved = as_(workspace, ADMIN).save_taxonomy(
        taxonomy_document(rename.edit.data, snapshot.taxonomy.document), 1,
        note="renamed", roles={rid: (text, snapshot.versions[rid].version)
                               for rid, text in rename.roles.items()})
    after = load_snapshot(workspace)
    assert saved.version == 2
    assert "reporting" in after.catalogue.taxonomy.duty_categories
    assert "reporting-control" not in after.catalogue.taxonomy.duty_categories
    assert [str(p) for p in after.catalogue.errors] == []
    for rid in users:
        latest = workspace.latest(rid)
        assert (latest.version, latest.status, latest.author) == (2, "approved",
                                                                  "admin@example.org")
        categories = [d["category"] for d in role_data(latest.document)["responsibilities"]]
        assert "reporting" in categories and "reporting-control" not in categories
    duties = after.catalogue.tables["duties"]
    assert len(duties) == len(snapshot.catalogue.tables["duties"])


def test_a_rename_that_collides_with_a_role_saved_meanwhile_stores_nothing(workspace):
    snapshot = load_snapshot(workspace)
    documents = catalogue_documents(workspace, snapshot)
    rename = plan_rename(documents, snapshot.catalogue.taxonomy, "departments", "sales",
                         "sales-dept")
    assert rename.ok
    someone = workspace.latest("head-of-sales")
    workspace.save_role("head-of-sales", someone.document.replace(
        "headcount: 1\n", "headcount: 2\n"), 1, author="bob")
    before = stored_state(workspace)
    with pytest.raises(ConflictError, match="'head-of-sales' was saved by bob"):
        as_(workspace, ADMIN).save_taxonomy(
            taxonomy_document(rename.edit.data, snapshot.taxonomy.document), 1,
            roles={rid: (text, snapshot.versions[rid].version)
                   for rid, text in rename.roles.items()})
    assert stored_state(workspace) == before
    assert workspace.current_taxonomy().version == 1


def test_a_rename_is_refused_while_a_role_that_uses_it_has_a_pending_change(workspace):
    base = workspace.latest("hr-manager")
    workspace.save_role("hr-manager", base.document.replace("headcount: 1\n", "headcount: 2\n"),
                        1, status="draft", author="ed@example.org")
    snapshot = load_snapshot(workspace)
    rename = plan_rename(catalogue_documents(workspace, snapshot),
                         snapshot.catalogue.taxonomy, "departments", "hr", "people")
    assert not rename.ok
    assert rename.refused.startswith("'hr' cannot be renamed while these roles that use it "
                                     "have a pending change (a draft or a version in review): "
                                     "hr-manager.")


@pytest.mark.parametrize("new, refused", [
    ("", "give the new id of department 'hr'"),
    ("sales", "department 'sales' exists already; choose another id (or move the roles to "
              "it and remove 'hr')"),
    ("hr", "the new id is the same as the old one")])
def test_a_rename_to_an_empty_or_taken_id_is_refused(workspace, new, refused):
    snapshot = load_snapshot(workspace)
    rename = plan_rename(catalogue_documents(workspace, snapshot),
                         snapshot.catalogue.taxonomy, "departments", "hr", new)
    assert rename.refused == refused and not rename.ok


def test_a_pending_change_that_uses_a_removed_value_is_warned_about(workspace):
    snapshot = load_snapshot(workspace)

    def add(tables):
        tables["departments"].loc[len(tables["departments"])] = ["quality", "Quality"]
    as_(workspace, ADMIN).save_taxonomy(
        taxonomy_document(edited(snapshot, add).data, snapshot.taxonomy.document), 1)
    base = workspace.latest("hr-manager")
    workspace.save_role("hr-manager", base.document.replace("department: hr",
                                                            "department: quality"),
                        1, status="draft", author="ed@example.org")
    snapshot = load_snapshot(workspace)
    check = check_taxonomy(catalogue_documents(workspace, snapshot),
                           edited(snapshot, without("departments", "quality")))
    assert check.ok
    assert [(p.file, p.message) for p in check.warnings] == [(
        "roles/hr-manager.yaml (version 2, draft)",
        "this pending change by ed@example.org uses department 'quality', which this "
        "taxonomy does not have: it cannot be approved until it is changed")]


def test_a_note_over_the_limit_is_refused(workspace):
    with pytest.raises(WorkspaceError, match="over the limit"):
        workspace.save_taxonomy(workspace.current_taxonomy().document, 1, note="x" * 2001)
    assert workspace.current_taxonomy().version == 1


def test_the_quick_check_finds_what_loading_every_role_finds(workspace):
    """check_taxonomy re-reads only the roles an edit can reach while max_weekly_hours and
    reporting stay; held here to the full load of every role, for edits of each kind."""
    base = workspace.latest("head-of-sales")
    workspace.save_role("head-of-sales", base.document.replace("grade: head-of-department",
                                                               "grade: chief"), 1)
    snapshot = load_snapshot(workspace)  # now with a role whose grade was never known
    documents = catalogue_documents(workspace, snapshot)
    assert "head-of-sales" in documents.with_problems

    def add(tables):
        tables["grades"].loc[len(tables["grades"])] = ["trainee", "Trainee", 7]

    def rename_names(tables):
        tables["departments"]["name"] = tables["departments"]["name"] + " (renamed)"

    def reorder(tables):
        tables["grades"] = tables["grades"].iloc[::-1].reset_index(drop=True)
    edits = [edited(snapshot, change) for change in (
        None, add, rename_names, reorder, without("departments", "hr"),
        without("grades", "operative"), without("duty_categories", "reporting-control"),
        without("source_notes", "illustrative"))]
    for edit in edits:
        quick, full = check_taxonomy(documents, edit), check_taxonomy(documents, edit,
                                                                      full=True)
        assert quick.problems == full.problems
    assert any(p.file == "roles/head-of-sales.yaml (version 2)" and p.field == "grade"
               for p in check_taxonomy(documents, edited(snapshot, add)).problems)
    rename = plan_rename(documents, snapshot.catalogue.taxonomy, "departments", "hr", "people")
    assert check_taxonomy(documents, rename.edit, rename.roles).problems == \
        check_taxonomy(documents, rename.edit, rename.roles, full=True).problems


def test_a_lower_weekly_hours_limit_warns_about_every_role_above_it(workspace):
    snapshot = load_snapshot(workspace)
    taxonomy = snapshot.catalogue.taxonomy
    settings = settings_table(taxonomy)
    settings.loc[settings["setting"] == "max_weekly_hours", "value"] = 40
    check = check_taxonomy(catalogue_documents(workspace, snapshot),
                           taxonomy_edit(taxonomy_tables(taxonomy), settings, "tree"))
    workload = snapshot.catalogue.tables["workload"]
    hours = workload[workload["measure"] == "weekly_hours"]
    over = set(hours.loc[hours["value"] > 40, "role_id"])
    assert over and check.ok
    assert {p.file.split("/")[1].split(".yaml")[0] for p in check.warnings
            if "above the taxonomy's limit of 40" in p.message} == over


def test_the_usage_read_from_the_tables_is_the_usage_of_the_documents(workspace):
    from jdcore.store.taxonomy import role_usage

    base = workspace.latest("head-of-sales")
    workspace.save_role("head-of-sales", base.document.replace("headcount: 1", "headcount: x"),
                        1)  # a document the tables leave out
    snapshot = load_snapshot(workspace)
    documents = catalogue_documents(workspace, snapshot)
    assert "head-of-sales" not in set(snapshot.catalogue.roles["role_id"])
    assert documents.role_usage == {rid: role_usage(text)
                                    for rid, text in documents.roles.items()}
    assert documents.role_usage["head-of-sales"]["departments"] == {"sales"}


def test_a_source_note_only_an_accountability_uses_cannot_be_removed(workspace):
    snapshot = load_snapshot(workspace)

    def add(tables):
        notes = tables["source_notes"]
        notes.loc[len(notes)] = {column: "hearsay" for column in notes.columns}
    added = edited(snapshot, add)
    as_(workspace, ADMIN).save_taxonomy(taxonomy_document(added.data,
                                                          snapshot.taxonomy.document), 1)
    base = workspace.latest("chief-accountant")
    workspace.save_role("chief-accountant", base.document.replace(
        "authority:\n", "accountabilities:\n- text: Late tax returns\n  source: hearsay\n"
        "authority:\n", 1), base.version)
    snapshot = load_snapshot(workspace)
    assert not snapshot.catalogue.errors
    documents = catalogue_documents(workspace, snapshot)
    assert documents.usage()["source_notes"]["hearsay"] == ["chief-accountant"]
    check = check_taxonomy(documents, edited(snapshot, without("source_notes", "hearsay")))
    assert any(p.field == "source_notes.hearsay" and "chief-accountant" in p.message
               for p in check.errors), check.errors
