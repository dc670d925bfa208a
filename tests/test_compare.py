"""jdcore.analysis.compare (the Compare page's tables) and its chart builders in jdcore.charts."""

from __future__ import annotations

import pandas as pd
import pytest

from jdcore.charts import STATUS_COLOURS, duty_status_bars, index_parts_bars, similarity_heatmap
from jdcore.analysis.compare import (compare_roles, default_roles, duty_table, index_table,
                                     pairs_table, rights_table, similarity_matrix)
from jdcore.model.labels import role_labels
from jdcore.analysis.matching import STATUSES, fit_duty_index, status_of
from jdcore.analysis.profile import role_profile
from jdcore.model.schema import AUTHORITY_PARTS

PAIR = ["head-of-sales", "head-of-marketing"]
TRIO = ["estimator", "construction-accountant", "pto-engineer"]


@pytest.fixture(scope="module")
def index(catalogue):
    return fit_duty_index(catalogue.duties)


@pytest.fixture(scope="module")
def pair(catalogue, index):
    return compare_roles(catalogue, PAIR, index)


@pytest.fixture(scope="module")
def trio(catalogue, index):
    return compare_roles(catalogue, TRIO, index)


@pytest.mark.parametrize("role_ids, expected", [
    (["a", "head-of-marketing", "head-of-sales"], ["head-of-sales", "head-of-marketing"]),
    (["a", "b", "head-of-sales"], ["a", "b"]),
    (["a"], ["a"]),
])
def test_default_roles_are_sales_vs_marketing_when_both_exist(role_ids, expected):
    assert default_roles(role_ids) == expected


def test_titles_are_the_catalogue_labels(catalogue, pair):
    labels = role_labels(catalogue.roles)
    assert pair.titles == {r: labels[r] for r in PAIR}
    assert pair.role_ids == tuple(PAIR)


def test_category_shares_add_up_to_each_roles_time_share(catalogue, pair):
    expected = catalogue.duties[catalogue.duties["role_id"].isin(PAIR)].groupby(
        "role_id")["time_share"].sum()
    shares = pair.category_shares
    assigned = shares[shares["category"] != "unassigned"]
    assert assigned.groupby("role_id")["time_share"].sum().to_dict() == expected.to_dict()
    # the rest of the working time is a row of its own, so each role's shares make 100 %
    rest = shares[shares["category"] == "unassigned"].set_index("role_id")["time_share"]
    assert rest.to_dict() == (100 - expected).to_dict() == {"head-of-sales": 5.0,
                                                            "head-of-marketing": 10.0}
    assert shares.groupby("role_id")["time_share"].sum().round(6).eq(100).all()


def test_duty_matches_list_every_duty_of_each_role_in_the_chosen_order(catalogue, trio):
    duties = catalogue.duties
    expected = [(r, n) for r in TRIO
                for n in sorted(duties.loc[duties["role_id"] == r, "duty_no"])]
    assert list(zip(trio.duty_matches["role_id"], trio.duty_matches["duty_no"])) == expected
    assert (trio.duty_matches["match_role_id"].dropna().to_numpy()
            != trio.duty_matches.loc[trio.duty_matches["match_role_id"].notna(),
                                     "role_id"].to_numpy()).all()
    assert list(trio.duty_matches["status"]) == list(status_of(trio.duty_matches["similarity"]))


def test_the_cost_comparison_duty_is_shared_by_estimator_and_construction_accountant(trio):
    rows = trio.duty_matches.set_index(["role_id", "duty_no"])
    for role, other in [("estimator", "construction-accountant"),
                        ("construction-accountant", "estimator")]:
        row = rows.loc[(role, 6)]
        assert row["text"].startswith("Compare")
        assert (row["match_role_id"], row["match_duty_no"], row["status"]) == (other, 6, "shared")


@pytest.mark.parametrize("similarity, shown", [
    (0.2475, 0.24), (0.25, 0.25), (0.29, 0.29), (0.7999, 0.79), (1.0, 1.0), (0.0, 0.0)])
def test_duty_table_cuts_similarity_so_the_status_agrees_with_what_is_shown(pair, similarity,
                                                                            shown):
    matches = pair.duty_matches.head(1).assign(similarity=similarity,
                                               status=status_of(similarity))
    table = duty_table(matches)
    assert table["similarity"].iloc[0] == shown
    assert status_of(table["similarity"].iloc[0]) == table["status"].iloc[0]


def test_duty_table_shows_titles_and_blank_matches(pair):
    table = duty_table(pair.duty_matches)
    assert list(table.columns) == ["role", "duty", "status", "similarity", "best_match",
                                   "best_match_role", "category", "time_share"]
    assert set(table["role"]) == set(pair.titles.values())
    unmatched = pair.duty_matches["match_text"].isna()
    assert unmatched.any()
    assert (table.loc[unmatched, "best_match"] == "").all()
    assert (table.loc[unmatched, "best_match_role"] == "").all()


def test_scales_are_each_roles_profile_scales_with_a_role_column(catalogue, pair):
    columns = ["measure", "value", "group", "label", "order"]
    for role in PAIR:
        shown = pair.scales[pair.scales["role"] == pair.titles[role]]
        expected = role_profile(catalogue, role).scales.sort_values("order")
        assert shown[columns].to_dict("records") == expected[columns].to_dict("records")
    assert list(pair.scales["role_id"].unique()) == PAIR


def test_index_parts_add_up_to_each_index(catalogue, pair):
    metrics = catalogue.metrics.set_index("role_id")
    sums = pair.index_parts.groupby(["role_id", "index"])["contribution"].sum()
    for (role, index), total in sums.items():
        assert round(total, 1) == metrics.at[role, f"{index}_index"]


def test_index_table_puts_roles_side_by_side_with_the_index_after_its_parts(catalogue, pair):
    table = index_table(pair.index_parts)
    titles = [pair.titles[r] for r in PAIR]
    assert list(table.columns) == ["index", "part", "weight", *titles]
    totals = table[table["part"].str.startswith("= ")].set_index("index")
    metrics = catalogue.metrics.set_index("role_id")
    for role, title in zip(PAIR, titles):
        assert totals.at["Authority index", title] == metrics.at[role, "authority_index"]
        assert totals.at["Workload index", title] == metrics.at[role, "workload_index"]
    weights = catalogue.taxonomy.authority_index.weights
    authority = table[(table["index"] == "Authority index") & ~table["part"].str.startswith("=")]
    assert authority["weight"].tolist() == [float(weights.get(p, 0)) for p in AUTHORITY_PARTS]


def test_rights_table_has_one_row_per_area_and_a_column_per_role(catalogue, pair):
    table = rights_table(pair.rights)
    areas = catalogue.taxonomy.decision_right_areas
    assert list(table["area"]) == list(areas.values())
    assert list(table.columns) == ["area", *[pair.titles[r] for r in PAIR]]
    listed = catalogue.rights.set_index(["role_id", "area"])["scope"]
    for role in PAIR:
        for area, name in areas.items():
            expected = listed.get((role, area), catalogue.taxonomy.decision_right_scopes[0])
            assert table.set_index("area").at[name, pair.titles[role]] == expected


def test_role_pairs_cover_every_pair_once_in_the_chosen_order(trio):
    assert list(zip(trio.role_pairs["role_id"], trio.role_pairs["other_role_id"])) == [
        ("estimator", "construction-accountant"), ("estimator", "pto-engineer"),
        ("construction-accountant", "pto-engineer")]
    table = pairs_table(trio.role_pairs)
    assert list(table.columns) == ["role_a", "role_b", "similarity", "a_covered_by_b",
                                   "b_covered_by_a", "shared_duty_pairs", "similar_duty_pairs"]
    assert table["shared_duty_pairs"].tolist()[0] >= 1


def test_similarity_matrix_is_symmetric_with_ones_on_the_diagonal(trio):
    matrix = similarity_matrix(trio.role_pairs, trio.role_ids, trio.titles)
    assert len(matrix) == 9
    values = matrix.set_index(["role", "other_role"])["similarity"]
    for a in trio.titles.values():
        assert values[(a, a)] == 1.0
        for b in trio.titles.values():
            assert values[(a, b)] == pytest.approx(values[(b, a)])


# --- chart builders ----------------------------------------------------------------------

def chart_data(spec: dict) -> pd.DataFrame:
    return pd.DataFrame(next(iter(spec["datasets"].values())))


def test_duty_status_bars_stack_each_roles_time_share_by_status(pair):
    spec = duty_status_bars(pair.duty_matches).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "time_share"
    assert spec["encoding"]["color"]["scale"]["domain"] == list(STATUSES)
    assert spec["encoding"]["color"]["scale"]["range"] == list(STATUS_COLOURS.values())
    assert len(spec["encoding"]["tooltip"]) == 4
    data = chart_data(spec).set_index(["role", "status"])["time_share"]
    expected = pair.duty_matches.groupby(["role", "status"])["time_share"].sum()
    assert data.sort_index().to_dict() == expected.sort_index().to_dict()


def test_index_parts_bars_stack_the_parts_to_the_index(pair):
    spec = index_parts_bars(pair.index_parts, "Workload index").to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "contribution"
    assert spec["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert spec["encoding"]["color"]["field"] == "label"
    data = chart_data(spec)
    assert set(data["index_name"]) == {"Workload index"}
    assert data.groupby("role")["contribution"].sum().round(1).to_dict() == \
        data.groupby("role")["index_value"].first().to_dict()


def test_similarity_heatmap_has_cells_and_labels_with_tooltips(trio):
    matrix = similarity_matrix(trio.role_pairs, trio.role_ids, trio.titles)
    spec = similarity_heatmap(matrix).to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rect", "text"]
    for layer in spec["layer"]:
        assert layer["encoding"]["x"]["field"] == "other_role"
        assert layer["encoding"]["y"]["field"] == "role"
        assert layer["encoding"]["x"]["sort"] == list(trio.titles.values())
        assert {t["field"] for t in layer["encoding"]["tooltip"]} >= {"role", "other_role",
                                                                       "similarity"}
    assert spec["layer"][0]["encoding"]["color"]["scale"]["domain"] == [0, 1]
    assert len(chart_data(spec)) == 9
