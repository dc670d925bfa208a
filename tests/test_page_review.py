"""AppTest runs of the Review page and of what each signed-in user may do (sign-in on, a
permissions file), each on a workspace of its own; and the switch that shows the catalogue
with pending changes applied."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from apptest_tables import table as table_of
from permission_fixtures import AUTH, TEAM_PERMISSIONS, page, team_workspace, text
from jdcore.model.text import escape_markdown
from jdcore.store import APPROVED, DRAFT, IN_REVIEW, Workspace

ROOT = Path(__file__).resolve().parent.parent
PERMISSIONS = TEAM_PERMISSIONS


@pytest.fixture
def workspace_file(tmp_path, monkeypatch) -> str:
    return team_workspace(tmp_path, monkeypatch, "review")


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def in_review(url: str, author: str, title: str = "Head of Sales (proposed)"):
    ws = Workspace.open(url)
    base = ws.latest("head-of-sales")
    document = "".join(f"title: {title}\n" if line.startswith("title:") else line
                       for line in base.document.splitlines(keepends=True))
    assert document != base.document
    change = ws.save_role("head-of-sales", document, base.version, status=IN_REVIEW,
                          author=author, note="shorter title")
    ws.close()
    return change


def latest(url: str):
    ws = Workspace.open(url)
    try:
        return ws.latest("head-of-sales")
    finally:
        ws.close()


def test_a_pending_change_is_listed_with_who_since_when_and_its_difference(workspace_file):
    change = in_review(workspace_file, "ed@example.org")
    at = page("review", "ap@example.org")
    listed = table_of(at, "review")
    assert listed[["role_id", "version", "submitted_by", "note", "you_may_approve"]].astype(
        str).to_dict("records") == [{"role_id": "head-of-sales", "version": str(change.version),
                                     "submitted_by": "ed@example.org", "note": "shorter title",
                                     "you_may_approve": "yes"}]
    assert listed["since"].iloc[0] == change.when
    diff = table_of(at, "diff-head-of-sales")
    assert diff.to_dict("records") == [{"section": "title", "change": "changed",
                                        "old": "Head of Sales Department",
                                        "new": "Head of Sales (proposed)"}]


def test_an_approver_approves_and_the_version_records_both_people(workspace_file):
    change = in_review(workspace_file, "ed@example.org")
    at = page("review", "ap@example.org")
    at.checkbox(key=f"pick-head-of-sales-{change.version}").check().run()
    button(at, "Approve selected").click().run()
    assert not at.exception
    assert text(at.success[0]).startswith("Approved head-of-sales")
    approved = latest(workspace_file)
    assert (approved.status, approved.author, approved.approver) == \
        (APPROVED, "ed@example.org", "ap@example.org")
    catalogue = page("catalogue", "view@example.org")
    assert "Head of Sales (proposed)" in [o for o in catalogue.selectbox(key="role").options]


def test_an_editors_forged_approval_is_refused_and_nothing_changes(workspace_file):
    change = in_review(workspace_file, "ap@example.org")
    at = page("review", "ed@example.org")
    key = f"pick-head-of-sales-{change.version}"
    assert at.checkbox(key=key).disabled  # not offered ...
    at.session_state[key] = True          # ... and sent anyway, as a forged request would
    at.run()
    button(at, "Approve selected").click().run()
    assert not at.exception
    assert any(text(e).startswith("head-of-sales: ed@example.org may not approve changes")
               for e in at.error)
    assert latest(workspace_file).version == change.version


def test_an_approver_may_not_approve_their_own_change(workspace_file):
    change = in_review(workspace_file, "ap@example.org")
    at = page("review", "ap@example.org")
    assert table_of(at, "review")["you_may_approve"].tolist() == ["no"]
    at.session_state[f"pick-head-of-sales-{change.version}"] = True  # forced, not offered
    at.run()
    button(at, "Approve selected").click().run()
    assert any("submitted this change to 'head-of-sales' and may not approve it too"
               in text(e) for e in at.error)
    assert latest(workspace_file).version == change.version


def test_a_review_that_went_stale_while_open_is_refused(workspace_file):
    change = in_review(workspace_file, "ed@example.org")
    at = page("review", "ap@example.org")
    at.checkbox(key=f"pick-head-of-sales-{change.version}").check()
    newer = in_review(workspace_file, "ed@example.org", "Head of Sales (second thoughts)")
    button(at, "Approve selected").click().run()
    assert not at.exception
    assert any(f"version {change.version} can no longer be approved: ed@example.org saved "
               f"version {newer.version} (in review)" in text(e) for e in at.error)
    assert latest(workspace_file).version == newer.version


def test_a_rejection_sends_the_change_back_with_its_reason(workspace_file):
    change = in_review(workspace_file, "ed@example.org")
    at = page("review", "ap@example.org")
    at.checkbox(key=f"pick-head-of-sales-{change.version}").check()
    at.text_input(key="reject-reason").set_value("keep the department in the title")
    button(at, "Reject selected").click().run()
    assert not at.exception
    rejected = latest(workspace_file)
    assert (rejected.status, rejected.reviewer, rejected.review_note) == \
        (DRAFT, "ap@example.org", "keep the department in the title")
    drafts = table_of(at, "drafts")
    assert drafts[["role_id", "rejected_by", "reason"]].to_dict("records") == [
        {"role_id": "head-of-sales", "rejected_by": "ap@example.org",
         "reason": "keep the department in the title"}]
    edit = page("edit", "ed@example.org", {"role": "Head of Sales Department"})
    assert any("rejected by ap@example.org" in text(w) and "keep the department in the "
               "title" in text(w) for w in edit.warning)


def test_what_the_edit_page_offers_follows_the_permissions(workspace_file):
    editor = page("edit", "ed@example.org", {"role": "Head of Sales Department"})
    assert editor.selectbox(key="e-head-of-sales-1-0-status").options == ["Draft", "In review"]
    assert not [b for b in editor.button if b.label == "Retire"]
    outside = page("edit", "ed@example.org", {"role": "Chief Accountant"})
    assert any("may read this role but not change it" in text(i) for i in outside.info)
    viewer = page("edit", "view@example.org", {"role": "Head of Sales Department"})
    assert any("view@example.org may not draft changes to roles" in text(i)
               for i in viewer.info)
    single = page("edit", None, {"role": "Head of Sales Department"})
    assert single.selectbox(key="e-head-of-sales-1-0-status").options == \
        ["Approved (in the catalogue)", "Draft", "In review"]


def test_an_editors_save_is_a_draft_by_them_that_leaves_the_catalogue_alone(workspace_file):
    at = page("edit", "ed@example.org", {"role": "Head of Sales Department"})
    at.text_input(key="e-head-of-sales-1-0-title").set_value("Head of Sales (draft)").run()
    button(at, "Save").click().run()
    assert not at.exception
    saved = latest(workspace_file)
    assert (saved.status, saved.author) == (DRAFT, "ed@example.org")
    catalogue = page("catalogue", "ed@example.org")
    assert "Head of Sales Department" in catalogue.selectbox(key="role").options


def test_the_pending_switch_shows_the_changes_applied_and_says_so(workspace_file):
    in_review(workspace_file, "ed@example.org")
    at = page("catalogue", "view@example.org")
    assert "Head of Sales Department" in at.selectbox(key="role").options
    assert "Head of Sales (proposed)" not in at.selectbox(key="role").options
    assert not at.toggle(key="show_pending").value
    assert not [w for w in at.warning if "pending change" in text(w)]
    pending = page("catalogue", "view@example.org", session={"show_pending": True})
    assert pending.toggle(key="show_pending").value
    assert "Head of Sales (proposed)" in pending.selectbox(key="role").options
    assert "Head of Sales Department" not in pending.selectbox(key="role").options
    assert [text(w) for w in pending.warning if "pending change" in text(w)] == [
        "Showing the catalogue with 1 pending change(s) applied: drafts and changes in "
        "review, not approved. Switch off *Show pending changes* in the sidebar for the "
        "approved catalogue."]


def test_with_sign_in_configured_nobody_sees_a_page_before_signing_in(workspace_file):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False}
    at.switch_page("pages/catalogue.py")
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.selectbox and not at.dataframe


def test_a_broken_permissions_file_lets_everyone_only_read_and_says_why(workspace_file,
                                                                         tmp_path, monkeypatch):
    broken = tmp_path / "broken.yaml"
    broken.write_text("users:\n  - email: ed@example.org\n    role: edtor\n", encoding="utf-8")
    monkeypatch.setenv("JDCORE_PERMISSIONS", str(broken))
    at = page("edit", "ed@example.org", {"role": "Head of Sales Department"})
    assert any("role: 'edtor' is not a role" in text(e) and "may only read" in text(e)
               for e in at.sidebar.error)
    assert any("may read this role but not change it" in text(i) for i in at.info)


def test_an_approved_job_description_exports_with_its_version_date_and_approver(
        workspace_file):
    import io
    import posixpath

    import docx
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    change = in_review(workspace_file, "ed@example.org")
    at = page("review", "ap@example.org")
    at.checkbox(key=f"pick-head-of-sales-{change.version}").check().run()
    button(at, "Approve selected").click().run()
    approved = latest(workspace_file)
    day = f"{approved.approved_at:%Y-%m-%d}"
    stored = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self, data, mimetype, kind, filename=None):
        file_id = original(self, data, mimetype, kind, filename)
        stored[file_id] = data
        return file_id

    MemoryMediaFileStorage.load_and_get_id = recording
    try:
        export = page("export", "view@example.org", {"role": "Head of Sales (proposed)"})
    finally:
        MemoryMediaFileStorage.load_and_get_id = original
    files = {b.key: stored[posixpath.splitext(posixpath.basename(b.proto.url))[0]]
             for b in export.download_button}
    label = f"{approved.version}, approved {day} by ap@example.org"
    markdown = files["download-md"].decode("utf-8")
    assert f"*Job description · Version: {escape_markdown(label)}*" in markdown
    html = files["download-html"].decode("utf-8")
    assert f"Version: {label}" in html
    word = docx.Document(io.BytesIO(files["download-docx"]))
    assert f"Version: {label}" in "\n".join(p.text for p in word.paragraphs)
    assert f"Version: {label}" in "\n".join(
        p.text for p in word.sections[0].header.paragraphs)


def submit_family(url: str):
    """Two new sales roles in review by the editor, the second reporting to the first (which
    is not in the catalogue yet): (parent, child) versions."""
    from jdcore.formats.writer import dump_yaml
    from jdcore.store.editing import role_data

    ws = Workspace.open(url)
    try:
        data = role_data(ws.latest("head-of-sales").document)
        family = []
        for role_id, title, manager in (("head-of-key-accounts", "Head of Key Accounts",
                                         "head-of-sales"),
                                        ("key-account-manager", "Key Account Manager",
                                         "head-of-key-accounts")):
            family.append(ws.save_role(role_id, dump_yaml({**data, "id": role_id,
                                                           "title": title,
                                                           "reports_to": manager}),
                                       0, status=IN_REVIEW, author="ed@example.org"))
        return tuple(family)
    finally:
        ws.close()


def test_a_family_that_depends_on_itself_is_approved_at_once(workspace_file):
    parent, child = submit_family(workspace_file)
    at = page("review", "ap@example.org")
    pick = at.checkbox(key=f"pick-key-account-manager-{child.version}")
    assert not pick.disabled  # alone it dangles; with its manager's change it does not
    captions = [text(c) for c in at.get("caption")]
    assert any(c.startswith("Its lines lead to a role that is new in this review") and
               "Head of Key Accounts (new role)" in c for c in captions), captions
    # the manager's own change needs nothing else
    assert sum("new in this review" in c for c in captions) == 1
    pick.check()
    at.checkbox(key=f"pick-head-of-key-accounts-{parent.version}").check()
    button(at, "Approve selected").click().run()
    assert not at.exception
    assert not at.error, [text(e) for e in at.error]
    assert text(at.success[0]) == ("Approved head-of-key-accounts (now version 2). "
                                   "Approved key-account-manager (now version 2).")
    ws = Workspace.open(workspace_file)
    try:
        assert [ws.latest(v.role_id).status for v in (parent, child)] == [APPROVED, APPROVED]
        assert ws.pending() == []
    finally:
        ws.close()
    catalogue = page("catalogue", "view@example.org")
    assert {"Head of Key Accounts", "Key Account Manager"} <= set(
        catalogue.selectbox(key="role").options)


def test_the_child_of_a_family_alone_is_refused_and_nothing_changes(workspace_file):
    parent, child = submit_family(workspace_file)
    at = page("review", "ap@example.org")
    at.checkbox(key=f"pick-key-account-manager-{child.version}").check()
    button(at, "Approve selected").click().run()
    assert not at.exception
    errors = [text(e) for e in at.error]
    assert errors[0].startswith("Nothing was approved: the 1 selected change(s), applied "
                                "together, would leave 1 error(s) in the catalogue")
    assert errors[1].startswith("roles/key-account-manager.yaml (version 1, in review):")
    assert "reports_to" in errors[1] and errors[1].endswith(
        "(head-of-key-accounts waits for approval too: select it with this change)")
    ws = Workspace.open(workspace_file)
    try:
        assert {v.role_id for v in ws.pending()} == {"head-of-key-accounts",
                                                    "key-account-manager"}
    finally:
        ws.close()


def test_a_scenarios_retirement_is_reviewed_as_pending_and_approving_it_retires(
        workspace_file):
    from jdcore.analysis.scenario import Change, apply_scenario
    from jdcore.store import RETIRED, load_snapshot
    from jdcore.store.catalogue import revision_highest
    from jdcore.store.scenario_drafts import submit_scenario

    ws = Workspace.open(workspace_file)
    snapshot = load_snapshot(ws)
    result = apply_scenario(snapshot.catalogue, [Change("retire", "head-of-logistics")],
                            name="Logistics out")
    for draft in submit_scenario(ws, snapshot, result, revision_highest(snapshot.revision),
                                 author="ed@example.org"):
        ws.submit(draft.role_id, draft.version, author="ed@example.org")
    ws.close()
    at = page("review", "ap@example.org")
    listed = table_of(at, "review").set_index("role_id")["change"].to_dict()
    assert listed.pop("head-of-logistics") == "retirement pending"
    assert listed and set(listed.values()) == {"edit"}  # its reports, moved up
    [box] = [b for b in at.checkbox if b.key.startswith("pick-head-of-logistics-")]
    assert "retirement pending" in box.label
    assert any(e.label.startswith("Retirement pending: the role leaves the catalogue")
               for e in at.expander)
    button(at, "Select all I may approve").click().run()
    button(at, "Approve selected").click().run()
    assert not at.exception
    assert [e for e in at.error] == []
    [done] = at.success
    assert "Retired head-of-logistics (now version" in text(done)
    ws = Workspace.open(workspace_file)
    try:
        assert ws.latest("head-of-logistics").status == RETIRED
        after = load_snapshot(ws).catalogue
        assert "head-of-logistics" not in set(after.roles["role_id"])
        assert after.errors == []
        assert ws.pending() == []
    finally:
        ws.close()


def test_a_link_with_the_pending_switch_opens_the_catalogue_with_pending_changes(
        workspace_file):
    in_review(workspace_file, "ed@example.org")
    shared = page("catalogue", "view@example.org", query={"show_pending": "true"})
    assert shared.toggle(key="show_pending").value
    assert "Head of Sales (proposed)" in shared.selectbox(key="role").options
    assert [text(w) for w in shared.warning if "pending change" in text(w)] == [
        "Showing the catalogue with 1 pending change(s) applied: drafts and changes in "
        "review, not approved. Switch off *Show pending changes* in the sidebar for the "
        "approved catalogue."]
    assert not [w for w in shared.warning if "ignored" in text(w)]  # every page reads it
    assert shared.query_params["show_pending"] == "true"
    # switched off, the link says so no more
    shared.toggle(key="show_pending").set_value(False).run()
    assert "show_pending" not in shared.query_params
    assert "Head of Sales Department" in shared.selectbox(key="role").options


def test_a_pending_switch_in_a_link_that_is_neither_true_nor_false_is_said_ignored(
        workspace_file):
    in_review(workspace_file, "ed@example.org")
    at = page("duties", "view@example.org", query={"show_pending": "yes please"})
    assert not at.toggle(key="show_pending").value
    assert [text(w) for w in at.warning if "show_pending" in text(w)] == [
        "This link's show_pending “yes please” is neither true nor false, so it was ignored: "
        "the approved catalogue is shown."]
    assert not [w for w in at.warning if "pending change(s) applied" in text(w)]
