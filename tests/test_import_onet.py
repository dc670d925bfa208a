"""jdcore.formats.onet: the O*NET text release import over small fixtures in the official format."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from jdcore import load_catalogue
from jdcore.formats.onet import SOC_MAJOR_GROUPS, import_onet, write_onet

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "onet"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    result = import_onet(FIXTURE)
    return result, write_onet(result, tmp_path_factory.mktemp("onet") / "catalogue")


@pytest.fixture
def release(tmp_path) -> Path:
    folder = tmp_path / "release"
    shutil.copytree(FIXTURE, folder)
    return folder


def test_written_catalogue_is_valid_and_has_one_role_per_occupation(imported):
    result, catalogue = imported
    assert result.errors == [] and catalogue.is_valid
    assert list(catalogue.roles["role_id"]) == ["11-1011.00", "11-2022.00", "11-9199.00",
                                                "15-1252.00", "41-2031.00"]
    assert catalogue.roles.set_index("role_id").loc["15-1252.00", "title"] == "Software Developers"


def test_several_roots_in_one_area_are_fine_with_reporting_none(imported):
    _, catalogue = imported
    assert catalogue.taxonomy.reporting == "none"
    assert catalogue.roles["reports_to"].isna().all()
    assert catalogue.reporting.empty
    assert not any("roots" in p.message for p in catalogue.problems)


def test_departments_are_soc_major_groups(imported):
    _, catalogue = imported
    departments = dict(zip(catalogue.roles["role_id"], catalogue.roles["department"]))
    assert departments == {"11-1011.00": "soc-11", "11-2022.00": "soc-11", "11-9199.00": "soc-11",
                           "15-1252.00": "soc-15", "41-2031.00": "soc-41"}
    assert catalogue.taxonomy.departments == {
        "soc-11": "Management Occupations", "soc-15": "Computer and Mathematical Occupations",
        "soc-41": "Sales and Related Occupations"}


def test_soc_major_group_names_cover_every_group():
    assert sorted(SOC_MAJOR_GROUPS) == ["11", "13", "15", "17", "19", "21", "23", "25", "27",
                                        "29", "31", "33", "35", "37", "39", "41", "43", "45",
                                        "47", "49", "51", "53", "55"]


def test_tasks_become_duties_core_tasks_essential(imported):
    _, catalogue = imported
    duties = catalogue.duties[catalogue.duties["role_id"] == "11-1011.00"]
    assert list(duties["essential"]) == [True, True, False]
    assert list(duties["category"]) == ["core", "core", "supplemental"]
    assert duties["text"].iloc[2] == ("Prepare budgets for approval, including those for "
                                      "funding or implementation of programs.")
    assert duties["time_share"].isna().all() and duties["frequency"].isna().all()  # not stated


def test_task_type_na_and_task_text_na(imported):
    result, catalogue = imported
    duties = catalogue.duties[catalogue.duties["role_id"] == "15-1252.00"]
    assert list(duties["category"]) == ["core", "unclassified"]
    assert "Task Statements.txt: Task: warning: 1 task(s) without text (n/a) skipped (lines 11)" \
        in map(str, result.problems)


def test_occupation_without_tasks_gets_its_description(imported):
    result, catalogue = imported
    duties = catalogue.duties[catalogue.duties["role_id"] == "11-9199.00"]
    assert list(duties["text"]) == ["All managers not listed separately."]
    assert list(duties["category"]) == ["occupation-description"]
    assert ("Task Statements.txt: warning: 1 occupation(s) without task statements (11-9199.00) "
            "get their description as their one responsibility") in map(str, result.problems)


def test_work_context_scales_rounded_and_matched_by_name(imported):
    _, catalogue = imported
    scales = catalogue.authority.pivot(index="role_id", columns="scale", values="value")
    # 4.84, 4.52, 4.49, 4.21 for chief executives
    assert dict(scales.loc["11-1011.00"]) == {
        "freedom_to_make_decisions": 5, "impact_of_decisions": 5, "frequency_of_decisions": 4,
        "responsibility_for_outcomes": 4}
    # element ids of an older release, same names: 3.90, 3.10, 3.00, 3.40
    assert dict(scales.loc["15-1252.00"]) == {
        "freedom_to_make_decisions": 4, "impact_of_decisions": 3, "frequency_of_decisions": 3,
        "responsibility_for_outcomes": 3}
    workload = catalogue.workload.pivot(index="role_id", columns="measure", values="value")
    assert dict(workload.loc["11-1011.00"].drop("travel_share")) == {
        "weekly_hours": 48.0, "time_pressure": 4.0}  # CT 2.80 -> 48 h
    assert workload["travel_share"].isna().all()  # O*NET states no travel share: unknown
    assert workload.loc["15-1252.00", "weekly_hours"] == 40.0     # CT 2.00 -> 40 h


def test_na_and_suppressed_rows_are_skipped_and_reported(imported):
    result, catalogue = imported
    messages = list(map(str, result.problems))
    assert "Work Context.txt: warning: 1 row(s) without a value ('n/a') not used (lines 12)" \
        in messages
    assert ("Work Context.txt: warning: 1 row(s) suppressed (Recommend Suppress = Y) not used "
            "(lines 13)") in messages
    assert ("Work Context.txt: impact_of_decisions: warning: no usable value for 3 occupation(s) "
            "(11-2022.00, 11-9199.00, 41-2031.00); left unknown") in messages
    scales = catalogue.authority.pivot(index="role_id", columns="scale", values="value")
    assert pd.isna(scales.loc["11-2022.00", "frequency_of_decisions"])  # 3.62 was suppressed
    metrics = catalogue.metrics.set_index("role_id")
    assert metrics.loc["11-2022.00", "known_authority_parts"] < \
        metrics.loc["11-1011.00", "known_authority_parts"]


def test_source_dates_from_the_release(imported):
    _, catalogue = imported
    modified = dict(zip(catalogue.roles["role_id"], catalogue.roles["source_modified"]))
    assert modified["11-1011.00"] == "2023-08-01"
    assert modified["15-1252.00"] == "2018-08-01"
    assert modified["11-9199.00"] == "2023-08-01"  # no dated rows: the release's newest date


def test_occupation_data_is_required(release):
    (release / "Occupation Data.txt").unlink()
    assert [str(p) for p in import_onet(release).problems] == [
        "Occupation Data.txt: file is missing; the O*NET text release folder must hold it "
        "(one line per occupation)"]


def test_optional_files_missing_are_reported_and_the_import_still_works(release, tmp_path):
    (release / "Task Statements.txt").unlink()
    (release / "Work Context.txt").unlink()
    result = import_onet(release)
    messages = list(map(str, result.problems))
    assert messages[:2] == [
        "Task Statements.txt: warning: file not found; each occupation gets its description as "
        "its one responsibility",
        "Work Context.txt: warning: file not found; authority scales, time pressure and weekly "
        "hours are left unknown"]
    catalogue = write_onet(result, tmp_path / "out")
    assert catalogue.is_valid and len(catalogue.roles) == 5


def test_renamed_column_is_an_error_with_did_you_mean(release):
    path = release / "Occupation Data.txt"
    path.write_text(path.read_text().replace("Title", "Titel", 1))
    assert [str(p) for p in import_onet(release).problems] == [
        "Occupation Data.txt:1: Title: column is missing; did you mean 'Titel'?"]


def test_bad_code_is_skipped_with_an_error(release):
    path = release / "Occupation Data.txt"
    path.write_text(path.read_text().replace("41-2031.00", "41-2031", 1))
    assert "Occupation Data.txt:6: O*NET-SOC Code: '41-2031' is not an O*NET-SOC code like " \
        "11-1011.00; line skipped" in map(str, import_onet(release).problems)


def test_the_written_catalogue_is_what_validate_reads(imported):
    _, catalogue = imported
    again = load_catalogue(catalogue.path)
    assert again.is_valid and list(again.roles["role_id"]) == list(catalogue.roles["role_id"])


# --- the caps every import has (issue 15): rows, roles, tasks, time ---------------------------

def caps(**changed):
    import dataclasses

    from jdcore.formats.limits import DEFAULT_LIMITS

    return dataclasses.replace(DEFAULT_LIMITS, **changed)


def many_tasks(release: Path, count: int, code: str = "15-1252.00") -> None:
    """Replace the task statements with `count` tasks of one occupation."""
    header = "O*NET-SOC Code\tTask ID\tTask\tTask Type\tIncumbents Responding\tDate\tDomain Source"
    lines = [header] + [f"{code}\t{9000 + i}\tWrite program {i} for the users.\tCore\t40\t"
                        "08/2023\tIncumbent" for i in range(count)]
    (release / "Task Statements.txt").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")


def test_more_occupations_than_roles_an_import_may_hold_are_refused(release):
    result = import_onet(release, caps(roles=3))
    assert result.roles == {}
    assert [str(p) for p in result.problems] == [
        "Occupation Data.txt:5: O*NET-SOC Code: more than 3 occupations, the most roles "
        "one import may hold; remove the occupations you do not need"]


def test_an_occupation_with_more_tasks_than_a_role_holds_is_refused(release):
    many_tasks(release, 1_001)
    result = import_onet(release)
    assert result.roles == {}
    assert [str(p) for p in result.problems] == [
        "Task Statements.txt:1002: O*NET-SOC Code: '15-1252.00' has more than 1,000 "
        "tasks; a role holds at most 1,000 duties: remove tasks of it"]


def test_more_tasks_than_duties_an_import_may_hold_are_refused(release):
    many_tasks(release, 30)
    result = import_onet(release, caps(duties=20))
    assert result.roles == {}
    assert [str(p) for p in result.problems] == [
        "Task Statements.txt: more than 20 tasks, the most duties one import may hold; remove "
        "the occupations you do not need"]


def test_a_file_over_the_rows_cap_is_refused_where_the_cap_is_reached(release):
    many_tasks(release, 30)
    result = import_onet(release, caps(table_rows=10))
    assert result.roles == {}
    assert [str(p) for p in result.problems] == [
        "Task Statements.txt:12: the file has more than 10 rows, the most one import "
        "reads; import a release with fewer occupations, or split the file"]


def test_an_import_over_its_time_budget_is_stopped(release):
    many_tasks(release, 3_000)
    result = import_onet(release, caps(seconds=0.0))
    assert result.roles == {} and len(result.problems) == 1
    assert result.problems[0].message == (
        "the import used more than 0 s of processor time and was stopped; import a smaller "
        "file (split the catalogue into several)")
