"""Review: the changes waiting for approval (what, by whom, since when), each with what it
changes from the approved version; an approver approves or rejects one or many. Below, the
drafts not yet submitted (with why a rejected one came back), which an editor submits.

What is offered follows the user's permissions, but every action is checked again on the
server (jdcore.store.access) with the version the reviewer saw: a change that was changed
or reviewed by someone else since is refused and nothing is stored.
"""

import pandas as pd
import streamlit as st

from jdcore.model.text import escape_markdown
from jdcore.store import DRAFT, IN_REVIEW, RETIRED, Version, WorkspaceError
from jdcore.store.access import ApprovalRefused, review_label
from jdcore.store.diff import diff_frame, role_diff
from jdcore.store.editing import check_edit, check_edits, role_data
from jdcore.store.permissions import SUBMIT
from pages.common import current_catalogue, labels, show_table
from pages.signin import current_access
from pages.workspace_state import current_workspace

MAX_SHOWN = 50  # changes drawn one by one; the tables list them all
FLASH = "review_flash"  # session state: (done, refused) after an action
CHANGE_COLUMN = {"change": st.column_config.TextColumn(
    "Change", width=150, help="What approving it does: an edit, a new role, or a retirement")}


def pick_key(change: Version) -> str:
    return f"pick-{change.role_id}-{change.version}"


def act(kind: str, shown: list[tuple[str, int]]) -> None:
    """Approve, reject or submit the selected changes, as the version each was when drawn;
    what was done and what was refused (and why) is shown after the rerun."""
    access = current_access()  # the permissions as they are now, not when the page was drawn
    done, refused = [], []
    reason = st.session_state.get("reject-reason", "")
    picked = [(role_id, number) for role_id, number in shown
              if st.session_state.get(f"pick-{role_id}-{number}")]
    if kind == "approve" and picked:
        st.session_state[FLASH] = approve_together(access, picked)
        return
    for role_id, number in picked:
        try:
            if access is None:
                raise WorkspaceError("you are not signed in; nothing was changed")
            if kind == "reject":
                access.reject(role_id, number, reason)
                done.append(f"Rejected {role_id} version {number}: back to its author as a "
                            "draft.")
            else:
                saved = access.submit(role_id, number)
                done.append(f"Submitted {role_id} for review (version {saved.version}).")
        except WorkspaceError as error:
            refused.append(f"{role_id}: {error}")
    if not done and not refused:
        refused.append("Select at least one change first.")
    st.session_state[FLASH] = (done, refused)


def approve_together(access, picked: list[tuple[str, int]]) -> tuple[list[str], list[str]]:
    """Approve the picked changes as one: checked together over the current catalogue with
    all of them applied and stored in one transaction, or none of them (every refusal
    listed)."""
    live = current_workspace()
    snapshot = live.current() if live is not None else None
    try:
        if access is None or snapshot is None:
            raise WorkspaceError("you are not signed in, or the workspace cannot be opened; "
                                 "nothing was changed")
        saved = access.approve_many(picked, catalogue=snapshot.catalogue)
    except ApprovalRefused as refused:
        return [], [refused.headline, *refused.reasons]
    except WorkspaceError as error:
        return [], [str(error)]
    return [f"{'Retired' if v.status == RETIRED else 'Approved'} {v.role_id} (now version "
            f"{v.version})." for v in saved], []


def select_all(keys: list[str]) -> None:
    for key in keys:
        st.session_state[key] = True


def keyed_frame(frame: pd.DataFrame, key: str) -> None:
    with st.container(key=f"table-{key}"):
        st.dataframe(frame, hide_index=True, width="stretch")


current_catalogue()  # hands a first request to app.py, as every page does
st.title("Review")
live = current_workspace()
access = current_access()
if live is None or live.workspace is None or live.snapshot is None or access is None:
    st.info("Changes are reviewed in a workspace; this catalogue is a folder opened read-only.",
            icon=":material/lock:")
    st.stop()
workspace, catalogue, published = live.workspace, live.snapshot.catalogue, live.snapshot.versions
titles = labels(catalogue)
if FLASH in st.session_state:
    done, refused = st.session_state.pop(FLASH)
    if done:
        st.success(escape_markdown(" ".join(done)), icon=":material/check_circle:")
    for message in refused:
        st.error(escape_markdown(message), icon=":material/block:")

pending = workspace.pending()
in_review = [v for v in pending if v.status == IN_REVIEW]
drafts = [v for v in pending if v.status == DRAFT]


def title_of(change: Version) -> str:
    """The role's title in the catalogue; a new role's own title (or id), marked new."""
    if change.role_id in titles:
        return titles[change.role_id]
    title = role_data(change.document or "").get("title")
    return f"{title if isinstance(title, str) and title else change.role_id} (new role)"


def kind_of(change: Version) -> str:
    """What approving the change does, as the tables say it."""
    if change.retires:
        return "retirement pending"
    return "edit" if change.role_id in published else "new role"


st.header(f"Waiting for approval ({len(in_review)})")
if not in_review:
    st.info("No change is waiting for approval. An edit saved as In review, or a draft "
            "submitted below, appears here.", icon=":material/inbox:")
else:
    allowed = {v.role_id: access.may_approve(v) for v in in_review}
    frame = pd.DataFrame(
        [(v.role_id, title_of(v), kind_of(v), v.version, v.author, v.when, v.note,
          "yes" if allowed[v.role_id] else "no") for v in in_review],
        columns=["role_id", "title", "change", "version", "submitted_by", "since", "note",
                 "you_may_approve"])
    show_table(frame, "review", "review", column_config=CHANGE_COLUMN)
    shown = in_review[:MAX_SHOWN]
    if len(in_review) > MAX_SHOWN:
        st.caption(f"The first {MAX_SHOWN} are shown below; approve them to see the next.")
    # the changes shown, checked together (one catalogue with all of them applied): a
    # family of new roles whose lines point at each other passes only so.
    named_as = {v.role_id: review_label(v.role_id, v.version) for v in shown}
    together = check_edits(catalogue, {v.role_id: None if v.retires else v.document
                                               for v in shown}, named_as)
    # an error elsewhere (a cycle through an approved role, ...) names no change: then, or
    # when the changes cannot be patched in together, each is checked on its own
    alone = together.catalogue is None or any(p.file not in named_as.values()
                                              for p in together.errors)
    errors: dict[str, list] = {}
    needs: dict[str, list[str]] = {}
    for v in shown:
        if alone:
            errors[v.role_id] = list(check_edit(catalogue, v.role_id, v.document).errors)
            continue
        errors[v.role_id] = [p for p in together.errors if p.file == named_as[v.role_id]]
        data = role_data(v.document or "")
        named = {data.get("reports_to"), *(data.get("dotted_to") or [])}
        # a line to a role that is itself new in this review: alone, it would dangle
        others = [w for w in shown if w.role_id != v.role_id and w.role_id in named
                  and w.role_id not in titles]
        if others and not errors[v.role_id]:
            needs[v.role_id] = [title_of(w) for w in others]
    selectable = [pick_key(v) for v in shown if allowed[v.role_id] and not errors[v.role_id]]
    for change in shown:
        with st.container(border=True, key=f"change-{change.role_id}"):
            found = errors[change.role_id]
            may = allowed[change.role_id] and not found
            st.checkbox(f"**{escape_markdown(title_of(change))}**"
                        + (" · **retirement pending**" if change.retires else "")
                        + f" · version {change.version} "
                        f"by {escape_markdown(change.author)}, since {change.when}"
                        + (f" · “{escape_markdown(change.note)}”" if change.note else ""),
                        key=pick_key(change), disabled=not may)
            if not allowed[change.role_id]:
                st.caption("You may not approve this change (outside your permissions, or "
                           "your own).")
            if change.role_id in needs:
                st.caption("Its lines lead to a role that is new in this review, so alone it "
                           "would leave a dangling line; with the other changes waiting here "
                           "applied it leaves none: approve it together with "
                           f"{escape_markdown(', '.join(needs[change.role_id]))} (select them "
                           "all, then Approve selected).")
            if found:
                st.caption(f"It would leave {len(found)} error(s) in the catalogue; "
                           "it cannot be approved until its author fixes them:")
                keyed_frame(pd.DataFrame({"problem": [str(p) for p in found]}),
                            f"errors-{change.role_id}")
            before = published.get(change.role_id)
            old = workspace.version(change.role_id, before.version).document if before else ""
            changes = role_diff(old, change.document)
            label = (f"{len(changes)} change(s) from the approved version {before.version}"
                     if before else "A new role: not in the catalogue yet")
            if change.retires:
                st.caption("Approving this retires the role: it leaves the catalogue, its "
                           "versions kept. A role that reported to it moves by a change of its "
                           "own, listed here too.")
                label = ("Retirement pending: the role leaves the catalogue"
                         + (f"; {len(changes)} change(s) to its document from the approved "
                            f"version {before.version}" if before and changes else
                            f"; its document as approved (version {before.version})"
                            if before else ""))
            with st.expander(label, expanded=len(shown) == 1):
                keyed_frame(diff_frame(changes), f"diff-{change.role_id}")
    items = [(v.role_id, v.version) for v in shown]
    cols = st.columns([3, 2, 4, 2], vertical_alignment="bottom")
    cols[0].button("Select all I may approve", key="select-all", on_click=select_all,
                   args=(selectable,), disabled=not selectable, icon=":material/select_all:")
    cols[1].button("Approve selected", type="primary", key="approve-selected", on_click=act,
                   args=("approve", items), icon=":material/check:")
    cols[2].text_input("Reason for rejecting (its author reads it)", key="reject-reason",
                       max_chars=2000)
    cols[3].button("Reject selected", key="reject-selected", on_click=act,
                   args=("reject", items), icon=":material/undo:")

st.header(f"Drafts not yet submitted ({len(drafts)})")
if not drafts:
    st.caption("None. Imports and edits saved as drafts appear here until they are submitted.")
else:
    frame = pd.DataFrame(
        [(v.role_id, title_of(v), kind_of(v), v.version, v.author, v.when, v.note,
          v.reviewer if v.rejected else "", v.review_note if v.rejected else "")
         for v in drafts],
        columns=["role_id", "title", "change", "version", "author", "saved", "note",
                 "rejected_by", "reason"])
    show_table(frame, "drafts", "drafts", column_config=CHANGE_COLUMN)
    shown_drafts = drafts[:MAX_SHOWN]
    may_submit = {v.role_id: access.can(SUBMIT, v.document) for v in shown_drafts}
    chosen = st.multiselect(
        "Drafts to submit for review", [pick_key(v) for v in shown_drafts if may_submit[v.role_id]],
        format_func=lambda key: next(f"{title_of(v)} (version {v.version})"
                                     for v in shown_drafts if pick_key(v) == key),
        key="submit-choice")
    for key in [pick_key(v) for v in shown_drafts]:
        st.session_state[key] = key in chosen
    st.button("Submit for review", key="submit-selected", on_click=act,
              args=("submit", [(v.role_id, v.version) for v in shown_drafts]),
              disabled=not any(may_submit.values()), icon=":material/send:")
