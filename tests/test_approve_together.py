"""Changes approved together (jdcore.store.access.Access.approve_many, Workspace.approve_many),
on SQLite and PostgreSQL: a family of new roles whose reporting lines point at each other is
checked as one catalogue with all of them applied and approved in one transaction, in any
order; any refusal refuses them all and stores nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from permission_fixtures import as_, seeded_workspace

from jdcore.store import APPROVED, IN_REVIEW, ConflictError, Workspace, load_snapshot
from jdcore.store.access import ApprovalRefused
from jdcore.store.editing import check_edit, role_data
from jdcore.store.permissions import User
from jdcore.formats.writer import dump_yaml

ROOT = Path(__file__).resolve().parent.parent
EDITOR, APPROVER = User("ed@example.org"), User("ap@example.org")
PARENT, CHILD = "head-of-key-accounts", "key-account-manager"


@pytest.fixture
def workspace(workspace_url):
    with seeded_workspace(workspace_url) as ws:
        yield ws


def new_role(workspace, role_id: str, title: str, reports_to: str) -> str:
    """A new sales role, made from the head of sales' document."""
    data = role_data(workspace.latest("head-of-sales").document)
    data.update(id=role_id, title=title, reports_to=reports_to)
    return dump_yaml(data)


def submit_family(workspace):
    """The editor's two new roles in review: the key account manager reports to the head of
    key accounts, who reports to the head of sales. Returns (child, parent) versions."""
    editor = as_(workspace, EDITOR)
    parent = editor.save_role(PARENT, new_role(workspace, PARENT, "Head of Key Accounts",
                                               "head-of-sales"), 0, status=IN_REVIEW)
    child = editor.save_role(CHILD, new_role(workspace, CHILD, "Key Account Manager", PARENT),
                             0, status=IN_REVIEW)
    return child, parent


def test_alone_the_child_would_leave_a_dangling_line(workspace):
    child, _ = submit_family(workspace)
    check = check_edit(load_snapshot(workspace).catalogue, CHILD, child.document)
    assert [p.field for p in check.errors] == ["reports_to"]


def test_a_family_is_approved_together_bottom_up_in_one_transaction(workspace):
    child, parent = submit_family(workspace)
    approved = as_(workspace, APPROVER).approve_many(
        [(CHILD, child.version), (PARENT, parent.version)])
    assert [(v.role_id, v.version, v.status, v.reviewer) for v in approved] == [
        (CHILD, 2, APPROVED, "ap@example.org"), (PARENT, 2, APPROVED, "ap@example.org")]
    assert approved[0].reviewed_at == approved[1].reviewed_at  # one transaction, one moment
    catalogue = load_snapshot(workspace).catalogue
    assert not catalogue.errors
    roles = catalogue.roles.set_index("role_id")
    assert roles.loc[CHILD, "reports_to"] == PARENT
    assert roles.loc[PARENT, "reports_to"] == "head-of-sales"
    assert workspace.pending() == []


def test_the_child_without_its_manager_is_refused_naming_the_role_field_and_fix(workspace):
    child, parent = submit_family(workspace)
    revision = workspace.revision()
    with pytest.raises(ApprovalRefused) as refused:
        as_(workspace, APPROVER).approve_many([(CHILD, child.version)])
    (reason,) = refused.value.reasons
    assert reason.startswith(f"roles/{CHILD}.yaml (version 1, in review)")
    assert "reports_to" in reason and PARENT in reason
    assert reason.endswith(f"in the catalogue ({PARENT} waits for approval too: select it "
                           "with this change)")  # no did-you-mean of another role
    assert "Nothing was approved" in str(refused.value)
    assert workspace.revision() == revision  # nothing stored
    assert {v.role_id for v in workspace.pending()} == {CHILD, PARENT}


def test_one_change_the_approver_may_not_approve_refuses_them_all(workspace):
    child, parent = submit_family(workspace)
    approver = as_(workspace, APPROVER)
    base = workspace.latest("chief-accountant")
    own = approver.save_role("chief-accountant", base.document.replace(
        "title: Chief Accountant", "title: Chief Accountant (own)"), base.version,
        status=IN_REVIEW)
    revision = workspace.revision()
    with pytest.raises(ApprovalRefused) as refused:
        approver.approve_many([(CHILD, child.version), (PARENT, parent.version),
                               ("chief-accountant", own.version)])
    (reason,) = refused.value.reasons
    assert reason.startswith("chief-accountant: ") and "may not approve it too" in reason
    assert workspace.revision() == revision


def test_one_stale_change_refuses_them_all(workspace):
    child, parent = submit_family(workspace)
    as_(workspace, EDITOR).save_role(PARENT, parent.document, parent.version, status=IN_REVIEW,
                                     note="changed after it was drawn")
    revision = workspace.revision()
    with pytest.raises(ApprovalRefused) as refused:
        as_(workspace, APPROVER).approve_many([(CHILD, child.version),
                                               (PARENT, parent.version)])
    (reason,) = refused.value.reasons
    assert reason.startswith(f"{PARENT}: ") and "can no longer be approved" in reason
    assert workspace.revision() == revision


def test_a_collision_inside_the_transaction_stores_none_of_them(workspace):
    child, parent = submit_family(workspace)
    # someone writes on top of the parent between the checks and the insert
    workspace.save_role(PARENT, parent.document, parent.version, status=IN_REVIEW,
                        author="someone")
    revision = workspace.revision()
    with pytest.raises(ConflictError) as conflict:
        workspace.approve_many([(CHILD, child.version), (PARENT, parent.version)],
                               approver="ap@example.org")
    assert conflict.value.role_id == PARENT
    assert workspace.revision() == revision
    assert workspace.latest(CHILD).version == child.version  # the child was not approved
