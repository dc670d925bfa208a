"""The permissions file and the questions asked of it (jdcore.store.permissions)."""

from __future__ import annotations

import pytest

from jdcore.store.permissions import (ADMIN, APPROVE, DRAFT, LOCAL, MANAGE, REJECT, RETIRE,
                                      SUBMIT, TAXONOMY, VIEW, PermissionsError, User, can,
                                      load_permissions, may_approve_own, parse_permissions,
                                      refusal, single_user, unknown_scopes)

EXAMPLE = """\
default: viewer
users:
  - email: Ana@Example.org
    role: editor
    business_areas: [commercial]
  - email: bo@example.org
    role: approver
    departments: [sales, logistics]
  - email: cy@example.org
    role: approver
    approve_own: true
  - email: di@example.org
    role: admin
"""
SALES = {"department": "sales", "business_area": "commercial"}
FINANCE = {"department": "finance", "business_area": "support"}
ANA, BO, CY, DI = (User(e) for e in ("ana@example.org", "bo@example.org", "cy@example.org",
                                      "di@example.org"))
STRANGER = User("someone@example.org")


@pytest.fixture
def permissions():
    return parse_permissions(EXAMPLE)


def test_each_role_may_do_its_actions_and_no_more(permissions):
    assert [a for a in (VIEW, DRAFT, SUBMIT, APPROVE, REJECT, RETIRE)
            if can(permissions, ANA, a, SALES)] == [VIEW, DRAFT, SUBMIT]
    assert [a for a in (VIEW, DRAFT, SUBMIT, APPROVE, REJECT, RETIRE)
            if can(permissions, BO, a, SALES)] == [VIEW, DRAFT, SUBMIT, APPROVE, REJECT, RETIRE]
    assert not can(permissions, BO, TAXONOMY) and not can(permissions, CY, MANAGE)
    assert can(permissions, DI, TAXONOMY) and can(permissions, DI, MANAGE)
    assert can(permissions, STRANGER, VIEW, SALES)
    assert not can(permissions, STRANGER, DRAFT, SALES)


def test_a_grant_covers_only_its_business_areas_and_departments(permissions):
    assert can(permissions, ANA, DRAFT, SALES)
    assert not can(permissions, ANA, DRAFT, FINANCE)
    assert can(permissions, BO, APPROVE, {"department": "logistics", "business_area": "x"})
    assert not can(permissions, BO, APPROVE, FINANCE)
    assert not can(permissions, ANA, DRAFT, {})  # a role that names no area: unscoped only
    assert can(permissions, CY, APPROVE, {})


def test_emails_match_whatever_their_case(permissions):
    assert can(permissions, User("ANA@example.ORG"), DRAFT, SALES)


def test_only_a_grant_that_says_so_approves_its_holders_own_change(permissions):
    assert not may_approve_own(permissions, BO, SALES)
    assert may_approve_own(permissions, CY, SALES)


def test_default_none_lets_an_unlisted_user_do_nothing():
    permissions = parse_permissions("default: none\nusers: []\n")
    assert not can(permissions, STRANGER, VIEW, SALES)
    assert "no permission at all" in refusal(permissions, STRANGER, VIEW, SALES)


def test_single_user_mode_gives_the_local_user_everything():
    permissions = single_user()
    for action in (VIEW, DRAFT, SUBMIT, APPROVE, REJECT, RETIRE, TAXONOMY, MANAGE):
        assert can(permissions, LOCAL, action, SALES)
    assert may_approve_own(permissions, LOCAL, SALES)
    assert not can(permissions, STRANGER, VIEW, SALES)


def test_a_refusal_says_who_what_and_what_they_hold(permissions):
    message = refusal(permissions, ANA, APPROVE, SALES)
    assert message.startswith("ana@example.org may not approve changes to roles in business "
                              "area 'commercial', department 'sales'")
    assert "editor for business area commercial" in message
    assert "Nothing was changed" in message


@pytest.mark.parametrize("text, expected", [
    ("users:\n  - email: a@b.org\n    role: edtor\n",
     "users entry 1 (a@b.org), role: 'edtor' is not a role; write one of viewer, editor, "
     "approver, admin; did you mean 'editor'?"),
    ("users:\n  - email: not-an-address\n    role: editor\n",
     "users entry 1, email: 'not-an-address' is not an email address"),
    ("users:\n  - email: a@b.org\n    role: admin\n    departments: [sales]\n",
     "an admin manages the taxonomy and the permissions of the whole catalogue, so it cannot "
     "be scoped"),
    ("users:\n  - email: a@b.org\n    role: editor\n    areas: [sales]\n",
     "users entry 1 (a@b.org): unknown field 'areas'"),
    ("users:\n  - email: a@b.org\n    role: approver\n    approve_own: maybe\n",
     "approve_own: 'maybe' is not true or false; write true or false"),
    ("users:\n  - email: a@b.org\n    role: editor\n    business_areas: {a: b}\n",
     "business_areas: write a list of ids"),
    ("default: editor\n", "default: 'editor' is not a role; write one of none, viewer"),
    ("users: a@b.org\n", "users: write a list"),
    ("users:\n  - email: a@b.org\n    role: editor\n  - email: a@b.org\n    role: editor\n"
     "    role: admin\n", "duplicate"),
])
def test_a_bad_file_names_the_field_and_the_fix(text, expected):
    with pytest.raises(PermissionsError) as error:
        parse_permissions(text, "perm.yaml")
    assert str(error.value).startswith("perm.yaml")
    assert expected in str(error.value)


def test_a_missing_or_special_file_is_a_clear_error(tmp_path):
    with pytest.raises(PermissionsError, match="cannot read file"):
        load_permissions(tmp_path / "nope.yaml")
    with pytest.raises(PermissionsError, match="not a regular file"):
        load_permissions(tmp_path)


def test_a_file_is_read_from_disk(tmp_path):
    path = tmp_path / "permissions.yaml"
    path.write_text(EXAMPLE, encoding="utf-8")
    permissions = load_permissions(path)
    assert permissions.source == str(path)
    assert can(permissions, ANA, DRAFT, SALES)
    assert str(path) in refusal(permissions, ANA, APPROVE, SALES)


def test_a_scope_the_taxonomy_lacks_is_warned_about(permissions):
    warnings = unknown_scopes(permissions, ["commercial", "support"], ["sales", "finance"])
    assert warnings == ["permissions.yaml: bo@example.org is granted department 'logistics', "
                        "which the taxonomy does not have; correct the id"]


def test_a_listed_user_holds_every_grant_listed():
    permissions = parse_permissions(
        "users:\n  - email: a@b.org\n    role: editor\n    business_areas: [x]\n"
        "  - email: a@b.org\n    role: approver\n    business_areas: [y]\n")
    user = User("a@b.org")
    assert can(permissions, user, DRAFT, {"business_area": "x"})
    assert not can(permissions, user, APPROVE, {"business_area": "x"})
    assert can(permissions, user, APPROVE, {"business_area": "y"})
    assert [g.role for g in permissions.of(user)] == ["editor", "approver"]
    assert ADMIN not in [g.role for g in permissions.of(user)]


def test_the_example_file_in_the_project_is_valid_and_names_taxonomy_ids(catalogue):
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "permissions.example.yaml"
    permissions = load_permissions(path)
    assert {g.role for grants in permissions.grants.values() for g in grants} == \
        {"editor", "approver", "admin"}
    assert unknown_scopes(permissions, list(catalogue.taxonomy.business_areas),
                          list(catalogue.taxonomy.departments)) == []
