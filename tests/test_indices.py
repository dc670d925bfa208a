"""jdcore.analysis.indices on the hand-built catalogue (tests/fixtures/hand; numbers in test_metrics.py).

All weights are 1, so each part contributes 100 * part / (number of parts):
    lead authority: parts .75 .5 .75 .5 .5 .935785 over 6 -> 12.5 8.333 12.5 8.333 8.333 15.596
                    sum 65.596 -> index 65.6
    lead workload:  parts .75 .75 .875 1.0 .1 over 5 -> 15 15 17.5 20 2, sum 69.5
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from jdcore import load_catalogue
from jdcore.charts import index_breakdown_bars, index_ranking_bars, index_scatter, rights_heatmap
from jdcore.analysis.indices import (index_breakdown, index_parts, index_ranking, index_table,
                                     rights_matrix)

HAND = Path(__file__).parent / "fixtures" / "hand"


@pytest.fixture(scope="module")
def hand():
    return load_catalogue(HAND)


def test_index_parts_carry_the_taxonomy_weights(hand):
    parts = index_parts(hand)
    assert list(parts["column"]) == [
        "authority_freedom_to_make_decisions", "authority_impact_of_decisions",
        "authority_responsibility_for_outcomes", "authority_frequency_of_decisions",
        "authority_decision_rights", "authority_span", "workload_weekly_hours",
        "workload_time_pressure", "workload_duty_load", "workload_management_load",
        "workload_travel"]
    assert set(parts["weight"]) == {1.0}


@pytest.mark.parametrize("index, expected", [
    ("authority", [12.5, 8.3333, 12.5, 8.3333, 8.3333, 100 * math.log(7) / math.log(8) / 6]),
    ("workload", [15.0, 15.0, 17.5, 20.0, 2.0]),
])
def test_breakdown_contribution_is_weight_times_part_over_the_weights(hand, index, expected):
    breakdown = index_breakdown(hand, "lead")
    rows = breakdown[breakdown["index"] == index]
    assert list(rows["contribution"]) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize("role_id", ["boss", "lead", "seller", "clerk", "trainee"])
def test_breakdown_contributions_add_up_to_the_index(hand, role_id):
    breakdown = index_breakdown(hand, role_id)
    metrics = hand.metrics.set_index("role_id").loc[role_id]
    for index in ("authority", "workload"):
        total = breakdown.loc[breakdown["index"] == index, "contribution"].sum()
        assert round(total, 1) == metrics[f"{index}_index"]


@pytest.mark.parametrize("which", ["hand", "embedded"])
def test_breakdown_values_match_the_metrics_table(hand, catalogue, which):
    # the breakdown recomputes one role's parts from its own rows: they must be the parts
    # the load computed over the whole catalogue, for every role
    loaded = hand if which == "hand" else catalogue
    for role_id, metrics in loaded.metrics.set_index("role_id").iterrows():
        breakdown = index_breakdown(loaded, role_id)
        for index, part, value in zip(breakdown["index"], breakdown["part"],
                                      breakdown["value"]):
            assert round(value, 3) == metrics[f"{index}_{part}"], (role_id, part)


def test_index_table_has_every_part_column(hand):
    table = index_table(hand)
    assert set(index_parts(hand)["column"]) <= set(table.columns)
    assert table.set_index("role_id")["total_reports"].to_dict() == {
        "boss": 8, "clerk": 0, "lead": 6, "seller": 2, "trainee": 0}


@pytest.mark.parametrize("values, expected_ranks", [
    ({"a": 50.0, "b": 80.0, "c": 10.0}, [("b", 1), ("a", 2), ("c", 3)]),
    ({"a": 50.0, "b": 50.0, "c": 60.0}, [("c", 1), ("a", 2), ("b", 2)]),   # ties share a rank
])
def test_index_ranking(values, expected_ranks):
    table = pd.DataFrame({"role_id": list(values), "title": [v.upper() for v in values],
                          "department": "d", "business_area": "x",
                          "authority_index": list(values.values())})
    ranking = index_ranking(table, "authority")
    assert list(zip(ranking["role_id"], ranking["rank"])) == expected_ranks


def test_rights_matrix_takes_the_highest_scope_and_fills_unlisted_areas(hand):
    matrix = rights_matrix(hand, ["lead", "trainee"])
    assert matrix[["role_id", "area", "scope", "scope_level", "limit", "listed"]].to_dict(
        "records") == [
        {"role_id": "lead", "area": "budget", "scope": "approve", "scope_level": 2,
         "limit": "Up to the monthly budget", "listed": True},
        {"role_id": "lead", "area": "staffing", "scope": "recommend", "scope_level": 1,
         "limit": "", "listed": True},
        {"role_id": "trainee", "area": "budget", "scope": "none", "scope_level": 0,
         "limit": "", "listed": False},
        {"role_id": "trainee", "area": "staffing", "scope": "none", "scope_level": 0,
         "limit": "", "listed": False},
    ]


# --- chart builders ------------------------------------------------------------------------

def test_index_scatter_tooltip_names_both_indices_and_every_part(hand):
    parts = index_parts(hand)
    spec = index_scatter(index_table(hand), parts).to_dict()
    encoding = spec["encoding"]
    assert spec["mark"]["type"] == "circle"
    assert (encoding["x"]["field"], encoding["y"]["field"]) == ("authority_index",
                                                               "workload_index")
    assert encoding["size"]["field"] == "total_reports"
    assert encoding["color"]["field"] == "department"
    tooltip = [t["field"] for t in encoding["tooltip"]]
    # the business area too: past 20 departments the points are coloured by it
    assert tooltip[:6] == ["title", "department", "business_area", "total_reports",
                           "authority_index", "workload_index"]
    assert tooltip[6:] == list(parts["column"])


def test_index_ranking_bars_sort_by_the_index():
    ranking = pd.DataFrame({"rank": [1], "role_id": ["a"], "title": ["A"],
                            "department": ["d"], "business_area": ["x"],
                            "workload_index": [40.0]})
    spec = index_ranking_bars(ranking, "workload_index", "Workload index").to_dict()
    assert spec["encoding"]["x"]["field"] == "workload_index"
    assert spec["encoding"]["y"]["sort"] == "-x"


def test_rights_heatmap_colours_by_scope_in_level_order(hand):
    scopes = list(hand.taxonomy.decision_right_scopes)
    spec = rights_heatmap(rights_matrix(hand, ["lead"]), scopes).to_dict()
    cells, text = spec["layer"]          # coloured cells, and the scope written in each
    assert cells["mark"]["type"] == "rect" and text["mark"]["type"] == "text"
    assert cells["encoding"]["color"]["field"] == "scope"
    assert cells["encoding"]["color"]["scale"]["domain"] == scopes
    assert "scope" in [t["field"] for t in cells["encoding"]["tooltip"]]


def test_breakdown_bars_stack_the_contributions_of_each_index(hand):
    spec = index_breakdown_bars(index_breakdown(hand, "lead")).to_dict()
    assert spec["encoding"]["x"] == {**spec["encoding"]["x"], "field": "contribution",
                                     "aggregate": "sum"}
    assert spec["encoding"]["y"]["field"] == "index_name"
    values = pd.DataFrame(spec["datasets"][spec["data"]["name"]])
    totals = values.groupby("index_name")["contribution"].sum().round(1).to_dict()
    assert totals == {"Authority index": 65.6, "Workload index": 69.5}
