"""The Compare page's answer first (jdcore.analysis.compare.comparison_summary) and the chart
specs of issue 13: a distinct colour per role, the 1-5 scales' own ticks, the scope written
in each decision-rights cell, the unassigned share of working time."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from jdcore.analysis.compare import compare_roles, comparison_summary, similarity_words
from jdcore.analysis.matching import fit_duty_index
from jdcore.charts import ROLE_COLOURS, category_profile, rights_heatmap, scale_bars
from jdcore.charts.authority import NO_SCOPE_COLOUR, NO_SCOPE_TEXT

SALES, MARKETING = "Head of Sales Department", "Head of Marketing Department"
SIX = ["head-of-sales", "head-of-marketing", "general-director", "site-foreman", "estimator",
       "construction-accountant"]


@pytest.fixture(scope="module")
def index(catalogue):
    return fit_duty_index(catalogue.duties)


@pytest.fixture(scope="module")
def pair(catalogue, index):
    return compare_roles(catalogue, ["head-of-sales", "head-of-marketing"], index)


@pytest.fixture(scope="module")
def summary(pair) -> dict[str, list[str]]:
    said: dict[str, list[str]] = {}
    for point in comparison_summary(pair):
        said.setdefault(point.topic, []).append(point.text)
    return said


def test_the_seed_pair_summary_says_how_alike_they_are_in_words_and_numbers(summary, pair):
    [sentence] = summary["similarity"]
    similarity = float(pair.role_pairs["similarity"].iloc[0])
    assert f"{similarity:.2f} of 1" in sentence and f"{similarity:.2f}" == "0.18"
    assert f"{SALES} and {MARKETING} do mostly different work" in sentence
    assert "0 shared and 3 similar duty pairs" in sentence


def test_the_seed_pair_summary_names_the_categories_only_one_role_has(summary):
    sales, marketing = summary["categories"]
    assert sales.startswith(f"Only {SALES} spends time on Sales and negotiation (15\u00a0%) "
                            "and Contracts and legal (10\u00a0%), 25\u00a0% of its working time")
    assert marketing.startswith(f"Only {MARKETING} spends time on Budget and finance "
                                "(10\u00a0%), 10\u00a0%")
    assert "Not assigned" not in sales + marketing   # the unassigned time is no category


def test_the_seed_pair_summary_counts_the_duties_without_a_match(summary, pair):
    sales, marketing = summary["duties"]
    matches = pair.duty_matches
    unique = matches[(matches["role"] == SALES) & (matches["status"] == "unique")]
    assert len(unique) == 8
    assert sales.startswith(f"8 of the 10 duties of {SALES} (80\u00a0% of its working time) "
                            "match no duty of the other role")
    assert "\u201cNegotiate with potential dealers or buyers\u201d (15\u00a0% of its time)" in sales
    assert marketing.startswith(f"6 of the 9 duties of {MARKETING} (65\u00a0%")


def test_the_seed_pair_summary_names_the_index_gaps_and_the_parts_that_drive_them(
        summary, catalogue):
    metrics = catalogue.metrics.set_index("role_id")
    [authority] = summary["authority"]
    sales_index = metrics.at["head-of-sales", "authority_index"]
    marketing_index = metrics.at["head-of-marketing", "authority_index"]
    assert (f"{SALES} {sales_index:.1f}, {MARKETING} {marketing_index:.1f} "
            f"({sales_index - marketing_index:.1f} points apart") in authority
    assert "69.3" in authority and "59.3" in authority and "10.0 points apart" in authority
    # span adds 8.47 points to sales and 3.92 to marketing: the largest part of the gap
    assert "most of the gap comes from span (+4.6 points) and responsibility for outcomes " \
           "(+3.8 points)" in authority
    [workload] = summary["workload"]
    assert f"{SALES} 60.6, {MARKETING} 45.2 (15.4 points apart" in workload
    assert "time pressure (+6.2 points) and management load (+5.0 points)" in workload


def test_the_seed_pair_summary_lists_the_decision_rights_that_differ(summary, pair):
    [rights] = summary["rights"]
    differing = pair.rights.pivot(index="area", columns="role_id", values="scope_level")
    differing = differing[differing.nunique(axis=1) > 1]
    assert len(differing) == 3
    assert rights.startswith("Decision rights differ in 3 of 8 areas: ")
    assert (f"{MARKETING} decides on marketing and advertising actions where {SALES} approves"
            in rights)
    assert f"{MARKETING} approves budget and spending where {SALES} only recommends" in rights
    assert (f"{SALES} approves contracts with customers and suppliers where {MARKETING} only "
            "recommends") in rights


def test_where_one_decides_and_the_other_only_recommends_comes_first(catalogue, index):
    comparison = compare_roles(catalogue, ["general-director", "head-of-sales"], index)
    [rights] = [p.text for p in comparison_summary(comparison) if p.topic == "rights"]
    first = rights.split(": ", 1)[1].split("; ")[0]
    assert first.startswith("General Director decides on ")
    assert first.endswith(f"where {SALES} only recommends") or first.endswith("has no say")


def test_every_sentence_names_its_numbers(catalogue, index, summary):
    for sentences in summary.values():
        for sentence in sentences:
            assert re.search(r"\d", sentence), sentence
    trio = compare_roles(catalogue, SIX[:3], index)
    [similarity] = [p.text for p in comparison_summary(trio) if p.topic == "similarity"]
    pairs = trio.role_pairs.sort_values("similarity")
    most, least = pairs.iloc[-1], pairs.iloc[0]
    assert similarity.startswith(f"Most alike: {most['role']} and {most['other_role']}")
    assert f"Least alike: {least['role']} and {least['other_role']}" in similarity
    assert f"{least['similarity']:.2f} of 1" in similarity


@pytest.mark.parametrize("value, words", [(0.9, "largely the same work"),
                                          (0.4, "partly the same work"),
                                          (0.18, "mostly different work"),
                                          (0.05, "almost entirely different work")])
def test_similarity_in_words(value, words):
    assert similarity_words(value) == words


def colour_of(spec: dict) -> dict:
    return spec["encoding"]["color"]


def test_six_roles_get_six_distinct_colour_blind_safe_colours_and_whole_legends(
        catalogue, index):
    comparison = compare_roles(catalogue, SIX, index)
    titles = list(comparison.titles.values())
    for spec in (category_profile(comparison.category_shares, comparison.titles).to_dict(),
                 scale_bars(comparison.scales, titles).to_dict()):
        colour = colour_of(spec)
        assert colour["scale"]["domain"] == titles
        assert len(set(colour["scale"]["range"])) == 6
        assert set(colour["scale"]["range"]) <= set(ROLE_COLOURS)   # Okabe-Ito
        assert "#F0E442" not in colour["scale"]["range"]           # the yellow comes last
        legend = colour["legend"]
        assert legend["labelLimit"] >= 7 * max(len(t) for t in titles)   # never cut
        assert legend["columns"] == 1


def test_the_first_two_roles_are_blue_and_orange(pair):
    spec = category_profile(pair.category_shares, pair.titles).to_dict()
    assert colour_of(spec)["scale"]["range"] == ["#0072B2", "#E69F00"]


def test_scale_axis_has_whole_ticks_named_by_the_scale(pair):
    spec = scale_bars(pair.scales, list(pair.titles.values())).to_dict()
    axis = spec["encoding"]["x"]["axis"]
    assert axis["values"] == [1, 2, 3, 4, 5] and axis["format"] == "d"
    assert "['1', 'very low']" in axis["labelExpr"]     # the number over the scale's word
    assert "['5', 'very high']" in axis["labelExpr"]
    assert spec["encoding"]["x"]["scale"]["domain"] == [0, 5.5]   # room for the 5's label


def test_rights_heatmap_writes_the_scope_in_each_cell_and_none_reads_as_empty(catalogue, pair):
    scopes = list(catalogue.taxonomy.decision_right_scopes)
    spec = rights_heatmap(pair.rights, scopes).to_dict()
    cells, text = spec["layer"]
    assert cells["mark"]["type"] == "rect" and text["mark"]["type"] == "text"
    assert text["encoding"]["text"]["field"] == "scope"
    scale = cells["encoding"]["color"]["scale"]
    assert scale["domain"] == scopes and scale["range"][0] == NO_SCOPE_COLOUR
    assert len(set(scale["range"])) == len(scopes)
    conditions = text["encoding"]["color"]["condition"]
    assert {"test": f"(datum.scope === '{scopes[0]}')", "value": NO_SCOPE_TEXT} in conditions
    data = pd.DataFrame(spec["datasets"][spec["data"]["name"]] if "data" in spec else
                        next(iter(spec["datasets"].values())))
    assert len(data) == 2 * len(catalogue.taxonomy.decision_right_areas)


def test_the_category_chart_shows_the_unassigned_share_last(pair):
    spec = category_profile(pair.category_shares, pair.titles).to_dict()
    data = pd.DataFrame(next(iter(spec["datasets"].values())))
    rest = data[data["category"] == "unassigned"].set_index("role")["time_share"].to_dict()
    assert rest == {SALES: 5.0, MARKETING: 10.0}
    order = spec["encoding"]["y"]["sort"]
    assert order[-1] == "Not assigned to a duty" and len(order) == data["category_name"].nunique()
    assert spec["encoding"]["opacity"]["condition"]["value"] == 0.35
