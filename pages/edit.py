"""Edit: change a role, create one, duplicate or retire one; its history and the difference
between any two versions. A change is saved as a draft, in review (for the Review page) or,
for a user who may approve their own changes, approved straight away.

Every save is a new version in the workspace. The edit is checked live over the whole
catalogue with the edit in place (jdcore.store.editing.check_edit): errors block the save,
warnings are shown. A save on top of a version that is no longer the newest is refused by
the workspace, with who saved and when, and the user can re-apply their changes on top.
Every save goes through the signed-in user's access (pages.signin.current_access), which
checks their permission on the server whatever this page offered.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from jdcore.model.problems import problems_frame
from jdcore.model.schema import AUTHORITY_SCALES
from jdcore.model.text import escape_markdown
from jdcore.store import APPROVED, DRAFT, IN_REVIEW, ConflictError, WorkspaceError
from jdcore.store.diff import diff_frame, role_diff
from jdcore.store.editing import ITEM_COLUMNS, RoleEdit, check_edit, new_role_document, with_id
from jdcore.store.merge import MINE, THEIRS, reapply
from jdcore.store.permissions import DRAFT as DRAFT_ACTION, RETIRE, SUBMIT
from jdcore.store.workspace import check_role_id
from pages.common import current_catalogue, labels, show_check, show_table
from pages.signin import current_access
from pages.workspace_state import current_workspace

EDIT, NEW = "Edit a role", "New role"
STATE = "edit_state"      # session state: role id -> {"base": version, "start": document, "gen": n}
CONFLICT = "edit_conflict"  # session state: role id -> what a refused save needs to re-apply
FLASH = "edit_flash"      # session state: a message to show after the rerun that follows a save
SAVE_STATUSES = {APPROVED: "Approved (in the catalogue)", DRAFT: "Draft",
                 IN_REVIEW: "In review"}

catalogue = current_catalogue()
st.title("Edit")
live = current_workspace()
if live is None or live.workspace is None or live.snapshot is None:
    st.info("This catalogue is a folder opened read-only. To edit, open a workspace: set "
            "JDCORE_WORKSPACE to an SQLAlchemy URL (or leave JDCORE_CATALOGUE unset to use "
            "the embedded workspace).", icon=":material/lock:")
    st.stop()
catalogue = live.snapshot.catalogue  # the workspace's, even while this session explores an import
if catalogue.taxonomy is None:
    st.error("The workspace's taxonomy cannot be read; fix it before editing roles.")
    st.stop()
workspace, taxonomy = live.workspace, catalogue.taxonomy
access = current_access()
if access is None:
    st.info("Sign in to edit.", icon=":material/lock:")
    st.stop()
titles = labels(catalogue)
states = st.session_state.setdefault(STATE, {})
conflicts = st.session_state.setdefault(CONFLICT, {})
if FLASH in st.session_state:
    st.success(escape_markdown(st.session_state.pop(FLASH)), icon=":material/check_circle:")

all_roles = workspace.role_ids()
role_choices = list(all_roles)


def role_name(role_id: str | None) -> str:
    if role_id is None:
        return "(none)"
    return titles.get(role_id, f"{role_id} (not in the catalogue)")


def keyed_frame(frame: pd.DataFrame, key: str) -> None:
    """A table without a download, in the container table-<key> (tests find it by key)."""
    with st.container(key=f"table-{key}"):
        st.dataframe(frame, hide_index=True, width="stretch")


def options_of(values) -> list[str]:
    return [str(v) for v in values]


def role_form(prefix: str, start: RoleEdit, role_id: str, id_fixed: bool = True) -> RoleEdit:
    """Every field of a role as widgets, starting from `start`; the edit they now hold."""
    f = dict(start.fields)
    others = [r for r in catalogue.roles["role_id"] if r != role_id]
    cols = st.columns([3, 2])
    f["title"] = cols[0].text_input("Title", value=f.get("title") or "", key=f"{prefix}title")
    cols[1].text_input("Id", value=role_id, disabled=id_fixed, key=f"{prefix}id")
    f["id"] = role_id

    def pick(column, label, vocabulary, current, key):
        choices = options_of(vocabulary)
        if current is not None and str(current) not in choices:
            choices = [str(current)] + choices  # keep an unknown value visible; checks flag it
        index = choices.index(str(current)) if current is not None else None
        return column.selectbox(label, choices, index=index, key=f"{prefix}{key}",
                                format_func=lambda v: str(vocabulary.get(v, v))
                                if isinstance(vocabulary, dict) else v)

    cols = st.columns(3)
    f["department"] = pick(cols[0], "Department", taxonomy.departments, f.get("department"),
                           "department")
    f["business_area"] = pick(cols[1], "Business area", taxonomy.business_areas,
                              f.get("business_area"), "business_area")
    f["grade"] = pick(cols[2], "Grade", {g.id: g.name for g in taxonomy.grades}, f.get("grade"),
                      "grade")
    cols = st.columns([2, 3, 1])
    manager_choices = [None] + others
    current_manager = f.get("reports_to")
    if current_manager is not None and current_manager not in manager_choices:
        manager_choices.append(current_manager)
    f["reports_to"] = cols[0].selectbox(
        "Reports to", manager_choices, index=manager_choices.index(current_manager),
        format_func=role_name, key=f"{prefix}reports_to")
    dotted = [t for t in f.get("dotted_to") or []]
    f["dotted_to"] = cols[1].multiselect("Dotted lines to", sorted(set(others) | set(dotted)),
                                         default=dotted, format_func=role_name,
                                         key=f"{prefix}dotted_to")
    headcount = pd.to_numeric(f.get("headcount"), errors="coerce")
    f["headcount"] = cols[2].number_input("Headcount", min_value=1, step=1,
                                          value=int(headcount) if pd.notna(headcount) else 1,
                                          key=f"{prefix}headcount")
    f["summary"] = st.text_area("Summary", value=f.get("summary") or "", key=f"{prefix}summary")
    cols = st.columns(3)
    f["source_document"] = cols[0].text_input("Source document",
                                              value=f.get("source_document") or "",
                                              key=f"{prefix}source_document")
    try:
        modified = dt.date.fromisoformat(str(f.get("source_modified")))
    except ValueError:
        modified = dt.date.today()
    f["source_modified"] = cols[1].date_input("Source modified", value=modified,
                                              key=f"{prefix}source_modified").isoformat()
    f["source_note"] = pick(cols[2], "Source note", taxonomy.source_notes, f.get("source_note"),
                            "source_note")

    st.subheader("Responsibilities")
    tables = {}
    select = st.column_config.SelectboxColumn
    configs = {
        "responsibilities": {
            "text": st.column_config.TextColumn("Duty", width="large", required=True),
            "category": select("Category", options=options_of(taxonomy.duty_categories),
                               required=True),
            "frequency": select("Frequency", options=options_of(taxonomy.frequencies),
                                required=True),
            "time_share": st.column_config.NumberColumn("Time share %", min_value=0,
                                                        max_value=100, required=True),
            "essential": st.column_config.CheckboxColumn("Essential", default=False),
            "source": select("Source", options=options_of(taxonomy.source_notes))},
        "qualities": {"kind": select("Kind", options=options_of(taxonomy.quality_kinds),
                                     required=True),
                      "source": select("Source", options=options_of(taxonomy.source_notes))},
        "requirements": {"kind": select("Kind", options=options_of(taxonomy.requirement_kinds),
                                        required=True),
                         "years": st.column_config.NumberColumn("Years", min_value=0,
                                                                max_value=60, step=1),
                         "source": select("Source", options=options_of(taxonomy.source_notes))},
        "rights": {"area": select("Area", options=options_of(taxonomy.decision_right_areas),
                                  required=True),
                   "scope": select("Scope", options=options_of(taxonomy.decision_right_scopes),
                                   required=True),
                   "source": select("Source", options=options_of(taxonomy.source_notes))},
        "interactions": {
            "with": st.column_config.TextColumn(
                "With", help="a role id, or external: and the party (external: customers)"),
            "direction": select("Direction", options=options_of(taxonomy.interaction_directions)),
            "kind": select("Kind", options=options_of(taxonomy.interaction_kinds)),
            "source": select("Source", options=options_of(taxonomy.source_notes))},
        "accountabilities": {
            "text": st.column_config.TextColumn("Answers for", required=True),
            "source": select("Source", options=options_of(taxonomy.source_notes))},
        "kpis": {"source": select("Source", options=options_of(taxonomy.source_notes))},
    }
    tables["responsibilities"] = st.data_editor(
        start.tables["responsibilities"], num_rows="dynamic", hide_index=True,
        column_config=configs["responsibilities"], key=f"{prefix}responsibilities")
    shares = pd.to_numeric(tables["responsibilities"]["time_share"], errors="coerce").sum()
    st.caption(f"Time shares add up to {shares:g} %.")
    cols = st.columns(2, gap="large")
    for column, name, title in ((cols[0], "qualities", "Qualities"),
                                (cols[1], "requirements", "Requirements")):
        with column:
            st.subheader(title)
            tables[name] = st.data_editor(start.tables[name], num_rows="dynamic",
                                          hide_index=True, column_config=configs[name],
                                          key=f"{prefix}{name}")
    for name, title in (("rights", "Decision rights"), ("accountabilities", "Accountability"),
                        ("interactions", "Interactions"), ("kpis", "Key results")):
        st.subheader(title)
        tables[name] = st.data_editor(start.tables[name], num_rows="dynamic", hide_index=True,
                                      column_config=configs[name], key=f"{prefix}{name}")

    st.subheader("Authority and workload")
    cols = st.columns(4)
    for column, scale in zip(cols, AUTHORITY_SCALES):
        value = pd.to_numeric(f.get(scale), errors="coerce")
        f[scale] = column.slider(scale.replace("_", " ").capitalize(), 1, 5,
                                 int(value) if pd.notna(value) and 1 <= value <= 5 else 3,
                                 key=f"{prefix}{scale}")
    cols = st.columns(3)
    hours = pd.to_numeric(f.get("weekly_hours"), errors="coerce")
    f["weekly_hours"] = cols[0].number_input("Weekly hours", min_value=0.0, max_value=168.0,
                                             value=float(hours) if pd.notna(hours) else 40.0,
                                             key=f"{prefix}weekly_hours")
    pressure = pd.to_numeric(f.get("time_pressure"), errors="coerce")
    f["time_pressure"] = cols[1].slider("Time pressure", 1, 5,
                                        int(pressure) if pd.notna(pressure) else 3,
                                        key=f"{prefix}time_pressure")
    travel = pd.to_numeric(f.get("travel_share"), errors="coerce")
    f["travel_share"] = cols[2].number_input("Travel share %", min_value=0.0, max_value=100.0,
                                             value=float(travel) if pd.notna(travel) else 0.0,
                                             key=f"{prefix}travel_share")
    steps = [t for t in f.get("career_next") or []]
    f["career_next"] = st.multiselect("Next career steps", sorted(set(others) | set(steps)),
                                      default=steps, format_func=role_name,
                                      key=f"{prefix}career_next")
    return RoleEdit(f, tables)


def statuses_for(*documents: str | None) -> list[str]:
    """The statuses this user may save a change as (approved only for one who may approve
    their own change)."""
    return [status for status in SAVE_STATUSES
            if (status == APPROVED and access.may_publish(*documents))
            or (status == DRAFT and access.can(DRAFT_ACTION, *documents))
            or (status == IN_REVIEW and access.can(SUBMIT, *documents))]


def save_controls(prefix: str, role_id: str, document: str, base_version: int, check,
                  changed: bool, before: str | None) -> None:
    """Status, note and the Save button; the save itself and what a refusal shows."""
    cols = st.columns([2, 4, 2], vertical_alignment="bottom")
    status = cols[0].selectbox("Save as", statuses_for(document, before),
                               format_func=SAVE_STATUSES.get, key=f"{prefix}status")
    note = cols[1].text_input("Note (what changed and why)", key=f"{prefix}note",
                              max_chars=2000)
    blocked = not check.ok or not changed or status is None
    if status is None:
        st.caption(escape_markdown(access.refusal(DRAFT_ACTION, document, before)))
    if cols[2].button("Save", type="primary", disabled=blocked, key=f"{prefix}save",
                      icon=":material/save:"):
        try:
            saved = access.save_role(role_id, document, base_version, status=status,
                                     note=note)
        except ConflictError as refused:
            conflicts[role_id] = {"base": base_version, "mine": document,
                                  "current": refused.current.version,
                                  "message": str(refused)}
            st.rerun()
        except WorkspaceError as failed:
            st.error(escape_markdown(str(failed)), icon=":material/error:")
            return
        states[role_id] = {"base": saved.version, "start": saved.document,
                           "gen": states.get(role_id, {}).get("gen", 0) + 1}
        conflicts.pop(role_id, None)
        st.session_state[FLASH] = (f"Saved {role_id} as version {saved.version} "
                                   f"({saved.status}).")
        st.rerun()
    if not changed:
        st.caption("No changes yet.")


def show_conflict(role_id: str) -> None:
    """A refused save: the message, what the other save changed, the user's own changes, and
    a way to re-apply them on top of the newest version."""
    conflict = conflicts[role_id]
    st.error(escape_markdown(conflict["message"]), icon=":material/sync_problem:")
    base = workspace.version(role_id, conflict["base"])
    current = workspace.version(role_id, conflict["current"])
    cols = st.columns(2, gap="large")
    with cols[0]:
        st.markdown(f"**What version {current.version} changed** (by "
                    f"{escape_markdown(current.author)})")
        keyed_frame(diff_frame(role_diff(base.document, current.document)), "conflict-theirs")
    with cols[1]:
        st.markdown("**Your changes** (not saved)")
        keyed_frame(diff_frame(role_diff(base.document, conflict["mine"])), "conflict-mine")
    merge = conflict.get("merge")
    if merge is None:
        if st.button(f"Re-apply my changes on top of version {current.version}",
                     key="reapply", icon=":material/merge:"):
            merge = reapply(base.document, conflict["mine"], current.document)
            if merge.conflicts:
                conflict["merge"] = merge  # the user chooses, below
            else:
                start_from(role_id, current.version, merge.document())
                st.session_state[FLASH] = (f"Your changes are re-applied on top of version "
                                           f"{current.version}. Check them, then save.")
            st.rerun()
        return
    choose_merge(role_id, current.version, merge)


def start_from(role_id: str, version: int, document: str) -> None:
    """Edit `document` as a change on top of `version`."""
    states[role_id] = {"base": version, "start": document,
                       "gen": states.get(role_id, {}).get("gen", 0) + 1}
    conflicts.pop(role_id, None)


def choose_merge(role_id: str, version: int, merge) -> None:
    """Where both changed the same thing differently: each place, and a choice of side."""
    st.warning(f"Both of you changed {len(merge.conflicts)} place(s) differently. Choose "
               "whose value to keep in each; every other change of yours and theirs is kept.",
               icon=":material/call_split:")
    keyed_frame(pd.DataFrame([(i + 1, c.section, c.what, c.base_text, c.mine_text,
                               c.theirs_text) for i, c in enumerate(merge.conflicts)],
                             columns=["conflict", "section", "change", "before", "yours",
                                      "theirs"]), "merge-conflicts")
    choices = {}
    for i, item in enumerate(merge.conflicts):
        choices[i] = st.radio(f"{i + 1}. {escape_markdown(item.section)}", [MINE, THEIRS],
                              index=None, horizontal=True, key=f"merge-{role_id}-{i}",
                              format_func={MINE: "Keep yours", THEIRS: "Keep theirs"}.get)
    chosen = sum(1 for c in choices.values() if c is not None)
    if st.button(f"Use these choices ({chosen} of {len(choices)} chosen)", key="merge-use",
                 disabled=chosen < len(choices), type="primary", icon=":material/merge:"):
        start_from(role_id, version, merge.document(choices))
        st.session_state[FLASH] = (f"Your changes are re-applied on top of version {version} "
                                   "with your choices. Check them, then save.")
        st.rerun()


def start_duplicate(new_id: str, document: str) -> None:
    """The Duplicate button: a new role with this edit's fields, under New role."""
    st.session_state["new_start"] = (new_id, with_id(document, new_id))
    st.session_state["mode"] = NEW


def edit_role(role_id: str) -> None:
    latest = workspace.latest(role_id)
    state = states.get(role_id)
    if state is None:
        state = states[role_id] = {"base": latest.version, "start": latest.document, "gen": 0}
    base = workspace.version(role_id, state["base"])
    st.caption(f"Editing from version {base.version} ({base.status}, by "
               f"{escape_markdown(base.author)}, {base.when}). Newest: version "
               f"{latest.version} ({latest.status}).")
    if latest.rejected:
        st.warning(f"Version {latest.version - 1} was rejected by "
                   f"{escape_markdown(latest.reviewer)} ({latest.when}): "
                   f"{escape_markdown(latest.review_note or '')}", icon=":material/undo:")
    if role_id in conflicts:
        show_conflict(role_id)
        return
    if not access.can(DRAFT_ACTION, latest.document):
        st.info(f"You may read this role but not change it. "
                f"{escape_markdown(access.refusal(DRAFT_ACTION, latest.document))}",
                icon=":material/lock:")
        return
    if latest.version != base.version:
        st.warning(f"Version {latest.version} was saved by {escape_markdown(latest.author)} "
                   f"at {latest.when} since you started; saving will be refused until you "
                   "re-apply your changes on top of it.", icon=":material/sync_problem:")
    prefix = f"e-{role_id}-{state['base']}-{state['gen']}-"
    edit = role_form(prefix, RoleEdit.of(state["start"]), role_id)
    document = edit.document()
    check = check_edit(catalogue, role_id, document)
    st.divider()
    st.subheader("Check")
    show_check(check, "No problems: the catalogue stays valid with this edit.", "edit-problems")
    changes = role_diff(base.document, document)
    with st.expander(f"Your changes ({len(changes)})", expanded=bool(changes)):
        keyed_frame(diff_frame(changes), "edit-changes")
    save_controls(prefix, role_id, document, base.version, check, bool(changes),
                  base.document)

    st.divider()
    cols = st.columns(2, gap="large")
    with cols[0]:
        st.subheader("Duplicate")
        new_id = st.text_input("Id of the copy", key=f"{prefix}duplicate-id",
                               placeholder=f"{role_id}-2")
        st.button("Duplicate as a new role", key=f"{prefix}duplicate",
                  icon=":material/content_copy:", disabled=not new_id,
                  on_click=start_duplicate, args=(new_id.strip(), document))
    with cols[1]:
        st.subheader("Retire")
        if not access.can(RETIRE, latest.document):
            st.caption("Retiring a role takes an approver.")
        elif latest.status == "retired":
            st.caption("This role is retired; restore a version from its History to bring it "
                       "back.")
        elif not st.toggle("Retire this role…", key=f"{prefix}retire-open"):
            st.caption("Retiring takes the role out of the catalogue as a new version; its "
                       "versions stay, and any of them can be restored.")
        else:
            retire_check = check_edit(catalogue, role_id, None)
            if retire_check.errors:
                st.caption("Retiring it would leave these problems; fix them first:")
                with st.container(key="table-retire-problems"):
                    st.dataframe(problems_frame(retire_check.errors), hide_index=True,
                                 width="stretch")
            if st.button("Retire", key=f"{prefix}retire", type="primary",
                         disabled=bool(retire_check.errors), icon=":material/archive:"):
                try:
                    saved = access.retire(role_id, latest.version)
                except WorkspaceError as failed:
                    st.error(escape_markdown(str(failed)), icon=":material/error:")
                else:
                    states.pop(role_id, None)
                    st.session_state[FLASH] = f"Retired {role_id} (version {saved.version})."
                    st.rerun()


def history(role_id: str) -> None:
    versions = workspace.history(role_id)
    frame = pd.DataFrame([(v.version, v.status, v.author, v.when, v.note, v.reviewer or "",
                           v.review_note or "") for v in versions],
                         columns=["version", "status", "author", "saved", "note", "reviewed_by",
                                  "review_note"])
    show_table(frame.iloc[::-1], f"{role_id}-history", "history")
    numbers = [v.version for v in versions]
    if len(numbers) < 2:
        st.caption("Only one version so far.")
        return
    cols = st.columns(2)
    older = cols[0].selectbox("From version", numbers, index=len(numbers) - 2, key="diff-from")
    newer = cols[1].selectbox("To version", numbers, index=len(numbers) - 1, key="diff-to")
    changes = role_diff(workspace.version(role_id, older).document,
                        workspace.version(role_id, newer).document)
    st.markdown(f"**{len(changes)} change(s) from version {older} to version {newer}**")
    show_table(diff_frame(changes), f"{role_id}-v{older}-v{newer}", "diff")
    cols = st.columns([2, 3], vertical_alignment="bottom")
    restore = cols[0].selectbox("Restore version", numbers[:-1][::-1], key="restore-version")
    if cols[1].button(f"Restore version {restore} as a new version", key="restore",
                      icon=":material/restore:"):
        try:
            latest = workspace.latest(role_id)
            status = APPROVED if access.may_publish(latest.document) else DRAFT
            saved = access.restore(role_id, restore, numbers[-1], status=status)
        except WorkspaceError as failed:
            st.error(escape_markdown(str(failed)), icon=":material/error:")
        else:
            states.pop(role_id, None)
            st.session_state[FLASH] = (f"Restored version {restore} of {role_id} as version "
                                       f"{saved.version}.")
            st.rerun()


def new_role() -> None:
    start = st.session_state.get("new_start")
    if start is None:
        new_id = st.text_input("Id of the new role (letters, digits and hyphens)",
                               key="new-id", placeholder="e.g. head-of-quality")
        if not st.button("Start", key="new-start", disabled=not new_id):
            st.stop()
        start = (new_id.strip(), new_role_document(new_id.strip(), taxonomy))
        st.session_state["new_start"] = start
        st.rerun()
    role_id, document = start
    try:
        check_role_id(role_id)
    except WorkspaceError as bad:
        st.error(escape_markdown(str(bad)), icon=":material/error:")
        st.session_state.pop("new_start")
        st.stop()
    if role_id in all_roles:
        st.error(f"A role with the id '{escape_markdown(role_id)}' already exists (see its "
                 "History); choose another id.", icon=":material/error:")
        if st.button("Choose another id", key="new-again"):
            st.session_state.pop("new_start")
            st.rerun()
        st.stop()
    st.caption(f"New role {escape_markdown(role_id)}: fill in every field; the check below "
               "says what is still missing.")
    prefix = f"n-{role_id}-"
    edit = role_form(prefix, RoleEdit.of(document), role_id)
    document = edit.document()
    check = check_edit(catalogue, role_id, document)
    st.divider()
    st.subheader("Check")
    show_check(check, "No problems: the catalogue stays valid with this edit.", "edit-problems")
    cols = st.columns([2, 4, 2], vertical_alignment="bottom")
    status = cols[0].selectbox("Save as", statuses_for(document), format_func=SAVE_STATUSES.get,
                               key=f"{prefix}status")
    note = cols[1].text_input("Note", key=f"{prefix}note", max_chars=2000)
    if status is None:
        st.caption(escape_markdown(access.refusal(DRAFT_ACTION, document)))
    if cols[2].button("Create", type="primary", disabled=not check.ok or status is None,
                      key=f"{prefix}save",
                      icon=":material/add:"):
        try:
            saved = access.save_role(role_id, document, 0, status=status,
                                     note=note or "new role")
        except WorkspaceError as failed:
            st.error(escape_markdown(str(failed)), icon=":material/error:")
            return
        st.session_state.pop("new_start")
        st.session_state[FLASH] = f"Created {role_id} (version 1, {saved.status})."
        st.rerun()
    if st.button("Discard this new role", key=f"{prefix}discard"):
        st.session_state.pop("new_start")
        st.rerun()


st.session_state.setdefault("mode", EDIT)  # the Duplicate button switches it to NEW
mode = st.segmented_control("What to do", [EDIT, NEW], key="mode")
st.caption("Changes saved as drafts or in review wait on the Review page until they are "
           "approved; the catalogue every page shows is the approved one.")
if mode == NEW:
    new_role()
else:
    if not role_choices:
        st.info("The workspace has no roles yet: create one under New role.")
        st.stop()
    chosen = st.selectbox("Role", role_choices, format_func=role_name, key="role",
                          bind="query-params")
    edit_tab, history_tab = st.tabs(["Edit", "History"])
    with edit_tab:
        edit_role(chosen)
    with history_tab:
        history(chosen)
