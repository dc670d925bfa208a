"""Findings after an edit (jdcore.analysis.findings.findings_after_edit): brought up to date
from the previous catalogue's for the roles an edit reaches, they equal a full recompute for
each kind of edit the workspace saves."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from findings_catalogues import varied_synthetic_catalogue
from jdcore import load_catalogue
from jdcore.analysis.findings import (OVERLAP_NEIGHBOURS, OVERLAP_THRESHOLD, find_findings,
                                      findings_after_edit, found_findings)
from jdcore.analysis.matching import (changed_roles, duty_signatures, fit_duty_index,
                                      neighbour_search, neighbours_after_edit)


@pytest.fixture(scope="module")
def before(tmp_path_factory):
    folder = tmp_path_factory.mktemp("before") / "catalogue"
    catalogue = varied_synthetic_catalogue(folder, 120, seed=5)
    neighbours = neighbour_search(fit_duty_index(catalogue.duties), k=OVERLAP_NEIGHBOURS,
                                  threshold=OVERLAP_THRESHOLD)
    return folder, catalogue, neighbours, found_findings(catalogue, None, neighbours)


def documents(folder: Path) -> dict[str, tuple[Path, dict]]:
    return {path.stem: (path, yaml.safe_load(path.read_text(encoding="utf-8")))
            for path in sorted((folder / "roles").glob("*.yaml"))}


def save(path: Path, document: dict) -> None:
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
                    encoding="utf-8")


def finding_role(found, prefix: str) -> list[str]:
    """The roles (third part of the id) of the findings whose id starts with `prefix`."""
    return [i.split("/")[2] for i in found.table["id"]
            if i.startswith(prefix) and i.count("/") >= 2]


def reword_duty(folder, found):
    path, document = documents(folder)[finding_role(found, "workload/span/")[0]]
    document["responsibilities"][0]["text"] = "Sign contracts with suppliers and approve bonuses"
    save(path, document)


def move_reports_to(folder, found):
    roles = documents(folder)
    role = finding_role(found, "authority/above-manager/")[0]
    path, document = roles[role]
    others = [r for r, (_, d) in roles.items()
              if r != role and d["business_area"] == document["business_area"]
              and d["reports_to"] not in (None, role) and r != document["reports_to"]]
    document["reports_to"] = others[len(others) // 2]
    save(path, document)


def add_decision_right(folder, found):
    finding = next(i for i in found.table["id"] if i.startswith("authority/decision-right/"))
    role, area = finding.split("/")[2], finding.split("/")[4]
    path, document = documents(folder)[role]
    document["rights"] = [r for r in document["rights"] if r["area"] != area] + [
        {"area": area, "scope": "approve"}]
    save(path, document)


def retire_role(folder, found):
    roles = documents(folder)
    role = finding_role(found, "workload/delegation/")[0]
    path, document = roles[role]
    path.unlink()
    for other, (other_path, other_document) in roles.items():
        if other == role:
            continue
        changed = False
        if other_document["reports_to"] == role:
            other_document["reports_to"] = document["reports_to"]
            changed = True
        for field in ("dotted_to",):
            if role in (other_document.get(field) or []):
                other_document[field] = [r for r in other_document[field] if r != role]
                changed = True
        if any(i.get("with") == role for i in other_document.get("interactions") or []):
            other_document["interactions"] = [i for i in other_document["interactions"]
                                              if i.get("with") != role]
            changed = True
        career = (other_document.get("career") or {}).get("next") or []
        if role in career:
            other_document["career"]["next"] = [r for r in career if r != role]
            changed = True
        if changed:
            save(other_path, other_document)


def add_role(folder, found):
    role = finding_role(found, "overlap/")[0]
    path, document = documents(folder)[role]
    document.update(id="r09999-second-desk", title="Second Desk",
                    career={"next": []})
    save(folder / "roles" / "r09999-second-desk.yaml", document)


@pytest.mark.parametrize("edit", [reword_duty, move_reports_to, add_decision_right,
                                  retire_role, add_role])
def test_findings_after_an_edit_equal_a_full_recompute(before, edit, tmp_path):
    folder, catalogue, neighbours, found = before
    edited = tmp_path / "catalogue"
    shutil.copytree(folder, edited)
    edit(edited, found)
    after = load_catalogue(edited)
    changed = changed_roles(duty_signatures(catalogue.duties), duty_signatures(after.duties))
    searched = neighbours_after_edit(neighbours, after.duties, changed) if changed else neighbours
    full = find_findings(after, None, searched)
    assert not full.equals(found.table)  # the edit changes the findings
    updated = findings_after_edit(found, after, None, searched)
    pd.testing.assert_frame_equal(updated.table, full)
    if edit is add_decision_right:  # the same search, duties and lines: the same pairs
        assert updated.overlaps is found.overlaps
    # and the next edit starts from the updated findings as from a full run
    again = findings_after_edit(updated, after, None, searched)
    pd.testing.assert_frame_equal(again.table, full)


def test_the_apps_findings_after_an_edit_are_brought_up_to_date_from_the_last_ones(
        before, tmp_path, monkeypatch):
    import pages.common as common

    folder, catalogue, neighbours, found = before
    monkeypatch.setattr(common, "LINEAGE", common.Lineage())
    monkeypatch.setattr(common, "cache_dir", lambda: tmp_path / "cache")
    updates = []

    def spied(previous, after, *rest):
        updates.append(after.fingerprint)
        return findings_after_edit(previous, after, *rest)

    monkeypatch.setattr(common, "findings_after_edit", spied)
    monkeypatch.setattr(common, "current_overlap_neighbours", lambda c: neighbours)
    pd.testing.assert_frame_equal(common._findings(catalogue), found.table)
    assert updates == []  # the first catalogue of its path: found afresh
    edited = tmp_path / "catalogue"
    shutil.copytree(folder, edited)
    move_reports_to(edited, found)
    after = dataclasses.replace(load_catalogue(edited), path=catalogue.path)
    shown = common._findings(after)
    assert updates == [after.fingerprint]
    pd.testing.assert_frame_equal(shown, find_findings(after, None, neighbours))
