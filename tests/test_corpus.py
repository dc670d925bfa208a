"""The malformed-catalogue corpus: every case must produce exactly the problems in expected.txt.

Layout (tests/corpus/):
- base/: a small valid catalogue (taxonomy.yaml + 4 roles of one business area).
- cases/<name>/: one broken rule each, as an overlay on base. Every file of the case folder
  replaces or adds the file at the same relative path of base; an empty file
  ``<path>.delete`` removes ``<path>`` from base. ``expected.txt`` holds the exact
  ``str(problem)`` lines that load_catalogue must return, in its order. A top-level
  ``generated.txt`` says which file the test generates (see GENERATED below).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jdcore import load_catalogue
from jdcore.model.yamlfile import MAX_FILE_BYTES

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "corpus"
BASE = CORPUS / "base"
CASES = CORPUS / "cases"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())
META_FILES = {"expected.txt", "generated.txt"}  # top-level files of a case that are not overlay


def _pad_over_cap(base_file: Path) -> bytes:
    """The base file padded with comment lines to exactly MAX_FILE_BYTES + 1 bytes (still valid YAML)."""
    data = base_file.read_bytes()
    filler = b"# padding to push this file over the size cap\n"
    missing = MAX_FILE_BYTES + 1 - len(data)
    data += filler * (missing // len(filler))
    data += b"#" * (MAX_FILE_BYTES - len(data)) + b"\n"
    assert len(data) == MAX_FILE_BYTES + 1
    return data


# Files a case gets from code instead of the corpus, so no 256 KiB file is committed.
GENERATED = {
    "file-over-size-cap": {
        "roles/sales-representative.yaml": lambda: _pad_over_cap(BASE / "roles" / "sales-representative.yaml"),
    },
}


def assemble(case: str, target: Path) -> Path:
    """Copy base, apply the case overlay and generated files; return the catalogue folder."""
    shutil.copytree(BASE, target)
    folder = CASES / case
    for src in sorted(folder.rglob("*")):
        rel = src.relative_to(folder)
        if src.is_dir() or (len(rel.parts) == 1 and rel.name in META_FILES):
            continue
        if src.name.endswith(".delete"):
            doomed = target / rel.with_name(rel.name.removesuffix(".delete"))
            assert doomed.is_file(), f"{case}: {rel} deletes a file that base does not have"
            doomed.unlink()
            continue
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
    for rel, make in GENERATED.get(case, {}).items():
        (target / rel).write_bytes(make())
    return target


def expected_lines(case: str) -> list[str]:
    return (CASES / case / "expected.txt").read_text(encoding="utf-8").splitlines()


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under folder: its bytes and mtime (ns)."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def only_warnings(lines: list[str]) -> bool:
    return all(": warning: " in line for line in lines)


def test_corpus_has_enough_cases():
    assert len(CASE_NAMES) >= 27
    for case in CASE_NAMES:
        assert expected_lines(case), f"{case}: expected.txt is empty"
        overlay = [p for p in (CASES / case).rglob("*") if p.is_file() and p.name not in META_FILES]
        assert overlay or case in GENERATED, f"{case}: the case changes nothing"


def test_base_catalogue_is_valid():
    before = snapshot(BASE)
    catalogue = load_catalogue(BASE)
    assert [str(p) for p in catalogue.problems] == []
    assert catalogue.is_valid
    assert len(catalogue.tables["roles"]) == 4
    assert set(catalogue.roles["business_area"]) == {"trade"}
    assert (catalogue.roles["reports_to"].isna()).sum() == 1  # one root
    assert len(catalogue.duties) == 20
    assert snapshot(BASE) == before


@pytest.mark.parametrize("case", CASE_NAMES)
def test_case_problems(case, tmp_path):
    folder = assemble(case, tmp_path / "catalogue")
    before = snapshot(folder)

    catalogue = load_catalogue(folder)

    expected = expected_lines(case)
    assert [str(p) for p in catalogue.problems] == expected
    if only_warnings(expected):
        assert catalogue.is_valid
    else:
        assert not catalogue.is_valid
    assert snapshot(folder) == before, "load_catalogue changed, added or removed a file"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jdcore", *args], cwd=PROJECT,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)


def test_cli_validate_base_exits_0():
    result = run_cli("validate", str(BASE))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines() == [f"{BASE}: valid: 0 error(s), 0 warning(s)"]


@pytest.mark.parametrize("case", CASE_NAMES)
def test_cli_validate_case(case, tmp_path):
    folder = assemble(case, tmp_path / "catalogue")
    expected = expected_lines(case)
    before = snapshot(folder)

    result = run_cli("validate", str(folder))

    assert "Traceback" not in result.stderr
    assert result.stderr == ""
    out = result.stdout.splitlines()
    assert out[:-1] == expected
    errors = sum(": warning: " not in line for line in expected)
    state = "valid" if errors == 0 else "invalid"
    assert out[-1] == f"{folder}: {state}: {errors} error(s), {len(expected) - errors} warning(s)"
    assert result.returncode == (0 if only_warnings(expected) else 1)
    assert snapshot(folder) == before


LOOKALIKE_ROLE = """\
id: 0123
title: No
department: sales
business_area: trade
grade: specialist
reports_to: head-of-sales
headcount: 1
summary: Off
source: {document: 2024-01-15, modified: 2024-01-15, note: seed}
responsibilities:
  - {text: yes, category: customer-service, frequency: daily, time_share: 20, essential: true}
  - {text: 'null', category: customer-service, frequency: daily, time_share: 20, essential: true}
  - {text: 1e3, category: customer-service, frequency: daily, time_share: 20, essential: true}
  - {text: 0x1F, category: customer-service, frequency: daily, time_share: 20, essential: true}
  - {text: ~no, category: customer-service, frequency: daily, time_share: 10, essential: false}
authority: {freedom_to_make_decisions: 2, impact_of_decisions: 2, responsibility_for_outcomes: 2, frequency_of_decisions: 2}
workload: {weekly_hours: 40, time_pressure: 2, travel_share: 0}
kpis:
  - {name: 1.0, target: On}
"""


def test_yaml_11_lookalikes_stay_text(tmp_path):
    """`No`, `0123`, `Off`, `yes`, `1e3`, `0x1F` written where text is expected stay that text."""
    folder = tmp_path / "catalogue"
    shutil.copytree(BASE, folder)
    (folder / "roles" / "0123.yaml").write_text(LOOKALIKE_ROLE, encoding="utf-8")
    before = snapshot(folder)

    catalogue = load_catalogue(folder)

    assert [str(p) for p in catalogue.problems] == []
    assert catalogue.is_valid
    roles = catalogue.roles.set_index("role_id")
    assert "0123" in roles.index
    row = roles.loc["0123"]
    assert row["title"] == "No" and isinstance(row["title"], str)
    assert row["summary"] == "Off"
    assert row["source_document"] == "2024-01-15"
    duties = catalogue.duties[catalogue.duties["role_id"] == "0123"]
    assert list(duties["text"]) == ["yes", "null", "1e3", "0x1F", "~no"]
    kpis = catalogue.kpis[catalogue.kpis["role_id"] == "0123"]
    assert list(kpis["name"]) == ["1.0"] and list(kpis["target"]) == ["On"]
    assert catalogue.files["0123"] == "roles/0123.yaml"
    assert snapshot(folder) == before


def _base_with_role(tmp_path: Path, old: str, new: str) -> Path:
    """base in tmp_path with one substitution in roles/sales-representative.yaml."""
    folder = tmp_path / "catalogue"
    shutil.copytree(BASE, folder)
    role = folder / "roles" / "sales-representative.yaml"
    text = role.read_text(encoding="utf-8")
    assert old in text
    role.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize("headcount", ["100000000000000000000", "9223372036854775807"])
def test_huge_headcount_is_a_problem_not_a_crash(tmp_path, headcount):
    # A whole number the schema accepts must not crash the tables (int64) or the metrics.
    folder = _base_with_role(tmp_path, "headcount: 3", f"headcount: {headcount}")

    catalogue = load_catalogue(folder)  # must not raise

    lines = [str(p) for p in catalogue.problems]
    assert any(line.startswith("roles/sales-representative.yaml:7: headcount: ")
               for line in lines), lines
    assert not catalogue.is_valid


def test_problem_lines_stay_single_lines_for_multiline_values(tmp_path):
    # A quoted value holding a line break is echoed in the message; the CLI prints one problem
    # per line, so the message must not break the line.
    folder = _base_with_role(tmp_path, "department: sales", 'department: "sa\\nles"')

    catalogue = load_catalogue(folder)

    lines = [str(p) for p in catalogue.problems]
    assert len(lines) == 1 and lines[0].startswith("roles/sales-representative.yaml:3: department: ")
    assert "\n" not in lines[0], lines[0]
