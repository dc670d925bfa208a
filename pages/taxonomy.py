"""Taxonomy: the catalogue's vocabularies (business areas, departments, grades, duty
categories and every other list of taxonomy.yaml) and its settings, edited as tables by an
administrator and saved as a new taxonomy version; everyone else reads them.

The edit is checked live over the whole catalogue with the new taxonomy
(jdcore.store.taxonomy.check_taxonomy, the loader's own checks): removing a value that roles
still use is refused, naming the roles and the fix. A value is renamed together with every
role that uses it (new versions of those roles, in the same transaction as the taxonomy's).
A save on top of a newer taxonomy version is refused with who saved it and when. Every save
goes through the signed-in user's access, which checks the permission on the server.
"""

import pandas as pd
import streamlit as st

from jdcore.model.text import escape_markdown
from jdcore.store import ConflictError, WorkspaceError
from jdcore.store.diff import diff_frame
from jdcore.store.permissions import TAXONOMY
from jdcore.store.taxonomy import (REPORTING, VOCABULARIES, VOCABULARIES_BY_KEY,
                                   catalogue_documents, check_taxonomy, edit_digest,
                                   plan_rename, settings_table, taxonomy_diff,
                                   taxonomy_document, taxonomy_edit, taxonomy_of,
                                   taxonomy_tables)
from pages.common import current_catalogue, show_check, show_table
from pages.signin import current_access
from pages.workspace_state import current_workspace

STATE = "taxonomy_state"        # session state: {"base": version, "gen": n}
CONFLICT = "taxonomy_conflict"  # session state: what a refused save needs to show
CHECKS = "taxonomy_checks"      # session state: the last check, keyed on what it checked
FLASH = "taxonomy_flash"
GROUPS = (("Organisation", ("business_areas", "departments", "grades")),
          ("Duties", ("duty_categories", "frequencies")),
          ("Rights and interactions", ("decision_right_areas", "decision_right_scopes",
                                       "interaction_kinds", "interaction_directions")),
          ("Qualities and sources", ("quality_kinds", "requirement_kinds", "source_notes")))
CAPTIONS = {"grades": "The ladder from the top of the organisation down: level 1 is the highest.",
            "frequencies": "The weight of one duty of each frequency in the duty load "
                           "(roughly, the share of weeks it is done).",
            "decision_right_scopes": "From no authority to full authority: the position is "
                                     "the level (the first is 0).",
            "source_notes": "Where a role's content comes from; imported and onet mark roles "
                            "that may leave values unknown."}
SHORT_TABLE_ROWS = 30  # shown whole; a longer vocabulary scrolls inside its table
COLUMN_HELP = {"id": "what role files write; letters, digits and hyphens",
               "name": "what the pages show", "weight": "the share of weeks a duty of this "
               "frequency is done, in the duty load", "level": "1 is the top of the ladder"}

st.title("Taxonomy")
catalogue = current_catalogue()
live = current_workspace()
if FLASH in st.session_state:
    st.success(escape_markdown(st.session_state.pop(FLASH)), icon=":material/check_circle:")


def keyed_frame(frame: pd.DataFrame, key: str) -> None:
    with st.container(key=f"table-{key}"):
        st.dataframe(frame, hide_index=True, width="stretch")


def shown_tables(taxonomy, roles: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
    """The vocabularies as tables, with how many roles use each value (and, for a
    department, the business areas its roles are in) as read-only columns."""
    tables = taxonomy_tables(taxonomy)
    if roles is None or roles.empty:
        return tables
    counts = {"business_areas": roles["business_area"].value_counts(),
              "departments": roles["department"].value_counts(),
              "grades": roles["grade"].value_counts()}
    for key, count in counts.items():
        tables[key]["roles"] = tables[key]["id"].map(count).fillna(0).astype("Int64")
    areas = roles.groupby("department")["business_area"].agg(
        lambda values: ", ".join(sorted(taxonomy.business_areas.get(v, v) for v in set(values))))
    tables["departments"]["business areas"] = tables["departments"]["id"].map(areas).fillna("")
    return tables


def column_config(key: str, editable: bool) -> dict:
    vocabulary = VOCABULARIES_BY_KEY[key]
    config = {"id": st.column_config.TextColumn("Id", required=True, help=COLUMN_HELP["id"],
                                                disabled=not editable),
              "roles": st.column_config.NumberColumn("Roles", disabled=True,
                                                     help="roles in the catalogue that use it"),
              "business areas": st.column_config.TextColumn(
                  "Business areas", disabled=True,
                  help="the business areas of the roles in this department")}
    if "name" in vocabulary.columns:
        config["name"] = st.column_config.TextColumn("Name", required=True,
                                                     help=COLUMN_HELP["name"],
                                                     disabled=not editable)
    if "weight" in vocabulary.columns:
        config["weight"] = st.column_config.NumberColumn("Weight", min_value=0.0,
                                                         format="%.2f", required=True,
                                                         help=COLUMN_HELP["weight"],
                                                         disabled=not editable)
    if "level" in vocabulary.columns:
        config["level"] = st.column_config.NumberColumn("Level", min_value=1, max_value=100,
                                                        step=1, required=True,
                                                        help=COLUMN_HELP["level"],
                                                        disabled=not editable)
    return config


def vocabulary_tabs(tables: dict[str, pd.DataFrame], settings: pd.DataFrame, reporting: str,
                    prefix: str | None) -> tuple[dict[str, pd.DataFrame], pd.DataFrame, str]:
    """Every vocabulary in tabs: editable tables when `prefix` (the widgets' key prefix) is
    given, else read-only. What the tables now hold."""
    edited = {}
    tabs = st.tabs([title for title, _ in GROUPS] + ["Settings"])
    for tab, (_, keys) in zip(tabs, GROUPS):
        with tab:
            for key in keys:
                vocabulary = VOCABULARIES_BY_KEY[key]
                st.subheader(vocabulary.title)
                if key in CAPTIONS:
                    st.caption(CAPTIONS[key])
                height = "content" if len(tables[key]) <= SHORT_TABLE_ROWS else "auto"
                if prefix is None:
                    with st.container(key=f"table-taxonomy-{key}"):
                        st.dataframe(tables[key], hide_index=True, width="stretch",
                                     height=height, column_config=column_config(key, False))
                    edited[key] = tables[key]
                else:
                    edited[key] = st.data_editor(
                        tables[key], num_rows="dynamic", hide_index=True, width="stretch",
                        height=height, column_config=column_config(key, True),
                        key=f"{prefix}{key}")
    with tabs[-1]:
        st.subheader("Settings")
        st.caption("The span of control a manager should have, the weekly hours above which a "
                   "role is flagged, and the weights and references of the authority and "
                   "workload indices.")
        config = {"setting": st.column_config.TextColumn(
                      "In taxonomy.yaml", disabled=True, width="medium"),
                  "meaning": st.column_config.TextColumn("Setting", disabled=True,
                                                         width="large"),
                  "value": st.column_config.NumberColumn("Value", required=True,
                                                         disabled=prefix is None,
                                                         width="small")}
        order = ("value", "meaning", "setting")  # the value first: in view on a phone
        if prefix is None:
            with st.container(key="table-taxonomy-settings"):
                st.dataframe(settings, hide_index=True, width="stretch", height="content",
                             column_config=config, column_order=order)
            new_settings = settings
        else:
            new_settings = st.data_editor(settings, hide_index=True, width="stretch",
                                          column_config=config, num_rows="fixed",
                                          height="content", column_order=order,
                                          key=f"{prefix}settings")
        labels = {"tree": "one tree per business area (one root each)",
                  "none": "no reporting lines (any role may leave reports to empty)"}
        new_reporting = st.radio("Reporting lines", REPORTING, index=REPORTING.index(reporting),
                                 format_func=labels.get, disabled=prefix is None,
                                 key=f"{prefix or 'ro-'}reporting")
    return edited, new_settings, new_reporting


if live is None or live.workspace is None or live.snapshot is None:
    st.info("This catalogue is a folder opened read-only; its taxonomy is shown as it is. To "
            "change it, open a workspace (see the README).", icon=":material/lock:")
    if catalogue.taxonomy is None:
        st.error("The catalogue's taxonomy cannot be read; see the problems on the Overview.")
        st.stop()
    vocabulary_tabs(shown_tables(catalogue.taxonomy, catalogue.roles),
                    settings_table(catalogue.taxonomy), catalogue.taxonomy.reporting, None)
    st.stop()

workspace, snapshot = live.workspace, live.snapshot
catalogue = snapshot.catalogue
if catalogue.taxonomy is None or snapshot.taxonomy is None:
    st.error("The workspace's taxonomy cannot be read; see the problems on the Overview.")
    st.stop()
access = current_access()
may_edit = access is not None and access.can(TAXONOMY)
stored = workspace.current_taxonomy()  # the newest, even if this snapshot is older
state = st.session_state.setdefault(STATE, {"base": stored.version, "gen": 0})
base = workspace.taxonomy_version(state["base"]) or stored
if base.version == stored.version:
    taxonomy, roles = catalogue.taxonomy, catalogue.roles
else:  # editing an older version: its tables, as the user started from them
    taxonomy, roles = taxonomy_of(base.document), catalogue.roles
st.caption(f"Version {stored.version}, saved by {escape_markdown(stored.author)} at "
           f"{stored.when}. Role files use the ids; the pages show the names.")

if not may_edit:
    st.info("You may read the taxonomy but not change it: changing it takes an "
            "administrator.", icon=":material/lock:")
    vocabulary_tabs(shown_tables(catalogue.taxonomy, catalogue.roles),
                    settings_table(catalogue.taxonomy), catalogue.taxonomy.reporting, None)
else:
    conflict = st.session_state.get(CONFLICT)
    if conflict:
        st.error(escape_markdown(conflict["message"]), icon=":material/sync_problem:")
        cols = st.columns(2, gap="large")
        with cols[0]:
            st.markdown(f"**What version {conflict['current']} changed**")
            keyed_frame(diff_frame(conflict["theirs"]), "taxonomy-conflict-theirs")
        with cols[1]:
            st.markdown("**Your changes** (not saved)")
            keyed_frame(diff_frame(conflict["mine"]), "taxonomy-conflict-mine")
        if st.button(f"Start again from version {conflict['current']}", key="taxonomy-restart",
                     icon=":material/refresh:"):
            st.session_state[STATE] = {"base": conflict["current"], "gen": state["gen"] + 1}
            st.session_state.pop(CONFLICT)
            st.rerun()
        st.caption("Your tables below still hold your changes; saving them on top of the newer "
                   "version is refused. Start again from it and make your changes again (the "
                   "table above lists them).")
    elif base.version != stored.version:
        st.warning(f"Version {stored.version} was saved by {escape_markdown(stored.author)} at "
                   f"{stored.when} since you started from version {base.version}; saving "
                   "will be refused. Start again from the newest version.",
                   icon=":material/sync_problem:")
        if st.button(f"Start again from version {stored.version}", key="taxonomy-newest"):
            st.session_state[STATE] = {"base": stored.version, "gen": state["gen"] + 1}
            st.rerun()
    prefix = f"tx-{base.version}-{state['gen']}-"
    tables, settings, reporting = vocabulary_tabs(
        shown_tables(taxonomy, roles), settings_table(taxonomy), taxonomy.reporting, prefix)
    edit = taxonomy_edit(tables, settings, reporting)
    document = taxonomy_document(edit.data, base.document)
    changes = taxonomy_diff(base.document, document)
    changed = document != base.document

    documents_key = (snapshot.revision, catalogue.fingerprint)
    if st.session_state.get("taxonomy_documents", (None,))[0] != documents_key:
        st.session_state["taxonomy_documents"] = (documents_key,
                                                  catalogue_documents(workspace, snapshot))
    documents = st.session_state["taxonomy_documents"][1]
    check_key = (documents_key, edit_digest(edit), edit.problems)
    last = st.session_state.get(CHECKS)
    if last is None or last[0] != check_key:
        last = (check_key, check_taxonomy(documents, edit))
        st.session_state[CHECKS] = last
    check = last[1]

    st.divider()
    st.subheader("Check")
    show_check(check, "No problems: every role in the catalogue stays valid with this "
               "taxonomy.", "taxonomy-problems")
    with st.expander(f"Your changes ({len(changes)})", expanded=bool(changes)):
        keyed_frame(diff_frame(changes), "taxonomy-changes")
    cols = st.columns([5, 2], vertical_alignment="bottom")
    note = cols[0].text_input("Note (what changed and why)", key=f"{prefix}note",
                              max_chars=2000)
    if cols[1].button("Save taxonomy", type="primary", key=f"{prefix}save",
                      disabled=not check.ok or not changed, icon=":material/save:"):
        try:
            saved = access.save_taxonomy(document, base.version, note=note)
        except ConflictError as refused:
            current = refused.current
            st.session_state[CONFLICT] = {
                "message": str(refused).replace("'taxonomy'", "The taxonomy"),
                "current": current.version,
                "theirs": taxonomy_diff(base.document,
                                        workspace.taxonomy_version(current.version).document),
                "mine": changes}
            st.rerun()
        except WorkspaceError as failed:
            st.error(escape_markdown(str(failed)), icon=":material/error:")
        else:
            st.session_state[STATE] = {"base": saved.version, "gen": state["gen"] + 1}
            st.session_state[FLASH] = f"Saved the taxonomy as version {saved.version}."
            st.rerun()
    if not changed:
        st.caption("No changes yet.")

    st.divider()
    st.subheader("Rename a value")
    st.caption("Changes an id in the taxonomy and in every role that uses it: each of those "
               "roles gets a new approved version, stored together with the new taxonomy "
               "version (all or nothing).")
    cols = st.columns(3, vertical_alignment="bottom")
    key = cols[0].selectbox("Vocabulary", [v.key for v in VOCABULARIES],
                            format_func=lambda k: VOCABULARIES_BY_KEY[k].title,
                            key="rename-vocabulary")
    used = documents.usage()[key]
    current_tables = taxonomy_tables(catalogue.taxonomy)
    values = list(current_tables[key]["id"])
    old = cols[1].selectbox("Value", values, key="rename-old",
                            format_func=lambda v: f"{v} ({len(used.get(v, []))} roles)")
    new = cols[2].text_input("New id", key="rename-new")
    if old is not None and new.strip():
        plan_key = (documents_key, key, old, new.strip())
        planned = st.session_state.get("taxonomy_rename")
        if planned is None or planned[0] != plan_key:  # a rename plan reads many roles
            planned = (plan_key, plan_rename(documents, catalogue.taxonomy, key, old, new))
            st.session_state["taxonomy_rename"] = planned
        plan = planned[1]
        if plan.refused:
            st.error(escape_markdown(plan.refused), icon=":material/block:")
        else:
            show_check(plan.check, "No problems: every role stays valid with the rename.",
                       "taxonomy-rename-problems")
            if changed:
                st.caption("Save or undo your changes to the tables first: a rename is saved "
                           "on its own.")
            label = f"Rename and update {len(plan.roles)} role(s)"
            if st.button(label, key="rename", disabled=not plan.ok or changed
                         or base.version != stored.version, icon=":material/edit:"):
                versions = snapshot.versions
                try:
                    saved = access.save_taxonomy(
                        taxonomy_document(plan.edit.data, snapshot.taxonomy.document),
                        snapshot.taxonomy.version,
                        note=f"renamed {VOCABULARIES_BY_KEY[key].singular} '{old}' to "
                             f"'{new.strip()}'",
                        roles={rid: (text, versions[rid].version)
                               for rid, text in plan.roles.items()})
                except WorkspaceError as failed:
                    st.error(escape_markdown(str(failed)), icon=":material/error:")
                else:
                    st.session_state[STATE] = {"base": saved.version, "gen": state["gen"] + 1}
                    st.session_state[FLASH] = (
                        f"Renamed '{old}' to '{new.strip()}': taxonomy version "
                        f"{saved.version}, {len(plan.roles)} role(s) updated.")
                    st.rerun()

st.divider()
st.subheader("History")
versions = workspace.taxonomy_history()
frame = pd.DataFrame([(v.version, v.author, v.when, v.note) for v in versions],
                     columns=["version", "author", "saved", "note"])
show_table(frame.iloc[::-1], "taxonomy-history", "taxonomy-history")
numbers = [v.version for v in versions]
if len(numbers) < 2:
    st.caption("Only one version so far.")
else:
    cols = st.columns(2)
    older = cols[0].selectbox("From version", numbers, index=len(numbers) - 2,
                              key="taxonomy-diff-from")
    newer = cols[1].selectbox("To version", numbers, index=len(numbers) - 1,
                              key="taxonomy-diff-to")
    differences = taxonomy_diff(workspace.taxonomy_version(older).document,
                                workspace.taxonomy_version(newer).document)
    st.markdown(f"**{len(differences)} change(s) from version {older} to version {newer}**")
    show_table(diff_frame(differences), f"taxonomy-v{older}-v{newer}", "taxonomy-diff")
