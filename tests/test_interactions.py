"""The interaction graph (jdcore.analysis.interactions) and its chart (jdcore.charts.interaction_graph)."""

from __future__ import annotations

import math

import pytest

from findings_catalogues import role, write_catalogue
from jdcore.charts import interaction_graph
from jdcore.analysis.interactions import (EDGE_COLUMNS, circular_layout, external_id,
                                          interaction_edges, interaction_records, node_count)


@pytest.fixture
def small(tmp_path):
    """A head and a clerk who both record the clerk's report, a suggestion only the clerk
    records, a coordination both ways, and two outside parties (one named by both roles,
    spelt differently); a role of another business area with its own interaction."""
    return write_catalogue(tmp_path / "c", [
        role("head", interactions=[
            ("clerk", "in", "report", "Weekly report"),
            ("clerk", "both", "coordination", "Rotas"),
            ("external:Customers", "both", "negotiation", "Prices"),
        ]),
        role("clerk", reports_to="head", interactions=[
            ("head", "out", "report", "Weekly report"),
            ("head", "out", "suggestion", "Better rotas"),
            ("head", "both", "coordination", "Rotas"),
            ("external:customers ", "both", "clarification", "Opening hours"),
        ]),
        role("builder", area="construction", interactions=[
            ("external:bank", "out", "report", "Statements")]),
    ])


def test_records_name_their_nodes_and_direction(small):
    records = interaction_records(small)
    report = records[(records["role_id"] == "head") & (records["kind"] == "report")].iloc[0]
    assert (report["from_id"], report["to_id"]) == ("clerk", "head")      # "in": towards head
    bank = records[records["role_id"] == "builder"].iloc[0]
    assert (bank["from_id"], bank["to_id"]) == ("builder", "external:bank")


def test_an_interaction_both_roles_record_is_one_edge(small):
    edges = interaction_edges(small, "trade")
    assert list(edges.columns) == EDGE_COLUMNS
    keyed = {(e.from_id, e.to_id, e.kind): (e.direction, e.recorded_by)
             for e in edges.itertuples()}
    assert keyed == {
        ("clerk", "head", "report"): ("one-way", "clerk;head"),
        ("clerk", "head", "suggestion"): ("one-way", "clerk"),
        ("clerk", "head", "coordination"): ("both", "clerk;head"),
        ("external:customers", "head", "negotiation"): ("both", "head"),
        ("clerk", "external:customers", "clarification"): ("both", "clerk"),
    }
    assert set(edges.loc[edges["to_id"] == "external:customers", "to_title"]) == {"customers"}


@pytest.mark.parametrize("party, node", [("Customers", "external:customers"),
                                         ("  key   clients ", "external:key clients")])
def test_one_node_per_outside_party_whatever_its_spelling(party, node):
    assert external_id(party) == node


def test_edges_of_one_area_and_of_chosen_kinds(small):
    assert set(interaction_edges(small, "construction")["from_id"]) == {"builder"}
    kinds = interaction_edges(small, "trade", ["report", "suggestion"])
    assert sorted(kinds["kind"]) == ["report", "suggestion"]
    assert interaction_edges(small, "trade", ["instruction"]).empty


def test_circular_layout_puts_every_node_on_the_unit_circle(small):
    edges = interaction_edges(small, "trade")
    layout = circular_layout(small, edges)
    assert set(layout.nodes["node_id"]) == {"head", "clerk", "external:customers"}
    for x, y in zip(layout.nodes["x"], layout.nodes["y"]):
        assert math.hypot(x, y) == pytest.approx(1, abs=1e-3)
    first = layout.nodes.iloc[0]
    assert (first["x"], first["y"]) == pytest.approx((0, 1))  # starts at the top
    degree = layout.nodes.set_index("node_id")["interactions"]
    assert degree.to_dict() == {"clerk": 4, "head": 4, "external:customers": 2}


def test_parallel_edges_are_spread_apart_and_arrows_mark_one_way_edges(small):
    layout = circular_layout(small, interaction_edges(small, "trade"))
    between = layout.edges[(layout.edges["from_id"] == "clerk")
                           & (layout.edges["to_id"] == "head")]
    assert len(between) == 3
    assert between[["x", "y"]].drop_duplicates().shape[0] == 3
    assert sorted(layout.arrows["kind"]) == ["report", "suggestion"]
    # an arrowhead points from its edge's start to its end: the angle of that direction
    for arrow in layout.arrows.itertuples():
        edge = between[between["kind"] == arrow.kind].iloc[0]
        expected = math.degrees(math.atan2(edge["x2"] - edge["x"], edge["y2"] - edge["y"])) % 360
        assert arrow.angle == pytest.approx(expected, abs=0.1)


def test_labels_on_the_left_read_left_to_right(small):
    nodes = circular_layout(small, interaction_edges(small, "trade")).nodes
    for node in nodes.itertuples():
        assert node.side == ("left" if node.x < -1e-6 else "right")
        assert not 90 < node.label_angle < 270  # never upside down


def test_interaction_graph_chart(small):
    layout = circular_layout(small, interaction_edges(small, "trade"))
    kinds = list(small.taxonomy.interaction_kinds.values())
    spec = interaction_graph(layout.nodes, layout.edges, layout.arrows, kinds).to_dict()
    layers = spec["layer"]
    assert [layer["mark"]["type"] for layer in layers] == ["rule", "point", "point", "text",
                                                           "text"]
    lines, heads, points = layers[0], layers[1], layers[2]
    assert lines["encoding"]["color"]["field"] == "kind_name"
    assert lines["encoding"]["color"]["scale"]["domain"] == kinds
    assert lines["encoding"]["color"]["legend"]["values"] == [   # the kinds drawn, in order
        k for k in kinds if k in set(layout.edges["kind_name"])]
    assert len(lines["encoding"]["color"]["legend"]["values"]) == 5 < len(kinds)
    assert heads["mark"]["shape"] == "triangle"
    assert heads["encoding"]["angle"] == {"field": "angle", "type": "quantitative",
                                          "scale": None}
    assert points["encoding"]["shape"]["field"] == "node_kind"
    assert all("tooltip" in layer["encoding"] for layer in layers)
    assert spec["width"] == spec["height"]  # the circle stays round
    datasets = spec["datasets"]
    assert {len(rows) for rows in datasets.values()} == {len(layout.nodes), len(layout.edges),
                                                          len(layout.arrows)}


def test_node_count_is_the_number_of_nodes_the_layout_places(catalogue):
    for area in catalogue.roles["business_area"].unique():
        edges = interaction_edges(catalogue, area)
        assert node_count(edges) == len(circular_layout(catalogue, edges).nodes) > 0
