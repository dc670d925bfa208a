"""`python -m jdcore findings [PATH]`, run as a subprocess like the other commands."""

from __future__ import annotations

import re
import shutil

import yaml

from findings_catalogues import role, write_catalogue
from jdcore.analysis.findings import RULES, find_findings
from jdcore.analysis.matching import fit_duty_index
from test_cli import DATA, run

LINE = re.compile(r"^(error|warning|info): (overlap|gap|authority|workload): .+\. \[[\w;-]+\]$")


def test_findings_on_the_embedded_catalogue_print_one_line_each_and_exit_0(catalogue):
    result = run("findings")
    assert result.returncode == 0, result.stderr
    findings = find_findings(catalogue, fit_duty_index(catalogue.duties))
    lines = result.stdout.splitlines()
    assert lines == [f"{f.severity}: {f.kind}: {f.title} [{f.roles}]"
                     for f in findings.itertuples()]
    assert all(LINE.match(line) for line in lines)
    assert f"{len(findings)} finding(s): 0 error(s)" in result.stderr


def test_findings_default_path_is_data_and_an_explicit_path_gives_the_same(tmp_path):
    copy = tmp_path / "catalogue"
    shutil.copytree(DATA, copy)
    assert run("findings", str(copy)).stdout == run("findings").stdout


def test_an_error_finding_exits_1(tmp_path):
    folder = tmp_path / "over"
    write_catalogue(folder, [role("clerk", duties=[("Sort the post", "operations", 70),
                                                    ("File the receipts", "budget-finance", 40)])])
    result = run("findings", str(folder))
    assert result.returncode == 1
    assert ("error: workload: The duties of Clerk take 110 % of the time, more than all of "
            "it. [clerk]") in result.stdout.splitlines()


def test_warnings_only_exit_0(tmp_path):
    folder = tmp_path / "long-hours"
    write_catalogue(folder, [role("driver", hours=55)])
    result = run("findings", str(folder))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "warning: workload: Driver works 55 hours a week, above the limit of 50. [driver]" \
        in lines
    assert not [line for line in lines if line.startswith("error:")]


def test_a_catalogue_that_cannot_be_read_exits_1_with_the_reason(tmp_path):
    folder = tmp_path / "broken"
    shutil.copytree(DATA, folder)
    (folder / "taxonomy.yaml").write_text("departments: [unclosed\n", encoding="utf-8")
    result = run("findings", str(folder))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "taxonomy.yaml" in result.stderr and "cannot be read" in result.stderr


def test_a_role_file_with_errors_still_lists_findings_but_exits_1(tmp_path):
    folder = tmp_path / "partly"
    write_catalogue(folder, [role("driver", hours=55)])
    (folder / "roles" / "bad.yaml").write_text(yaml.safe_dump({"id": "bad"}), encoding="utf-8")
    result = run("findings", str(folder))
    assert result.returncode == 1
    assert "[driver]" in result.stdout
    assert "validate" in result.stderr


def test_findings_usage_errors_exit_2():
    assert run("findings", "no-such-folder").returncode == 2
    assert run("findings", "data", "extra").returncode == 2


def test_findings_rules_lists_every_rule_and_what_it_checks():
    result = run("findings", "--rules")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == [r.id for r in RULES]
    assert "workload/hours (workload; warning): Weekly hours above the taxonomy's " \
        "max_weekly_hours." in lines
