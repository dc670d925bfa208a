"""jdcore.formats.xlsx: the Excel workbook export, its round trip and every hostile-file case."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from jdcore import TABLES
from jdcore.formats import xlsx
from jdcore.formats.tablereader import write_import
from jdcore.formats.xlsx import import_workbook, workbook_bytes


@pytest.fixture(scope="module")
def book_bytes(catalogue) -> bytes:
    return workbook_bytes(catalogue.tables)


def messages(result) -> list[str]:
    return [str(p) for p in result.problems]


def edited(data: bytes, change) -> bytes:
    """The workbook after `change(book)` (openpyxl, normal mode), saved again."""
    book = load_workbook(io.BytesIO(data))
    change(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def replace_part(data: bytes, part: str, transform) -> bytes:
    """The workbook with one XML part rewritten by `transform(bytes) -> bytes`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info)
            dst.writestr(info, transform(content) if info.filename == part else content)
    return out.getvalue()


# --- export ----------------------------------------------------------------------------------

def test_one_sheet_per_table_in_table_order(book_bytes):
    assert load_workbook(io.BytesIO(book_bytes), read_only=True).sheetnames == list(TABLES)


@pytest.mark.parametrize("table", TABLES)
def test_each_sheet_holds_its_table(book_bytes, catalogue, table):
    sheet = load_workbook(io.BytesIO(book_bytes))[table]
    rows = list(sheet.values)
    assert list(rows[0]) == list(catalogue.tables[table].columns)
    assert len(rows) - 1 == len(catalogue.tables[table])


def test_text_that_looks_like_a_formula_is_neutralised_and_numbers_stay_numbers(catalogue):
    duties = catalogue.duties.head(2).copy()
    duties["text"] = ["=cmd|' /C calc'!A0", "@SUM(1)"]
    sheet = load_workbook(io.BytesIO(workbook_bytes({"duties": duties})))["duties"]
    assert sheet["C2"].value == "'=cmd|' /C calc'!A0" and sheet["C2"].data_type == "s"
    assert sheet["C3"].value == "'@SUM(1)"
    assert sheet["F2"].value == float(duties["time_share"].iloc[0])
    assert sheet["F2"].data_type == "n"


def test_column_widths_are_set_and_capped(book_bytes):
    sheet = load_workbook(io.BytesIO(book_bytes))["duties"]
    widths = {c: sheet.column_dimensions[c].width for c in "ABCDEFGH"}
    assert widths["A"] == max(len(str(c.value)) for c in sheet["A"]) + 2
    assert widths["C"] == xlsx.MAX_COLUMN_WIDTH  # duty texts are long
    assert sheet.freeze_panes == "A2"


# --- round trip ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def round_trip(book_bytes, tmp_path_factory):
    result = import_workbook(book_bytes, "catalogue.xlsx")
    assert result.problems == []
    return write_import(result, tmp_path_factory.mktemp("xlsx") / "catalogue")


@pytest.mark.parametrize("table", TABLES)
def test_export_import_write_load_gives_back_the_same_tables(catalogue, round_trip, table):
    pd.testing.assert_frame_equal(round_trip.tables[table], catalogue.tables[table])


def test_typed_cells_are_read_as_text_where_the_column_is_text(book_bytes):
    def change(book):
        book["kpis"]["C2"] = 123  # a number typed into the text column "target"
    result = import_workbook(edited(book_bytes, change), "typed.xlsx")
    assert result.problems == []
    assert result.tables["kpis"].loc[0, "target"] == "123"


# --- hostile files ---------------------------------------------------------------------------

def test_over_the_size_cap(monkeypatch, book_bytes):
    monkeypatch.setattr(xlsx, "MAX_WORKBOOK_BYTES", 1000)
    assert messages(import_workbook(book_bytes, "big.xlsx")) == [
        f"big.xlsx: workbook is {len(book_bytes):,} bytes, over the 1,000 byte limit; "
        "refused: split the catalogue into several workbooks, or delete what the tables do "
        "not need"]


def test_not_a_workbook():
    assert messages(import_workbook(b"name,title\n", "roles.xlsx")) == [
        "roles.xlsx: not an Excel workbook (.xlsx); save it as Excel Workbook (.xlsx) and "
        "upload that"]


def test_zip_bomb_total_size_is_refused_from_the_directory(monkeypatch, book_bytes):
    with zipfile.ZipFile(io.BytesIO(book_bytes)) as archive:
        total = sum(i.file_size for i in archive.infolist())
    monkeypatch.setattr(xlsx, "MAX_UNPACKED_BYTES", 10_000)
    assert messages(import_workbook(book_bytes, "bomb.xlsx")) == [
        f"bomb.xlsx: unpacks to {total:,} bytes, over its 10,000 byte limit; "
        "refused (possible zip bomb): split the catalogue into several workbooks, or delete "
        "what the tables do not need"]


def test_zip_bomb_ratio_is_refused_before_parsing(book_bytes):
    zeros = b"<?xml version='1.0'?><a>" + b" " * (4 * 1024 * 1024) + b"</a>"
    data = replace_part(book_bytes, "xl/styles.xml", lambda _: zeros)
    data = _recompress(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("xl/styles.xml")
    assert messages(import_workbook(data, "bomb.xlsx")) == [
        f"bomb.xlsx: xl/styles.xml: unpacks to {info.file_size:,} bytes from "
        f"{info.compress_size:,} (a file in it may hold 200 MB, compressed at most "
        f"{xlsx.MAX_PART_RATIO} times); refused (possible zip bomb): split the catalogue into "
        "several workbooks, or delete what the tables do not need"]


def _recompress(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    return out.getvalue()


BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n')
EXTERNAL_ENTITY = (b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM '
                   b'"file:///etc/passwd">]>\n')


@pytest.mark.parametrize("prolog", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["laughs", "xxe"])
@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet2.xml",
                                  "[Content_Types].xml"])
def test_xml_entity_tricks_are_refused(book_bytes, prolog, part):
    def inject(content: bytes) -> bytes:
        body = content.split(b"?>", 1)[1] if content.startswith(b"<?xml") else content
        return prolog + body.lstrip()
    data = replace_part(book_bytes, part, inject)
    assert messages(import_workbook(data, "evil.xlsx")) == [
        f"evil.xlsx: {part}: declares a DTD or XML entities; refused (a workbook never needs "
        "them)"]


def test_formula_cells_are_refused_naming_sheet_row_column_and_cell(book_bytes):
    def change(book):
        book["duties"]["F2"] = "=SUM(F3:F9)"
        book["roles"]["B3"] = '=HYPERLINK("http://x","y")'
    assert messages(import_workbook(edited(book_bytes, change), "f.xlsx")) == [
        "f.xlsx sheet roles:3: title: cell B3 holds a formula (=HYPERLINK(\"http://x\",\"y\")); "
        "formulas are not imported, replace it with its value",
        "f.xlsx sheet duties:2: time_share: cell F2 holds a formula (=SUM(F3:F9)); formulas are "
        "not imported, replace it with its value"]


def test_error_cells_are_refused(book_bytes):
    def change(book):
        book["authority"]["C2"] = "#DIV/0!"
    assert messages(import_workbook(edited(book_bytes, change), "e.xlsx")) == [
        "e.xlsx sheet authority:2: value: cell C2 holds the error #DIV/0!; replace it with a "
        "value"]


def test_renamed_sheet_gets_did_you_mean(book_bytes):
    def change(book):
        book["duties"].title = "dutys"
    assert messages(import_workbook(edited(book_bytes, change), "r.xlsx")) == [
        "r.xlsx: warning: sheet 'dutys' is not a table of the catalogue; ignored; did you "
        "mean 'duties'?",
        "r.xlsx: sheet 'duties' is missing; did you mean 'dutys'?"]


def test_missing_sheet_lists_the_sheets_needed(book_bytes):
    def change(book):
        del book["career"]
    assert messages(import_workbook(edited(book_bytes, change), "m.xlsx")) == [
        "m.xlsx: sheet 'career' is missing; the workbook needs one sheet per table: roles, "
        "duties, qualities, requirements, rights, authority, workload, reporting, "
        "interactions, kpis, career"]


def test_bad_number_names_sheet_row_and_column(book_bytes):
    def change(book):
        book["roles"]["H2"] = "several"
    assert messages(import_workbook(edited(book_bytes, change), "n.xlsx")) == [
        "n.xlsx sheet roles:2: headcount: 'several' is not a whole number; write digits such as 3"]


def _without(data: bytes, part: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info, src.read(info))
    return out.getvalue()


def test_a_missing_part_is_named_with_the_fix(book_bytes):
    """openpyxl raises a bare KeyError for it ("cannot read the workbook (KeyError)" before)."""
    assert messages(import_workbook(_without(book_bytes, "xl/workbook.xml"), "m.xlsx")) == [
        "m.xlsx: a part of the workbook is missing (There is no item named 'xl/workbook.xml' "
        "in the archive), so it is not an Excel workbook as Excel or LibreOffice save one; "
        "open it in Excel or LibreOffice and save it again as Excel Workbook (.xlsx), then "
        "upload that"]


@pytest.mark.parametrize("sizes", [dict(file_size=10), dict(compress_size=10),
                                   dict(compress_size=50, local=True)],
                         ids=["size", "compressed", "local-header"])
def test_a_directory_that_lies_about_sizes_is_a_damaged_workbook(book_bytes, sizes):
    from hostile_uploads import lying_zip

    part = "xl/worksheets/sheet2.xml"
    found = messages(import_workbook(lying_zip(book_bytes, part, **sizes), "l.xlsx"))
    assert len(found) == 1
    assert found[0].startswith(f"l.xlsx: {part}: cannot be unpacked (")
    assert found[0].endswith("): the workbook is damaged; open it in Excel or LibreOffice and "
                             "save it again as Excel Workbook (.xlsx), then upload that")
