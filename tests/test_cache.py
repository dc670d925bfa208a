"""The Parquet disk cache: same tables back, stale on any change, never inside the catalogue,
and an entry that is not exactly what was written is rebuilt silently."""

import pytest
from pandas.testing import assert_frame_equal

from jdcore import load_catalogue
from jdcore.loading.cache import META_FILE


def snapshot(folder):
    return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def test_cached_load_gives_back_identical_tables_problems_and_taxonomy(catalogue_copy, tmp_path):
    fresh = load_catalogue(catalogue_copy)
    load_catalogue(catalogue_copy, cache_dir=tmp_path / "cache")
    cached = load_catalogue(catalogue_copy, cache_dir=tmp_path / "cache")
    for name, table in fresh.tables.items():
        assert_frame_equal(cached.tables[name], table)
    assert cached.problems == fresh.problems
    assert cached.taxonomy == fresh.taxonomy
    assert cached.files == fresh.files


def test_second_load_reads_the_entry_not_the_yaml(catalogue_copy, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    load_catalogue(catalogue_copy, cache_dir=cache)
    import jdcore.loading.loader

    def fail(*args):
        raise AssertionError("the YAML files were read again")

    monkeypatch.setattr(jdcore.loading.loader, "_load_folder", fail)
    assert len(load_catalogue(catalogue_copy, cache_dir=cache).roles) == 24


def test_a_changed_role_file_makes_the_entry_stale(catalogue_copy, tmp_path):
    cache = tmp_path / "cache"
    load_catalogue(catalogue_copy, cache_dir=cache)
    role = catalogue_copy / "roles" / "head-of-sales.yaml"
    role.write_text(role.read_text().replace("title: Head of Sales Department",
                                             "title: Head of Sales"), encoding="utf-8")
    reloaded = load_catalogue(catalogue_copy, cache_dir=cache)
    titles = reloaded.roles.set_index("role_id")["title"]
    assert titles["head-of-sales"] == "Head of Sales"
    assert len(list(cache.iterdir())) == 1  # the stale entry was replaced


def test_an_edit_keeping_size_and_mtime_makes_the_entry_stale_after_a_restart(catalogue_copy,
                                                                              tmp_path):
    from test_tables import edit_keeping_size_and_mtime

    cache = tmp_path / "cache"
    load_catalogue(catalogue_copy, cache_dir=cache)  # the entry a restarted server finds
    edit_keeping_size_and_mtime(catalogue_copy / "roles" / "head-of-sales.yaml",
                                "title: Head of Sales Department",
                                "title: Head of Sails Department")
    reloaded = load_catalogue(catalogue_copy, cache_dir=cache)
    assert reloaded.roles.set_index("role_id")["title"]["head-of-sales"] == \
        "Head of Sails Department"


def test_cache_never_writes_into_the_catalogue_folder(catalogue_copy, tmp_path):
    before = snapshot(catalogue_copy)
    load_catalogue(catalogue_copy, cache_dir=tmp_path / "cache")
    load_catalogue(catalogue_copy, cache_dir=tmp_path / "cache")
    assert snapshot(catalogue_copy) == before


def test_a_damaged_entry_is_ignored_and_the_folder_loaded(catalogue_copy, tmp_path):
    cache = tmp_path / "cache"
    load_catalogue(catalogue_copy, cache_dir=cache)
    entry = next(cache.iterdir())
    (entry / META_FILE).write_text("{not json", encoding="utf-8")
    assert len(load_catalogue(catalogue_copy, cache_dir=cache).roles) == 24


def test_an_invalid_catalogue_keeps_its_problems_through_the_cache(catalogue_copy, tmp_path):
    role = catalogue_copy / "roles" / "head-of-sales.yaml"
    role.write_text(role.read_text().replace("reports_to: general-director",
                                             "reports_to: nobody"), encoding="utf-8")
    fresh = load_catalogue(catalogue_copy)
    load_catalogue(catalogue_copy, cache_dir=tmp_path / "cache")
    cached = load_catalogue(catalogue_copy, cache_dir=tmp_path / "cache")
    assert not cached.is_valid
    assert [str(p) for p in cached.problems] == [str(p) for p in fresh.problems]


def _counting(table):
    calls = []

    def compute():
        calls.append(1)
        return table

    return compute, calls


def test_a_derived_table_is_computed_once_and_read_back_from_the_entry(catalogue_copy, tmp_path):
    from jdcore.loading.cache import derived_table
    from jdcore.analysis.findings import find_findings
    from jdcore.analysis.matching import fit_duty_index

    cache = tmp_path / "cache"
    loaded = load_catalogue(catalogue_copy, cache_dir=cache)
    findings = find_findings(loaded, fit_duty_index(loaded.duties))
    compute, calls = _counting(findings)
    first = derived_table(catalogue_copy, loaded.fingerprint, cache, "findings", compute)
    second = derived_table(catalogue_copy, loaded.fingerprint, cache, "findings", compute)
    assert len(calls) == 1
    assert_frame_equal(first, findings)
    assert_frame_equal(second, findings)  # the same columns, dtypes and rows from Parquet
    entry = next(cache.iterdir())
    assert (entry / "derived-findings.parquet").is_file()
    assert not list(entry.glob(".writing-*"))


def test_a_derived_table_goes_stale_with_its_catalogue(catalogue_copy, tmp_path):
    from jdcore.loading.cache import derived_table

    cache = tmp_path / "cache"
    loaded = load_catalogue(catalogue_copy, cache_dir=cache)
    compute, calls = _counting(loaded.roles[["role_id", "title"]])
    derived_table(catalogue_copy, loaded.fingerprint, cache, "titles", compute)
    role = catalogue_copy / "roles" / "head-of-sales.yaml"
    role.write_text(role.read_text().replace("title: Head of Sales Department",
                                             "title: Head of Sales"), encoding="utf-8")
    reloaded = load_catalogue(catalogue_copy, cache_dir=cache)
    compute, calls = _counting(reloaded.roles[["role_id", "title"]])
    titles = derived_table(catalogue_copy, reloaded.fingerprint, cache, "titles", compute)
    assert len(calls) == 1
    assert "Head of Sales" in set(titles["title"])


def test_a_derived_table_without_an_entry_is_computed_each_time_and_not_stored(
        catalogue_copy, tmp_path):
    from jdcore.loading.cache import derived_table

    loaded = load_catalogue(catalogue_copy)  # not through the cache: no entry to keep it in
    compute, calls = _counting(loaded.roles[["role_id"]])
    for _ in range(2):
        derived_table(catalogue_copy, loaded.fingerprint, tmp_path / "cache", "ids", compute)
    assert len(calls) == 2
    assert not (tmp_path / "cache").exists()


def test_a_damaged_derived_table_is_computed_again(catalogue_copy, tmp_path):
    from jdcore.loading.cache import derived_table

    cache = tmp_path / "cache"
    loaded = load_catalogue(catalogue_copy, cache_dir=cache)
    compute, calls = _counting(loaded.roles[["role_id"]])
    derived_table(catalogue_copy, loaded.fingerprint, cache, "ids", compute)
    (next(cache.iterdir()) / "derived-ids.parquet").write_bytes(b"not parquet")
    again = derived_table(catalogue_copy, loaded.fingerprint, cache, "ids", compute)
    assert len(calls) == 2
    assert_frame_equal(again, loaded.roles[["role_id"]])


def test_entries_of_folders_that_are_gone_are_pruned_on_the_next_write(tmp_path, catalogue_copy):
    import shutil

    cache = tmp_path / "cache"
    upload = tmp_path / "upload"
    shutil.copytree(catalogue_copy, upload)
    load_catalogue(upload, cache_dir=cache)
    assert len(list(cache.iterdir())) == 1
    shutil.rmtree(upload)
    load_catalogue(catalogue_copy, cache_dir=cache)
    [entry] = cache.iterdir()
    assert str(catalogue_copy.resolve()) in (entry / META_FILE).read_text(encoding="utf-8")


def test_the_cache_keeps_under_its_size_cap_by_dropping_the_least_recently_used(
        tmp_path, catalogue_copy, monkeypatch):
    import os
    import shutil

    cache = tmp_path / "cache"
    folders = []
    for n in range(3):
        folder = tmp_path / f"copy{n}"
        shutil.copytree(catalogue_copy, folder)
        folders.append(folder)
        load_catalogue(folder, cache_dir=cache)
    entries = sorted(cache.iterdir(), key=lambda e: e.stat().st_mtime)
    one_entry = sum(f.stat().st_size for f in entries[0].iterdir())
    for age, entry in enumerate(entries):  # copy0 oldest ... copy2 newest
        os.utime(entry, (1_000_000 + age, 1_000_000 + age))
    load_catalogue(folders[0], cache_dir=cache)  # a read marks copy0 as just used
    monkeypatch.setenv("JDCORE_CACHE_MAX_MB", str(2.5 * one_entry / 1024 / 1024))
    shutil.copytree(catalogue_copy, tmp_path / "copy3")
    load_catalogue(tmp_path / "copy3", cache_dir=cache)  # a write prunes
    kept = {json_folder(e) for e in cache.iterdir()}
    assert kept == {str((tmp_path / "copy0").resolve()), str((tmp_path / "copy3").resolve())}


def json_folder(entry):
    import json

    return json.loads((entry / META_FILE).read_text(encoding="utf-8"))["folder"]


def _entry_meta(cache):
    import json

    entry = next(p for p in cache.iterdir() if not p.name.startswith("."))
    return entry, json.loads((entry / META_FILE).read_text(encoding="utf-8"))


def _edit_meta(entry, meta):
    import json

    (entry / META_FILE).write_text(json.dumps(meta), encoding="utf-8")


def _broken_meta(meta, how):
    if how == "no problems":
        del meta["problems"]
    elif how == "unknown field":
        meta["colour"] = "red"
    elif how == "problem with an unknown field":
        meta["problems"].append({"file": "x", "line": 1, "field": "", "message": "m",
                                 "severity": "error", "hint": "?"})
    elif how == "problem missing a field":
        meta["problems"].append({"file": "x", "line": 1, "field": "", "severity": "error"})
    elif how == "a line that is text":
        meta["problems"].append({"file": "x", "line": "1", "field": "", "message": "m",
                                 "severity": "error"})
    elif how == "not a mapping":
        meta = ["problems"]
    return meta


@pytest.mark.parametrize("how", ["no problems", "unknown field", "problem with an unknown field",
                                 "problem missing a field", "a line that is text",
                                 "not a mapping"])
def test_bad_metadata_is_rebuilt_silently_and_stays_fixed(catalogue_copy, tmp_path, how):
    cache = tmp_path / "cache"
    fresh = load_catalogue(catalogue_copy, cache_dir=cache)
    entry, meta = _entry_meta(cache)
    _edit_meta(entry, _broken_meta(meta, how))
    reloaded = load_catalogue(catalogue_copy, cache_dir=cache)  # a KeyError or TypeError before
    assert reloaded.problems == fresh.problems and len(reloaded.roles) == 24
    _, rebuilt = _entry_meta(cache)
    assert set(rebuilt) == {"problems", "files", "dtypes", "folder"}  # a good entry again
    assert len(load_catalogue(catalogue_copy, cache_dir=cache).roles) == 24  # reads it


def test_a_valid_parquet_of_the_wrong_table_is_rebuilt_silently(catalogue_copy, tmp_path,
                                                                 monkeypatch):
    import shutil

    import jdcore.loading.loader

    cache = tmp_path / "cache"
    fresh = load_catalogue(catalogue_copy, cache_dir=cache)
    entry, _ = _entry_meta(cache)
    shutil.copy(entry / "duties.parquet", entry / "roles.parquet")
    reloaded = load_catalogue(catalogue_copy, cache_dir=cache)
    assert_frame_equal(reloaded.roles, fresh.roles)
    # the entry was written again, so the next start reads it and not the YAML files
    monkeypatch.setattr(jdcore.loading.loader, "_load_folder",
                        lambda *a: (_ for _ in ()).throw(AssertionError("YAML read again")))
    assert_frame_equal(load_catalogue(catalogue_copy, cache_dir=cache).roles, fresh.roles)


def test_a_table_with_other_dtypes_is_rebuilt(catalogue_copy, tmp_path):
    cache = tmp_path / "cache"
    fresh = load_catalogue(catalogue_copy, cache_dir=cache)
    entry, _ = _entry_meta(cache)
    fresh.duties.astype({"duty_no": "float64"}).to_parquet(entry / "duties.parquet", index=False)
    assert_frame_equal(load_catalogue(catalogue_copy, cache_dir=cache).duties, fresh.duties)


def test_a_derived_table_of_other_columns_is_computed_again(catalogue_copy, tmp_path):
    from jdcore.loading.cache import derived_table

    cache = tmp_path / "cache"
    loaded = load_catalogue(catalogue_copy, cache_dir=cache)
    compute, calls = _counting(loaded.roles[["role_id"]])
    derived_table(catalogue_copy, loaded.fingerprint, cache, "ids", compute, columns=["role_id"])
    loaded.duties.to_parquet(next(cache.iterdir()) / "derived-ids.parquet", index=False)
    again = derived_table(catalogue_copy, loaded.fingerprint, cache, "ids", compute,
                          columns=["role_id"])
    assert len(calls) == 2 and list(again.columns) == ["role_id"]
    derived_table(catalogue_copy, loaded.fingerprint, cache, "ids", compute, columns=["role_id"])
    assert len(calls) == 2  # stored again, read back


def test_the_findings_page_survives_a_findings_entry_of_another_table(catalogue_copy, tmp_path,
                                                                      monkeypatch, run_page):
    monkeypatch.setenv("JDCORE_CACHE_DIR", str(tmp_path / "cache"))
    at = run_page("findings", catalogue_dir=catalogue_copy)
    assert not at.exception
    entry = next((tmp_path / "cache").iterdir())
    load_catalogue(catalogue_copy).duties.to_parquet(entry / "derived-findings.parquet",
                                                     index=False)
    import streamlit as st

    st.cache_resource.clear()  # as after a restart: the findings come from the entry
    at = run_page("findings", catalogue_dir=catalogue_copy)
    assert not at.exception and not at.error
