"""jdcore.model.columns: one header, kind and width per column; key columns first; the
shown tables of Findings, interactions and the profile name roles by title, never by id."""

from __future__ import annotations

import pandas as pd
import pytest

from jdcore.analysis.duties import duties_table, duties_view
from jdcore.analysis.findings import find_findings, shown_findings
from jdcore.analysis.interactions import edges_table, interaction_edges
from jdcore.analysis.matching import fit_duty_index
from jdcore.analysis.profile import profile_tables, role_profile, roles_table
from jdcore.model.columns import (COLUMNS, KEY_COLUMNS, KINDS, as_shown, column_label,
                                  key_first, shown_headers)
from jdcore.model.labels import role_labels

CONTENT_PX_AT_1440 = 960  # the main area at 1,440 px with the sidebar open: 980 px measured


def test_every_column_has_a_known_kind_and_a_human_label():
    for name, spec in COLUMNS.items():
        assert spec.kind in KINDS, name
        assert spec.label[:1].isupper() and "_" not in spec.label, name


def test_an_unlisted_column_reads_as_its_name_humanised():
    assert column_label("time_share") == "Time share"
    assert column_label("freedom_to_make_decisions") == "Freedom to make decisions"


def test_shown_headers_stay_unique_when_two_columns_share_a_label():
    assert shown_headers(["title", "role", "duty"]) == ["Role", "Role (role)", "Duty"]


def test_key_first_moves_the_key_columns_to_the_front_in_their_order():
    frame = pd.DataFrame(columns=["source", "category", "duty", "role", "grade"])
    assert list(key_first(frame, "duties").columns) == [
        "role", "duty", "category", "source", "grade"]
    assert list(key_first(frame, None).columns) == list(frame.columns)


def test_as_shown_keeps_the_values_and_renames_the_headers():
    frame = pd.DataFrame({"duty": ["Sign"], "time_share": [25.0]})
    shown = as_shown(frame)
    assert list(shown.columns) == ["Duty", "Time share"]
    assert shown.iloc[0].tolist() == ["Sign", 25.0]


@pytest.mark.parametrize("view", list(KEY_COLUMNS))
def test_the_key_columns_of_every_view_fit_at_1440_px(view):
    widths = [COLUMNS[c].width for c in KEY_COLUMNS[view]]
    assert all(w is not None for w in widths), view
    assert sum(widths) <= CONTENT_PX_AT_1440, (view, sum(widths))


def test_the_duties_table_holds_every_key_column_under_a_listed_name(catalogue):
    table = duties_table(duties_view(catalogue))
    assert set(KEY_COLUMNS["duties"]) <= set(table.columns)
    assert all(c in COLUMNS for c in table.columns)
    assert set(KEY_COLUMNS["roles"]) <= set(roles_table(catalogue).columns)


@pytest.fixture(scope="module")
def findings(catalogue):
    return find_findings(catalogue, fit_duty_index(catalogue.duties))


def test_findings_table_names_roles_kinds_and_pages_not_ids(catalogue, findings):
    titles = role_labels(catalogue.roles)
    table = shown_findings(findings, titles)
    assert len(table) == len(findings)
    assert set(KEY_COLUMNS["findings"]) <= set(table.columns)
    ids = set(catalogue.roles["role_id"])
    for shown, raw in zip(table["roles"], findings["roles"]):
        named = shown.split(", ")
        assert named == [titles[r] for r in raw.split(";") if r]
        assert not ids & set(named)
    assert set(table["kind"]) <= {"Overlaps", "Gaps", "Authority", "Workload"}
    assert set(table["open_on"]) <= {"Compare", "Catalogue", "Duties", "Authority & workload",
                                     "Reporting structure", "Findings"}
    assert "id" not in table and "page" not in table


def test_edges_table_names_both_ends_and_the_recording_roles_by_title(catalogue):
    titles = role_labels(catalogue.roles)
    edges = interaction_edges(catalogue, "trade")
    table = edges_table(edges, titles)
    assert list(table.columns) == list(KEY_COLUMNS["edges"]) + ["recorded_by"]
    assert table["recorded_by"].tolist() == [
        ", ".join(titles[r] for r in ids.split(";")) for ids in edges["recorded_by"]]
    ids = set(catalogue.roles["role_id"])
    assert not ids & set(table["from_title"]) and not ids & set(table["recorded_by"])


def test_profile_tables_hold_their_key_columns_and_name_the_interaction_kinds(catalogue):
    profile = role_profile(catalogue, "head-of-sales")
    tables = profile_tables(profile, catalogue.taxonomy)
    for view, table in tables.items():
        assert set(KEY_COLUMNS[view]) <= set(table.columns), view
    kinds = dict(catalogue.taxonomy.interaction_kinds)
    assert set(tables["profile-interactions"]["kind_name"]) <= set(kinds.values())
    assert sorted(tables["profile-duties"]["duty"]) == sorted(
        catalogue.duties.loc[catalogue.duties["role_id"] == "head-of-sales", "text"])
