"""Every page on a 300-role synthetic catalogue, so that what only shows at scale (long
tables, capped charts, many findings) shows in CI too. Timings live in bench/run.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from jdcore import load_catalogue
from jdcore.navigation import PAGES as REGISTRY
from jdcore.synth import write_synthetic_catalogue
from apptest_tables import table

ROLES = 300
PAGES = ["overview", "catalogue", "compare", "duties", "authority", "reporting", "findings",
         "export", "import", "edit", "review", "whatif", "taxonomy"]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pages") / "catalogue"
    write_synthetic_catalogue(folder, ROLES, seed=3)
    return folder


@pytest.fixture(scope="module")
def loaded(synthetic):
    return load_catalogue(synthetic)


APP_LAYER_MODULES = {"common", "uploads", "workspace_state", "signin", "__init__"}  # pages/ files that are not pages


def test_every_page_of_the_app_is_covered():
    pages = {p.stem for p in (Path(__file__).resolve().parent.parent / "pages").glob("*.py")}
    assert pages - APP_LAYER_MODULES == set(PAGES)
    assert {page.key for page in REGISTRY} == set(PAGES)


@pytest.mark.parametrize("page", PAGES)
def test_page_runs_without_an_error_on_a_large_catalogue(run_page, synthetic, page):
    at = run_page(page, catalogue_dir=synthetic, timeout=180)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_overview_counts_every_role_and_duty(run_page, synthetic, loaded):
    at = run_page("overview", catalogue_dir=synthetic)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Roles"] == str(ROLES)
    assert metrics["Duties"] == f"{len(loaded.duties):,}"  # 7,5xx: with a thousands separator


def test_duties_draws_the_first_rows_and_downloads_all(run_page, synthetic, loaded):
    at = run_page("duties", catalogue_dir=synthetic)
    total = len(loaded.duties)
    assert total > 500
    assert len(table(at, "duties")) == 500
    assert f"Showing the first 500 of {total:,} rows; the download holds all {total:,}." in [
        c.value for c in at.caption]
    labels = [b.proto.label for b in at.get("download_button")]
    assert f"Download CSV ({total:,} rows)" in labels


def test_findings_page_counts_the_engines_findings_with_overlaps_capped(run_page, synthetic,
                                                                        loaded):
    from jdcore.analysis.findings import KINDS, find_findings, overlap_pairs
    from jdcore.analysis.matching import fit_duty_index

    index = fit_duty_index(loaded.duties)
    expected = find_findings(loaded, index)
    at = run_page("findings", catalogue_dir=synthetic, timeout=180)
    metrics = {m.label: int(m.value) for m in at.metric}
    assert metrics == ({s.capitalize(): int((expected["severity"] == s).sum())
                        for s in ("error", "warning", "info")}
                       | {KINDS[k]: int((expected["kind"] == k).sum()) for k in KINDS})
    # every pair of roles with an overlapping duty is either listed or counted as left out
    role_pairs = overlap_pairs(loaded, index).drop_duplicates(["role_id", "other_role_id"])
    listed = expected[(expected["kind"] == "overlap") & (expected["id"] != "overlap/more")]
    more = expected[expected["id"] == "overlap/more"]
    assert len(more) == 1  # 300 template-written roles overlap a lot
    left_out = int(more["title"].iloc[0].split()[0].replace(",", ""))
    assert len(listed) + left_out == len(role_pairs)
    assert len(listed) <= 3 * loaded.roles["role_id"].nunique()
