"""What-if: a restructuring tried on a copy of the catalogue, before and after side by side.

The scenario lives in the URL (scenario=, name=, base=), so a link shares it; the catalogue is
never touched until the scenario is submitted for review as drafts."""

import base64

import streamlit as st

from jdcore.analysis.scenario import (CHANGE_KINDS, MAX_CHANGES, MAX_HEADCOUNT,
                                      MAX_NAME_CHARS, MAX_TITLE_CHARS, Change, apply_scenario,
                                      clean_name, decode_change, decode_changes, encode_changes,
                                      scenario_layouts)
from jdcore.charts import org_chart_svg
from jdcore.model.labels import role_labels
from jdcore.model.text import escape_markdown
from jdcore.store import WorkspaceError
from jdcore.store.catalogue import revision_highest
from jdcore.store.scenario_drafts import submit_scenario
from pages.common import (current_catalogue, current_scenario, current_scenario_base, names,
                          require_roles, show_table)
from pages.signin import current_access
from pages.workspace_state import current_workspace

NO_MANAGER = "(no manager: the top of its business area)"
SUBMITTED_KEY = "whatif-submitted"

def chart_image(svg: str, width: float) -> str:
    """The org chart as an image (an <img> runs no script), shrunk to the column's width so
    that before and after are seen whole side by side (the boxes' tooltips keep the text)."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return ('<div style="overflow:auto; max-height:70vh; border:1px solid #e5e7eb; '
            'border-radius:6px"><img alt="Org chart" style="display:block; width:100%; '
            f'height:auto; max-width:{width:.0f}px" src="data:image/svg+xml;base64,{data}">'
            '</div>')


catalogue = current_catalogue()
require_roles(catalogue)
st.title("What-if")
st.caption("Try a restructuring before proposing it: move roles, change headcount, add or "
           "retire a role, move duties. The approved catalogue is not touched; the scenario "
           "lives in this page's link, so you can share it, and you can submit it for review "
           "as drafts.")

# The scenario of the URL, read defensively: a malformed part is ignored and said so
params = st.query_params
changes, ignored = decode_changes(params.get("scenario", ""))
name, name_problem = clean_name(params.get("name", ""))
if name_problem:
    ignored.append(name_problem)
base_text = params.get("base", "")
base_id = int(base_text) if base_text.isdigit() and len(base_text) <= 12 else None
if base_text and base_id is None:
    ignored.append(f"base '{base_text[:20]}' is not a version number; it was ignored")
if ignored:
    st.warning("Parts of this link were ignored: " + "; ".join(
        escape_markdown(i) for i in ignored) + ".", icon=":material/link_off:")

result, findings_after, comparison = current_scenario(catalogue, encode_changes(changes), name)
after = result.catalogue
for problem in result.problems:
    st.error(escape_markdown(problem.message) + " It is left out of the scenario.",
             icon=":material/block:")

live = current_workspace()
snapshot = live.snapshot if live is not None and live.snapshot is not None else None
if snapshot is not None and snapshot.catalogue is not catalogue:
    snapshot = None  # this session shows another catalogue (an import)


def set_scenario(applied: list[Change]) -> None:
    """Write the scenario into the URL (with the base it was made on) and run again."""
    if applied:
        st.query_params["scenario"] = encode_changes(applied)
        if base_id is None and snapshot is not None:
            st.query_params["base"] = str(revision_highest(snapshot.revision))
    else:
        for key in ("scenario", "base"):
            st.query_params.pop(key, None)
    st.rerun()


# Name and changes
typed = st.text_input("Scenario name", value=name, max_chars=MAX_NAME_CHARS,
                      placeholder="e.g. Logistics under sales", key="whatif-name")
if typed.strip() != name:
    typed_name, typed_problem = clean_name(typed)
    if typed_problem:
        st.error(escape_markdown(typed_problem), icon=":material/error:")
    elif typed_name:
        st.query_params["name"] = typed_name
    else:
        st.query_params.pop("name", None)

titles_after = role_labels(after.roles)
titles = role_labels(catalogue.roles) | titles_after
applied = list(result.applied)
st.subheader(f"Changes ({len(applied)})")
if not applied:
    st.info("No changes yet: add one below.", icon=":material/edit_note:")
for number, change in enumerate(applied, 1):
    row = st.columns([8, 1], vertical_alignment="center")
    row[0].markdown(f"{number}. {escape_markdown(change.describe(titles))}")
    if row[1].button("Remove", key=f"whatif-remove-{number}", icon=":material/close:"):
        set_scenario(applied[:number - 1] + applied[number:])
for note in result.notes:
    st.caption(escape_markdown(note))

# Adding a change
with st.container(border=True, key="whatif-add"):
    st.markdown("**Add a change**")
    kinds = {label: kind for kind, label in CHANGE_KINDS.items()}
    kind = kinds[st.selectbox("Change", list(kinds), key="whatif-kind")]
    by_title = {titles_after[r]: r for r in sorted(titles_after,
                                                   key=lambda r: titles_after[r].casefold())}
    role = by_title[st.selectbox("Role", list(by_title), key="whatif-role")]
    others = [t for t, r in by_title.items() if r != role]
    change = None
    if kind == "move":
        manager = st.selectbox("New manager", [NO_MANAGER] + others, key="whatif-manager")
        change = Change("move", role, "" if manager == NO_MANAGER else by_title[manager])
    elif kind == "headcount":
        current = after.roles.loc[after.roles["role_id"] == role, "headcount"]
        count = st.number_input("Headcount", min_value=1, max_value=MAX_HEADCOUNT,
                                value=int(current.iloc[0]) if len(current) else 1, step=1,
                                key="whatif-headcount")
        change = Change("headcount", role, headcount=int(count))
    elif kind == "add":
        cells = st.columns(2)
        new_id = cells[0].text_input("New role's id", max_chars=200, key="whatif-new-id",
                                     placeholder=f"{role}-2")
        new_title = cells[1].text_input("New role's title", max_chars=MAX_TITLE_CHARS,
                                        key="whatif-new-title")
        change = Change("add", role, target=new_id.strip(), title=new_title.strip())
    elif kind == "duties":
        duties = after.duties[after.duties["role_id"] == role]
        labels = {f"{n}. {t}": int(n) for n, t in zip(duties["duty_no"], duties["text"])}
        picked = st.multiselect("Duties to move", list(labels), key="whatif-duties")
        receiver = st.selectbox("To role", others, key="whatif-receiver")
        change = Change("duties", role, target=by_title.get(receiver, ""),
                        duties=tuple(labels[p] for p in picked))
    else:
        st.caption("Its direct reports move to its manager; dotted lines, interactions and "
                   "career steps that point to it are dropped.")
        change = Change("retire", role)
    if st.button("Add change", type="primary", icon=":material/add:", key="whatif-add-button",
                 disabled=len(applied) >= MAX_CHANGES):
        try:  # the same validation as a change read from a link
            change = decode_change(change.token())
        except ValueError as wrong:
            st.error(escape_markdown(f"This change cannot be added: {wrong}."),
                     icon=":material/error:")
        else:
            trial = apply_scenario(current_scenario_base(catalogue), applied + [change],
                                   name=name)
            refused = [p for p in trial.problems if p.file == f"change {len(applied) + 1}"]
            if refused:
                st.error(escape_markdown(refused[0].message), icon=":material/block:")
            else:
                set_scenario(list(trial.applied))

# Discard and submit
actions = st.columns([1, 1, 3])
if actions[0].button("Discard scenario", icon=":material/delete:", key="whatif-discard",
                     disabled=not applied and not params.get("scenario")):
    for key in ("scenario", "name", "base"):
        st.query_params.pop(key, None)
    st.session_state.pop("whatif-name", None)  # the name field starts empty again
    st.rerun()
submit = actions[1].button("Submit for review", icon=":material/send:", key="whatif-submit",
                           disabled=not applied or snapshot is None or base_id is None)
if snapshot is None:
    actions[2].caption("Submitting needs the workspace (set JDCORE_WORKSPACE); this catalogue "
                       "is read-only.")
elif applied and base_id is None:
    actions[2].caption("This link does not say which catalogue it was made on (no base): "
                       "discard it and make the scenario again to submit it.")
if submit and snapshot is not None and base_id is not None:
    try:
        access = current_access()
        if access is None:
            raise WorkspaceError("sign in to submit a scenario; nothing was submitted")
        stored = submit_scenario(access, snapshot, result, base_id)
    except WorkspaceError as refused:
        st.error(escape_markdown(str(refused)), icon=":material/block:")
    else:
        st.session_state[SUBMITTED_KEY] = (
            f"Submitted '{name or 'unnamed'}' for review: {len(stored)} draft(s) "
            f"({', '.join(v.role_id for v in stored)}), each noting the scenario. They wait "
            "for approval on the Review page; the approved catalogue is unchanged.")
if st.session_state.get(SUBMITTED_KEY):
    st.success(escape_markdown(st.session_state.pop(SUBMITTED_KEY)),
               icon=":material/check_circle:")

if not applied:
    st.stop()

# Before and after
st.header("Before and after")
counts = comparison.counts
cells = st.columns(4)
cells[0].metric("Roles", f"{len(after.roles):,}", len(after.roles) - len(catalogue.roles))
cells[1].metric("Roles whose line changed", len(comparison.lines))
cells[2].metric("Findings appearing", counts["appears"])
cells[3].metric("Findings disappearing", counts["disappears"])

area_names = names(catalogue, "business_areas")
present = sorted(set(catalogue.roles["business_area"]) | set(after.roles["business_area"]),
                 key=lambda a: area_names.get(a, a).casefold())
touched = after.roles[after.roles["role_id"].isin(result.changed)]["business_area"]
first_area = touched.iloc[0] if len(touched) else present[0]
area_ids = {area_names.get(a, a): a for a in present}
area_name = st.selectbox("Business area of the org chart", list(area_ids),
                         index=list(area_ids.values()).index(first_area), key="area",
                         bind="query-params")
before_chart, after_chart = scenario_layouts(catalogue, after, area_ids[area_name])
charts = st.columns(2, gap="medium")
for cell, label, chart in ((charts[0], "Before", before_chart),
                           (charts[1], "After", after_chart)):
    with cell.container(key=f"whatif-chart-{label.lower()}"):
        st.subheader(label)
        if chart is None or chart.boxes.empty:
            st.info(f"No role of {escape_markdown(area_name)} {label.lower()} the scenario.")
            continue
        st.html(chart_image(org_chart_svg(chart), chart.width))
        changed_lines = int(chart.connectors["on_path"].sum())
        what = "the scenario removes" if label == "Before" else "the scenario adds"
        st.caption(f"{int((chart.boxes['kind'] == 'role').sum())} roles drawn (4 layers "
                   f"below the top at most). In blue: {changed_lines} line(s) {what}; a blue "
                   "frame marks a role whose line or headcount changes.")

st.subheader("Reporting lines that change")
show_table(comparison.lines.drop(columns="role_id"), "whatif-lines", "whatif-lines")

st.subheader("Layers and spans")
left, right = st.columns([2, 3], gap="large")
with left:
    show_table(comparison.layers, "whatif-layers", "whatif-layers", height="content")
with right:
    show_table(comparison.structure.drop(columns="role_id"), "whatif-structure",
               "whatif-structure")
st.caption(f"Spans are direct reports per incumbent; taxonomy.yaml sets the range "
           f"{catalogue.taxonomy.span_of_control.min}-{catalogue.taxonomy.span_of_control.max}"
           " (flags: under, ok, over; none without reports). Only roles whose figures change "
           "are listed.")

st.subheader("Authority and workload indices")
show_table(comparison.indices.drop(columns="role_id"), "whatif-indices", "whatif-indices",
           column_config={
               "authority_delta": st.column_config.NumberColumn("Authority Δ", format="%+.1f"),
               "workload_delta": st.column_config.NumberColumn("Workload Δ", format="%+.1f"),
           })

st.subheader("Findings that appear or disappear")
if comparison.findings.empty:
    st.success("The scenario makes no finding appear or disappear.",
               icon=":material/check_circle:")
else:
    show_table(comparison.findings, "whatif-findings", "whatif-findings", column_config={
        "title": st.column_config.TextColumn("Title", width="large"),
    })
