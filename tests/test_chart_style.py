"""jdcore.charts.style and the charts that use it: colours never repeat, legends are never
cut, long role titles wrap (the tooltip keeps them whole)."""

from __future__ import annotations

import pandas as pd
import pytest

from jdcore.charts import duty_heatmap, index_ranking_bars, index_scatter
from jdcore.charts.style import (LINE_BREAK, MAX_COLOURS, category_colour, colour_field,
                                 wrap_label, wrapped)


def test_wrap_label_breaks_long_titles_onto_two_lines_and_ends_longer_ones():
    assert wrap_label("Head of Sales") == "Head of Sales"
    two = wrap_label("Production and Technical Department Engineer")
    assert two.split(LINE_BREAK) == ["Production and Technical", "Department Engineer"]
    three = wrap_label("Deputy Director for Production and Technical Department Engineering "
                       "Affairs and Quality")
    assert len(three.split(LINE_BREAK)) == 2 and three.endswith("…")


def test_wrapped_labels_stay_unique_when_two_titles_wrap_alike():
    start = "Deputy Director for Production and Technical Department "
    labels = wrapped(pd.Series([start + "North", start + "South", "Clerk"]))
    assert labels.nunique() == 3


@pytest.mark.parametrize("count, scheme", [(3, "tableau10"), (10, "tableau10"),
                                           (11, "tableau20"), (20, "tableau20")])
def test_category_colour_picks_a_scheme_long_enough_and_lists_every_category(count, scheme):
    values = [f"Department {i}" for i in range(count)]
    colour = category_colour("department", "Department", values).to_dict()
    assert colour["scale"] == {"domain": values, "scheme": scheme}
    assert colour["legend"]["symbolLimit"] == 0  # never "Symbol legend count exceeds limit"
    # under the chart (it leaves the plot room on a phone); past 12 entries in two columns of
    # short labels, which fit a phone's width
    legend = colour["legend"]
    assert legend["orient"] == "bottom"
    assert (legend["columns"], legend["labelLimit"]) == ((1, 240) if count <= 12 else (2, 110))


def scatter_table(departments: int, areas: int = 3) -> pd.DataFrame:
    rows = 2 * departments
    return pd.DataFrame({
        "role_id": [f"r{i}" for i in range(rows)], "title": [f"Role {i}" for i in range(rows)],
        "department": [f"Department {i % departments}" for i in range(rows)],
        "business_area": [f"Area {i % areas}" for i in range(rows)],
        "total_reports": 1, "authority_index": 50.0, "workload_index": 40.0})


NO_PARTS = pd.DataFrame(columns=["column", "index", "label"])


def test_the_scatter_colours_by_department_while_each_gets_a_colour_of_its_own():
    spec = index_scatter(scatter_table(MAX_COLOURS), NO_PARTS).to_dict()
    assert spec["encoding"]["color"]["field"] == "department"
    assert len(set(spec["encoding"]["color"]["scale"]["domain"])) == MAX_COLOURS


def test_the_scatter_of_40_departments_colours_by_business_area_and_names_why():
    table = scatter_table(40)
    assert colour_field(table, "department", "business_area") == "business_area"
    spec = index_scatter(table, NO_PARTS).to_dict()
    colour = spec["encoding"]["color"]
    assert colour["field"] == "business_area" and colour["legend"]["symbolLimit"] == 0
    assert any("40 departments" in line for line in spec["title"]["subtitle"])
    assert "department" in [t["field"] for t in spec["encoding"]["tooltip"]]


def ranking(titles: list[str], values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"rank": range(1, len(titles) + 1), "role_id": titles,
                         "title": titles, "department": "Sales", "business_area": "Trade",
                         "workload_index": values})


def test_a_ranking_without_threshold_has_one_colour_and_wrapped_titles():
    spec = index_ranking_bars(ranking(["Production and Technical Department Engineer", "A"],
                                      [70, 20]), "workload_index", "Workload index").to_dict()
    assert "color" not in spec["encoding"] and spec["mark"]["color"]
    assert spec["encoding"]["y"]["field"] == "label"
    assert spec["encoding"]["y"]["axis"]["labelExpr"] == "split(datum.label, '\\n')"
    assert spec["height"]["step"] > 20  # two lines of a wrapped title fit each bar


def test_a_ranking_with_threshold_colours_each_side_and_draws_the_line():
    chart = index_ranking_bars(ranking(["A", "B", "C"], [70, 60, 20]), "workload_index",
                               "Workload index", 60, "busy")
    bars, rule = chart.to_dict()["layer"]
    assert rule["mark"]["type"] == "rule"
    assert bars["encoding"]["color"]["scale"]["domain"] == ["60 or more: busy", "below 60"]
    assert list(bars_data(chart)["band"]) == ["60 or more: busy", "60 or more: busy",
                                              "below 60"]


def bars_data(chart) -> pd.DataFrame:
    return chart.layer[0].data


def test_the_duty_heatmap_takes_the_page_width_on_any_screen():
    duties = pd.DataFrame({"department_name": ["Sales", "Sales"],
                           "category_name": ["Contracts", "Reporting"], "time_share": [10, 5]})
    spec = duty_heatmap(duties).to_dict()
    assert "width" not in spec  # no fixed step: the chart re-flows to the container
    assert spec["height"] == {"step": 30}  # two lines of a wrapped department name
    assert spec["encoding"]["y"]["axis"]["labelOverlap"] is False  # every department named
    assert spec["encoding"]["y"]["axis"]["labelExpr"] == "split(datum.label, '\\n')"


def test_the_scatter_keeps_its_plot_height_with_the_legend_under_it():
    spec = index_scatter(scatter_table(10), NO_PARTS).properties(height=400).to_dict()
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert spec["encoding"]["color"]["legend"]["orient"] == "bottom"
