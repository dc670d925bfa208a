"""Every import's caps (jdcore.formats.limits): the hostile files of issue 15 are refused at
once with one clear problem, and each cap stops the read where it is reached."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from hostile_uploads import (million_duties_bundle, rewrite_part, sheet_part,
                             xfd_dimension_workbook, xfd_rows_workbook)
from jdcore.formats import limits as limits_module
from jdcore.formats.bundle import bundle_files, zip_bytes
from jdcore.formats.csvbundle import import_csv_zip
from jdcore.formats.limits import DEFAULT_LIMITS, ImportLimits
from jdcore.formats.upload import import_upload
from jdcore.formats.xlsx import import_workbook, workbook_bytes

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def book(catalogue) -> bytes:
    return workbook_bytes(catalogue.tables)


def messages(result) -> list[str]:
    return [str(p) for p in result.problems]


def small(**caps) -> ImportLimits:
    return dataclasses.replace(DEFAULT_LIMITS, **caps)


def with_file(catalogue, name: str, text: str) -> bytes:
    """The catalogue's bundle ZIP with one CSV file replaced by `text`."""
    files = bundle_files(catalogue)
    files[name] = ("\ufeff" + text).encode("utf-8")
    return zip_bytes(files)


# --- the files of the issue, at the default caps ---------------------------------------------

def test_a_workbook_claiming_every_cell_is_read_by_its_cells_and_refused_at_the_last_row(book):
    result = import_upload("xfd.xlsx", xfd_dimension_workbook(book))
    assert messages(result) == [
        "xfd.xlsx sheet duties:1048576: cell A1048576 holds a value in row 1,048,576; a sheet "
        "holds at most 500,000 rows below its header: delete the rows below the table"]
    assert result.tables == {} and not result.ok


def test_rows_with_a_cell_in_column_xfd_are_refused_at_the_first(book):
    result = import_upload("rows.xlsx", xfd_rows_workbook(book))
    assert messages(result) == [
        "rows.xlsx sheet duties:216: cell XFD216 holds a value in column 16,384; a sheet has "
        "at most 64 columns: delete the cells right of the table"]


def test_a_million_duties_of_one_role_stop_at_the_cap_per_role(catalogue):
    data = million_duties_bundle(catalogue)
    assert len(data) < 3 * 1024 * 1024  # a small upload
    rid = catalogue.roles["role_id"].iloc[0]
    assert messages(import_upload("duties.zip", data)) == [
        f"duties.zip: duties.csv:1002: role_id: role '{rid}' has more than 1,000 rows here; a "
        "role holds at most 1,000 duties: remove rows or split the role"]


def test_the_declared_dimension_is_never_used_to_skip_cells_either(book):
    """A sheet whose dimension claims less than it holds: the cells past it are read."""
    part = sheet_part(book, "career")
    data = rewrite_part(book, part, lambda xml: xml.replace(
        b"</sheetData>", b'<row r="900"><c r="A900" t="inlineStr"><is><t>ghost</t></is></c>'
                         b'<c r="B900" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))
    found = messages(import_workbook(data, "d.xlsx"))
    assert found[0].startswith("d.xlsx sheet career:900: role_id: 'ghost' is not a role in")


# --- each cap --------------------------------------------------------------------------------

def test_rows_of_a_table_are_capped(catalogue):
    lines = ["role_id,next_role_id"] + [f"r{n},head-of-sales" for n in range(300)]
    result = import_csv_zip(with_file(catalogue, "career.csv", "\n".join(lines)), name="b.zip",
                            limits=small(table_rows=200))  # the other tables hold fewer rows
    assert messages(result) == [
        "b.zip: career.csv:202: more than 200 rows in the career table; an import holds at "
        "most 200 rows in the career table: split the catalogue into several imports"]


def test_roles_and_duties_are_capped(catalogue, book):
    assert messages(import_workbook(book, "b.xlsx", limits=small(roles=10))) == [
        "b.xlsx sheet roles:12: more than 10 roles; an import holds at most 10 roles: split the "
        "catalogue into several imports"]
    assert messages(import_workbook(book, "b.xlsx", limits=small(duties=100))) == [
        "b.xlsx sheet duties:102: more than 100 duties; an import holds at most 100 duties: "
        "split the catalogue into several imports"]


def test_cells_of_a_csv_row_are_capped(catalogue):
    wide = "role_id,next_role_id\nhead-of-sales,x" + "," * 100 + "\n"
    assert messages(import_csv_zip(with_file(catalogue, "career.csv", wide), name="b.zip")) == [
        "b.zip: career.csv:2: line has 102 cells; a table has at most 64 columns: delete the "
        "cells right of the table"]


def test_a_header_over_the_columns_cap_is_refused_in_a_sheet(book):
    def change(xml: bytes) -> bytes:
        return xml.replace(b"</row>", b'<c r="BZ1" t="inlineStr"><is><t>wide</t></is></c></row>',
                           1)
    data = rewrite_part(book, sheet_part(book, "kpis"), change)
    assert messages(import_workbook(data, "w.xlsx")) == [
        "w.xlsx sheet kpis:1: cell BZ1 holds a value in column 78; a sheet has at most 64 "
        "columns: delete the cells right of the table"]


def test_a_long_line_is_refused_before_it_is_split(catalogue):
    text = "role_id,next_role_id\nhead-of-sales," + "x" * 5000 + "\n"
    assert messages(import_csv_zip(with_file(catalogue, "career.csv", text), name="b.zip",
                                   limits=small(line_chars=1000))) == [
        "b.zip: career.csv:2: line is longer than 1,000 characters; a row of the catalogue is "
        "far shorter: check that this is the CSV file the Export page writes"]


def test_problems_are_capped(catalogue):
    lines = ["role_id,next_role_id"] + [f"nobody-{n},head-of-sales" for n in range(50)]
    found = messages(import_csv_zip(with_file(catalogue, "career.csv", "\n".join(lines)),
                                    name="b.zip", limits=small(problems=10)))
    assert len(found) == 11
    assert found[-1] == ("b.zip: roles.csv: 40 more problems of the same kinds were not listed; "
                         "fix these and import again")


def test_bad_values_are_capped_per_table(catalogue):
    lines = ["role_id,next_role_id"] + [f",x{n}" for n in range(50)]
    found = messages(import_csv_zip(with_file(catalogue, "career.csv", "\n".join(lines)),
                                    name="b.zip", limits=small(problems=5)))
    assert found[:5] == [f"b.zip: career.csv:{n}: role_id: empty; every row names its role"
                         for n in range(2, 7)]
    assert found[5] == ("b.zip: career.csv:7: more than 5 problems; the rest of the lines were "
                        "not read: fix these and import the file again")


def test_the_time_budget_stops_the_read(catalogue, monkeypatch):
    ticks = iter(range(0, 10_000, 10))  # a clock that runs 10 s per look
    monkeypatch.setattr(limits_module, "processor_seconds", lambda: next(ticks))
    data = million_duties_bundle(catalogue, rows=5000, role_id="*")
    # the clock is read every 1,024 rows: 10 s at line 1,025, 20 s at line 2,049
    assert messages(import_upload("slow.zip", data, limits=small(seconds=15))) == [
        "slow.zip: duties.csv:2049: the import used more than 15 s of processor time and was "
        "stopped; import a smaller file (split the catalogue into several)"]


def test_an_upload_over_the_byte_cap_is_refused_before_it_is_read():
    assert messages(import_upload("big.zip", b"x" * 2000, limits=small(upload_bytes=1000))) == [
        "big.zip: file is 2,000 bytes, over the 1,000 byte limit; split the catalogue into "
        "several files"]


def test_styled_empty_cells_and_rows_past_the_caps_are_no_problem(book):
    """Excel writes formatting-only cells and rows; only cells with a value count."""
    def change(xml: bytes) -> bytes:
        return xml.replace(b"</sheetData>", b'<row r="1048000" s="1" customFormat="1">'
                           b'<c r="XFD1048000" s="1"/></row></sheetData>')
    data = rewrite_part(book, sheet_part(book, "duties"), change)
    assert import_workbook(data, "styled.xlsx").problems == []


def test_a_sheet_read_twice_as_wide_as_its_header_is_still_one_row_each():
    """The reader places each cell by its column: gaps are empty cells, not shifted ones."""
    sheet_book = Workbook()
    sheet = sheet_book.active
    sheet.title = "kpis"
    sheet.append(["role_id", "name", "target", "source"])
    sheet["A2"], sheet["C2"] = "head-of-sales", "10 %"
    buffer = io.BytesIO()
    sheet_book.save(buffer)
    result = import_workbook(buffer.getvalue(), "gaps.xlsx")
    kpis = result.tables["kpis"]
    assert (kpis.loc[0, "role_id"], kpis.loc[0, "target"]) == ("head-of-sales", "10 %")
    assert kpis["name"].isna().all()


def test_the_server_upload_cap_is_the_documented_cap():
    import tomllib

    from jdcore.formats.upload import MAX_UPLOAD_MB

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB == 20
    assert config["client"]["showErrorDetails"] == "none"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"| the uploaded file | {MAX_UPLOAD_MB} MB, also `server.maxUploadSize`" in readme
