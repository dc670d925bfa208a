"""jdcore.formats.csvio: formula neutralisation, numbers untouched, UTF-8 with BOM, exact CSV text."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from jdcore import load_catalogue
from jdcore.formats.csvio import csv_bytes, csv_text, neutralise, spreadsheet_safe, write_csv

HAND = Path(__file__).parent / "fixtures" / "hand"
BOM = b"\xef\xbb\xbf"


# --- neutralise -----------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("=1+2", "'=1+2"),
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
    ("+1 pair", "'+1 pair"),
    ("-5", "'-5"),
    ("- bullet", "'- bullet"),
    ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
    ("\tcmd", "'\tcmd"),
    ("\rcmd", "'\rcmd"),
    ("=", "'="),
])
def test_neutralise_prefixes_formula_starts_with_an_apostrophe(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize("value", [
    "plain text",
    "a=b",
    "5-3",
    "mail@example.com",
    "",
    "'=already quoted",
    "Начальник отдела продаж",
])
def test_neutralise_leaves_other_text_unchanged(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("value", [-5, 3, -1.5, 0.0, None, True])
def test_neutralise_leaves_non_text_values_unchanged(value):
    assert neutralise(value) is value


def test_spreadsheet_safe_neutralises_text_columns_and_keeps_numeric_columns():
    frame = pd.DataFrame({"text": ["=1", "ok", None], "n": [-5, 2, 3],
                          "x": [-1.5, 0.25, 2.0]})
    safe = spreadsheet_safe(frame)
    assert list(safe["text"][:2]) == ["'=1", "ok"]
    assert pd.isna(safe["text"][2])
    assert list(safe["n"]) == [-5, 2, 3]
    assert safe["n"].dtype == frame["n"].dtype
    assert list(safe["x"]) == [-1.5, 0.25, 2.0]


def test_spreadsheet_safe_does_not_modify_its_input():
    frame = pd.DataFrame({"text": ["=1"]})
    spreadsheet_safe(frame)
    assert frame["text"][0] == "=1"


def test_negative_number_in_numeric_column_is_written_as_a_number():
    frame = pd.DataFrame({"value": pd.array([-5, 7], dtype="Int64"), "share": [-2.5, 1.0]})
    assert csv_text(frame) == "value,share\n-5,-2.5\n7,1.0\n"


def test_negative_number_written_as_text_is_neutralised():
    frame = pd.DataFrame({"limit": ["-5", "5"]})
    assert csv_text(frame) == "limit\n'-5\n5\n"


# --- encoding -------------------------------------------------------------------------------

def test_csv_bytes_start_with_the_utf8_bom():
    data = csv_bytes(pd.DataFrame({"title": ["Начальник отдела продаж"]}))
    assert data.startswith(BOM)
    assert data == BOM + "title\nНачальник отдела продаж\n".encode("utf-8")


def test_csv_text_has_no_bom():
    assert not csv_text(pd.DataFrame({"a": [1]})).startswith("\ufeff")


def test_cyrillic_title_survives_a_round_trip_through_a_file(tmp_path):
    frame = pd.DataFrame({"role_id": ["head-of-sales"],
                          "title": ["Начальник отдела продаж «Север»"], "headcount": [3]})
    path = tmp_path / "roles.csv"
    write_csv(frame, path)
    raw = path.read_bytes()
    assert raw.startswith(BOM)
    assert raw[len(BOM):].decode("utf-8") == (
        "role_id,title,headcount\nhead-of-sales,Начальник отдела продаж «Север»,3\n")
    back = pd.read_csv(path, encoding="utf-8-sig")
    assert list(back.columns) == ["role_id", "title", "headcount"]
    assert back["title"][0] == "Начальник отдела продаж «Север»"
    assert back["headcount"][0] == 3


def test_write_csv_writes_exactly_csv_bytes(tmp_path):
    frame = pd.DataFrame({"a": ["=x"], "b": [1]})
    path = tmp_path / "t.csv"
    write_csv(frame, path)
    assert path.read_bytes() == csv_bytes(frame)


# --- exact text -----------------------------------------------------------------------------

def test_tiny_frame_exports_as_exact_text():
    frame = pd.DataFrame({
        "role_id": ["a", "b", "c"],
        "value": [1, -5, 0],
        "share": [12.5, 0.0, -3.25],
        "note": ["=cmd", "x, y", 'say "hi"'],
        "flag": pd.array([True, False, None], dtype="boolean"),
        "text": ["+1", None, "@me"],
    })
    assert csv_text(frame) == (
        "role_id,value,share,note,flag,text\n"
        "a,1,12.5,'=cmd,True,'+1\n"
        'b,-5,0.0,"x, y",False,\n'
        'c,0,-3.25,"say ""hi""",,\'@me\n'
    )


def test_empty_frame_exports_only_the_header():
    assert csv_text(pd.DataFrame(columns=["role_id", "manager_id", "line"])) == (
        "role_id,manager_id,line\n")


@pytest.fixture(scope="module")
def hand():
    return load_catalogue(HAND)


def test_hand_reporting_table_exports_as_exact_csv(hand):
    # solid lines in role (file) order, the trainee's dotted line to clerk after its solid one
    assert csv_bytes(hand.reporting) == BOM + (
        "role_id,manager_id,line\n"
        "clerk,boss,solid\n"
        "lead,boss,solid\n"
        "seller,lead,solid\n"
        "trainee,seller,solid\n"
        "trainee,clerk,dotted\n"
    ).encode("utf-8")


def test_hand_roles_table_exports_as_exact_csv(hand):
    # boss has no manager (empty cell); its summary holds a comma (quoted);
    # trainee's summary starts with '+' (neutralised); grade_level and headcount are numbers.
    header = ("role_id,title,department,business_area,grade,grade_level,reports_to,headcount,"
              "summary,source_document,source_modified,source_note,file\n")
    assert csv_text(hand.roles) == header + (
        'boss,Shop Owner,management,shop,owner,1,,1,"Runs the shop, sets targets",'
        "Hand-built test role,2024-01-31,illustrative,roles/boss.yaml\n"
        "clerk,Office Clerk,office,shop,staff,3,boss,1,Keeps the books,"
        "Hand-built test role,2024-02-02,illustrative,roles/clerk.yaml\n"
        "lead,Sales Lead,sales,shop,lead,2,boss,1,Leads the sellers,"
        "Hand-built test role,2024-02-01,illustrative,roles/lead.yaml\n"
        "seller,Seller,sales,shop,staff,3,lead,4,Serves the customers,"
        "Hand-built test role,2024-02-03,seed,roles/seller.yaml\n"
        "trainee,Trainee,sales,shop,staff,3,seller,2,'+1 pair of hands on the floor,"
        "Hand-built test role,2024-02-04,illustrative,roles/trainee.yaml\n"
    )


def test_hand_kpi_target_starting_with_plus_is_neutralised(hand):
    assert csv_text(hand.kpis) == (
        "role_id,name,target,source\n"
        "boss,Profit,'+10% a year,illustrative\n"
    )


def test_hand_duties_export_keeps_time_share_numeric_and_default_source(hand):
    lines = csv_text(hand.duties).splitlines()
    assert lines[0] == "role_id,duty_no,text,category,frequency,time_share,essential,source"
    assert lines[1] == "boss,1,Set the monthly targets,planning,daily,40.0,True,illustrative"
    # header + boss 3 + clerk 1 + lead 3 duties = lines 0-7, so seller starts at line 8.
    # seller's second duty names its own source; the first falls back to the role's note
    assert lines[8] == "seller,1,Serve the customers,selling,weekly,60.0,True,seed"
    assert lines[9] == "seller,2,Restock the shelves,selling,weekly,20.0,False,illustrative"
    assert len(lines) == 1 + 11


def test_exported_csv_reads_back_into_the_same_values(hand):
    back = pd.read_csv(io.BytesIO(csv_bytes(hand.reporting)), encoding="utf-8-sig")
    assert back.to_dict("records") == hand.reporting.to_dict("records")
