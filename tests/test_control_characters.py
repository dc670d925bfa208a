"""Control characters in catalogue text (a NUL or a BEL written as a YAML escape): the Excel
and Word exports leave out what XML cannot hold, and the command line never prints them raw
(issue 15)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jdcore import load_catalogue
from jdcore.formats.jobdoc import job_description
from jdcore.formats.wordfile import to_docx
from jdcore.formats.xlsx import workbook_bytes
from jdcore.formats.xmltext import xml_text

ROOT = Path(__file__).resolve().parent.parent
TITLE = "Head\x00 of\x07 Sales\x1b[31m"
SHOWN = "Head of Sales[31m"  # what an XML document can hold of it


@pytest.fixture
def control_catalogue(catalogue_copy) -> Path:
    """The embedded catalogue, head-of-sales titled with a NUL, a BEL and an ESC (escapes)."""
    role = catalogue_copy / "roles" / "head-of-sales.yaml"
    text = role.read_text(encoding="utf-8")
    assert "title: Head of Sales Department\n" in text
    role.write_text(text.replace("title: Head of Sales Department\n",
                                 'title: "Head\\0 of\\a Sales\\e[31m"\n'), encoding="utf-8")
    return catalogue_copy


def test_xml_text_drops_exactly_what_xml_cannot_hold():
    assert xml_text("a\x00b\x07c\td\ne\rf\x0bg\ud800h\uffffi\u200bj") == "abc\td\ne\rfghi\u200bj"


def test_the_workbook_holds_the_title_without_the_control_characters(catalogue):
    tables = {name: frame.copy() for name, frame in catalogue.tables.items()}
    tables["roles"].loc[0, "title"] = TITLE
    tables["duties"].loc[0, "text"] = "\x00=SUM(A1)"  # stripped first, then neutralised
    book = load_workbook(io.BytesIO(workbook_bytes(tables)), read_only=True)
    rows = list(book["roles"].values)
    title_col = rows[0].index("title")
    assert rows[1][title_col] == SHOWN
    duties = list(book["duties"].values)
    assert duties[1][duties[0].index("text")] == "'=SUM(A1)"


def test_the_word_file_holds_the_title_without_the_control_characters(catalogue):
    tables = {name: frame.copy() for name, frame in catalogue.tables.items()}
    tables["roles"].loc[tables["roles"]["role_id"] == "head-of-sales", "title"] = TITLE
    changed = type(catalogue)(catalogue.path, catalogue.taxonomy, tables)
    document = to_docx(job_description(changed, "head-of-sales"))
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert SHOWN in body and "\x00" not in body and "\x07" not in body


def test_the_export_page_builds_the_workbook(control_catalogue, run_page):
    if TITLE not in set(load_catalogue(control_catalogue).roles["title"]):
        pytest.skip("the validator leaves such a role out: nothing of it reaches an export")
    at = run_page("export", catalogue_dir=control_catalogue)  # IllegalCharacterError before
    assert not at.exception
    # the only error is the banner of the catalogue's own problems (the title's characters)
    assert all(e.value.startswith("The catalogue at ") for e in at.error)
    book = next(b for b in at.download_button if b.key == "download-xlsx")
    assert book.proto.url  # the workbook was built with the page


def test_export_xlsx_writes_the_workbook_and_prints_no_control_bytes(control_catalogue,
                                                                     tmp_path):
    out = tmp_path / "book.xlsx"
    result = subprocess.run([sys.executable, "-m", "jdcore", "export", str(control_catalogue),
                             "--xlsx", str(out)], cwd=ROOT, capture_output=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    catalogue = load_catalogue(control_catalogue)
    assert result.returncode == (0 if catalogue.is_valid else 1), result.stderr
    for stream in (result.stdout, result.stderr):
        assert not any(byte < 0x20 and byte not in b"\n\t" for byte in stream), stream
    assert b"IllegalCharacterError" not in result.stderr
    titles = {row[1] for row in load_workbook(out, read_only=True)["roles"].values}
    if TITLE in set(catalogue.roles["title"]):
        assert SHOWN in titles


def test_an_unexpected_error_is_printed_without_control_bytes(monkeypatch, capsys, tmp_path):
    from jdcore import cli

    def fail(args):
        raise ValueError("bad\x1b[2J\x07 title")

    monkeypatch.setattr(cli, "cmd_info", fail)  # build_parser looks it up when main runs
    assert cli.main(["info", str(ROOT / "data")]) == cli.EXIT_INVALID
    assert capsys.readouterr().err == "error: ValueError: bad\\x1b[2J\\x07 title\n"
