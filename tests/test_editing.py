"""Edits as fields and tables, checked over the whole catalogue; differences between
versions; re-applying an edit on top of a newer version."""

from __future__ import annotations

from pathlib import Path

import pytest

from jdcore.loading import RoleDocument, load_documents
from jdcore.store.diff import Change, role_diff
from jdcore.store.editing import RoleEdit, check_edit, new_role_document, with_id
from jdcore.store.merge import MINE, reapply

DATA = Path(__file__).resolve().parent.parent / "data"
HEAD_OF_SALES = (DATA / "roles" / "head-of-sales.yaml").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def loaded():
    taxonomy = RoleDocument("taxonomy.yaml", (DATA / "taxonomy.yaml").read_bytes())
    roles = {f.stem: RoleDocument(f"roles/{f.name}", f.read_bytes())
             for f in (DATA / "roles").glob("*.yaml")}
    return load_documents("memory", taxonomy, roles, "f")


def test_a_role_round_trips_through_fields_and_tables_unchanged():
    assert role_diff(HEAD_OF_SALES, RoleEdit.of(HEAD_OF_SALES).document()) == []


def test_empty_rows_of_an_edited_table_are_dropped():
    edit = RoleEdit.of(HEAD_OF_SALES)
    duties = edit.tables["responsibilities"]
    duties.loc[len(duties)] = [None, None, None, None, False, None]
    assert role_diff(HEAD_OF_SALES, edit.document()) == []


def test_time_shares_over_100_percent_block_the_edit(loaded):
    edit = RoleEdit.of(HEAD_OF_SALES)
    edit.tables["responsibilities"].loc[0, "time_share"] = 95
    check = check_edit(loaded, "head-of-sales", edit.document())
    assert not check.ok
    [error] = check.errors
    assert (error.file, error.field) == ("roles/head-of-sales.yaml (your edit)",
                                        "responsibilities")
    assert error.message.startswith("time shares add up to ")
    assert error.message.endswith(" %, over 100 %; lower some time_share values")


def test_a_category_outside_the_taxonomy_names_the_cell_and_the_closest_value(loaded):
    edit = RoleEdit.of(HEAD_OF_SALES)
    edit.tables["responsibilities"].loc[1, "category"] = "strategy-plannin"
    [error] = check_edit(loaded, "head-of-sales", edit.document()).errors
    assert error.field == "responsibilities[2].category"  # counted from 1, as people do
    assert error.message == "'strategy-plannin' is not allowed; did you mean 'strategy-planning'?"


def test_a_second_root_is_an_error_and_a_warning_does_not_block(loaded):
    edit = RoleEdit.of(HEAD_OF_SALES)
    edit.fields["reports_to"] = None
    check = check_edit(loaded, "head-of-sales", edit.document())
    assert [e.message.split(";")[0] for e in check.errors if e.field == "reports_to"] == [
        "business area 'trade' has 2 roots (board-of-directors, head-of-sales)"]
    edit = RoleEdit.of(HEAD_OF_SALES)
    edit.fields["weekly_hours"] = 60
    check = check_edit(loaded, "head-of-sales", edit.document())
    assert check.ok and [w.field for w in check.warnings] == ["workload.weekly_hours"]


def test_retiring_a_manager_lists_the_roles_left_without_one(loaded):
    check = check_edit(loaded, "head-of-sales", None)
    assert ("roles/middle-sales-manager.yaml", "reports_to") in {(p.file, p.field)
                                                                 for p in check.errors}


def test_a_duplicate_takes_a_new_id_and_a_clashing_id_is_refused(loaded):
    copy = with_id(HEAD_OF_SALES, "head-of-sales-2")
    check = check_edit(loaded, "head-of-sales-2", copy)
    assert check.ok
    clash = check_edit(loaded, "Head-of-Sales", with_id(HEAD_OF_SALES, "Head-of-Sales"))
    assert [p.message for p in clash.errors] == [
        "id 'Head-of-Sales' is already used by another role (ids are compared ignoring case, "
        "width and surrounding spaces); choose another id"]


def test_a_new_role_starts_with_what_it_still_needs(loaded):
    document = new_role_document("head-of-quality", loaded.taxonomy)
    fields = {p.field for p in check_edit(loaded, "head-of-quality", document).errors}
    assert {"title", "summary"} <= fields


def test_the_difference_names_duties_added_removed_reworded_moved_and_reshared():
    edit = RoleEdit.of(HEAD_OF_SALES)
    duties = edit.tables["responsibilities"]
    first, second, third = duties.loc[0, "text"], duties.loc[1, "text"], duties.loc[2, "text"]
    duties.loc[0, "time_share"] = 10
    duties.loc[1, "category"] = "people-management"
    duties.loc[2, "text"] = third.replace("Distribute", "Share out")
    last = duties.loc[len(duties) - 1, "text"]
    edit.tables["responsibilities"] = duties.iloc[:-1]
    edit.tables["responsibilities"].loc[len(duties)] = ["Visit the largest dealers",
                                                        "sales-negotiation", "monthly", 1,
                                                        False, "illustrative"]
    edit.fields["headcount"] = 2
    changes = role_diff(HEAD_OF_SALES, edit.document())
    assert changes == [
        Change("headcount", "changed", "1", "2"),
        Change("responsibilities", "removed", last, ""),
        Change("responsibilities", "added", "", "Visit the largest dealers"),
        Change("responsibilities", "reworded", third, third.replace("Distribute", "Share out")),
        Change(f"responsibilities: {first}", "time share", "15 %", "10 %"),
        Change(f"responsibilities: {second}", "moved", "strategy-planning", "people-management"),
    ]


def test_reapplying_keeps_their_changes_and_mine():
    base = HEAD_OF_SALES
    theirs = base.replace("headcount: 1\n", "headcount: 2\n")
    mine = base.replace("title: Head of Sales Department", "title: Sales lead")
    merged = reapply(base, mine, theirs)
    assert role_diff(theirs, merged.document()) == [
        Change("title", "changed", "Head of Sales Department", "Sales lead")]
    assert merged.conflicts == ()
    both = reapply(base, mine, base.replace("title: Head of Sales Department", "title: Other"))
    assert [c.section for c in both.conflicts] == ["title"]
    assert "title: Sales lead\n" in both.document({0: MINE})
