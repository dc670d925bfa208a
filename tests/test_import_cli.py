"""The import commands and export --xlsx of the command line, run as subprocesses."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from jdcore import TABLES, load_catalogue

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
ONET = Path(__file__).parent / "fixtures" / "onet"


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run([sys.executable, "-m", "jdcore", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    return result


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_import_onet_writes_a_catalogue_that_validate_accepts(tmp_path):
    out = tmp_path / "onet"
    result = run("import", "onet", str(ONET), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"wrote 5 roles to {out}"
    assert "Work Context.txt: warning: 1 row(s) suppressed (Recommend Suppress = Y) not used " \
        "(lines 13)" in result.stderr.splitlines()
    assert run("validate", str(out)).returncode == 0


def test_import_refuses_a_non_empty_folder_without_force(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("keep")
    result = run("import", "onet", str(ONET), "--out", str(out))
    assert result.returncode == 2
    assert result.stderr == (f"error: {out} is not empty; choose an empty or new folder, or "
                             "use --force to replace its taxonomy.yaml and roles/*.yaml\n")
    assert snapshot(out) == {"keep.txt": hashlib.sha256(b"keep").hexdigest()}
    assert run("import", "onet", str(ONET), "--out", str(out), "--force").returncode == 0
    assert (out / "keep.txt").read_text() == "keep"
    assert len(list((out / "roles").glob("*.yaml"))) == 5


def test_export_csv_then_import_csv_round_trip(tmp_path, catalogue):
    bundle, out = tmp_path / "bundle", tmp_path / "catalogue"
    assert run("export", "data", "--out", str(bundle)).returncode == 0
    result = run("import", "csv", str(bundle), "--out", str(out))
    assert result.returncode == 0, result.stderr
    loaded = load_catalogue(out)
    for table in TABLES:
        pd.testing.assert_frame_equal(loaded.tables[table], catalogue.tables[table])


def test_export_xlsx_then_import_xlsx_round_trip(tmp_path, catalogue):
    book, out = tmp_path / "catalogue.xlsx", tmp_path / "catalogue"
    result = run("export", "data", "--xlsx", str(book))
    assert result.returncode == 0 and result.stdout == f"wrote 13 sheets (24 roles) to {book}\n"
    assert run("import", "xlsx", str(book), "--out", str(out)).returncode == 0
    pd.testing.assert_frame_equal(load_catalogue(out).duties, catalogue.duties)


def test_import_with_errors_writes_nothing_and_exits_1(tmp_path):
    bundle, out = tmp_path / "bundle", tmp_path / "out"
    assert run("export", "data", "--out", str(bundle)).returncode == 0
    (bundle / "roles.csv").unlink()
    result = run("import", "csv", str(bundle), "--out", str(out))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == f"error: 1 error(s) in {bundle}; nothing written"
    assert not out.exists()


def test_hostile_workbook_exits_1_with_its_message(tmp_path):
    book = tmp_path / "fake.xlsx"
    book.write_bytes(b"not a zip")
    result = run("import", "xlsx", str(book), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == ("fake.xlsx: not an Excel workbook (.xlsx); save it "
                                             "as Excel Workbook (.xlsx) and upload that")


@pytest.mark.parametrize("args", [
    ["import", "csv", "no-such-folder", "--out", "OUT"],
    ["import", "xlsx", "no-such.xlsx", "--out", "OUT"],
    ["import", "onet", "no-such-folder", "--out", "OUT"],
    ["import", "onet", str(ONET)],
    ["import"],
    ["export", "data"],
])
def test_usage_errors_exit_2(tmp_path, args):
    args = [str(tmp_path / "out") if a == "OUT" else a for a in args]
    assert run(*args).returncode == 2


def test_import_never_touches_the_embedded_catalogue(tmp_path):
    before = snapshot(DATA)
    run("import", "onet", str(ONET), "--out", str(tmp_path / "x"))
    run("export", "data", "--xlsx", str(tmp_path / "c.xlsx"))
    assert snapshot(DATA) == before
