"""Reporting structure: the org chart of one business area, layers, spans, chains, problems."""

import base64

import streamlit as st

from jdcore.charts import layer_bars, org_chart_png, org_chart_svg, span_bars
from jdcore.analysis.orgchart import (chain_table, chart_layout,
                                      fitting_depth, has_reporting_lines,
                                      layer_counts, manager_path, outline_layout,
                                      root_candidates, solid_children)
from jdcore.model.labels import in_taxonomy_order
from jdcore.model.text import escape_markdown
from pages.common import (current_area_roles, current_catalogue, current_integrity_problems,
                          names, require_roles, show_table)

DEFAULT_DEPTH = 4   # layers below the top, unless that many would draw over MAX_BOXES boxes
MAX_BOXES = 160
EAGER_ROLES = 300   # up to this many roles the exports are built with the page; above, on click


def on_click_above(limit: int, count: int, build):
    """The file's bytes now for a small area; a builder run on click for a large one."""
    return build() if count <= limit else build


NARROW_PX = 640     # below this screen width the outline replaces the wide chart


def _image(svg: str, style: str) -> str:
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return (f'<img alt="Org chart" style="display:block; {style}" '
            f'src="data:image/svg+xml;base64,{data}">')


def svg_view(svg: str, width: float, outline_svg: str, outline_width: float) -> str:
    """The chart as an image (an <img> runs no script): on a wide screen at its own size in a
    frame that scrolls both ways; on a phone the same boxes as an outline (one box a row,
    indented by layer) that fits the screen's width and scrolls down with the page."""
    frame = "border:1px solid #e5e7eb; border-radius:6px"
    return (f"<style>.org-outline {{ display:none }} @media (max-width: {NARROW_PX}px) {{ "
            ".org-chart { display:none } .org-outline { display:block } }</style>"
            f'<div class="org-chart" style="overflow:auto; max-height:78vh; {frame}">'
            + _image(svg, f"max-width:none; width:{width:.0f}px") + "</div>"
            f'<div class="org-outline" style="{frame}">'
            + _image(outline_svg, f"width:100%; max-width:{outline_width:.0f}px; height:auto")
            + "</div>")


def full_chart(roles, reporting, root):
    return chart_layout(roles, reporting, root, max_depth=None)

catalogue = current_catalogue()
require_roles(catalogue)
taxonomy = catalogue.taxonomy
st.title("Reporting structure")

area_names = names(catalogue, "business_areas")
present = in_taxonomy_order(area_names, catalogue.roles["business_area"].unique())
area_ids = {area_names.get(a, a): a for a in present}
area_name = st.selectbox("Business area", list(area_ids), key="area", bind="query-params")
roles = current_area_roles(catalogue, area_ids[area_name])
titles = dict(zip(roles["role_id"], roles["title"]))

if not has_reporting_lines(roles):
    st.info(f"No role in {escape_markdown(area_name)} reports to another role: every one of its "
            f"{len(roles)} roles is a root, so there is no structure to draw. Set `reports_to` "
            "in the role files to connect them.", icon=":material/account_tree:")
else:
    # Org chart: find a role, choose the top and depth, expand branches; export it all
    role_by_title = {titles[r]: r for r in sorted(titles, key=lambda r: titles[r].casefold())}
    found_title = st.selectbox("Find a role", list(role_by_title), index=None, key="find",
                               placeholder="Type a title to expand the chart to it",
                               bind="query-params")
    found = role_by_title.get(found_title) if found_title else None
    candidates = root_candidates(roles)
    root_titles = {titles[r]: r for r in candidates}
    if found is not None:  # a role outside the chosen branch: start at the top of its own
        current = st.session_state.get("root") or st.query_params.get("root") or ""
        chosen_root = root_titles.get(current, candidates[0])
        path = manager_path(roles, found)
        if chosen_root not in path and path:
            st.session_state["root"] = titles[path[0]]
    controls = st.columns([3, 1])
    root_title = controls[0].selectbox("Top of the chart", list(root_titles), key="root",
                                       bind="query-params")
    root = root_titles[root_title]
    if found is not None and root not in manager_path(roles, found):
        # the first run of a URL takes the top from the URL over the one set above: once more
        if not st.session_state.get("_moved_root"):
            st.session_state["_moved_root"] = True
            st.rerun()
    st.session_state["_moved_root"] = False
    depth = int(controls[1].number_input(
        "Layers below it", min_value=1, max_value=20,
        value=fitting_depth(roles, root, MAX_BOXES, DEFAULT_DEPTH),
        step=1, key="depth", bind="query-params"))
    managers = {titles[r]: r for r in sorted(solid_children(roles),
                                             key=lambda r: titles[r].casefold())}
    expanded = st.multiselect("Expand branches", list(managers), key="expand",
                              placeholder="Managers whose whole team to show below the depth",
                              bind="query-params")
    chart = chart_layout(roles, catalogue.reporting, root, depth,
                         expanded=[managers[t] for t in expanded], focus=found)
    shown = int((chart.boxes["kind"] == "role").sum())
    outline = outline_layout(chart)
    st.html(svg_view(org_chart_svg(chart), chart.width, org_chart_svg(outline),
                     max(outline.width, 360.0)))
    notes = [f"{shown} of {len(roles)} roles drawn",
             f"{chart.left_out} left out below layer {depth}",
             f"{chart.not_below_root} not under the chosen top role"]
    if found is not None and found not in set(chart.boxes["role_id"]):
        notes.append(f"{escape_markdown(found_title)} is not under the chosen top role")
    st.caption(" · ".join(notes) + ". Boxes: title, headcount and span of control (direct "
               "reports per incumbent); a dashed \"+N more\" box holds a collapsed branch: "
               "expand it above. Grey elbows: reports to; orange dashes: functional (dotted) "
               "lines between roles on the chart.")
    name = f"org-chart-{root}"
    full = lambda: full_chart(roles, catalogue.reporting, root)  # noqa: E731
    exports = st.columns(2)
    exports[0].download_button(
        "Whole chart as SVG (every branch expanded)",
        on_click_above(EAGER_ROLES, len(roles),
                       lambda: org_chart_svg(full(), title=root_title).encode("utf-8")),
        file_name=f"{name}.svg", mime="image/svg+xml", key="download-org-svg",
        icon=":material/image:", on_click="ignore", width="stretch")
    exports[1].download_button(
        "Whole chart as PNG (every branch expanded)",
        on_click_above(EAGER_ROLES, len(roles),
                       lambda: org_chart_png(full(), title=root_title)),
        file_name=f"{name}.png", mime="image/png", key="download-org-png",
        icon=":material/image:", on_click="ignore", width="stretch")

    # Layers and spans
    left, right = st.columns([2, 3], gap="large")
    with left:
        st.altair_chart(layer_bars(layer_counts(roles)), width="stretch")
    with right:
        managers = roles[roles["direct_reports"].fillna(0) > 0]
        st.altair_chart(span_bars(managers, taxonomy.span_of_control.min,
                                  taxonomy.span_of_control.max), width="stretch")

    # Chain of command
    st.header("Chain of command")
    role_ids = {titles[r]: r for r in sorted(titles, key=lambda r: titles[r].casefold())}
    deepest = roles.sort_values("layer", ascending=False, na_position="last")["role_id"].iloc[0]
    chosen = st.selectbox("Role", list(role_ids), index=list(role_ids.values()).index(deepest),
                          key="role", bind="query-params")
    chain = chain_table(current_area_roles(catalogue), role_ids[chosen])
    st.markdown(" → ".join(escape_markdown(t) for t in chain["title"]))
    show_table(chain.drop(columns="role_id"), f"{role_ids[chosen]}-chain-of-command", "chain")

# Integrity problems
st.header("Integrity of the reporting lines")
problems = current_integrity_problems(catalogue)
if problems.empty:
    st.success("No cycles, dangling lines or unreachable roles in the catalogue.",
               icon=":material/check_circle:")
else:
    st.warning(f"{len(problems)} problem(s) with reporting lines in the whole catalogue. "
               "The roles they concern are left off the chart where no line reaches them.",
               icon=":material/warning:")
    show_table(problems.drop(columns="severity"), "reporting-problems", "problems",
               column_config={"role": st.column_config.TextColumn("Role", width="medium"),
                              "file": st.column_config.TextColumn("File", width="medium"),
                              "field": st.column_config.TextColumn("Field", width="small"),
                              "message": st.column_config.TextColumn("Message", width="large")})
