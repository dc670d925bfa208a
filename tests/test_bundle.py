"""jdcore.formats.bundle: the CSV bundle as one ZIP, byte for byte what the CLI export writes."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from jdcore import TABLES
from jdcore.formats.bundle import (TABLE_DESCRIPTIONS, ZIP_DATE_TIME, bundle_contents,
                                   bundle_files, bundle_zip, zip_bytes)
from jdcore.cli import main as cli_main
from jdcore.formats.csvio import csv_bytes

DATA = Path(__file__).resolve().parent.parent / "data"


def read_zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def members(catalogue) -> dict[str, bytes]:
    return read_zip(bundle_zip(catalogue))


def test_zip_holds_one_csv_per_table_in_table_order(members):
    assert list(members) == [f"{name}.csv" for name in TABLES]


@pytest.mark.parametrize("table", TABLES)
def test_each_csv_in_the_zip_is_the_spreadsheet_safe_csv_of_its_table(members, catalogue, table):
    assert members[f"{table}.csv"] == csv_bytes(catalogue.tables[table])


def test_zip_members_equal_the_files_the_cli_export_writes(members, tmp_path, capsys):
    out = tmp_path / "export"
    assert cli_main(["export", str(DATA), "--out", str(out)]) == 0
    written = {path.name: path.read_bytes() for path in out.glob("*.csv")}
    assert written == members


def test_zip_is_reproducible_every_member_has_the_fixed_timestamp(catalogue):
    with zipfile.ZipFile(io.BytesIO(bundle_zip(catalogue))) as archive:
        assert {info.date_time for info in archive.infolist()} == {ZIP_DATE_TIME}
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_DEFLATED}


@pytest.mark.parametrize("files", [
    {},
    {"a.csv": b"x\n1\n"},
    {"b.csv": b"", "a.csv": "é,=1\n".encode("utf-8-sig"), "dir/c.md": b"# t\n"},
])
def test_zip_bytes_round_trips_names_order_and_bytes(files):
    assert read_zip(zip_bytes(files)) == files


def test_every_table_has_a_description_of_its_row():
    assert set(TABLE_DESCRIPTIONS) == set(TABLES)
    assert all(text.startswith("One ") and text.endswith(".")
               for text in TABLE_DESCRIPTIONS.values())


def test_bundle_contents_counts_rows_and_columns_of_every_table(catalogue):
    contents = bundle_contents(catalogue)
    assert list(contents["table"]) == list(TABLES)
    assert list(contents["file"]) == list(bundle_files(catalogue))
    assert list(contents["rows"]) == [len(catalogue.tables[t]) for t in TABLES]
    assert list(contents["columns"]) == [len(catalogue.tables[t].columns) for t in TABLES]
    assert list(contents["row"]) == [TABLE_DESCRIPTIONS[t] for t in TABLES]


# --- python -m jdcore export --zip --------------------------------------------------------

def test_cli_export_zip_writes_exactly_the_bundle_zip(catalogue, tmp_path, capsys):
    out = tmp_path / "out" / "catalogue.zip"
    assert cli_main(["export", str(DATA), "--out", str(out), "--zip"]) == 0
    assert out.read_bytes() == bundle_zip(catalogue)
    assert capsys.readouterr().out == f"wrote {len(TABLES)} tables ({len(catalogue.roles)} " \
                                      f"roles) to {out}\n"


@pytest.mark.parametrize("where, message", [
    ("folder", "is a folder; with --zip give the ZIP file's name"),
    ("inside", "is inside the catalogue folder"),
])
def test_cli_export_zip_refuses_a_folder_or_a_file_inside_the_catalogue(tmp_path, capsys,
                                                                        where, message):
    catalogue_dir = tmp_path / "catalogue"
    shutil.copytree(DATA, catalogue_dir)
    before = sorted(p.relative_to(catalogue_dir) for p in catalogue_dir.rglob("*"))
    out = tmp_path if where == "folder" else catalogue_dir / "roles" / "bundle.zip"
    assert cli_main(["export", str(catalogue_dir), "--out", str(out), "--zip"]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.relative_to(catalogue_dir) for p in catalogue_dir.rglob("*")) == before
