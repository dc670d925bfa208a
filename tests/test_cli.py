"""The command line (python -m jdcore), run as a subprocess from the project folder."""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jdcore import TABLES, load_catalogue
from jdcore.model.tables import TABLE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
HAND = Path(__file__).parent / "fixtures" / "hand"
BOM = b"\xef\xbb\xbf"
PROBLEM_LINE = re.compile(r"^roles/[\w.-]+\.yaml:\d+: \S+: .+$")


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `python -m jdcore ARGS`; no command may ever show a traceback."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "jdcore", *args], cwd=cwd, env=env,
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    assert "Traceback" not in result.stdout, result.stdout
    return result


def snapshot(folder: Path) -> dict[str, tuple]:
    result = {}
    for path in sorted(folder.rglob("*")):
        stat = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        result[str(path.relative_to(folder))] = (stat.st_mtime_ns, digest)
    return result


@pytest.fixture
def data_copy(tmp_path) -> Path:
    folder = tmp_path / "catalogue"
    shutil.copytree(DATA, folder)
    return folder


@pytest.fixture
def invalid_copy(tmp_path) -> Path:
    """The hand catalogue with a misspelt category (clerk) and a non-number (seller)."""
    folder = tmp_path / "invalid"
    shutil.copytree(HAND, folder)
    clerk = folder / "roles" / "clerk.yaml"
    clerk.write_text(clerk.read_text(encoding="utf-8").replace(
        "category: paperwork, frequency: monthly", "category: paperwrk, frequency: monthly"),
        encoding="utf-8")
    seller = folder / "roles" / "seller.yaml"
    seller.write_text(seller.read_text(encoding="utf-8").replace("time_share: 60",
                                                                 "time_share: lots"),
                      encoding="utf-8")
    return folder


# --- validate -------------------------------------------------------------------------------

def test_validate_embedded_catalogue_exits_0():
    result = run("validate", "data")
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1].startswith("data: valid: 0 error(s), ")
    assert result.stderr == ""


def test_validate_without_a_path_uses_data():
    result = run("validate")
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1].startswith("data: valid: 0 error(s), ")


def test_validate_invalid_catalogue_exits_1_and_prints_file_line_problems(invalid_copy):
    result = run("validate", str(invalid_copy))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[-1] == f"{invalid_copy}: invalid: 3 error(s), 5 warning(s)"
    assert all(PROBLEM_LINE.match(line) for line in lines[:-1]), lines
    errors = [line for line in lines[:-1] if ": warning: " not in line]
    assert errors == [
        "roles/clerk.yaml:14: responsibilities[1].category: 'paperwrk' is not allowed; "
        "did you mean 'paperwork'?",
        "roles/seller.yaml:14: responsibilities[1].time_share: expected a number, got 'lots'",
        # seller fails the schema, so it is left out and its report's line dangles
        "roles/trainee.yaml:6: reports_to: reports to 'seller', which is not a role in the "
        "catalogue; add that role or fix the id",
    ]


def test_validate_hand_catalogue_prints_warnings_but_exits_0():
    result = run("validate", "tests/fixtures/hand")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[-1] == "tests/fixtures/hand: valid: 0 error(s), 6 warning(s)"
    assert len(lines) == 7
    assert all(": warning: " in line for line in lines[:-1])
    assert sum(": warning: only " in line for line in lines) == 5


def test_validate_catalogue_without_taxonomy_exits_1(tmp_path):
    (tmp_path / "roles").mkdir()
    result = run("validate", str(tmp_path))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("taxonomy.yaml: cannot read file")


# --- usage errors ---------------------------------------------------------------------------

def test_unknown_command_exits_2():
    result = run("frobnicate", "data")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr


def test_no_command_exits_2():
    result = run()
    assert result.returncode == 2
    assert "usage:" in result.stderr


@pytest.mark.parametrize("command", [["validate"], ["info"], ["export", "--out", "OUT"]])
def test_missing_catalogue_folder_exits_2(tmp_path, command):
    missing = tmp_path / "no-such-folder"
    args = [str(tmp_path / "out") if a == "OUT" else a for a in command]
    result = run(*args[:1], str(missing), *args[1:])
    assert result.returncode == 2
    assert result.stderr == f"error: catalogue folder '{missing}' not found\n"
    assert result.stdout == ""
    assert not (tmp_path / "out").exists()


def test_export_without_out_exits_2(tmp_path):
    result = run("export", "data")
    assert result.returncode == 2
    assert "--out" in result.stderr


# --- export ---------------------------------------------------------------------------------

def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    """One export of the embedded catalogue, shared by the tests that read it."""
    out = tmp_path_factory.mktemp("export") / "out"
    return run("export", "data", "--out", str(out)), out


def test_export_writes_the_thirteen_tables(exported):
    result, out = exported
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{name}.csv" for name in TABLES)
    assert len(list(out.iterdir())) == 13
    assert result.stdout == f"wrote 13 tables (24 roles) to {out}\n"


def test_exported_csvs_start_with_a_bom_and_the_table_columns(exported):
    result, out = exported
    assert result.returncode == 0
    for name in TABLES:
        path = out / f"{name}.csv"
        assert path.read_bytes().startswith(BOM), name
        assert read_rows(path)[0] == TABLE_COLUMNS[name], name


def test_exported_roles_csv_has_at_least_twenty_data_rows(exported):
    result, out = exported
    assert result.returncode == 0
    rows = read_rows(out / "roles.csv")
    assert len(rows) - 1 >= 20
    assert len(rows) - 1 == 24
    catalogue = load_catalogue(DATA)
    for name in TABLES:
        assert len(read_rows(out / f"{name}.csv")) - 1 == len(catalogue.tables[name]), name


def test_export_into_a_new_nested_folder_creates_it(tmp_path):
    out = tmp_path / "a" / "b"
    assert run("export", "tests/fixtures/hand", "--out", str(out)).returncode == 0
    assert (out / "reporting.csv").read_bytes() == BOM + (
        "role_id,manager_id,line\nclerk,boss,solid\nlead,boss,solid\nseller,lead,solid\n"
        "trainee,seller,solid\ntrainee,clerk,dotted\n").encode("utf-8")


def test_export_of_an_invalid_catalogue_writes_the_tables_but_exits_1(invalid_copy, tmp_path):
    out = tmp_path / "out"
    result = run("export", str(invalid_copy), "--out", str(out))
    assert result.returncode == 1
    assert len(list(out.iterdir())) == 13
    assert "roles/clerk.yaml:14: responsibilities[1].category" in result.stderr
    # seller failed the schema: 4 roles remain
    assert result.stdout == f"wrote 13 tables (4 roles) to {out}\n"


@pytest.mark.parametrize("inside", [".", "out", "roles", "roles/deeper/out", "x/../out"])
def test_export_refuses_out_inside_the_catalogue_folder(data_copy, inside):
    before = snapshot(data_copy)
    out = data_copy / inside
    result = run("export", str(data_copy), "--out", str(out))
    assert result.returncode == 2
    assert result.stderr == (f"error: --out {out} is inside the catalogue folder; "
                             "choose another folder\n")
    assert result.stdout == ""
    assert snapshot(data_copy) == before


def test_export_refuses_relative_out_inside_the_catalogue_folder(data_copy):
    before = snapshot(data_copy)
    result = run("export", "catalogue", "--out", "catalogue/../catalogue/out",
                 cwd=data_copy.parent)
    assert result.returncode == 2
    assert snapshot(data_copy) == before


def test_export_refuses_out_reached_through_a_symlink_into_the_catalogue(data_copy, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(data_copy, target_is_directory=True)
    before = snapshot(data_copy)
    result = run("export", str(data_copy), "--out", str(link / "out"))
    assert result.returncode == 2
    assert snapshot(data_copy) == before


def test_export_refuses_the_embedded_data_folder_and_writes_nothing():
    before = snapshot(DATA)
    result = run("export", "data", "--out", "data/exported")
    assert result.returncode == 2
    assert not (DATA / "exported").exists()
    assert snapshot(DATA) == before


def test_export_to_a_path_that_is_a_file_exits_2(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    result = run("export", "tests/fixtures/hand", "--out", str(blocker))
    assert result.returncode == 2
    # the catalogue's warnings come first on stderr, the write error last
    assert result.stderr.splitlines()[-1] == f"error: cannot write to {blocker}: File exists"
    assert blocker.read_text(encoding="utf-8") == "x"


# --- info -----------------------------------------------------------------------------------

def test_info_prints_the_counts_of_the_hand_catalogue():
    result = run("info", "tests/fixtures/hand")
    assert result.returncode == 0
    assert result.stdout == (
        "roles: 5\n"
        "departments: 3\n"
        "business areas: 1\n"
        "duties: 11\n"
        "tests/fixtures/hand: valid: 0 error(s), 6 warning(s)\n"
    )


def test_info_prints_the_counts_of_the_embedded_catalogue():
    catalogue = load_catalogue(DATA)
    result = run("info", "data")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        "roles: 24",
        f"departments: {catalogue.roles['department'].nunique()}",
        "business areas: 2",
        f"duties: {len(catalogue.duties)}",
    ]
    assert int(lines[1].split(": ")[1]) >= 6
    assert lines[4].startswith("data: valid: 0 error(s), ")


def test_info_on_an_invalid_catalogue_exits_1(invalid_copy):
    result = run("info", str(invalid_copy))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == "roles: 4"


def test_export_documents_and_docx_write_every_role_and_print_progress(tmp_path):
    import zipfile

    documents, word = tmp_path / "documents.zip", tmp_path / "word.zip"
    result = run("export", "data", "--documents", str(documents), "--docx", str(word),
                 "--paper", "US Letter", "--no-sources")
    assert result.returncode == 0, result.stderr
    roles = len(load_catalogue(DATA).roles)
    with zipfile.ZipFile(documents) as archive:
        names = archive.namelist()
        page = archive.read(next(n for n in names if n.endswith(".html"))).decode()
    assert len(names) == 2 * roles
    assert "@page { size: letter;" in page and 'class="src ' not in page
    with zipfile.ZipFile(word) as archive:
        assert len(archive.namelist()) == roles
    assert f"wrote {roles} job descriptions ({roles} roles)" in result.stdout
    assert f"wrote {roles} Word documents ({roles} roles)" in result.stdout
    for what in ("job descriptions", "Word documents"):   # a line every tenth, then the end
        lines = [l for l in result.stderr.splitlines() if l.startswith(f"{what}: ")]
        assert len(lines) >= 10 and lines[-1].startswith(f"{what}: {roles} of {roles} (100%")
