"""jdcore.analysis.duties: the duties view, DutyFilter.apply and .describe, and the duty heatmap."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from jdcore.charts import duty_heatmap
from jdcore.analysis.duties import (DutyFilter, duties_table, duties_view, duty_labels,
                                    facet_options)

# A hand-made view: the columns DutyFilter reads, plus the names the heatmap and table use.
DUTIES = pd.DataFrame(
    [
        # duty, department, business_area, category, grade, frequency, essential, text
        ("s1", "sales", "trade", "contracts", "head-of-department", "weekly", True,
         "Implement the contractual policy"),
        ("s2", "sales", "trade", "sales-negotiation", "manager", "daily", True,
         "Negotiate prices and CONTRACT terms with buyers"),
        ("s3", "sales", "trade", "reporting-control", "manager", "monthly", False,
         "Report monthly sales to the head of department"),
        ("m1", "marketing", "trade", "contracts", "specialist", "as-needed", False,
         "Check contracts with advertising contractors"),
        ("m2", "marketing", "trade", "market-research", "head-of-department", "quarterly", True,
         "Organise market research"),
        ("c1", "site-operations", "construction", "contracts", "head-of-department", "weekly",
         True, "Sign subcontracts with specialist contractors"),
        ("c2", "site-operations", "construction", "health-safety", "operative", "daily", True,
         "Follow the safety rules on site"),
    ],
    columns=["duty", "department", "business_area", "category", "grade", "frequency",
             "essential", "text"],
).astype({"essential": "boolean"})

LABELS = {
    "departments": {"sales": "Sales", "marketing": "Marketing",
                    "site-operations": "Construction site operations"},
    "business_areas": {"trade": "Trading company", "construction": "Construction company"},
    "categories": {"contracts": "Contracts and legal", "sales-negotiation": "Sales and negotiation",
                   "reporting-control": "Reporting and control",
                   "market-research": "Market research and analysis",
                   "health-safety": "Health, safety and compliance"},
    "grades": {"board": "Board", "head-of-department": "Head of department",
               "manager": "Manager", "specialist": "Specialist", "operative": "Operative"},
    "frequencies": {f: f for f in ("daily", "weekly", "monthly", "quarterly", "as-needed")},
}


def shown(duty_filter: DutyFilter) -> list[str]:
    return list(duty_filter.apply(DUTIES)["duty"])


@pytest.mark.parametrize("duty_filter, expected", [
    (DutyFilter(), ["s1", "s2", "s3", "m1", "m2", "c1", "c2"]),
    (DutyFilter(departments=("sales",)), ["s1", "s2", "s3"]),
    (DutyFilter(departments=("sales", "marketing")), ["s1", "s2", "s3", "m1", "m2"]),
    (DutyFilter(business_areas=("construction",)), ["c1", "c2"]),
    (DutyFilter(categories=("contracts",)), ["s1", "m1", "c1"]),
    (DutyFilter(grades=("head-of-department", "operative")), ["s1", "m2", "c1", "c2"]),
    (DutyFilter(frequencies=("weekly", "as-needed")), ["s1", "m1", "c1"]),
    (DutyFilter(essential=True), ["s1", "s2", "m2", "c1", "c2"]),
    (DutyFilter(essential=False), ["s3", "m1"]),
    # whole words in their forms: not "contractual", "subcontracts" or "contractors"
    (DutyFilter(keyword="contract"), ["s2", "m1"]),
    (DutyFilter(keyword="CoNtRaCtS"), ["s2", "m1"]),
    (DutyFilter(departments=("sales",), keyword="contract"), ["s2"]),
    (DutyFilter(keyword="contract", inside_words=True), ["s1", "s2", "m1", "c1"]),
    (DutyFilter(departments=("sales",), keyword="contract", inside_words=True), ["s1", "s2"]),
    (DutyFilter(categories=("contracts",), grades=("head-of-department",), essential=True,
                frequencies=("weekly",), business_areas=("construction",)), ["c1"]),
    (DutyFilter(departments=("marketing",), categories=("health-safety",)), []),
    (DutyFilter(grades=("board",)), []),
])
def test_apply_keeps_the_duties_matching_every_facet(duty_filter, expected):
    assert shown(duty_filter) == expected


@pytest.mark.parametrize("keyword, expected", [
    ("contract buyers", ["s2"]),
    ("buyers contract", ["s2"]),                # order does not matter
    ("  contractors   specialist ", ["c1"]),    # extra spaces are ignored
    ("contractor", ["m1", "c1"]),               # a word of its own, in its forms
    ("sales head", ["s3"]),                     # words may be far apart
    ("contract site", []),                      # every word must appear in the same duty
    ("contract*", []),                          # text, not a pattern
])
def test_keyword_with_several_words_needs_all_of_them(keyword, expected):
    assert shown(DutyFilter(keyword=keyword)) == expected


def test_a_filter_that_matches_nothing_gives_an_empty_frame_with_the_same_columns():
    result = DutyFilter(departments=("sales",), keyword="safety").apply(DUTIES)
    assert result.empty
    assert list(result.columns) == list(DUTIES.columns)


def test_apply_leaves_the_view_untouched_and_renumbers_the_result():
    before = DUTIES.copy()
    result = DutyFilter(business_areas=("construction",)).apply(DUTIES)
    pd.testing.assert_frame_equal(DUTIES, before)
    assert list(result.index) == [0, 1]


def test_filter_is_immutable_and_keeps_lists_as_tuples():
    duty_filter = DutyFilter(departments=["sales"], keyword="  a   b ")
    assert duty_filter.departments == ("sales",)
    assert duty_filter.keyword == "a b" and duty_filter.words == ("a", "b")
    assert duty_filter == DutyFilter(departments=("sales",), keyword="a b")
    with pytest.raises(dataclasses.FrozenInstanceError):
        duty_filter.keyword = "c"


@pytest.mark.parametrize("duty_filter, expected", [
    (DutyFilter(departments=("sales", "marketing"), keyword="contract"),
     "Duties in Sales and Marketing whose text mentions “contract”"),
    (DutyFilter(keyword="contract", inside_words=True),
     "Duties whose text contains “contract”"),
    (DutyFilter(essential=True, frequencies=("weekly",), grades=("head-of-department",),
                business_areas=("construction",), categories=("contracts",)),
     "Essential weekly duties of heads of department in the construction company "
     "in the category Contracts and legal"),
    (DutyFilter(essential=False), "Non-essential duties"),
    (DutyFilter(frequencies=("daily", "weekly", "as-needed")),
     "Daily, weekly and as-needed duties"),
    (DutyFilter(grades=("manager", "specialist", "board")),
     "Duties of managers, specialists and the board"),
    (DutyFilter(categories=("contracts", "health-safety")),
     "Duties in the categories Contracts and legal and Health, safety and compliance"),
    (DutyFilter(business_areas=("trade",), departments=("site-operations",)),
     "Duties in Construction site operations in the trading company"),
    (DutyFilter(keyword="contract  Buyers"),
     "Duties whose text mentions “contract” and “Buyers”"),
    (DutyFilter(departments=("unknown-dept",)), "Duties in unknown-dept"),
])
def test_describe_states_the_filter_in_plain_english(duty_filter, expected):
    assert duty_filter.describe(LABELS, total=len(DUTIES)) == expected


@pytest.mark.parametrize("total, expected", [(214, "All 214 duties"),
                                             (250000, "All 250,000 duties"),
                                             (None, "All duties")])
def test_describe_without_filters_names_every_duty(total, expected):
    assert DutyFilter().describe(LABELS, total=total) == expected
    assert DutyFilter(keyword="   ").describe(LABELS, total=total) == expected


def test_apply_on_250000_duties_matches_an_independent_mask():
    rows = 250_000
    rng = np.random.default_rng(7)
    big = DUTIES.sample(rows, replace=True, random_state=7, ignore_index=True)
    big["text"] = big["text"] + " " + rng.integers(0, 1000, rows).astype(str)
    duty_filter = DutyFilter(departments=("sales", "marketing"), essential=True,
                             keyword="contract 7")
    result = duty_filter.apply(big)
    text = big["text"].str.lower()
    facets = big["department"].isin(["sales", "marketing"]) & big["essential"]
    whole = (facets & text.str.contains(r"\b(?:contract|contracts|contracted|contracting)\b")
             & text.str.contains(r"\b7\b"))
    assert len(result) == int(whole.sum()) > 0
    inside = facets & text.str.contains("contract", regex=False) & text.str.contains(
        "7", regex=False)
    result = dataclasses.replace(duty_filter, inside_words=True).apply(big)
    assert len(result) == int(inside.sum()) > int(whole.sum())


# The view and the table on the embedded catalogue.

@pytest.fixture(scope="module")
def view(catalogue):
    return duties_view(catalogue)


def test_view_has_one_row_per_duty_with_its_roles_labels(view, catalogue):
    assert len(view) == len(catalogue.duties)
    roles = catalogue.roles.set_index("role_id")
    names = duty_labels(catalogue.taxonomy)
    keyed = view.set_index(["role_id", "duty_no"])
    for duty in catalogue.duties.itertuples():
        row = keyed.loc[(duty.role_id, duty.duty_no)]
        role = roles.loc[duty.role_id]
        assert (row["text"], row["category"], row["frequency"]) == \
            (duty.text, duty.category, duty.frequency)
        assert row["role"] == role["title"]
        assert row["department_name"] == names["departments"][role["department"]]
        assert row["business_area_name"] == names["business_areas"][role["business_area"]]
        assert row["grade_name"] == names["grades"][role["grade"]]
        assert row["category_name"] == names["categories"][duty.category]


def test_view_is_ordered_by_area_department_role_and_duty_number(view):
    keys = view[["business_area_name", "department_name", "role", "duty_no"]].astype(
        {"business_area_name": str, "department_name": str, "role": str})
    assert keys.equals(keys.sort_values(list(keys.columns), ignore_index=True))


def test_facet_options_follow_the_taxonomy_and_list_only_values_in_use(view, catalogue):
    options = facet_options(view, catalogue.taxonomy)
    names = duty_labels(catalogue.taxonomy)
    for field, column in (("departments", "department"), ("grades", "grade"),
                          ("categories", "category"), ("frequencies", "frequency")):
        in_use = set(view[column])
        assert options[field] == [i for i in names[field] if i in in_use]


def test_duties_table_shows_names_not_ids(view):
    table = duties_table(view.head(3))
    assert list(table.columns) == ["role", "duty", "category", "frequency", "time_share",
                                   "essential", "department", "grade", "business_area",
                                   "source"]
    assert list(table["duty"]) == list(view["text"].head(3))
    assert list(table["department"]) == list(view["department_name"].head(3))


def test_heatmap_counts_duties_and_sums_time_share_per_department_and_category():
    data = DUTIES.assign(
        department_name=DUTIES["department"].map(LABELS["departments"]),
        category_name=DUTIES["category"].map(LABELS["categories"]),
        time_share=[10.0, 20.0, 5.0, 15.0, 25.0, 30.0, 40.0])
    spec = duty_heatmap(data).to_dict()
    assert spec["mark"]["type"] == "rect"
    encoding = spec["encoding"]
    assert (encoding["x"]["field"], encoding["y"]["field"], encoding["color"]["field"]) == \
        ("category_name", "department_label", "duties")  # the name, wrapped onto lines
    assert {t["field"] for t in encoding["tooltip"]} == {"department_name", "category_name",
                                                          "duties", "time_share"}
    cells = {(c["department_name"], c["category_name"]): (c["duties"], c["time_share"])
             for c in spec["datasets"][spec["data"]["name"]]}
    assert cells == {
        ("Sales", "Contracts and legal"): (1, 10.0),
        ("Sales", "Sales and negotiation"): (1, 20.0),
        ("Sales", "Reporting and control"): (1, 5.0),
        ("Marketing", "Contracts and legal"): (1, 15.0),
        ("Marketing", "Market research and analysis"): (1, 25.0),
        ("Construction site operations", "Contracts and legal"): (1, 30.0),
        ("Construction site operations", "Health, safety and compliance"): (1, 40.0),
    }
    two = duty_heatmap(pd.concat([data, data.iloc[[0]]])).to_dict()
    cells = {(c["department_name"], c["category_name"]): (c["duties"], c["time_share"])
             for c in two["datasets"][two["data"]["name"]]}
    assert cells[("Sales", "Contracts and legal")] == (2, 20.0)


def test_apply_with_forms_names_the_forms_found_in_the_duties_the_other_filters_keep():
    rows, forms = DutyFilter(keyword="contract organise").apply_with_forms(DUTIES)
    assert rows.empty
    assert forms == {"contract": ("contract", "contracts"), "organise": ("organise",)}
    rows, forms = DutyFilter(departments=("marketing",), keyword="contract").apply_with_forms(
        DUTIES)
    assert list(rows["duty"]) == ["m1"] and forms == {"contract": ("contracts",)}
    assert DutyFilter(departments=("sales",)).apply_with_forms(DUTIES)[1] == {}


@pytest.mark.parametrize("keyword, forms, expected", [
    ("contract", {"contract": ("contracts",)},
     "Duties whose text mentions “contract” (found as contracts)"),
    ("contract", {"contract": ("contract", "contracts", "contracting")},
     "Duties whose text mentions “contract” (found as contract, contracts or contracting)"),
    ("contract buyer", {"contract": ("contract",), "buyer": ()},
     "Duties whose text mentions “contract” (found as contract) and “buyer” (found nowhere)"),
    ("sell", {"sell": tuple(f"sell{i}" for i in range(9))},
     "Duties whose text mentions “sell” (found as sell0, sell1, sell2, sell3, sell4, sell5 "
     "or 3 more)"),
])
def test_describe_says_which_forms_of_each_keyword_were_found(keyword, forms, expected):
    assert DutyFilter(keyword=keyword).describe(LABELS, forms=forms) == expected
