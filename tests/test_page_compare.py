"""AppTest runs of the Compare page on the embedded catalogue."""

from __future__ import annotations

import pytest

from jdcore.model.labels import role_labels
from jdcore.analysis.matching import status_of
from apptest_tables import table

SALES, MARKETING = "Head of Sales Department", "Head of Marketing Department"
TRIO = ["Estimator", "Construction Accountant", "Production and Technical Department Engineer"]


@pytest.fixture(scope="module")
def titles(catalogue):
    """title -> role id"""
    return {t: r for r, t in role_labels(catalogue.roles).items()}


def duties_of(catalogue, titles, chosen):
    duties = catalogue.duties
    return [(t, text) for t in chosen
            for text in duties.loc[duties["role_id"] == titles[t]].sort_values("duty_no")["text"]]


def test_default_compares_head_of_sales_and_head_of_marketing(run_page, catalogue, titles):
    at = run_page("compare")
    assert not at.exception
    assert at.multiselect(key="roles").value == [SALES, MARKETING]
    duties = table(at, "duties")
    assert list(zip(duties["role"], duties["duty"])) == duties_of(catalogue, titles,
                                                                  [SALES, MARKETING])
    pairs = table(at, "pairs")
    assert list(zip(pairs["role_a"], pairs["role_b"])) == [(SALES, MARKETING)]


def test_query_params_restore_a_three_role_view(run_page, catalogue, titles):
    at = run_page("compare", {"roles": TRIO})
    assert not at.exception
    assert at.multiselect(key="roles").value == TRIO
    duties = table(at, "duties")
    assert list(zip(duties["role"], duties["duty"])) == duties_of(catalogue, titles, TRIO)
    pairs = table(at, "pairs")
    assert list(zip(pairs["role_a"], pairs["role_b"])) == [
        (TRIO[0], TRIO[1]), (TRIO[0], TRIO[2]), (TRIO[1], TRIO[2])]
    indices = table(at, "indices")
    assert list(indices.columns) == ["index", "part", "weight", *TRIO]
    rights = table(at, "rights")
    assert list(rights.columns) == ["area", *TRIO]


def test_duty_statuses_of_estimator_and_construction_accountant(run_page):
    at = run_page("compare", {"roles": ["Estimator", "Construction Accountant"]})
    duties = table(at, "duties")
    assert list(duties["status"]) == list(status_of(duties["similarity"]))
    shared = duties[duties["status"] == "shared"]
    assert list(zip(shared["role"], shared["best_match_role"])) == [
        ("Estimator", "Construction Accountant"), ("Construction Accountant", "Estimator")]
    assert all(d.startswith("Compare") and m.startswith("Compare")
               for d, m in zip(shared["duty"], shared["best_match"]))
    assert set(duties["status"]) == {"shared", "similar", "unique"}


def test_fewer_than_two_roles_asks_for_more(run_page):
    at = run_page("compare", {"roles": [SALES]})
    assert not at.exception
    assert [i.value for i in at.info] == ["Choose at least 2 roles to compare."]
    assert len(at.dataframe) == 0


def test_charts_show_the_chosen_roles(run_page, charts, catalogue):
    at = run_page("compare", {"roles": TRIO})
    drawn = charts(at)
    titles = [spec.get("title") for spec, _ in drawn]
    assert titles == ["Time share by duty category", "Time share by match status",
                      "Authority and workload scales", "Authority index and its parts",
                      "Workload index and its parts", "Decision rights",
                      "Overall similarity of the roles' duties"]

    def data(position):
        return next(iter(drawn[position][1].values()))

    assert set(data(0)["role"]) == set(TRIO)                       # category profile
    assert drawn[0][0]["encoding"]["yOffset"]["field"] == "role"
    for chart in (0, 2):  # bars and legend in the order the roles were chosen
        assert drawn[chart][0]["encoding"]["yOffset"]["sort"] == TRIO
        assert drawn[chart][0]["encoding"]["color"]["sort"] == TRIO
    assert set(data(1)["role"]) == set(TRIO)                       # match status
    assert drawn[2][0]["encoding"]["color"]["field"] == "role"     # scales, one colour a role
    assert data(2).groupby("role").size().to_dict() == {t: 5 for t in TRIO}
    rights = data(5)                                               # roles x every area
    assert len(rights) == len(TRIO) * len(catalogue.taxonomy.decision_right_areas)
    similarity = drawn[6][0]                                       # 3 x 3 heatmap
    assert [layer["mark"]["type"] for layer in similarity["layer"]] == ["rect", "text"]
    matrix = data(6)
    assert len(matrix) == 9
    assert set(matrix.loc[matrix["role"] == matrix["other_role"], "similarity"]) == {1.0}


def test_more_than_six_roles_in_the_url_are_cut_to_six(run_page, catalogue):
    seven = sorted(role_labels(catalogue.roles).values())[:7]
    at = run_page("compare", {"roles": seven})
    assert not at.exception
    assert at.multiselect(key="roles").value == seven[:6]


def test_the_answer_comes_first_and_two_roles_get_their_similarity_as_a_number(run_page,
                                                                              charts):
    at = run_page("compare")
    assert not at.exception
    assert at.subheader[0].value == "Key differences"    # before the first chart's header
    assert at.header[0].value == "Duties"
    summary = at.markdown[0].value
    assert f"{SALES} and {MARKETING} do mostly different work" in summary
    assert "Decision rights differ in 3 of 8 areas" in summary
    assert [m.value for m in at.metric] == ["0.18"]
    titles = [spec.get("title") for spec, _ in charts(at)]
    assert "Overall similarity of the roles' duties" not in titles   # a matrix from three roles
    assert len(at.markdown[0].value.splitlines()) == 8
