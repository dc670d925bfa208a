"""AppTest runs of the Findings page on the embedded catalogue (and a small one)."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pandas as pd
import pytest

from findings_catalogues import role, write_catalogue
from jdcore.analysis.findings import (KINDS, filter_findings, find_findings, finding_counts,
                                     shown_findings)
from jdcore.analysis.interactions import circular_layout, edges_table, interaction_edges
from jdcore.model.columns import key_first
from jdcore.model.labels import role_labels
from jdcore.analysis.matching import fit_duty_index
from apptest_tables import table


@pytest.fixture(scope="module")
def expected(catalogue) -> pd.DataFrame:
    return find_findings(catalogue, fit_duty_index(catalogue.duties))


def same_table(shown: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(shown.reset_index(drop=True).astype(str),
                                  expected.reset_index(drop=True).astype(str))


def drawn_findings(findings: pd.DataFrame, catalogue) -> pd.DataFrame:
    """The findings as the page draws them: titles for ids, key columns first."""
    return key_first(shown_findings(findings, role_labels(catalogue.roles)), "findings")


def test_findings_page_lists_every_finding_of_the_engine(run_page, expected, catalogue):
    at = run_page("findings")
    assert not at.exception
    same_table(table(at, "findings"), drawn_findings(expected, catalogue))
    counts = finding_counts(expected)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == ({s.capitalize(): str(n) for s, n in counts["severity"].items()}
                       | {KINDS[k]: str(n) for k, n in counts["kind"].items()})
    assert f"{len(expected)} of {len(expected)} findings" in [c.value for c in at.caption]


def test_each_finding_links_to_the_page_that_shows_it(run_page, expected):
    at = run_page("findings")
    links = at.get("page_link")
    assert len(links) == len(expected)
    for link, url in zip(links, expected["page"]):
        page, _, query = url.partition("?")
        assert link.proto.page == page  # the page's URL path
        assert parse_qsl(link.proto.query_string) == parse_qsl(query)


def test_findings_filters_restore_from_query_params(run_page, catalogue, expected):
    at = run_page("findings", {"kind": ["workload", "authority"], "severity": ["warning"],
                               "involving": "site"})
    assert not at.exception
    assert at.multiselect(key="kind").value == ["workload", "authority"]
    assert at.multiselect(key="severity").value == ["warning"]
    assert at.text_input(key="involving").value == "site"
    wanted = filter_findings(expected, ["workload", "authority"], ["warning"], "site",
                             role_labels(catalogue.roles))
    assert len(wanted) > 0 and len(wanted) < len(expected)
    same_table(table(at, "findings"), drawn_findings(wanted, catalogue))
    assert len(at.get("page_link")) == len(wanted)


def test_interaction_graph_of_the_chosen_area_and_kinds(run_page, charts, catalogue):
    at = run_page("findings", {"garea": "Trading company",
                               "gkind": ["Reports and related documents",
                                         "Suggestions for improving the work"]})
    assert not at.exception
    edges = interaction_edges(catalogue, "trade", ["report", "suggestion"])
    layout = circular_layout(catalogue, edges)
    same_table(table(at, "edges"),
               key_first(edges_table(edges, role_labels(catalogue.roles)), "edges"))
    (spec, data), = charts(at)
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rule", "point", "point", "text", "text"]
    lines = spec["layer"][0]
    assert lines["encoding"]["color"]["field"] == "kind_name"
    kind_names = list(catalogue.taxonomy.interaction_kinds.values())
    assert lines["encoding"]["color"]["scale"]["domain"] == kind_names  # stable colours
    assert lines["encoding"]["color"]["legend"]["values"] == [
        "Suggestions for improving the work", "Reports and related documents"]
    drawn = {len(frame): frame for frame in data.values()}
    assert set(drawn) == {len(layout.nodes), len(layout.edges), len(layout.arrows)}
    assert set(drawn[len(layout.edges)]["kind"]) == {"report", "suggestion"}


def test_a_catalogue_without_findings_or_interactions(run_page, tmp_path):
    folder = tmp_path / "quiet"
    write_catalogue(folder, [role("clerk", duties=[
        (f"Duty in {c}", c, 7) for c in (
            "strategy-planning", "people-management", "sales-negotiation", "market-research",
            "advertising-pr", "contracts", "partnerships", "budget-finance", "operations",
            "reporting-control", "technical-documentation", "resources-supply",
            "health-safety", "customer-service")])])
    at = run_page("findings", catalogue_dir=folder)
    assert not at.exception
    assert table(at, "findings").empty
    assert any("No findings" in s.value for s in at.success)
    assert any("No interactions" in i.value for i in at.info)
