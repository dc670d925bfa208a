"""The workspace as each user may use it (jdcore.store.access), on SQLite and PostgreSQL:
direct attempts at actions a user lacks are refused and store nothing; the review workflow
records who wrote and who approved; a stale review and two approvers at once are refused."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from permission_fixtures import as_, seeded_workspace

from jdcore.store import APPROVED, DRAFT, IN_REVIEW, Workspace, WorkspaceError, load_snapshot
from jdcore.store.access import PermissionDenied, StaleReview
from jdcore.store.permissions import User

ROOT = Path(__file__).resolve().parent.parent
EDITOR, APPROVER, APPROVER2, OWN, VIEWER, ADMIN = (User(e) for e in (
    "ed@example.org", "ap@example.org", "ap2@example.org", "own@example.org",
    "view@example.org", "admin@example.org"))


@pytest.fixture
def workspace(workspace_url):
    with seeded_workspace(workspace_url) as ws:
        yield ws


def retitled(document: str, title: str) -> str:
    return "".join(f"title: {title}\n" if line.startswith("title:") else line
                   for line in document.splitlines(keepends=True))


def submitted_change(workspace, title="Head of Sales (reviewed)"):
    """An edit of head-of-sales by the editor, submitted for review: the version in review."""
    base = workspace.latest("head-of-sales")
    return as_(workspace, EDITOR).save_role("head-of-sales", retitled(base.document, title),
                                            base.version, status=IN_REVIEW, note="retitled")


def test_an_editor_drafts_in_scope_as_themselves(workspace):
    base = workspace.latest("head-of-sales")
    draft = as_(workspace, EDITOR).save_role("head-of-sales", retitled(base.document, "X"),
                                             base.version, status=DRAFT, note="try")
    assert (draft.version, draft.status, draft.author, draft.reviewer) == \
        (2, DRAFT, "ed@example.org", None)
    assert load_snapshot(workspace).versions["head-of-sales"].version == 1  # not approved


@pytest.mark.parametrize("attempt", [
    "save as approved", "approve", "retire", "taxonomy", "outside scope", "move out of scope",
    "import outside scope", "viewer drafts"])
def test_a_direct_attempt_at_a_lacking_action_is_refused_and_stores_nothing(workspace, attempt):
    base = workspace.latest("head-of-sales")
    change = submitted_change(workspace)
    revision = workspace.revision()
    editor = as_(workspace, EDITOR)
    finance = workspace.latest("chief-accountant")
    moved = change.document.replace("department: sales", "department: marketing")
    assert moved != change.document
    attempts = {
        "save as approved": lambda: editor.save_role("head-of-sales", change.document,
                                                     change.version, status=APPROVED),
        "approve": lambda: editor.approve("head-of-sales", change.version),
        "retire": lambda: editor.retire("head-of-sales", change.version),
        "taxonomy": lambda: as_(workspace, APPROVER).save_taxonomy(
            workspace.current_taxonomy().document, 1),
        "outside scope": lambda: editor.save_role(
            "chief-accountant", retitled(finance.document, "Y"), finance.version),
        "move out of scope": lambda: editor.save_role("head-of-sales", moved, change.version),
        "import outside scope": lambda: editor.add_drafts(
            {"head-of-sales": base.document, "chief-accountant": finance.document}),
        "viewer drafts": lambda: as_(workspace, VIEWER).save_role(
            "head-of-sales", base.document, change.version),
    }
    with pytest.raises(PermissionDenied) as refused:
        attempts[attempt]()
    assert "Nothing was changed" in str(refused.value)
    assert workspace.revision() == revision
    assert workspace.latest("head-of-sales").version == change.version


def test_a_refusal_names_the_user_the_action_and_the_scope(workspace):
    change = submitted_change(workspace)
    with pytest.raises(PermissionDenied) as refused:
        as_(workspace, EDITOR).approve("head-of-sales", change.version)
    assert str(refused.value).startswith(
        "ed@example.org may not approve changes to roles in business area 'trade', department "
        "'sales': permissions.yaml gives them editor for department sales.")


def test_an_approval_records_the_author_and_the_approver_and_publishes(workspace):
    change = submitted_change(workspace)
    approved = as_(workspace, APPROVER).approve("head-of-sales", change.version, note="fine")
    assert (approved.version, approved.status, approved.author, approved.approver,
            approved.review_note) == (change.version + 1, APPROVED, "ed@example.org",
                                      "ap@example.org", "fine")
    assert approved.approved_at >= change.created_at
    snapshot = load_snapshot(workspace)
    assert snapshot.versions["head-of-sales"].version == approved.version
    titles = snapshot.catalogue.roles.set_index("role_id")["title"]
    assert titles["head-of-sales"] == "Head of Sales (reviewed)"


def test_an_approver_may_not_approve_their_own_change_unless_allowed(workspace):
    base = workspace.latest("head-of-sales")
    mine = as_(workspace, APPROVER).save_role("head-of-sales", retitled(base.document, "Mine"),
                                             base.version, status=IN_REVIEW)
    with pytest.raises(PermissionDenied, match="submitted this change to 'head-of-sales' and "
                                               "may not approve it too"):
        as_(workspace, APPROVER).approve("head-of-sales", mine.version)
    with pytest.raises(PermissionDenied, match="would approve their own change"):
        as_(workspace, APPROVER).save_role("head-of-sales", mine.document, mine.version,
                                           status=APPROVED)
    assert workspace.latest("head-of-sales").version == mine.version
    own = as_(workspace, OWN).save_role("head-of-sales", retitled(base.document, "Own"),
                                       mine.version, status=IN_REVIEW)
    assert as_(workspace, OWN).approve("head-of-sales", own.version).approver == \
        "own@example.org"


def test_a_rejection_goes_back_to_draft_with_its_reason(workspace):
    change = submitted_change(workspace)
    with pytest.raises(WorkspaceError, match="say why the change is rejected"):
        as_(workspace, APPROVER).reject("head-of-sales", change.version, "  ")
    assert workspace.latest("head-of-sales").version == change.version
    rejected = as_(workspace, APPROVER).reject("head-of-sales", change.version,
                                               "keep the department's name in the title")
    assert (rejected.status, rejected.author, rejected.reviewer, rejected.review_note,
            rejected.rejected, rejected.document) == (
        DRAFT, "ed@example.org", "ap@example.org", "keep the department's name in the title",
        True, change.document)
    assert load_snapshot(workspace).versions["head-of-sales"].version == 1
    again = as_(workspace, EDITOR).submit("head-of-sales", rejected.version)
    assert (again.status, again.author) == (IN_REVIEW, "ed@example.org")


def test_a_draft_must_be_submitted_before_it_is_approved(workspace):
    base = workspace.latest("head-of-sales")
    draft = as_(workspace, EDITOR).save_role("head-of-sales", retitled(base.document, "D"),
                                             base.version)
    with pytest.raises(WorkspaceError, match="its author submits it for review first"):
        as_(workspace, APPROVER).approve("head-of-sales", draft.version)
    assert workspace.latest("head-of-sales").version == draft.version


def test_a_stale_review_is_refused_and_stores_nothing(workspace):
    change = submitted_change(workspace)
    newer = as_(workspace, EDITOR).save_role("head-of-sales", retitled(change.document, "Newer"),
                                             change.version)
    revision = workspace.revision()
    for act in (lambda a: a.approve("head-of-sales", change.version),
                lambda a: a.reject("head-of-sales", change.version, "no")):
        with pytest.raises(StaleReview) as refused:
            act(as_(workspace, APPROVER))
        assert str(refused.value) == (
            f"'head-of-sales' version {change.version} can no longer be "
            f"{'approved' if 'approve' in str(refused.value) else 'rejected'}: ed@example.org "
            f"saved version {newer.version} (draft) at {newer.created_at:%H:%M} UTC. Nothing "
            "was changed; review the role's newest version.")
    assert workspace.revision() == revision


def test_two_approvers_at_once_let_exactly_one_through(workspace_url):
    setup = Workspace.open(workspace_url, create=True)
    setup.seed_from_folder(ROOT / "data")
    change = submitted_change(setup)
    sessions = [Workspace.open(workspace_url) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def act(n, workspace, user):
        access = as_(workspace, user)
        barrier.wait()
        try:
            if n == 0:
                outcomes[user.email] = access.approve("head-of-sales", change.version)
            else:
                outcomes[user.email] = access.reject("head-of-sales", change.version, "no")
        except StaleReview as refused:
            outcomes[user.email] = refused

    threads = [threading.Thread(target=act, args=(n, ws, user))
               for n, (ws, user) in enumerate(zip(sessions, (APPROVER, APPROVER2)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    refused = [o for o in outcomes.values() if isinstance(o, StaleReview)]
    stored = [o for o in outcomes.values() if not isinstance(o, StaleReview)]
    assert len(refused) == 1 and len(stored) == 1
    winner = stored[0]
    verb = "approved" if winner.status == APPROVED else "rejected"
    assert f"{winner.reviewer} {verb} it at" in str(refused[0])
    history = setup.history("head-of-sales")
    assert [v.version for v in history] == [1, change.version, change.version + 1]
    for ws in sessions + [setup]:
        ws.close()


def test_an_admin_changes_the_taxonomy_as_themselves(workspace):
    taxonomy = workspace.current_taxonomy()
    saved = as_(workspace, ADMIN).save_taxonomy(taxonomy.document, taxonomy.version,
                                                note="same")
    assert (saved.version, saved.author) == (taxonomy.version + 1, "admin@example.org")


def test_an_import_in_scope_lands_as_the_editors_drafts(workspace):
    base = workspace.latest("head-of-sales")
    drafts = as_(workspace, EDITOR).add_drafts({"head-of-sales": retitled(base.document, "I")},
                                               note="imported from x.zip")
    assert [(d.role_id, d.status, d.author) for d in drafts] == \
        [("head-of-sales", DRAFT, "ed@example.org")]


def test_a_workspace_of_the_first_schema_upgrades_keeping_its_versions(workspace_url):
    """Revision 0002 adds the review columns on top of 0001: the versions stored before
    stay, read as approved by their author, and the schema then matches store/schema.py."""
    from alembic import command
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from jdcore.store.database import alembic_config, create_workspace_engine
    from jdcore.store.schema import metadata

    engine = create_workspace_engine(workspace_url, create=True)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        connection.exec_driver_sql(
            "INSERT INTO role_versions (role_id, version, status, document, author, created_at,"
            " note, base_version) VALUES ('old-role', 1, 'approved', 'id: old-role', 'kim', "
            "'2026-01-02 03:04:05', 'before reviews', 0)")
    engine.dispose()
    ws = Workspace.open(workspace_url)
    old = ws.latest("old-role")
    assert (old.author, old.note, old.reviewer, old.approver) == \
        ("kim", "before reviews", None, "kim")
    with ws.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    ws.close()


def test_pages_write_only_through_the_users_access():
    """A page that called the workspace's writes directly would skip the permission check:
    every such call in pages/ is on `access` (pages.signin.current_access)."""
    import ast

    writes = {"save_role", "approve", "reject", "submit", "retire", "restore", "add_drafts",
              "save_taxonomy", "approve_all", "approve_many"}
    direct = []
    for path in sorted((ROOT / "pages").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in writes:
                owner = node.func.value
                if not (isinstance(owner, ast.Name) and owner.id == "access"):
                    direct.append(f"{path.name}:{node.lineno}: .{node.func.attr}(...)")
    assert direct == []


def test_an_import_that_adds_to_the_taxonomy_takes_an_admin(workspace):
    base = workspace.latest("head-of-sales")
    taxonomy = workspace.current_taxonomy()
    revision = workspace.revision()
    with pytest.raises(PermissionDenied, match="ed@example.org may not change the taxonomy"):
        as_(workspace, EDITOR).add_drafts({"head-of-sales": retitled(base.document, "T")},
                                          taxonomy=(taxonomy.document, taxonomy.version))
    assert workspace.revision() == revision
    drafts = as_(workspace, ADMIN).add_drafts({"head-of-sales": retitled(base.document, "T")},
                                              taxonomy=(taxonomy.document, taxonomy.version))
    assert [d.author for d in drafts] == ["admin@example.org"]
    assert workspace.current_taxonomy().version == taxonomy.version + 1
