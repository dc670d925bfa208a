"""AppTest runs of the Authority & workload page on the embedded catalogue."""

from __future__ import annotations

import pytest

from jdcore.analysis.findings import HIGH_WORKLOAD
from jdcore.model.metrics import METRIC_COLUMNS
from apptest_tables import table as table_of

PART_COLUMNS = [c for c in METRIC_COLUMNS if c.startswith(("authority_", "workload_"))
                and not c.endswith("_index")]


def layers(spec: dict) -> list[dict]:
    """A chart's specs with a mark: itself, or each layer of a layered chart."""
    return spec.get("layer", [spec])


def chart_of(charts, at, mark: str):
    """(spec, data) of the one chart whose mark (or one of whose layers' marks) is `mark`;
    the spec is that of the layer."""
    found = [(layer, next(iter(data.values()))) for spec, data in charts(at)
             for layer in layers(spec) if layer.get("mark", {}).get("type") == mark]
    assert len(found) == 1, [spec.get("mark") for spec, _ in charts(at)]
    return found[0]


def layers(spec: dict) -> list[dict]:
    return spec["layer"] if "layer" in spec else [spec]


def bar_chart(charts, at, x_field: str):
    """(bar spec, data) of the one bar chart of `x_field`, alone or in a layered chart."""
    found = [(layer, data) for spec, data in charts(at) for layer in layers(spec)
             if layer.get("mark", {}).get("type") == "bar"
             and layer["encoding"]["x"]["field"] == x_field]
    assert len(found) == 1
    layer, data = found[0]
    return layer, data[layer["data"]["name"]] if "name" in layer.get("data", {}) \
        else next(iter(data.values()))


def test_scatter_plots_every_role_with_both_indices_and_every_part(run_page, charts,
                                                                   catalogue):
    at = run_page("authority")
    assert not at.exception
    spec, data = chart_of(charts, at, "circle")
    encoding = spec["encoding"]
    assert (encoding["x"]["field"], encoding["y"]["field"], encoding["size"]["field"],
            encoding["color"]["field"]) == ("authority_index", "workload_index",
                                            "total_reports", "department")
    tooltip = [t["field"] for t in encoding["tooltip"]]
    assert {"title", "authority_index", "workload_index"} <= set(tooltip)
    assert [t for t in tooltip if t in PART_COLUMNS] == PART_COLUMNS
    metrics = catalogue.metrics.set_index("role_id")
    shown = data.set_index("role_id")
    assert len(shown) == len(catalogue.roles)
    for column in ["authority_index", "workload_index", *PART_COLUMNS]:
        assert shown[column].to_dict() == metrics[column].astype(float).to_dict(), column


@pytest.mark.parametrize("query, field", [
    ({}, "authority_index"),
    ({"rank": "Workload index"}, "workload_index"),
])
def test_ranking_follows_the_index_chosen_in_the_url(run_page, charts, catalogue, query, field):
    at = run_page("authority", query)
    spec, data = bar_chart(charts, at, field)
    assert spec["encoding"]["y"]["sort"] == "-x"
    assert list(data[field]) == sorted(catalogue.metrics[field].astype(float), reverse=True)
    assert list(data["rank"])[0] == 1
    # long titles wrap onto lines (labelExpr splits them); the tooltip keeps the whole title
    assert "split(datum.label" in spec["encoding"]["y"]["axis"]["labelExpr"]
    assert "title" in [t["field"] for t in spec["encoding"]["tooltip"]]


def test_the_workload_ranking_marks_the_findings_threshold_with_a_line_and_a_legend(
        run_page, charts):
    at = run_page("authority", {"rank": "Workload index"})
    [(ranking, data)] = [(spec, data) for spec, data in charts(at) if "layer" in spec
                         and any(l["mark"]["type"] == "rule" for l in spec["layer"])]
    bars, rule = ranking["layer"]
    assert rule["encoding"]["x"]["field"] == "threshold"
    [threshold] = [float(frame["threshold"].iloc[0]) for frame in data.values()
                   if list(frame.columns) == ["threshold"]]
    assert threshold == HIGH_WORKLOAD
    colour = bars["encoding"]["color"]
    assert colour["field"] == "band" and colour["legend"]["symbolLimit"] == 0
    assert colour["scale"]["domain"][0].startswith(f"{HIGH_WORKLOAD:g} or more")
    _, data = bar_chart(charts, at, "workload_index")
    assert set(data.loc[data["workload_index"] >= HIGH_WORKLOAD, "band"]) == \
        {colour["scale"]["domain"][0]}
    assert set(data.loc[data["workload_index"] < HIGH_WORKLOAD, "band"]) == \
        {colour["scale"]["domain"][1]}


def test_breakdown_of_the_role_in_the_url_adds_up_to_its_indices(run_page, charts, catalogue):
    at = run_page("authority", {"role": "Head of Sales Department"})
    assert not at.exception
    assert at.selectbox(key="role").value == "Head of Sales Department"
    metrics = catalogue.metrics.set_index("role_id").loc["head-of-sales"]

    spec, data = bar_chart(charts, at, "contribution")
    assert spec["encoding"]["x"]["aggregate"] == "sum"
    assert set(data["part"]) == {c.split("_", 1)[1] for c in PART_COLUMNS}
    for index in ("authority", "workload"):
        total = data.loc[data["index"] == index, "contribution"].sum()
        assert round(total, 1) == metrics[f"{index}_index"]

    table = table_of(at, "breakdown")
    assert len(table) == len(PART_COLUMNS)
    for index in ("authority", "workload"):
        rows = table[table["index"] == index]
        weights = rows["weight"].sum()
        assert list(rows["contribution"]) == pytest.approx(
            list(100 * rows["weight"] * rows["value"] / weights), abs=0.06)
        assert rows["contribution"].sum() == pytest.approx(metrics[f"{index}_index"], abs=0.1)
        assert list(rows["value"]) == [metrics[f"{index}_{p}"] for p in
                                       data.loc[data["index"] == index, "part"]]


def test_rights_heatmap_follows_the_department_filter_in_the_url(run_page, charts, catalogue):
    at = run_page("authority", {"department": ["Sales"]})
    assert at.multiselect(key="department").value == ["Sales"]
    spec, data = chart_of(charts, at, "rect")
    assert (spec["encoding"]["x"]["field"], spec["encoding"]["y"]["field"],
            spec["encoding"]["color"]["field"]) == ("area_name", "title", "scope")
    assert "scope" in [t["field"] for t in spec["encoding"]["tooltip"]]
    sales = catalogue.roles[catalogue.roles["department"] == "sales"]
    assert set(data["title"]) == set(sales["title"])
    assert len(data) == len(sales) * len(catalogue.taxonomy.decision_right_areas)
    rights = catalogue.rights[catalogue.rights["role_id"] == "head-of-sales"]
    best = rights.groupby("area")["scope_level"].max().to_dict()
    shown = data[data["title"] == "Head of Sales Department"]
    assert {a: lvl for a, lvl in zip(shown["area"], shown["scope_level"]) if lvl} == {
        a: lvl for a, lvl in best.items() if lvl}


def test_rights_heatmap_with_no_matching_role_says_so(run_page, charts):
    at = run_page("authority", {"department": ["Sales"], "area": ["Construction company"]})
    assert not at.exception
    assert [i.value for i in at.info] == ["No role matches these filters."]
    assert all(layer.get("mark", {}).get("type") != "rect"
               for spec, _ in charts(at) for layer in layers(spec))


def test_span_table_lists_every_manager_with_its_flag(run_page, catalogue):
    at = run_page("authority")
    table = table_of(at, "spans")
    metrics = catalogue.metrics.merge(catalogue.roles[["role_id", "title"]], on="role_id")
    managers = metrics[metrics["direct_reports"] > 0]
    assert dict(zip(table["title"], table["span_flag"])) == dict(
        zip(managers["title"], managers["span_flag"]))
    outside = table["span_flag"].isin(["under", "over"])
    assert list(outside) == sorted(outside, reverse=True)   # outside the range come first


def test_a_large_catalogue_ranks_only_the_top_roles_and_caps_the_heatmap(run_page, charts,
                                                                         tmp_path):
    from jdcore.synth import write_synthetic_catalogue

    folder = tmp_path / "synthetic"
    write_synthetic_catalogue(folder, 120, 4)
    at = run_page("authority", catalogue_dir=folder)
    assert not at.exception
    sizes = sorted(len(next(iter(data.values()))) for _, data in charts(at) if data)
    ranked = [c for c in at.caption if c.value.startswith("The 40 highest of 120 roles")]
    assert ranked, [c.value for c in at.caption]
    assert any("the first 60 are drawn" in c.value for c in at.caption)
    assert 120 in sizes  # the scatter still shows every role
    assert 40 in sizes  # the ranking draws the top 40
