"""jdcore.analysis.orgchart: the tidy-tree layout of a small hand-made tree, and the reporting views.

The tree (titles are the ids in capitals; E also has a dotted line to C):

    a                     leaves take x = 0, 1, 2 in order: d, e, g
    +-- b                 f = g = 2 (one child), c = f = 2
    |   +-- d             b = (d + e) / 2 = 0.5
    |   +-- e ...> c      a = (b + c) / 2 = (0.5 + 2) / 2 = 1.25
    +-- c
        +-- f
            +-- g
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from jdcore import load_catalogue
from jdcore.charts import layer_bars, org_chart, span_bars
from jdcore.analysis.orgchart import (area_roles, chain_table, has_reporting_lines,
                                      integrity_problems, layer_counts, root_candidates,
                                      solid_children, span_table, tree_layout, wrap_title)

HAND = Path(__file__).parent / "fixtures" / "hand"
DATA = Path(__file__).parent.parent / "data"

MANAGERS = {"a": None, "b": "a", "c": "a", "d": "b", "e": "b", "f": "c", "g": "f"}


def tree(managers: dict[str, str | None], titles: dict[str, str] | None = None) -> pd.DataFrame:
    titles = titles or {}
    return pd.DataFrame({"role_id": list(managers),
                         "title": [titles.get(r, r.upper()) for r in managers],
                         "reports_to": list(managers.values())})


def lines(managers: dict[str, str | None], dotted: list[tuple[str, str]] = ()) -> pd.DataFrame:
    rows = [(r, m, "solid") for r, m in managers.items() if m is not None]
    rows += [(r, m, "dotted") for r, m in dotted]
    return pd.DataFrame(rows, columns=["role_id", "manager_id", "line"])


def positions(layout) -> dict[str, tuple[float, int]]:
    return {r: (x, y) for r, x, y in zip(layout.nodes["role_id"], layout.nodes["x"],
                                         layout.nodes["y"])}


def edge_rows(layout) -> set[tuple]:
    return {tuple(row) for row in layout.edges[["manager_id", "role_id", "line", "x", "y",
                                                "x2", "y2"]].itertuples(index=False)}


@pytest.mark.parametrize("max_depth, expected", [
    (10, {"a": (1.25, 0), "b": (0.5, 1), "c": (2.0, 1), "d": (0.0, 2), "e": (1.0, 2),
          "f": (2.0, 2), "g": (2.0, 3)}),
    (2, {"a": (1.25, 0), "b": (0.5, 1), "c": (2.0, 1), "d": (0.0, 2), "e": (1.0, 2),
         "f": (2.0, 2)}),
    (1, {"a": (0.5, 0), "b": (0.0, 1), "c": (1.0, 1)}),
    (0, {"a": (0.0, 0)}),
])
def test_tree_layout_places_leaves_in_order_and_managers_at_subtree_centre(max_depth, expected):
    layout = tree_layout(tree(MANAGERS), lines(MANAGERS), "a", max_depth)
    assert positions(layout) == expected


@pytest.mark.parametrize("max_depth, left_out, hidden_below", [
    (10, 0, {}),
    (2, 1, {"f": 1}),
    (1, 4, {"b": 2, "c": 2}),
    (0, 6, {"a": 6}),
])
def test_depth_limit_counts_the_roles_left_out(max_depth, left_out, hidden_below):
    layout = tree_layout(tree(MANAGERS), lines(MANAGERS), "a", max_depth)
    assert layout.left_out == left_out
    hidden = layout.nodes.set_index("role_id")["hidden_below"]
    assert hidden[hidden > 0].to_dict() == hidden_below
    labels = layout.nodes.set_index("role_id")["label"]
    assert {r: labels[r] for r in hidden_below} == {r: f"{r.upper()}\n(+{n} below)"
                                                   for r, n in hidden_below.items()}
    assert layout.not_below_root == 0


def test_edges_run_from_manager_to_report_with_both_ends_positions():
    layout = tree_layout(tree(MANAGERS), lines(MANAGERS, [("e", "c")]), "a", 10)
    assert edge_rows(layout) == {
        ("a", "b", "solid", 1.25, 0, 0.5, 1), ("a", "c", "solid", 1.25, 0, 2.0, 1),
        ("b", "d", "solid", 0.5, 1, 0.0, 2), ("b", "e", "solid", 0.5, 1, 1.0, 2),
        ("c", "f", "solid", 2.0, 1, 2.0, 2), ("f", "g", "solid", 2.0, 2, 2.0, 3),
        ("c", "e", "dotted", 2.0, 1, 1.0, 2),
    }
    dotted = layout.edges[layout.edges["line"] == "dotted"].iloc[0]
    assert (dotted["manager_title"], dotted["role_title"]) == ("C", "E")


def test_dotted_line_to_a_role_off_the_chart_is_not_drawn():
    layout = tree_layout(tree(MANAGERS), lines(MANAGERS, [("e", "c")]), "a", 1)
    assert set(layout.edges["line"]) == {"solid"}
    assert set(zip(layout.edges["manager_id"], layout.edges["role_id"])) == {("a", "b"),
                                                                             ("a", "c")}


def test_a_subtree_root_draws_only_that_subtree():
    layout = tree_layout(tree(MANAGERS), lines(MANAGERS), "c", 10)
    assert positions(layout) == {"c": (0.0, 0), "f": (0.0, 1), "g": (0.0, 2)}
    assert (layout.left_out, layout.not_below_root) == (0, 4)


def test_manager_sits_halfway_between_its_first_and_last_child_not_at_their_mean():
    managers = {"r": None, "a": "r", "b": "r", "c": "r", "c1": "c", "c2": "c"}
    layout = tree_layout(tree(managers), lines(managers), "r", 4)
    assert positions(layout) == {"r": (1.25, 0), "a": (0.0, 1), "b": (1.0, 1), "c": (2.5, 1),
                                 "c1": (2.0, 2), "c2": (3.0, 2)}


def test_children_are_ordered_by_title_ignoring_case():
    managers = {"top": None, "x": "top", "y": "top", "z": "top"}
    titles = {"top": "Top", "x": "zebra", "y": "Apple", "z": "mango"}
    layout = tree_layout(tree(managers, titles), lines(managers), "top", 4)
    assert positions(layout) == {"top": (1.0, 0), "y": (0.0, 1), "z": (1.0, 1), "x": (2.0, 1)}


def test_a_cycle_is_laid_out_once_and_left_out_of_the_root_tree():
    managers = {"root": None, "kid": "root", "p": "q", "q": "p"}
    roles = tree(managers)
    layout = tree_layout(roles, lines(managers), "root", 4)
    assert positions(layout) == {"root": (0.0, 0), "kid": (0.0, 1)}
    assert layout.not_below_root == 2
    from_cycle = tree_layout(roles, lines(managers), "p", 4)
    assert positions(from_cycle) == {"p": (0.0, 0), "q": (0.0, 1)}
    assert edge_rows(from_cycle) == {("p", "q", "solid", 0.0, 0, 0.0, 1)}


def test_unknown_root_draws_nothing():
    layout = tree_layout(tree(MANAGERS), lines(MANAGERS), "nobody", 4)
    assert layout.nodes.empty and layout.edges.empty
    assert layout.not_below_root == len(MANAGERS)


@pytest.mark.parametrize("managers, expected", [
    (MANAGERS, True),
    ({"a": None, "b": None}, False),
    ({"a": "a"}, False),            # a line to itself is no line
    ({"a": "missing"}, False),      # a dangling line is no line
])
def test_has_reporting_lines(managers, expected):
    assert has_reporting_lines(tree(managers)) is expected


def test_solid_children_skip_self_lines_and_unknown_managers():
    managers = {"a": None, "b": "a", "c": "c", "d": "ghost"}
    assert solid_children(tree(managers)) == {"a": ["b"]}


@pytest.mark.parametrize("title, expected", [
    ("Seller", "Seller"),
    ("Head of Production and Technical Department",
     "Head of Production\nand Technical\nDepartment"),
])
def test_wrap_title(title, expected):
    assert wrap_title(title) == expected


# --- views over the hand-built catalogue (tests/fixtures/hand, see tests/test_metrics.py) ----

@pytest.fixture(scope="module")
def hand():
    return load_catalogue(HAND)


def test_root_candidates_put_the_top_role_first(hand):
    roles = area_roles(hand, "shop")
    assert root_candidates(roles) == ["boss", "clerk", "lead", "seller", "trainee"]


def test_layer_counts_count_roles_and_positions(hand):
    counts = layer_counts(area_roles(hand))
    assert counts.to_dict("records") == [
        {"layer": 1, "roles": 1, "positions": 1}, {"layer": 2, "roles": 2, "positions": 2},
        {"layer": 3, "roles": 1, "positions": 4}, {"layer": 4, "roles": 1, "positions": 2}]


def test_span_table_lists_managers_outside_the_range_first(hand):
    table = span_table(area_roles(hand))
    assert table[["role_id", "direct_reports", "span_of_control", "span_flag",
                  "outside_range"]].to_dict("records") == [
        {"role_id": "lead", "direct_reports": 4, "span_of_control": 4.0, "span_flag": "over",
         "outside_range": True},
        {"role_id": "seller", "direct_reports": 2, "span_of_control": 0.5,
         "span_flag": "under", "outside_range": True},
        {"role_id": "boss", "direct_reports": 2, "span_of_control": 2.0, "span_flag": "ok",
         "outside_range": False},
    ]


def test_chain_table_runs_from_the_top_down(hand):
    chain = chain_table(area_roles(hand), "trainee")
    assert list(chain["role_id"]) == ["boss", "lead", "seller", "trainee"]
    assert list(chain["step"]) == [1, 2, 3, 4]
    assert list(chain["layer"]) == [1, 2, 3, 4]


def test_hand_catalogue_layout_draws_the_dotted_line(hand):
    roles = area_roles(hand, "shop")
    layout = tree_layout(roles, hand.reporting, "boss", 4)
    dotted = layout.edges[layout.edges["line"] == "dotted"]
    assert list(zip(dotted["manager_id"], dotted["role_id"])) == [("clerk", "trainee")]


@pytest.fixture
def cycle_catalogue(tmp_path):
    """The embedded catalogue with head-of-sales and middle-sales-manager reporting to each
    other: a cycle that cuts them and the two roles below them off the trading tree."""
    folder = tmp_path / "catalogue"
    shutil.copytree(DATA, folder)
    path = folder / "roles" / "head-of-sales.yaml"
    path.write_text(path.read_text().replace("reports_to: general-director",
                                             "reports_to: middle-sales-manager"))
    return load_catalogue(folder)


def test_integrity_problems_list_the_cycle_and_roles_without_layer(cycle_catalogue):
    problems = integrity_problems(cycle_catalogue)
    cycle = problems[problems["message"].str.contains("form a cycle")]
    assert list(cycle["file"]) == ["roles/head-of-sales.yaml"]
    assert set(problems[problems["field"] == "layer"]["role"]) == {
        "Head of Sales Department", "Sales Manager (Middle Manager)", "Sales Floor Controller",
        "Sales Representative"}


def test_cycle_roles_are_not_under_the_trading_root(cycle_catalogue):
    roles = area_roles(cycle_catalogue, "trade")
    layout = tree_layout(roles, cycle_catalogue.reporting, "board-of-directors", 4)
    assert layout.not_below_root == 4
    assert len(layout.nodes) == len(roles) - 4


def test_integrity_problems_empty_for_a_sound_catalogue(hand):
    assert integrity_problems(hand).empty


# --- chart builders ------------------------------------------------------------------------

def test_org_chart_tells_solid_from_dotted_and_colours_by_department(hand):
    layout = tree_layout(area_roles(hand, "shop"), hand.reporting, "boss", 4)
    spec = org_chart(layout.nodes, layout.edges).to_dict()
    rule, circle, halo, text = spec["layer"]
    assert rule["mark"]["type"] == "rule" and circle["mark"]["type"] == "circle"
    assert {rule["encoding"][c]["field"] for c in ("x", "y", "x2", "y2")} == {"x", "y", "x2",
                                                                              "y2"}
    assert rule["encoding"]["strokeDash"]["field"] == "line"
    assert rule["encoding"]["strokeDash"]["scale"]["domain"] == ["solid", "dotted"]
    assert circle["encoding"]["color"]["field"] == "department_name"
    assert [t["field"] for t in circle["encoding"]["tooltip"]][:5] == [
        "title", "department_name", "headcount", "direct_reports", "span_of_control"]
    assert text["encoding"]["text"]["field"] == "label"
    assert all("tooltip" in layer["encoding"] for layer in spec["layer"])
    assert spec["height"] == 4 * 120


def test_org_chart_without_labels_has_no_text_layer(hand):
    layout = tree_layout(area_roles(hand, "shop"), hand.reporting, "boss", 4)
    spec = org_chart(layout.nodes, layout.edges, labels=False).to_dict()
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rule", "circle"]


def test_layer_bars_show_roles_and_positions_per_layer(hand):
    spec = layer_bars(layer_counts(area_roles(hand))).to_dict()
    values = pd.DataFrame(spec["datasets"][spec["data"]["name"]])
    assert sorted(zip(values["layer"], values["measure"], values["count"])) == [
        (1, "Positions", 1), (1, "Roles", 1), (2, "Positions", 2), (2, "Roles", 2),
        (3, "Positions", 4), (3, "Roles", 1), (4, "Positions", 2), (4, "Roles", 1)]
    assert spec["encoding"]["xOffset"]["field"] == "measure"


def test_span_bars_draw_the_taxonomy_range_as_rules(hand):
    managers = area_roles(hand).query("direct_reports > 0")
    spec = span_bars(managers, 2, 3).to_dict()
    bars, rules = spec["layer"]
    assert bars["encoding"]["x"]["field"] == "span_of_control"
    assert bars["encoding"]["color"]["field"] == "span_flag"
    assert spec["datasets"][rules["data"]["name"]] == [{"bound": "minimum", "value": 2},
                                                       {"bound": "maximum", "value": 3}]
