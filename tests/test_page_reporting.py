"""AppTest runs of the Reporting structure page: the embedded catalogue, a catalogue with a
cycle and a catalogue without any reporting line."""

from __future__ import annotations

import base64
import re
import shutil
from xml.etree import ElementTree
from pathlib import Path

import pandas as pd
import pytest
from apptest_tables import table as table_of

DATA = Path(__file__).resolve().parent.parent / "data"


def org_chart(at):
    """(boxes, edges) of the org chart: the SVG the page shows as an image, parsed.

    boxes: box_id role_id kind depth focus; edges: from_id to_id line on_path.
    """
    return parse_org_chart(org_chart_svg_text(at))


def org_chart_svg_text(at) -> str:
    [view] = [h for h in at.get("html") if 'class="org-chart"' in h.proto.body]
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', view.proto.body).group(1)
    return base64.b64decode(data).decode("utf-8")


def parse_org_chart(svg: str):
    root = ElementTree.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    boxes = pd.DataFrame(
        [{"role_id": g.get("data-role"), "kind": g.get("class").split()[1],
          "depth": int(g.get("data-depth")), "focus": "focus" in g.get("class").split(),
          "tooltip": g.find(f"{ns}title").text}
         for g in root.iter(f"{ns}g") if (g.get("class") or "").startswith("box ")],
        columns=["role_id", "kind", "depth", "focus", "tooltip"])
    edges = pd.DataFrame(
        [{"from_id": line.get("data-from"), "to_id": line.get("data-to"),
          "line": line.get("class").split()[1]}
         for line in root.iter(f"{ns}polyline")], columns=["from_id", "to_id", "line"])
    return boxes, edges


def roles_drawn(boxes) -> list[str]:
    return sorted(boxes.loc[boxes["kind"] == "role", "role_id"])


def area_roles(catalogue, area: str):
    roles = catalogue.roles.merge(catalogue.metrics, on="role_id")
    return roles[roles["business_area"] == area]


def test_org_chart_of_the_area_in_the_url_draws_every_role(run_page, catalogue):
    at = run_page("reporting", {"area": "Trading company"})
    assert not at.exception
    assert at.selectbox(key="area").value == "Trading company"
    boxes, edges = org_chart(at)
    trade = area_roles(catalogue, "trade")
    assert roles_drawn(boxes) == sorted(trade["role_id"])
    assert dict(zip(boxes["role_id"], boxes["depth"] + 1)) == dict(zip(trade["role_id"],
                                                                       trade["layer"]))
    solid = edges[edges["line"] == "solid"]
    assert sorted(zip(solid["from_id"], solid["to_id"])) == sorted(
        (m, r) for m, r in zip(trade["reports_to"], trade["role_id"]) if isinstance(m, str))
    # every box says its title, department, headcount and span
    tips = dict(zip(boxes["role_id"], boxes["tooltip"]))
    for role in trade.itertuples():
        assert tips[role.role_id].startswith(f"{role.title} · ")
        assert f"headcount {role.headcount:g}" in tips[role.role_id]
    assert f"{len(trade)} of {len(trade)} roles drawn" in at.caption[0].value


def test_depth_limit_in_the_url_leaves_deeper_roles_out_and_says_how_many(run_page, catalogue):
    at = run_page("reporting", {"area": "Trading company", "depth": "2"})
    assert at.number_input(key="depth").value == 2
    boxes, _ = org_chart(at)
    trade = area_roles(catalogue, "trade")
    assert roles_drawn(boxes) == sorted(trade[trade["layer"] <= 3]["role_id"])
    left_out = int((trade["layer"] > 3).sum())
    assert f"{left_out} left out below layer 2" in at.caption[0].value


def test_chosen_top_role_draws_its_subtree_only(run_page, catalogue):
    at = run_page("reporting", {"area": "Trading company", "root": "Head of Sales Department"})
    boxes, _ = org_chart(at)
    trade = area_roles(catalogue, "trade")
    below = trade[trade["chain_of_command"].str.contains("head-of-sales")]
    assert roles_drawn(boxes) == sorted(below["role_id"])
    assert f"{len(trade) - len(below)} not under the chosen top role" in at.caption[0].value


def test_dotted_line_is_drawn_as_a_dotted_edge(run_page, catalogue):
    at = run_page("reporting", {"area": "Construction company"})
    _, edges = org_chart(at)
    dotted = catalogue.reporting[catalogue.reporting["line"] == "dotted"]
    drawn = edges[edges["line"] == "dotted"]
    assert sorted(zip(drawn["to_id"], drawn["from_id"])) == sorted(
        zip(dotted["manager_id"], dotted["role_id"]))


def test_layer_and_span_charts_use_the_metrics_and_taxonomy(run_page, charts, catalogue):
    at = run_page("reporting", {"area": "Trading company"})
    trade = area_roles(catalogue, "trade")
    layers = next(data for spec, data in charts(at)
                  if spec.get("encoding", {}).get("xOffset", {}).get("field") == "measure")
    layers = next(iter(layers.values()))
    roles = layers[layers["measure"] == "Roles"].set_index("layer")["count"]
    assert roles.to_dict() == trade["layer"].value_counts().to_dict()
    span_spec, span_data = next((spec, data) for spec, data in charts(at)
                                if [l_["mark"]["type"] for l_ in spec.get("layer", [])]
                                == ["bar", "rule"])
    bounds = span_data[span_spec["layer"][1]["data"]["name"]]
    span = catalogue.taxonomy.span_of_control
    assert list(bounds["value"]) == [span.min, span.max]
    bars = span_data[span_spec["layer"][0]["data"]["name"]]
    assert sorted(bars["title"]) == sorted(trade[trade["direct_reports"] > 0]["title"])


def test_chain_of_command_of_the_role_in_the_url(run_page, catalogue):
    at = run_page("reporting", {"area": "Trading company", "role": "Sales Representative"})
    assert at.selectbox(key="role").value == "Sales Representative"
    titles = catalogue.roles.set_index("role_id")["title"]
    chain = catalogue.metrics.set_index("role_id").at["sales-representative",
                                                      "chain_of_command"].split(" > ")
    table = table_of(at, "chain")
    assert list(table["title"]) == [titles[r] for r in chain]
    assert list(table["step"]) == list(range(1, len(chain) + 1))
    text = re.sub(r"\\(.)", r"\1", at.markdown[0].value)
    assert text == " → ".join(titles[r] for r in chain)


def test_sound_catalogue_reports_no_integrity_problem(run_page):
    at = run_page("reporting")
    assert [s.value for s in at.success] == [
        "No cycles, dangling lines or unreachable roles in the catalogue."]


@pytest.fixture
def cycle_dir(tmp_path):
    """The embedded catalogue with head-of-sales and middle-sales-manager reporting to each
    other: the two and the two roles below them are cut off the trading tree."""
    folder = tmp_path / "cycle"
    shutil.copytree(DATA, folder)
    path = folder / "roles" / "head-of-sales.yaml"
    text = path.read_text()
    assert "reports_to: general-director" in text
    path.write_text(text.replace("reports_to: general-director",
                                 "reports_to: middle-sales-manager"))
    return folder


CUT_OFF = {"Head of Sales Department", "Sales Manager (Middle Manager)",
           "Sales Floor Controller", "Sales Representative"}


def test_catalogue_with_a_cycle_draws_what_it_can_and_lists_the_problems(run_page, catalogue,
                                                                         cycle_dir):
    at = run_page("reporting", {"area": "Trading company"}, catalogue_dir=cycle_dir)
    assert not at.exception
    boxes, _ = org_chart(at)
    trade = area_roles(catalogue, "trade")
    assert roles_drawn(boxes) == sorted(trade.loc[~trade["title"].isin(CUT_OFF), "role_id"])
    assert f"{len(CUT_OFF)} not under the chosen top role" in at.caption[0].value

    problems = table_of(at, "problems")
    cycle = problems[problems["message"].str.contains("reporting lines form a cycle")]
    assert list(cycle["file"]) == ["roles/head-of-sales.yaml"]
    assert set(problems.loc[problems["field"] == "layer", "role"]) == CUT_OFF
    assert len(at.warning) == 1


def test_chain_of_a_role_in_a_cycle_still_shows(run_page, cycle_dir):
    at = run_page("reporting", {"area": "Trading company",
                                "role": "Sales Manager (Middle Manager)"},
                  catalogue_dir=cycle_dir)
    assert not at.exception
    # the app's problems banner (a table of the catalogue's problems) comes first
    chain = next(d.value for d in at.dataframe if "step" in d.value.columns)
    assert list(chain["title"]) == ["Head of Sales Department", "Sales Manager (Middle Manager)"]


def test_catalogue_without_reporting_lines_says_so_instead_of_an_empty_chart(run_page, charts,
                                                                             tmp_path):
    folder = tmp_path / "flat"
    shutil.copytree(DATA, folder)
    for path in (folder / "roles").glob("*.yaml"):
        path.write_text(re.sub(r"(?m)^reports_to: .*$", "reports_to: null", path.read_text()))
    at = run_page("reporting", {"area": "Trading company"}, catalogue_dir=folder)
    assert not at.exception
    assert charts(at) == []
    assert not [h for h in at.get("html") if 'class="org-chart"' in h.proto.body]
    assert len(at.info) == 1
    assert "No role in Trading company reports to another role" in at.info[0].value
    # the app's problems banner and the page's integrity table list the several roots
    assert "roots" in " ".join(table_of(at, "catalogue-problems")["message"])
    assert "roots" in " ".join(table_of(at, "problems")["message"])


def test_a_role_found_in_a_collapsed_branch_is_drawn_highlighted_with_its_managers(run_page,
                                                                                 catalogue):
    at = run_page("reporting", {"area": "Trading company", "depth": "1",
                                "find": "Sales Representative"})
    assert not at.exception
    boxes, _ = org_chart(at)
    chain = catalogue.metrics.set_index("role_id").at["sales-representative",
                                                      "chain_of_command"].split(" > ")
    assert set(chain) <= set(boxes.loc[boxes["kind"] == "role", "role_id"])
    assert list(boxes.loc[boxes["focus"], "role_id"]) == ["sales-representative"]
    # the rest of the chart stays collapsed at depth 1: the other branches are "+N more"
    assert (boxes["kind"] == "more").any()


def test_a_role_outside_the_chosen_top_moves_the_top_to_its_own_root(run_page):
    at = run_page("reporting", {"area": "Trading company", "root": "Head of Sales Department",
                                "find": "Logistics Dispatcher"})
    assert at.selectbox(key="root").value == "Board of Directors"
    boxes, _ = org_chart(at)
    assert list(boxes.loc[boxes["focus"], "role_id"]) == ["logistics-dispatcher"]


def test_an_expanded_branch_in_the_url_shows_its_whole_team(run_page, catalogue):
    at = run_page("reporting", {"area": "Trading company", "depth": "1",
                                "expand": "General Director"})
    assert at.multiselect(key="expand").value == ["General Director"]
    boxes, _ = org_chart(at)
    trade = area_roles(catalogue, "trade")
    reports = trade.loc[trade["reports_to"] == "general-director", "role_id"]
    assert set(reports) <= set(boxes.loc[boxes["kind"] == "role", "role_id"])


def test_the_whole_chart_downloads_fully_expanded_as_svg_and_png(run_page, downloads, catalogue):
    at = run_page("reporting", {"area": "Trading company", "depth": "1"})
    files = downloads(at)
    name, svg = files["download-org-svg"]
    assert name == "org-chart-board-of-directors.svg"
    boxes, _ = parse_org_chart(svg.decode("utf-8"))
    assert roles_drawn(boxes) == sorted(area_roles(catalogue, "trade")["role_id"])
    assert not (boxes["kind"] == "more").any()
    name, png = files["download-org-png"]
    assert name == "org-chart-board-of-directors.png"
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
