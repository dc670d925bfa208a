"""jdcore.analysis.orgchart: the boxed org-chart layout of a small hand-made tree, its SVG and
PNG, and the reporting views.

The tree (titles are the ids in capitals; E also has a dotted line to C):

    a
    +-- b                 d and e have no reports: stacked in one column under b
    |   +-- d
    |   +-- e ...> c
    +-- c                 c, f: one report each, side by side (a column each)
        +-- f
            +-- g
"""

from __future__ import annotations

import io
import shutil
from xml.etree import ElementTree
from pathlib import Path

import pandas as pd
import pytest

from jdcore import load_catalogue
from hostile_catalogue import HOSTILE_DEPARTMENT, HOSTILE_TITLE, write_hostile_catalogue

from jdcore.charts import layer_bars, org_chart_png, org_chart_svg, span_bars
from jdcore.analysis.orgchart import (BOX_HEIGHT, area_roles, chain_table, chart_layout,
                                      descendant_counts, fitting_depth, has_reporting_lines,
                                      integrity_problems, layer_counts, manager_path,
                                      root_candidates, solid_children, span_table)

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


def shown(chart) -> dict[str, int]:
    """role box id -> depth."""
    roles = chart.boxes[chart.boxes["kind"] == "role"]
    return dict(zip(roles["box_id"], roles["depth"]))


def more_boxes(chart) -> dict[str, int]:
    """collapsed role -> the count its "+N more" box shows."""
    more = chart.boxes[chart.boxes["kind"] == "more"]
    return dict(zip(more["role_id"], more["below"]))


def overlapping(boxes) -> list[tuple[str, str]]:
    rows = list(boxes.itertuples())
    return [(p.box_id, q.box_id) for i, p in enumerate(rows) for q in rows[i + 1:]
            if p.x < q.x + q.width and q.x < p.x + p.width
            and p.y < q.y + q.height and q.y < p.y + p.height]


def assert_sound(chart):
    """No two boxes overlap; every box but the root hangs under a box that is drawn."""
    boxes = chart.boxes
    assert overlapping(boxes) == []
    drawn = set(boxes["box_id"])
    parents = boxes.loc[boxes["box_id"] != chart.root, "parent_id"]
    assert set(parents) <= drawn
    solid = chart.connectors[chart.connectors["line"] == "solid"]
    assert sorted(zip(solid["from_id"], solid["to_id"])) == sorted(
        zip(boxes.loc[parents.index, "parent_id"], boxes.loc[parents.index, "box_id"]))
    assert (boxes["x"] >= 0).all() and (boxes["x"] + boxes["width"] <= chart.width).all()
    assert (boxes["y"] + boxes["height"] <= chart.height).all()


@pytest.mark.parametrize("max_depth, expected, collapsed", [
    (None, {"a": 0, "b": 1, "c": 1, "d": 2, "e": 2, "f": 2, "g": 3}, {}),
    (10, {"a": 0, "b": 1, "c": 1, "d": 2, "e": 2, "f": 2, "g": 3}, {}),
    (2, {"a": 0, "b": 1, "c": 1, "d": 2, "e": 2, "f": 2}, {"f": 1}),
    (1, {"a": 0, "b": 1, "c": 1}, {"b": 2, "c": 2}),
    (0, {"a": 0}, {"a": 6}),
])
def test_depth_limit_collapses_deeper_branches_into_counted_more_boxes(max_depth, expected,
                                                                        collapsed):
    chart = chart_layout(tree(MANAGERS), lines(MANAGERS), "a", max_depth)
    assert shown(chart) == expected
    assert more_boxes(chart) == collapsed
    assert chart.left_out == sum(collapsed.values())
    assert chart.not_below_root == 0
    assert_sound(chart)


def test_reports_without_reports_of_their_own_stack_under_their_manager():
    chart = chart_layout(tree(MANAGERS), lines(MANAGERS), "a", None)
    box = chart.boxes.set_index("box_id")
    assert box.at["d", "x"] == box.at["e", "x"] > box.at["b", "x"]   # one indented column
    assert box.at["e", "y"] > box.at["d", "y"]
    assert box.at["d", "x"] + box.at["d", "width"] <= box.at["b", "x"] + box.at["b", "width"]
    # side by side otherwise, the manager centred over its first and last report
    assert box.at["b", "x"] < box.at["c", "x"]
    assert box.at["a", "x"] == pytest.approx((box.at["b", "x"] + box.at["c", "x"]) / 2)
    assert box.at["c", "x"] == box.at["f", "x"] == box.at["g", "x"]


def test_connectors_are_elbows_from_the_manager_down_to_each_report():
    chart = chart_layout(tree(MANAGERS), lines(MANAGERS), "a", None)
    box = chart.boxes.set_index("box_id")
    links = chart.connectors.set_index(["from_id", "to_id"])
    points = links.at[("a", "c"), "points"]
    assert points[0] == (box.at["a", "x"] + box.at["a", "width"] / 2,
                         box.at["a", "y"] + BOX_HEIGHT)          # leaves the manager's bottom
    assert points[-1] == (box.at["c", "x"] + box.at["c", "width"] / 2, box.at["c", "y"])
    assert all(p[0] == q[0] or p[1] == q[1] for p, q in zip(points, points[1:]))  # elbows
    arm = links.at[("b", "e"), "points"]                                # a stacked report
    assert arm[-1] == (box.at["e", "x"], box.at["e", "y"] + BOX_HEIGHT / 2)


def test_dotted_lines_join_roles_on_the_chart_only():
    chart = chart_layout(tree(MANAGERS), lines(MANAGERS, [("e", "c")]), "a", None)
    dotted = chart.connectors[chart.connectors["line"] == "dotted"]
    assert list(zip(dotted["from_id"], dotted["to_id"])) == [("e", "c")]
    collapsed = chart_layout(tree(MANAGERS), lines(MANAGERS, [("e", "c")]), "a", 1)
    assert set(collapsed.connectors["line"]) == {"solid"}


def test_an_expanded_branch_shows_its_reports_below_the_depth_limit():
    chart = chart_layout(tree(MANAGERS), lines(MANAGERS), "a", 1, expanded=["c"])
    assert shown(chart) == {"a": 0, "b": 1, "c": 1, "f": 2}
    assert more_boxes(chart) == {"b": 2, "f": 1}
    assert_sound(chart)


def test_a_found_role_opens_the_way_down_to_it_and_is_highlighted():
    chart = chart_layout(tree(MANAGERS), lines(MANAGERS), "a", 1, focus="g")
    assert shown(chart) == {"a": 0, "b": 1, "c": 1, "f": 2, "g": 3}
    assert more_boxes(chart) == {"b": 2}
    box = chart.boxes.set_index("box_id")
    assert list(box.index[box["focus"]]) == ["g"]
    assert set(box.index[box["on_path"]]) == {"a", "c", "f", "g"}
    on_path = chart.connectors[chart.connectors["on_path"]]
    assert sorted(zip(on_path["from_id"], on_path["to_id"])) == [("a", "c"), ("c", "f"),
                                                                  ("f", "g")]
    assert_sound(chart)


def test_a_found_role_outside_the_root_opens_nothing():
    chart = chart_layout(tree(MANAGERS), lines(MANAGERS), "b", 0, focus="g")
    assert shown(chart) == {"b": 0} and not chart.boxes["focus"].any()


def test_a_subtree_root_draws_only_that_subtree():
    chart = chart_layout(tree(MANAGERS), lines(MANAGERS), "c", None)
    assert shown(chart) == {"c": 0, "f": 1, "g": 2}
    assert (chart.left_out, chart.not_below_root) == (0, 4)


def test_children_are_ordered_by_title_ignoring_case():
    managers = {"top": None, "x": "top", "y": "top", "z": "top", "x1": "x", "y1": "y",
                "z1": "z"}
    titles = {"top": "Top", "x": "zebra", "y": "Apple", "z": "mango"}
    chart = chart_layout(tree(managers, titles), lines(managers), "top", None)
    level = chart.boxes[chart.boxes["depth"] == 1].sort_values("x")
    assert list(level["box_id"]) == ["y", "z", "x"]


def test_a_cycle_is_laid_out_once_and_left_out_of_the_root_tree():
    managers = {"root": None, "kid": "root", "p": "q", "q": "p"}
    roles = tree(managers)
    chart = chart_layout(roles, lines(managers), "root", 4)
    assert shown(chart) == {"root": 0, "kid": 1}
    assert chart.not_below_root == 2
    from_cycle = chart_layout(roles, lines(managers), "p", None)
    assert shown(from_cycle) == {"p": 0, "q": 1}
    assert list(zip(from_cycle.connectors["from_id"], from_cycle.connectors["to_id"])) == [
        ("p", "q")]


def test_unknown_root_draws_nothing():
    chart = chart_layout(tree(MANAGERS), lines(MANAGERS), "nobody", 4)
    assert chart.boxes.empty and chart.connectors.empty
    assert chart.not_below_root == len(MANAGERS)


def test_descendant_counts_and_manager_path():
    counts = descendant_counts(solid_children(tree(MANAGERS)), "a")
    assert counts == {"a": 6, "b": 2, "c": 2, "d": 0, "e": 0, "f": 1, "g": 0}
    assert manager_path(tree(MANAGERS), "g") == ["a", "c", "f", "g"]
    assert manager_path(tree({"p": "q", "q": "p"}), "p") == ["q", "p"]


def wide_tree(managers_n: int, reports_n: int) -> dict[str, str | None]:
    managers: dict[str, str | None] = {"top": None}
    for m in range(managers_n):
        managers[f"m{m}"] = "top"
        for r in range(reports_n):
            managers[f"m{m}r{r}"] = f"m{m}"
            managers[f"m{m}r{r}x"] = f"m{m}r{r}"
    return managers


def test_fitting_depth_keeps_the_default_while_the_chart_fits_and_cuts_it_when_not():
    managers = wide_tree(5, 4)       # 1 + 5 + 20 + 20 roles, 4 layers deep
    roles = tree(managers)
    assert fitting_depth(roles, "top", 100, 4) == 4
    assert fitting_depth(roles, "top", 30, 4) == 1   # depth 2: 26 roles + 20 "+N more" boxes
    assert fitting_depth(roles, "top", 5, 4) == 1    # never below 1


def test_a_large_tree_is_sound_at_every_depth():
    managers = wide_tree(12, 6)
    for depth in (None, 0, 1, 2, 3):
        chart = chart_layout(tree(managers), lines(managers), "top", depth,
                             expanded=["m3r2"], focus="m7r5x")
        assert_sound(chart)
        counted = len(shown(chart)) + sum(more_boxes(chart).values())
        assert counted == len(managers)


# --- the SVG and the PNG -----------------------------------------------------------------

def test_svg_draws_a_box_per_role_with_title_figures_and_tooltip(hand):
    chart = chart_layout(area_roles(hand, "shop"), hand.reporting, "boss", 1)
    svg = org_chart_svg(chart, title="Shop")
    root = ElementTree.fromstring(svg)        # well-formed XML
    ns = "{http://www.w3.org/2000/svg}"
    boxes = [g for g in root.iter(f"{ns}g") if (g.get("class") or "").startswith("box ")]
    assert sorted(g.get("data-role") for g in boxes) == sorted(chart.boxes["role_id"])
    boss = next(g for g in boxes if g.get("data-role") == "boss")
    words = " ".join(t.text or "" for t in boss.iter(f"{ns}tspan"))
    roles = area_roles(hand, "shop").set_index("role_id")
    assert roles.at["boss", "title"] in words
    assert f"Headcount {roles.at['boss', 'headcount']:g}" in "".join(boss.itertext())
    assert boss.find(f"{ns}title").text.startswith(roles.at["boss", "title"])
    more = [g for g in boxes if "more" in g.get("class").split()]
    assert more and all("more" in "".join(g.itertext()) for g in more)
    lines_ = {p.get("class") for p in root.iter(f"{ns}polyline")}
    assert lines_ <= {"line solid", "line dotted"}
    assert "<script" not in svg and "href" not in svg


def test_svg_draws_dotted_lines_dashed_and_solid_lines_plain(hand):
    chart = chart_layout(area_roles(hand, "shop"), hand.reporting, "boss", None)
    root = ElementTree.fromstring(org_chart_svg(chart))
    ns = "{http://www.w3.org/2000/svg}"
    polylines = list(root.iter(f"{ns}polyline"))
    assert {p.get("data-from") for p in polylines if p.get("class") == "line dotted"} == {
        "trainee"}
    assert all(p.get("stroke-dasharray") for p in polylines if p.get("class") == "line dotted")
    assert not any(p.get("stroke-dasharray") for p in polylines
                   if p.get("class") == "line solid")


def test_svg_escapes_hostile_titles_and_department_names(tmp_path):
    catalogue = load_catalogue(write_hostile_catalogue(tmp_path / "hostile"))
    roles = area_roles(catalogue, "trade")
    chart = chart_layout(roles, catalogue.reporting, root_candidates(roles)[0], None,
                         focus="head-of-sales")
    svg = org_chart_svg(chart, title=HOSTILE_TITLE)
    root = ElementTree.fromstring(svg)
    assert "<script" not in svg and "<em>" not in svg
    texts = " ".join(root.itertext())
    assert HOSTILE_TITLE in texts                    # shown as text, not markup
    assert HOSTILE_DEPARTMENT in texts               # in the legend and the tooltip
    png = org_chart_png(chart, title=HOSTILE_TITLE)
    assert png.startswith(b"\x89PNG")


def test_png_is_the_whole_chart_at_twice_its_size():
    from PIL import Image

    chart = chart_layout(tree(MANAGERS), lines(MANAGERS, [("e", "c")]), "a", None)
    image = Image.open(io.BytesIO(org_chart_png(chart)))
    width, height = image.size
    assert width == round(max(chart.width, 360) * 2)
    assert height > chart.height * 2
    assert image.getpixel((0, 0)) == (255, 255, 255)


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
    chart = chart_layout(roles, hand.reporting, "boss", 4)
    dotted = chart.connectors[chart.connectors["line"] == "dotted"]
    assert list(zip(dotted["to_id"], dotted["from_id"])) == [("clerk", "trainee")]


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
    chart = chart_layout(roles, cycle_catalogue.reporting, "board-of-directors", None)
    assert chart.not_below_root == 4
    assert len(chart.boxes) == len(roles) - 4


def test_integrity_problems_empty_for_a_sound_catalogue(hand):
    assert integrity_problems(hand).empty


# --- chart builders ------------------------------------------------------------------------

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


def test_the_outline_for_a_phone_keeps_every_box_in_order_and_fits_390_px(catalogue):
    from jdcore.analysis.orgchart import (BOX_HEIGHT, area_roles, chart_layout, outline_layout,
                                          root_candidates)
    roles = area_roles(catalogue, "construction")
    chart = chart_layout(roles, catalogue.reporting, root_candidates(roles)[0], 4)
    outline = outline_layout(chart)
    boxes = outline.boxes
    assert sorted(boxes["box_id"]) == sorted(chart.boxes["box_id"])
    assert outline.width <= 356                                  # 390 px less the page margins
    assert (boxes["x"] + boxes["width"] <= outline.width).all()
    assert list(boxes["y"]) == sorted(boxes["y"])                # one box per row, top down
    assert (boxes["y"].diff().dropna() >= BOX_HEIGHT).all()      # no two overlap
    row = {b: n for n, b in enumerate(boxes["box_id"])}
    x = dict(zip(boxes["box_id"], boxes["x"]))
    for box, parent in zip(boxes["box_id"], boxes["parent_id"]):
        if isinstance(parent, str):
            assert row[parent] < row[box] and x[box] > x[parent]  # under its manager, indented
    # pre-order: a manager's whole team comes before the next box at the manager's layer
    depth = dict(zip(boxes["box_id"], boxes["depth"]))
    site = row["site-manager"]
    team = [b for b in boxes["box_id"][site + 1:]]
    assert team[:2] == ["site-foreman", "construction-worker"]
    assert depth["construction-worker"] == depth["site-manager"] + 2
    lines = outline.connectors
    assert list(lines["from_id"]) == list(chart.connectors["from_id"])
    assert set(lines["line"]) == set(chart.connectors["line"])
    for line in lines.itertuples():
        assert all(0 <= px <= outline.width and 0 <= py <= outline.height
                   for px, py in line.points)
