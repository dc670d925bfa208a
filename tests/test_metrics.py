"""jdcore.model.metrics on the hand-built catalogue tests/fixtures/hand/, every value worked out by hand.

The hand catalogue (see its taxonomy.yaml):

    boss (hc 1, root)
    +-- lead (hc 1)
    |   +-- seller (hc 4)
    |       +-- trainee (hc 2)   ... dotted line to clerk (must NOT count)
    +-- clerk (hc 1)

Taxonomy numbers used below:
    span_of_control: min 2, max 3
    authority weights: all 1 (6 parts)     span_reference: 7  -> span = log(1+T) / log(8)
    workload weights: all 1 (5 parts)      hours 20..60 -> (h - 20) / 40
    duty_load_reference: 2                 frequencies: daily 1.0, weekly 0.5, monthly 0.25
    decision_right_areas: budget, staffing (2)
    decision_right_scopes: none=0, recommend=1, approve=2, decide=3 (top level 3)
    -> decision_rights = (best level in budget + best level in staffing) / (3 * 2)

Structure (solid lines only, headcount weighted):
    direct_reports        total_reports                        span = direct / hc   flag (2..3)
    boss    1 + 1 = 2     (6 + 1) + (0 + 1) = 8                2 / 1 = 2.0          ok (== min)
    lead    4             (2 + 4) = 6                          4 / 1 = 4.0          over
    seller  2             (0 + 2) = 2                          2 / 4 = 0.5          under
    clerk   0             0  (trainee's dotted line ignored)   0 / 1 = 0.0          none
    trainee 0             0                                    0 / 2 = 0.0          none

Authority parts (scale - 1) / 4:
    boss    5 5 5 5 -> 1, 1, 1, 1
    lead    4 3 4 3 -> .75, .5, .75, .5
    seller  3 2 3 4 -> .5, .25, .5, .75
    clerk   2 2 2 2 -> .25 each
    trainee 1 1 1 1 -> 0 each
Decision rights:
    boss    budget decide 3 + staffing decide 3 = 6 / 6 = 1.0
    lead    budget max(recommend 1, approve 2) = 2 + staffing recommend 1 = 3 / 6 = 0.5
    seller  staffing recommend 1 = 1 / 6 = 0.1667 -> 0.167
    clerk   budget none 0 = 0
    trainee no rights = 0
Span part log(1 + T) / log(8), capped at 1:
    boss    log 9 / log 8 = 2.1972 / 2.0794 = 1.0566 -> capped 1.0
    lead    log 7 / log 8 = 1.9459 / 2.0794 = 0.935785 -> 0.936
    seller  log 3 / log 8 = 1.0986 / 2.0794 = 0.528321 -> 0.528
    clerk, trainee log 1 = 0
Authority index = 100 * mean of the 6 parts, rounded to 0.1:
    boss    6 / 6 = 1 -> 100.0
    lead    (.75 + .5 + .75 + .5 + .5 + .935785) / 6 = 3.935785 / 6 = .655964 -> 65.6
    seller  (.5 + .25 + .5 + .75 + .166667 + .528321) / 6 = 2.694988 / 6 = .449165 -> 44.9
    clerk   (4 * .25 + 0 + 0) / 6 = 1 / 6 = .166667 -> 16.7
    trainee 0 -> 0.0

Workload parts:
    hours (h-20)/40 clipped   pressure (s-1)/4   duty load (sum freq)/2 capped   mgmt span/3 capped   travel
    boss    70 -> 1.25 -> 1.0   5 -> 1.0   daily+daily+weekly 2.5/2 -> 1.0   2/3 = .6667 -> .667   30 -> .3
    lead    50 -> .75           4 -> .75   daily+weekly+monthly 1.75/2 = .875  4/3 -> 1.0        10 -> .1
    seller  40 -> .5            3 -> .5    weekly+weekly 1.0/2 = .5           .5/3 = .1667 -> .167 50 -> .5
    clerk   10 -> -.25 -> 0.0   2 -> .25   monthly .25/2 = .125               0                   0 -> 0
    trainee 20 -> 0.0           1 -> 0     daily+weekly 1.5/2 = .75           0                   100 -> 1.0
Workload index = 100 * mean of the 5 parts, rounded to 0.1:
    boss    (1 + 1 + 1 + .666667 + .3) / 5 = 3.966667 / 5 = .793333 -> 79.3
    lead    (.75 + .75 + .875 + 1 + .1) / 5 = 3.475 / 5 = .695 -> 69.5
    seller  (.5 + .5 + .5 + .166667 + .5) / 5 = 2.166667 / 5 = .433333 -> 43.3
    clerk   (0 + .25 + .125 + 0 + 0) / 5 = .375 / 5 = .075 -> 7.5
    trainee (0 + 0 + .75 + 0 + 1) / 5 = 1.75 / 5 = .35 -> 35.0
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from jdcore import load_catalogue
from jdcore.loading.files import read_taxonomy
from jdcore.model.metrics import (METRIC_COLUMNS, chain_of_command, structure_metrics,
                                  weighted_index)

HAND = Path(__file__).parent / "fixtures" / "hand"
ROLE_IDS = ["boss", "clerk", "lead", "seller", "trainee"]  # tables follow sorted file names


@pytest.fixture(scope="module")
def hand():
    return load_catalogue(HAND)


@pytest.fixture(scope="module")
def metrics(hand) -> dict[str, dict]:
    """role id -> its metrics row as a dict."""
    return {row["role_id"]: row for row in hand.metrics.to_dict("records")}


def column(metrics: dict[str, dict], name: str) -> dict:
    return {rid: metrics[rid][name] for rid in ROLE_IDS}


# --- the fixture itself -----------------------------------------------------------------

def test_hand_catalogue_loads_without_errors_and_warns_of_short_duty_lists_and_long_hours(hand):
    assert hand.errors == []
    assert [str(p) for p in hand.warnings] == [
        "roles/boss.yaml:12: responsibilities: warning: only 3 responsibilities; "
        "a complete job description lists at least 5",
        "roles/boss.yaml:25: workload.weekly_hours: warning: 70 hours a week is above the "
        "taxonomy's limit of 50; check the figure or the role's design",
        "roles/clerk.yaml:13: responsibilities: warning: only 1 responsibility; "
        "a complete job description lists at least 5",
        "roles/lead.yaml:13: responsibilities: warning: only 3 responsibilities; "
        "a complete job description lists at least 5",
        "roles/seller.yaml:13: responsibilities: warning: only 2 responsibilities; "
        "a complete job description lists at least 5",
        "roles/trainee.yaml:14: responsibilities: warning: only 2 responsibilities; "
        "a complete job description lists at least 5",
    ]


def test_metrics_table_has_one_row_per_role_in_metric_column_order(hand):
    assert list(hand.metrics.columns) == METRIC_COLUMNS
    assert list(hand.metrics["role_id"]) == ROLE_IDS


# --- reporting structure ----------------------------------------------------------------

def test_layer_counts_solid_lines_from_the_root(metrics):
    # boss is the root (1); lead and clerk report to it (2); seller to lead (3); trainee (4).
    assert column(metrics, "layer") == {"boss": 1, "clerk": 2, "lead": 2, "seller": 3,
                                        "trainee": 4}


def test_direct_reports_are_headcount_weighted_and_ignore_dotted_lines(metrics):
    # boss: lead 1 + clerk 1 = 2; lead: seller 4; seller: trainee 2;
    # clerk: 0 although trainee (hc 2) has a dotted line to it.
    assert column(metrics, "direct_reports") == {"boss": 2, "clerk": 0, "lead": 4,
                                                 "seller": 2, "trainee": 0}


def test_total_reports_are_headcount_weighted_at_every_depth(metrics):
    # seller: trainee 2 = 2; lead: seller 4 + its 2 = 6; boss: lead 1 + its 6 + clerk 1 + 0 = 8.
    assert column(metrics, "total_reports") == {"boss": 8, "clerk": 0, "lead": 6,
                                                "seller": 2, "trainee": 0}


def test_span_of_control_is_direct_reports_per_incumbent(metrics):
    # boss 2/1, clerk 0/1, lead 4/1, seller 2/4, trainee 0/2
    assert column(metrics, "span_of_control") == pytest.approx(
        {"boss": 2.0, "clerk": 0.0, "lead": 4.0, "seller": 0.5, "trainee": 0.0})


def test_span_flag_is_none_under_over_or_ok_against_taxonomy_limits(metrics):
    # limits 2..3 inclusive: boss 2.0 -> ok (the minimum itself is fine), lead 4.0 -> over,
    # seller 0.5 -> under, clerk and trainee have no direct reports -> none.
    assert column(metrics, "span_flag") == {"boss": "ok", "clerk": "none", "lead": "over",
                                            "seller": "under", "trainee": "none"}


def test_chain_of_command_runs_from_root_down_to_the_role(metrics):
    assert column(metrics, "chain_of_command") == {
        "boss": "boss",
        "clerk": "boss > clerk",
        "lead": "boss > lead",
        "seller": "boss > lead > seller",
        "trainee": "boss > lead > seller > trainee",
    }


# --- authority index ----------------------------------------------------------------------

@pytest.mark.parametrize("part, expected", [
    # (scale - 1) / 4
    ("freedom_to_make_decisions", {"boss": 1.0, "clerk": 0.25, "lead": 0.75, "seller": 0.5,
                                   "trainee": 0.0}),
    ("impact_of_decisions", {"boss": 1.0, "clerk": 0.25, "lead": 0.5, "seller": 0.25,
                             "trainee": 0.0}),
    ("responsibility_for_outcomes", {"boss": 1.0, "clerk": 0.25, "lead": 0.75, "seller": 0.5,
                                     "trainee": 0.0}),
    ("frequency_of_decisions", {"boss": 1.0, "clerk": 0.25, "lead": 0.5, "seller": 0.75,
                                "trainee": 0.0}),
    # (best level per area summed) / (3 * 2): boss 6/6, lead (2 + 1)/6, seller 1/6 = .1667,
    # clerk 'none' = 0, trainee no rights = 0
    ("decision_rights", {"boss": 1.0, "clerk": 0.0, "lead": 0.5, "seller": 0.167,
                         "trainee": 0.0}),
    # log(1 + T) / log(8): boss log 9 / log 8 = 1.0566 -> capped 1.0; lead log 7 / log 8 = .935785;
    # seller log 3 / log 8 = .528321; clerk and trainee log 1 = 0
    ("span", {"boss": 1.0, "clerk": 0.0, "lead": 0.936, "seller": 0.528, "trainee": 0.0}),
])
def test_authority_parts_match_hand_computation(metrics, part, expected):
    assert column(metrics, f"authority_{part}") == pytest.approx(expected)


def test_authority_span_part_is_capped_at_one(metrics):
    # boss: log(1 + 8) / log(1 + 7) = 1.0566 before the cap
    assert math.log1p(8) / math.log1p(7) > 1
    assert metrics["boss"]["authority_span"] == 1.0


def test_authority_index_is_the_weighted_mean_of_its_parts(metrics):
    # boss    6 / 6 = 1 -> 100.0
    # lead    (.75 + .5 + .75 + .5 + .5 + .935785) / 6 = .655964 -> 65.6
    # seller  (.5 + .25 + .5 + .75 + .166667 + .528321) / 6 = .449165 -> 44.9
    # clerk   (.25 * 4) / 6 = .166667 -> 16.7
    # trainee 0 -> 0.0
    assert column(metrics, "authority_index") == pytest.approx(
        {"boss": 100.0, "clerk": 16.7, "lead": 65.6, "seller": 44.9, "trainee": 0.0})


# --- workload index -----------------------------------------------------------------------

@pytest.mark.parametrize("part, expected", [
    # (hours - 20) / 40 clipped to 0-1: 70 -> 1.25 -> 1; 10 -> -.25 -> 0; 50 -> .75; 40 -> .5; 20 -> 0
    ("weekly_hours", {"boss": 1.0, "clerk": 0.0, "lead": 0.75, "seller": 0.5, "trainee": 0.0}),
    # (scale - 1) / 4
    ("time_pressure", {"boss": 1.0, "clerk": 0.25, "lead": 0.75, "seller": 0.5,
                       "trainee": 0.0}),
    # frequency weights / 2, capped: boss 1+1+.5 = 2.5 -> 1; clerk .25/2; lead 1+.5+.25 = 1.75/2;
    # seller .5+.5 = 1/2; trainee 1+.5 = 1.5/2
    ("duty_load", {"boss": 1.0, "clerk": 0.125, "lead": 0.875, "seller": 0.5,
                   "trainee": 0.75}),
    # span_of_control / 3, capped: boss 2/3 = .6667; lead 4/3 -> 1; seller .5/3 = .1667
    ("management_load", {"boss": 0.667, "clerk": 0.0, "lead": 1.0, "seller": 0.167,
                         "trainee": 0.0}),
    # travel_share / 100
    ("travel", {"boss": 0.3, "clerk": 0.0, "lead": 0.1, "seller": 0.5, "trainee": 1.0}),
])
def test_workload_parts_match_hand_computation(metrics, part, expected):
    assert column(metrics, f"workload_{part}") == pytest.approx(expected)


def test_workload_index_is_the_weighted_mean_of_its_parts(metrics):
    # boss    (1 + 1 + 1 + .666667 + .3) / 5 = .793333 -> 79.3
    # lead    (.75 + .75 + .875 + 1 + .1) / 5 = .695 -> 69.5
    # seller  (.5 + .5 + .5 + .166667 + .5) / 5 = .433333 -> 43.3
    # clerk   (0 + .25 + .125 + 0 + 0) / 5 = .075 -> 7.5
    # trainee (0 + 0 + .75 + 0 + 1) / 5 = .35 -> 35.0
    assert column(metrics, "workload_index") == pytest.approx(
        {"boss": 79.3, "clerk": 7.5, "lead": 69.5, "seller": 43.3, "trainee": 35.0})


def test_every_part_stays_within_zero_and_one_and_indices_within_zero_and_hundred(hand):
    frame = hand.metrics
    parts = [c for c in METRIC_COLUMNS if c.startswith(("authority_", "workload_"))
             and not c.endswith("_index")]
    assert ((frame[parts] >= 0) & (frame[parts] <= 1)).all().all()
    for index in ("authority_index", "workload_index"):
        assert frame[index].between(0, 100).all()


def test_decision_rights_ignore_areas_outside_the_taxonomy(tmp_path):
    # A role with a misspelt area stays in the tables (the catalogue is invalid but shown),
    # and its index must still be 0-100: boss has budget decide + staffing decide = 6 / 6 = 1.0
    # already; the unknown areas 'budgett' and 'pricing' must not push the part to
    # (3 + 3 + 3 + 3) / 6 = 2.0 and the index to 116.7.
    folder = tmp_path / "cat"
    shutil.copytree(HAND, folder)
    boss = folder / "roles" / "boss.yaml"
    boss.write_text(boss.read_text(encoding="utf-8").replace(
        "  - {area: staffing, scope: decide, limit: Hires and dismisses}\n",
        "  - {area: staffing, scope: decide, limit: Hires and dismisses}\n"
        "  - {area: budgett, scope: decide}\n"
        "  - {area: pricing, scope: decide}\n"), encoding="utf-8")
    catalogue = load_catalogue(folder)
    assert [p.field for p in catalogue.errors] == ["rights[3].area", "rights[4].area"]
    row = catalogue.metrics.set_index("role_id").loc["boss"]
    assert row["authority_decision_rights"] == pytest.approx(1.0)
    assert row["authority_index"] == pytest.approx(100.0)


# --- weighted_index alone -----------------------------------------------------------------

def test_weighted_index_is_hundred_times_weighted_mean_rounded_to_one_decimal():
    parts = pd.DataFrame({"a": [1.0, 0.0, 0.3, 0.1], "b": [0.0, 1.0, 0.2, 0.95]})
    # row 0: 100 * (3 * 1 + 1 * 0) / 4 = 75.0
    # row 1: 100 * (3 * 0 + 1 * 1) / 4 = 25.0
    # row 2: 100 * (3 * .3 + 1 * .2) / 4 = 100 * 1.1 / 4 = 27.5
    # row 3: 100 * (3 * .1 + 1 * .95) / 4 = 100 * 1.25 / 4 = 31.25 -> 31.2 or 31.3; avoid:
    result = weighted_index(parts.iloc[:3], {"a": 3, "b": 1})
    assert list(result) == pytest.approx([75.0, 25.0, 27.5])
    # row 3 once more with weights 1 and 2: 100 * (.1 + 2 * .95) / 3 = 100 * 2.0 / 3 = 66.67 -> 66.7
    assert list(weighted_index(parts.iloc[3:], {"a": 1, "b": 2})) == pytest.approx([66.7])


def test_weighted_index_ignores_weights_of_parts_that_are_missing():
    parts = pd.DataFrame({"a": [0.2], "b": [0.6]})
    # 'c' is not a part: 100 * (1 * .2 + 1 * .6) / 2 = 40.0 (not / 12 = 6.7)
    assert list(weighted_index(parts, {"a": 1, "b": 1, "c": 10})) == pytest.approx([40.0])


def test_weighted_index_ignores_parts_without_a_weight():
    parts = pd.DataFrame({"a": [0.2], "b": [0.6]})
    # only 'a' is weighted: 100 * 2 * .2 / 2 = 20.0
    assert list(weighted_index(parts, {"a": 2})) == pytest.approx([20.0])


def test_weighted_index_with_all_zero_weights_is_zero():
    parts = pd.DataFrame({"a": [0.9], "b": [0.6]})
    # sum of weights 0 -> divided by 1 instead of 0: 100 * 0 / 1 = 0.0, never NaN
    assert list(weighted_index(parts, {"a": 0, "b": 0})) == [0.0]


def test_weighted_index_rounds_to_one_decimal():
    parts = pd.DataFrame({"a": [1 / 3]})
    # 100 * (1/3) = 33.333... -> 33.3
    assert list(weighted_index(parts, {"a": 1})) == pytest.approx([33.3])


# --- roles outside the tree ---------------------------------------------------------------

@pytest.fixture(scope="module")
def taxonomy():
    return read_taxonomy(HAND / "taxonomy.yaml")


def test_roles_in_a_cycle_get_no_layer_and_no_total_reports(taxonomy):
    roles = pd.DataFrame({
        "role_id": ["root", "a", "b", "under"],
        "reports_to": [None, "b", "a", "a"],  # a <-> b cycle, 'under' hangs below it
        "headcount": [1, 1, 1, 3],
    })
    frame = structure_metrics(roles, taxonomy).set_index("role_id")
    assert frame["layer"].isna().to_dict() == {"root": False, "a": True, "b": True,
                                               "under": True}
    assert frame.loc["root", "layer"] == 1
    # a and b never become 'ready' bottom-up: no total. 'under' is a leaf: total 0.
    assert frame["total_reports"].isna().to_dict() == {"root": False, "a": True, "b": True,
                                                       "under": False}
    assert frame.loc["under", "total_reports"] == 0
    assert frame.loc["root", "total_reports"] == 0
    # direct reports still count the solid lines: a has b (1) + under (3) = 4, b has a (1)
    assert frame["direct_reports"].to_dict() == {"root": 0, "a": 4, "b": 1, "under": 0}


def test_role_in_a_cycle_of_a_loaded_catalogue_has_empty_layer_and_total_reports(tmp_path):
    # lead -> seller -> lead: rewrite lead to report to seller.
    folder = tmp_path / "cat"
    shutil.copytree(HAND, folder)
    lead = folder / "roles" / "lead.yaml"
    lead.write_text(lead.read_text(encoding="utf-8").replace("reports_to: boss",
                                                             "reports_to: seller"),
                    encoding="utf-8")
    catalogue = load_catalogue(folder)
    assert any("reporting lines form a cycle: lead -> seller -> lead" in p.message
               for p in catalogue.errors)
    frame = catalogue.metrics.set_index("role_id")
    assert frame.loc[["lead", "seller", "trainee"], "layer"].isna().all()
    assert frame.loc[["lead", "seller"], "total_reports"].isna().all()
    # trainee is a leaf below the cycle: total 0; boss now has only clerk: total 1, layer 1
    assert frame.loc["trainee", "total_reports"] == 0
    assert frame.loc["boss", "total_reports"] == 1
    assert frame.loc["boss", "layer"] == 1
    # a missing total counts as 0 in the span part: log(1 + 0) = 0
    assert frame.loc["lead", "authority_span"] == 0.0


def test_role_with_a_missing_manager_has_no_layer_and_a_chain_of_itself(taxonomy):
    roles = pd.DataFrame({"role_id": ["root", "orphan"], "reports_to": [None, "ghost"],
                          "headcount": [1, 1]})
    frame = structure_metrics(roles, taxonomy).set_index("role_id")
    assert pd.isna(frame.loc["orphan", "layer"])
    assert frame.loc["orphan", "total_reports"] == 0
    assert frame.loc["orphan", "chain_of_command"] == "orphan"


def test_chain_of_command_stops_before_repeating_a_role():
    parents = {"a": "b", "b": "c", "c": "a"}
    assert chain_of_command(parents, "a") == ["c", "b", "a"]
    assert chain_of_command({}, "x") == ["x"]
