"""jdcore.formats.writer: a catalogue folder written from the tables loads back to the same tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from jdcore import TABLES, load_catalogue
from jdcore.formats.writer import (WriteError, dump_yaml, role_documents, write_catalogue,
                                   write_tables)
from jdcore.model.yamlfile import parse_yaml_text

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def written(catalogue, tmp_path_factory):
    out = tmp_path_factory.mktemp("written") / "catalogue"
    write_tables(out, catalogue.tables, catalogue.taxonomy)
    return load_catalogue(out)


@pytest.mark.parametrize("table", TABLES)
def test_written_catalogue_loads_back_to_the_same_tables(catalogue, written, table):
    pd.testing.assert_frame_equal(written.tables[table], catalogue.tables[table])


def test_written_catalogue_has_the_same_problems_except_line_numbers(catalogue, written):
    strip = lambda ps: [(p.file, p.field, p.message, p.severity) for p in ps]  # noqa: E731
    assert strip(written.problems) == strip(catalogue.problems)


def test_written_taxonomy_equals_the_original(catalogue, written):
    assert written.taxonomy == catalogue.taxonomy


@pytest.mark.parametrize("text", ["No", "yes", "0123", "null", "~", "", "1e3", "true",
                                  "2023-12-17", "- item", "a: b", "#hash", "'quoted'",
                                  "line one\nline two", "Ünïcödé текст"])
def test_text_values_stay_text(text):
    document = parse_yaml_text(dump_yaml({"title": text}), "t.yaml")
    assert document.data == {"title": text}


def test_shared_objects_are_written_out_in_full_not_as_aliases():
    shared = {"a": 1}
    text = dump_yaml({"x": shared, "y": shared})
    assert "&" not in text and "*" not in text
    assert parse_yaml_text(text, "t.yaml").data == {"x": {"a": "1"}, "y": {"a": "1"}}


def test_role_documents_restore_external_counterparts_and_dotted_lines(catalogue):
    docs = role_documents(catalogue.tables)
    interactions = catalogue.interactions
    external = interactions[interactions["counterpart_kind"] == "external"].iloc[0]
    withs = [i["with"] for i in docs[external["role_id"]]["interactions"]]
    assert f"external:{external['counterpart']}" in withs
    dotted = catalogue.reporting[catalogue.reporting["line"] == "dotted"]
    for rid, group in dotted.groupby("role_id"):
        assert docs[rid]["dotted_to"] == list(group["manager_id"])


def test_refuses_a_non_empty_folder(catalogue, tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(WriteError, match=r"is not empty; choose an empty or new folder, or use "
                       r"--force to replace its taxonomy.yaml and roles/\*.yaml"):
        write_tables(tmp_path, catalogue.tables, catalogue.taxonomy)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_refuses_a_file_as_the_folder(catalogue, tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(WriteError, match="is a file, not a folder"):
        write_tables(target, catalogue.tables, catalogue.taxonomy)


def test_force_replaces_only_taxonomy_and_role_files(catalogue, tmp_path):
    (tmp_path / "roles").mkdir()
    (tmp_path / "roles" / "old-role.yaml").write_text("id: old-role\n")
    (tmp_path / "roles" / "keep.txt").write_text("keep")
    (tmp_path / "README.md").write_text("keep")
    write_tables(tmp_path, catalogue.tables, catalogue.taxonomy, force=True)
    assert not (tmp_path / "roles" / "old-role.yaml").exists()
    assert (tmp_path / "roles" / "keep.txt").read_text() == "keep"
    assert (tmp_path / "README.md").read_text() == "keep"
    assert sorted(p.stem for p in (tmp_path / "roles").glob("*.yaml")) == \
        sorted(catalogue.roles["role_id"])


@pytest.mark.parametrize("rid", ["../escape", "a/b", "..", "a\\b", "x" * 300, "nul\0", ""])
def test_refuses_a_role_id_that_is_not_a_file_name(catalogue, tmp_path, rid):
    with pytest.raises(WriteError, match="cannot be used as a file name"):
        write_catalogue(tmp_path / "out", catalogue.taxonomy, {rid: {"id": rid}})
    assert not (tmp_path / "escape.yaml").exists()


def _failing_after(monkeypatch, calls: int):
    """dump_yaml fails (as a full disk or a name the file system refuses would) after
    `calls` files."""
    from jdcore.formats import writer

    real, count = writer.dump_yaml, {"n": 0}

    def dump(data, header=""):
        count["n"] += 1
        if count["n"] > calls:
            raise OSError(36, "File name too long")
        return real(data, header)

    monkeypatch.setattr(writer, "dump_yaml", dump)


def test_a_failed_write_leaves_no_folder_and_nothing_beside_it(catalogue, tmp_path, monkeypatch):
    _failing_after(monkeypatch, 5)
    with pytest.raises(OSError):
        write_tables(tmp_path / "out", catalogue.tables, catalogue.taxonomy)
    assert list(tmp_path.iterdir()) == []  # no partial folder a rerun could read


def test_a_failed_write_over_a_catalogue_leaves_it_as_it_was(catalogue, tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_tables(out, catalogue.tables, catalogue.taxonomy)
    (out / "roles" / "notes.txt").write_text("keep")
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    tables = {name: frame.copy() for name, frame in catalogue.tables.items()}
    tables["roles"]["title"] = "Changed"
    _failing_after(monkeypatch, 5)
    with pytest.raises(OSError):
        write_tables(out, tables, catalogue.taxonomy, force=True)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_writing_into_an_empty_folder_fills_it(catalogue, tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    write_tables(out, catalogue.tables, catalogue.taxonomy, force=True)
    assert load_catalogue(out).roles.equals(catalogue.roles)
    assert [p.name for p in tmp_path.iterdir()] == ["empty"]


def test_remove_staging_clears_what_a_killed_writer_left(tmp_path):
    from jdcore.formats.writer import STAGING_MARK, remove_staging

    left = tmp_path / f".out{STAGING_MARK}abc123"
    (left / "roles").mkdir(parents=True)
    other = tmp_path / f".other{STAGING_MARK}abc123"
    other.mkdir()
    remove_staging(tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == [other.name]


def test_writing_never_touches_the_embedded_catalogue(catalogue, tmp_path):
    before = {p: p.stat().st_mtime_ns for p in DATA.rglob("*")}
    write_tables(tmp_path / "out", catalogue.tables, catalogue.taxonomy)
    assert {p: p.stat().st_mtime_ns for p in DATA.rglob("*")} == before
