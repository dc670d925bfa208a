"""jdcore.formats.csvbundle: the CSV bundle import, its round trip and every hostile-file case."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from jdcore import TABLES, load_catalogue
from jdcore.formats.bundle import bundle_files, bundle_zip, zip_bytes
from jdcore.formats.csvbundle import MAX_BUNDLE_BYTES, import_csv_folder, import_csv_zip
from jdcore.formats.tablereader import unneutralise, write_import

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def bundle(catalogue, tmp_path) -> Path:
    """The embedded catalogue exported as a CSV bundle folder."""
    folder = tmp_path / "bundle"
    folder.mkdir()
    for name, data in bundle_files(catalogue).items():
        (folder / name).write_bytes(data)
    return folder


def messages(result) -> list[str]:
    return [str(p) for p in result.problems]


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8-sig")
    assert old in text
    path.write_bytes(text.replace(old, new, 1).encode("utf-8-sig"))


@pytest.fixture(scope="module")
def round_trip(catalogue, tmp_path_factory):
    """export -> import -> write -> load of the embedded catalogue."""
    root = tmp_path_factory.mktemp("round")
    (root / "bundle").mkdir()
    for name, data in bundle_files(catalogue).items():
        (root / "bundle" / name).write_bytes(data)
    result = import_csv_folder(root / "bundle")
    assert result.problems == [] and result.ok
    return write_import(result, root / "catalogue")


@pytest.mark.parametrize("table", TABLES)
def test_export_import_write_load_gives_back_the_same_tables(catalogue, round_trip, table):
    pd.testing.assert_frame_equal(round_trip.tables[table], catalogue.tables[table])


def test_zip_bundle_round_trip(catalogue, tmp_path):
    result = import_csv_zip(bundle_zip(catalogue))
    assert result.problems == []
    loaded = write_import(result, tmp_path / "out")
    pd.testing.assert_frame_equal(loaded.duties, catalogue.duties)


@pytest.mark.parametrize("text, expected", [
    ("'=SUM(A1)", "=SUM(A1)"), ("'+1", "+1"), ("'-x", "-x"), ("'@me", "@me"),
    ("'plain", "'plain"), ("it's", "it's"), ("=raw", "=raw"),
])
def test_unneutralise_undoes_the_export_apostrophe_only_before_a_formula(text, expected):
    assert unneutralise(text) == expected


def test_formula_like_text_survives_the_round_trip(catalogue, tmp_path):
    tables = {name: frame.copy() for name, frame in catalogue.tables.items()}
    tables["duties"].loc[0, "text"] = "=HYPERLINK(\"x\") and -minus"
    files = bundle_files(type(catalogue)(catalogue.path, catalogue.taxonomy, tables))
    assert b"'=HYPERLINK" in files["duties.csv"]
    result = import_csv_zip(zip_bytes(files))
    assert result.tables["duties"].loc[0, "text"] == "=HYPERLINK(\"x\") and -minus"


def test_missing_file(bundle):
    (bundle / "duties.csv").unlink()
    assert messages(import_csv_folder(bundle)) == [
        "duties.csv: file is missing; a CSV bundle holds one file per table: roles.csv, "
        "duties.csv, qualities.csv, requirements.csv, rights.csv, authority.csv, "
        "workload.csv, reporting.csv, interactions.csv, kpis.csv, career.csv"]


def test_missing_metrics_file_is_fine_it_is_derived(bundle):
    (bundle / "metrics.csv").unlink()
    assert import_csv_folder(bundle).problems == []


def test_missing_column(bundle):
    edit(bundle, "duties.csv", "role_id,duty_no,text,category,frequency,time_share,essential,source",
         "role_id,duty_no,text,category,frequency,time_share,source")
    assert messages(import_csv_folder(bundle))[0] == (
        "duties.csv:1: essential: column is missing; the header must be: role_id, duty_no, text, "
        "category, frequency, time_share, essential, source")


def test_renamed_column_gets_did_you_mean(bundle):
    edit(bundle, "duties.csv", ",essential,", ",essentail,")
    assert messages(import_csv_folder(bundle)) == [
        "duties.csv:1: essential: column is missing; the header must be: role_id, duty_no, text, "
        "category, frequency, time_share, essential, source",
        "duties.csv:1: essentail: unknown column; did you mean 'essential'?"]


def test_unknown_column(bundle):
    edit(bundle, "kpis.csv", "role_id,name,target,source", "role_id,name,target,source,owner")
    assert messages(import_csv_folder(bundle)) == ["kpis.csv:1: owner: unknown column; remove it"]


@pytest.mark.parametrize("column, old, new, message", [
    ("time_share", ",annually,20.0,True,", ",annually,fifteen,True,",
     "duties.csv:2: time_share: 'fifteen' is not a number; write digits such as 15 or 12.5"),
    ("time_share", ",annually,20.0,True,", ",annually,inf,True,",
     "duties.csv:2: time_share: 'inf' is not a number; write digits such as 15 or 12.5"),
    ("essential", ",annually,20.0,True,", ",annually,20.0,maybe,",
     "duties.csv:2: essential: 'maybe' is not true or false; write True or False"),
    ("duty_no", "board-of-directors,1,", "board-of-directors,1.5,",
     "duties.csv:2: duty_no: '1.5' is not a whole number; write digits such as 3"),
])
def test_bad_values_name_file_line_and_column(bundle, column, old, new, message):
    first = (bundle / "duties.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert old in first  # the edit lands on line 2, the first duty
    edit(bundle, "duties.csv", old, new)
    assert messages(import_csv_folder(bundle)) == [message]


def test_row_of_an_unknown_role(bundle):
    edit(bundle, "kpis.csv", "\nhead-of-sales,", "\nhead-of-sails,")
    found = messages(import_csv_folder(bundle))
    assert len(found) == 1
    assert found[0].endswith(": role_id: 'head-of-sails' is not a role in roles.csv; "
                             "did you mean 'head-of-sales'?")


def test_duplicate_role_row(bundle):
    lines = (bundle / "roles.csv").read_text(encoding="utf-8-sig").splitlines()
    (bundle / "roles.csv").write_bytes(("\n".join(lines + [lines[1]]) + "\n").encode("utf-8-sig"))
    rid = lines[1].split(",")[0]
    assert messages(import_csv_folder(bundle)) == [
        f"roles.csv:{len(lines) + 1}: role_id: role '{rid}' appears twice (first on line 2); "
        "keep one row per role"]


def test_non_utf8_file(bundle):
    (bundle / "kpis.csv").write_bytes(b"role_id,name,target,source\nx,\xff,y,seed\n")
    assert messages(import_csv_folder(bundle)) == [
        "kpis.csv:2: byte 0xff is not valid UTF-8; save the file as UTF-8 CSV"]


@pytest.mark.parametrize("body, line, byte", [
    (b"role_id,name,target,source\nx,caf\xe9,y,seed\n", 2, "0xe9"),
    (b"role_id,name,target,source\n\xe9,name,y,seed\n", 2, "0xe9"),  # first byte of a line
    (b"role_id,name,tar\xe9et,source\n", 1, "0xe9"),
], ids=["mid-line", "line-start", "header"])
def test_non_utf8_byte_after_a_bom_is_reported_where_it_is(bundle, body, line, byte):
    (bundle / "kpis.csv").write_bytes(b"\xef\xbb\xbf" + body)
    assert messages(import_csv_folder(bundle)) == [
        f"kpis.csv:{line}: byte {byte} is not valid UTF-8; save the file as UTF-8 CSV"]


def test_empty_file(bundle):
    (bundle / "kpis.csv").write_bytes(b"")
    assert messages(import_csv_folder(bundle)) == [
        "kpis.csv: file is empty; it needs at least the header row"]


def test_row_with_extra_cells(bundle):
    edit(bundle, "career.csv", "role_id,next_role_id\n", "role_id,next_role_id\nhead-of-sales,general-director,extra\n")
    assert messages(import_csv_folder(bundle)) == [
        "career.csv:2: line has 3 cells but the header has 2 columns; remove the extra cells "
        "or quote text that holds commas"]


@pytest.mark.parametrize("rid, why", [
    ("a/b", "'a/b' cannot be used as a file name: it holds a slash"),
    ("..", "'..' cannot be used as a file name"),
    ("x" * 300, f"'{'x' * 39}\u2026' cannot be used as a file name: it is 300 characters long, "
                "and a role id may have at most 100; shorten it"),
    ("bell\x07", "'bell\\x07' cannot be used as a file name: it holds a control character"),
])
def test_a_role_id_that_cannot_name_its_file_is_refused_naming_the_row(bundle, rid, why):
    edit(bundle, "roles.csv", "\nhead-of-sales,", f"\n{rid},")
    found = messages(import_csv_folder(bundle))
    line = next(n for n, text in enumerate(
        (bundle / "roles.csv").read_text(encoding="utf-8-sig").splitlines(), 1)
        if text.startswith(rid + ","))
    assert found[0].startswith(f"roles.csv:{line}: role_id: {why}")
    assert "use letters, digits and hyphens" in found[0] or "shorten it" in found[0]


def test_unknown_file_is_a_warning(bundle):
    (bundle / "dutys.csv").write_bytes(b"x\n")
    assert messages(import_csv_folder(bundle)) == [
        "dutys.csv: warning: not a table of the bundle; ignored; did you mean 'duties.csv'?"]


def test_not_a_zip():
    assert messages(import_csv_zip(b"PK\x03\x04 nope", name="up.zip")) == [
        "up.zip: not a ZIP file; upload the ZIP of CSV files the Export page downloads"]


def test_zip_bomb_is_refused_from_the_directory_before_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("roles.csv", b"\0" * (MAX_BUNDLE_BYTES + 1))
    found = messages(import_csv_zip(buffer.getvalue(), name="bomb.zip"))
    assert found == [f"bomb.zip: unpacks to {MAX_BUNDLE_BYTES + 1:,} bytes, over "
                     f"its {MAX_BUNDLE_BYTES // 2**20} MB limit; refused (possible zip bomb): "
                     "split the catalogue into several bundles (fewer roles in each)"]


def test_high_ratio_member_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("roles.csv", b"a" * (20 * 1024 * 1024))
    found = messages(import_csv_zip(buffer.getvalue(), name="bomb.zip"))
    assert len(found) == 1
    assert found[0].startswith(f"bomb.zip: roles.csv: unpacks to {20 * 1024 * 1024:,} bytes "
                               "from ")
    assert found[0].endswith(", compressed at most 200 times); refused (possible zip bomb): "
                             "split the catalogue into several bundles (fewer roles in each)")


def test_import_never_touches_the_embedded_catalogue(bundle, tmp_path):
    before = {p: p.stat().st_mtime_ns for p in DATA.rglob("*")}
    write_import(import_csv_folder(bundle), tmp_path / "out")
    assert {p: p.stat().st_mtime_ns for p in DATA.rglob("*")} == before
