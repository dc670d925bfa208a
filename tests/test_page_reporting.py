"""AppTest runs of the Reporting structure page: the embedded catalogue, a catalogue with a
cycle and a catalogue without any reporting line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from apptest_tables import table as table_of

DATA = Path(__file__).resolve().parent.parent / "data"


def org_chart(charts, at):
    """(spec, nodes, edges) of the org chart: the layered chart whose first mark is a rule."""
    found = [(spec, data) for spec, data in charts(at)
             if [layer["mark"]["type"] for layer in spec.get("layer", [])][:2] == ["rule",
                                                                                  "circle"]]
    assert len(found) == 1
    spec, data = found[0]
    edges = data[spec["layer"][0]["data"]["name"]]
    nodes = data[spec["layer"][1]["data"]["name"]]
    return spec, nodes, edges


def area_roles(catalogue, area: str):
    roles = catalogue.roles.merge(catalogue.metrics, on="role_id")
    return roles[roles["business_area"] == area]


def test_org_chart_of_the_area_in_the_url_draws_every_role(run_page, charts, catalogue):
    at = run_page("reporting", {"area": "Trading company"})
    assert not at.exception
    assert at.selectbox(key="area").value == "Trading company"
    spec, nodes, edges = org_chart(charts, at)
    trade = area_roles(catalogue, "trade")
    assert sorted(nodes["title"]) == sorted(trade["title"])
    assert dict(zip(nodes["title"], nodes["y"] + 1)) == dict(zip(trade["title"], trade["layer"]))
    solid = edges[edges["line"] == "solid"]
    assert sorted(zip(solid["manager_title"], solid["role_title"])) == sorted(
        (trade.set_index("role_id")["title"][m], t)
        for m, t in zip(trade["reports_to"], trade["title"]) if isinstance(m, str))
    assert spec["layer"][0]["encoding"]["strokeDash"]["field"] == "line"
    assert spec["layer"][1]["encoding"]["color"]["field"] == "department_name"
    assert [t["field"] for t in spec["layer"][1]["encoding"]["tooltip"]][:5] == [
        "title", "department_name", "headcount", "direct_reports", "span_of_control"]
    assert f"{len(trade)} of {len(trade)} roles drawn" in at.caption[0].value


def test_depth_limit_in_the_url_leaves_deeper_roles_out_and_says_how_many(run_page, charts,
                                                                          catalogue):
    at = run_page("reporting", {"area": "Trading company", "depth": "2"})
    assert at.number_input(key="depth").value == 2
    _, nodes, _ = org_chart(charts, at)
    trade = area_roles(catalogue, "trade")
    assert sorted(nodes["title"]) == sorted(trade[trade["layer"] <= 3]["title"])
    left_out = int((trade["layer"] > 3).sum())
    assert f"{left_out} left out below layer 2" in at.caption[0].value


def test_chosen_top_role_draws_its_subtree_only(run_page, charts, catalogue):
    at = run_page("reporting", {"area": "Trading company", "root": "Head of Sales Department"})
    _, nodes, _ = org_chart(charts, at)
    trade = area_roles(catalogue, "trade")
    below = trade[trade["chain_of_command"].str.contains("head-of-sales")]
    assert sorted(nodes["title"]) == sorted(below["title"])
    assert f"{len(trade) - len(below)} not under the chosen top role" in at.caption[0].value


def test_dotted_line_is_drawn_as_a_dotted_edge(run_page, charts, catalogue):
    at = run_page("reporting", {"area": "Construction company"})
    _, _, edges = org_chart(charts, at)
    dotted = catalogue.reporting[catalogue.reporting["line"] == "dotted"]
    titles = catalogue.roles.set_index("role_id")["title"]
    drawn = edges[edges["line"] == "dotted"]
    assert sorted(zip(drawn["manager_title"], drawn["role_title"])) == sorted(
        (titles[m], titles[r]) for r, m in zip(dotted["role_id"], dotted["manager_id"]))


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


def test_catalogue_with_a_cycle_draws_what_it_can_and_lists_the_problems(run_page, charts,
                                                                         catalogue, cycle_dir):
    at = run_page("reporting", {"area": "Trading company"}, catalogue_dir=cycle_dir)
    assert not at.exception
    _, nodes, _ = org_chart(charts, at)
    trade = area_roles(catalogue, "trade")
    assert sorted(nodes["title"]) == sorted(set(trade["title"]) - CUT_OFF)
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
    assert len(at.info) == 1
    assert "No role in Trading company reports to another role" in at.info[0].value
    # the app's problems banner and the page's integrity table list the several roots
    assert "roots" in " ".join(table_of(at, "catalogue-problems")["message"])
    assert "roots" in " ".join(table_of(at, "problems")["message"])
