"""jdcore.loading on the embedded catalogue data/: table shapes, content facts, fingerprint."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from jdcore import TABLES, catalogue_fingerprint, load_catalogue
from jdcore.model.tables import TABLE_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"

SEED_ROLES = ["head-of-sales", "head-of-marketing", "head-of-logistics",
              "head-of-production-technical", "sales-floor-controller"]
REQUIRED_ROLES = SEED_ROLES + ["logistics-dispatcher", "general-director", "board-of-directors"]

# The nine responsibilities of the head of sales in the seed job description, in order.
HEAD_OF_SALES_SEED_DUTIES = [
    "Negotiate with potential dealers or buyers",
    "Plan purchases and sales for the month, quarter and year",
    "Distribute workload and responsibilities to middle sales managers",
    "Organise and assign marketing research",
    "Work with independent research centres",
    "Supervise the advertising policy and the state of public relations",
    "Implement the contractual policy",
    "Develop the basis for cooperation with other firms and companies providing services "
    "to the enterprise",
    "Take part in developing programmes to encourage and stimulate the employees of the "
    "department",
]


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue(DATA)


# --- shape ----------------------------------------------------------------------------------

def test_the_catalogue_has_exactly_the_thirteen_tables():
    assert list(TABLES) == ["roles", "duties", "qualities", "requirements", "rights",
                            "accountabilities", "authority", "workload", "reporting",
                            "interactions", "kpis", "career", "metrics"]


@pytest.mark.parametrize("name", TABLES)
def test_every_table_has_exactly_the_declared_columns(catalogue, name):
    assert list(catalogue.tables[name].columns) == TABLE_COLUMNS[name]


@pytest.mark.parametrize("name", TABLES)
def test_every_table_is_reachable_as_an_attribute(catalogue, name):
    assert getattr(catalogue, name) is catalogue.tables[name]


def test_embedded_catalogue_is_valid(catalogue):
    assert [str(p) for p in catalogue.errors] == []
    assert catalogue.is_valid
    assert catalogue.taxonomy is not None


# --- content --------------------------------------------------------------------------------

def test_roles_table_has_at_least_twenty_roles(catalogue):
    assert len(catalogue.roles) >= 20


def test_catalogue_has_twenty_four_roles(catalogue):
    assert len(catalogue.roles) == 24


def test_roles_span_at_least_six_departments(catalogue):
    assert catalogue.roles["department"].nunique() >= 6


def test_roles_span_the_trade_and_construction_business_areas(catalogue):
    assert catalogue.roles["business_area"].nunique() >= 2
    assert set(catalogue.roles["business_area"]) == {"trade", "construction"}


@pytest.mark.parametrize("role_id", REQUIRED_ROLES)
def test_required_role_exists(catalogue, role_id):
    assert role_id in set(catalogue.roles["role_id"])


@pytest.mark.parametrize("role_id", SEED_ROLES)
def test_seed_role_is_marked_as_coming_from_the_seed(catalogue, role_id):
    row = catalogue.roles.set_index("role_id").loc[role_id]
    assert row["source_note"] == "seed"


def test_head_of_sales_has_the_nine_seed_responsibilities_marked_seed(catalogue):
    duties = catalogue.duties
    seed = duties[(duties["role_id"] == "head-of-sales") & (duties["source"] == "seed")]
    assert list(seed["text"]) == HEAD_OF_SALES_SEED_DUTIES


def test_every_role_has_at_least_five_duties(catalogue):
    counts = catalogue.duties.groupby("role_id").size().reindex(catalogue.roles["role_id"],
                                                                  fill_value=0)
    assert counts[counts < 5].to_dict() == {}


def test_duties_are_numbered_from_one_within_each_role(catalogue):
    for role_id, group in catalogue.duties.groupby("role_id"):
        assert list(group["duty_no"]) == list(range(1, len(group) + 1)), role_id


def test_reporting_has_at_least_one_dotted_line(catalogue):
    assert (catalogue.reporting["line"] == "dotted").sum() >= 1
    assert set(catalogue.reporting["line"]) <= {"solid", "dotted"}


def test_reporting_solid_lines_mirror_reports_to(catalogue):
    roles = catalogue.roles
    expected = {(r, m) for r, m in zip(roles["role_id"], roles["reports_to"]) if isinstance(m, str)}
    solid = catalogue.reporting[catalogue.reporting["line"] == "solid"]
    assert set(zip(solid["role_id"], solid["manager_id"])) == expected


def test_each_business_area_has_exactly_one_root(catalogue):
    roots = catalogue.roles[catalogue.roles["reports_to"].isna()]
    assert sorted(roots["business_area"]) == ["construction", "trade"]


@pytest.mark.parametrize("name", ["roles", "metrics"])
def test_role_id_is_unique(catalogue, name):
    ids = catalogue.tables[name]["role_id"]
    assert ids.is_unique
    assert len(ids) == 24


def test_metrics_cover_exactly_the_roles(catalogue):
    assert list(catalogue.metrics["role_id"]) == list(catalogue.roles["role_id"])


def test_every_role_in_a_valid_catalogue_has_a_layer_and_total_reports(catalogue):
    assert catalogue.metrics["layer"].notna().all()
    assert catalogue.metrics["total_reports"].notna().all()


def test_duties_time_share_is_numeric(catalogue):
    time_share = catalogue.duties["time_share"]
    assert pd.api.types.is_float_dtype(time_share)
    assert time_share.notna().all()
    assert time_share.between(0, 100).all()


def test_time_shares_of_each_role_add_up_to_at_most_100(catalogue):
    totals = catalogue.duties.groupby("role_id")["time_share"].sum()
    assert totals[totals > 100].to_dict() == {}


def test_authority_and_workload_have_one_row_per_role_and_measure(catalogue):
    assert len(catalogue.authority) == 4 * 24
    assert len(catalogue.workload) == 3 * 24


def test_files_map_every_role_to_its_file(catalogue):
    assert catalogue.files == {rid: f"roles/{rid}.yaml" for rid in catalogue.roles["role_id"]}
    assert list(catalogue.roles["file"]) == [f"roles/{rid}.yaml"
                                             for rid in catalogue.roles["role_id"]]


# --- fingerprint ----------------------------------------------------------------------------

def test_fingerprint_is_sixteen_hex_characters_and_matches_the_loaded_catalogue(catalogue_copy):
    fingerprint = catalogue_fingerprint(catalogue_copy)
    assert len(fingerprint) == 16
    int(fingerprint, 16)
    assert load_catalogue(catalogue_copy).fingerprint == fingerprint


def test_fingerprint_is_stable_when_nothing_changes(catalogue_copy):
    first = catalogue_fingerprint(catalogue_copy)
    load_catalogue(catalogue_copy)
    assert catalogue_fingerprint(catalogue_copy) == first
    assert catalogue_fingerprint(str(catalogue_copy)) == first


def test_fingerprint_changes_when_a_role_file_is_touched(catalogue_copy):
    before = catalogue_fingerprint(catalogue_copy)
    role = catalogue_copy / "roles" / "head-of-sales.yaml"
    stat = role.stat()
    os.utime(role, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert catalogue_fingerprint(catalogue_copy) != before


def test_fingerprint_changes_when_the_taxonomy_is_touched(catalogue_copy):
    before = catalogue_fingerprint(catalogue_copy)
    taxonomy = catalogue_copy / "taxonomy.yaml"
    stat = taxonomy.stat()
    os.utime(taxonomy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert catalogue_fingerprint(catalogue_copy) != before


def test_fingerprint_changes_when_a_role_file_is_modified(catalogue_copy):
    before = catalogue_fingerprint(catalogue_copy)
    role = catalogue_copy / "roles" / "head-of-sales.yaml"
    stat = role.stat()
    role.write_text(role.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    # keep the old modification time: the size alone must change the fingerprint
    os.utime(role, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert catalogue_fingerprint(catalogue_copy) != before


def edit_keeping_size_and_mtime(path: Path, old: str, new: str) -> None:
    """Replace `old` by `new` (of the same length) in place, and set the modification time
    back. Repeated until the file's ctime has moved: ctime advances in clock ticks of a few
    milliseconds, and the copy the test edits may have been made in the same tick."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    while True:
        with open(path, "r+b") as file:  # in place: the same inode
            file.write(text.replace(old, new, 1).encode("utf-8"))
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        after = path.stat()
        if after.st_ctime_ns != before.st_ctime_ns:
            break
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == \
        (before.st_size, before.st_mtime_ns, before.st_ino)


def test_fingerprint_changes_when_a_role_file_is_edited_in_place_keeping_size_and_mtime(
        catalogue_copy):
    before = catalogue_fingerprint(catalogue_copy)
    edit_keeping_size_and_mtime(catalogue_copy / "roles" / "head-of-sales.yaml",
                                "Head of Sales", "Head of Sails")
    assert catalogue_fingerprint(catalogue_copy) != before


def test_fingerprint_changes_when_a_role_file_is_replaced_keeping_size_and_mtime(
        catalogue_copy):
    before = catalogue_fingerprint(catalogue_copy)
    role = catalogue_copy / "roles" / "head-of-sales.yaml"
    stat = role.stat()
    saved = role.with_name(".head-of-sales.yaml.new")  # as an editor saves: write, rename
    saved.write_text(role.read_text(encoding="utf-8").replace("Head of Sales", "Head of Sails",
                                                              1), encoding="utf-8")
    os.utime(saved, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    saved.replace(role)
    assert (role.stat().st_size, role.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    assert catalogue_fingerprint(catalogue_copy) != before


def test_a_broken_link_among_the_role_files_does_not_hide_the_others(catalogue_copy,
                                                                     monkeypatch):
    import contextlib

    (catalogue_copy / "roles" / "gone.yaml").symlink_to(catalogue_copy / "nowhere.yaml")
    real_scandir = os.scandir

    @contextlib.contextmanager
    def link_first(folder):  # the directory's own order is arbitrary: list the link first
        with real_scandir(folder) as scan:
            yield iter(sorted(scan, key=lambda entry: not entry.is_symlink()))

    monkeypatch.setattr(os, "scandir", link_first)
    before = catalogue_fingerprint(catalogue_copy)
    role = catalogue_copy / "roles" / "head-of-sales.yaml"
    stat = role.stat()
    os.utime(role, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert catalogue_fingerprint(catalogue_copy) != before


def test_fingerprint_changes_when_a_role_file_is_added_or_removed(catalogue_copy):
    before = catalogue_fingerprint(catalogue_copy)
    extra = catalogue_copy / "roles" / "zz-extra.yaml"
    shutil.copy2(catalogue_copy / "roles" / "estimator.yaml", extra)
    added = catalogue_fingerprint(catalogue_copy)
    assert added != before
    extra.unlink()
    assert catalogue_fingerprint(catalogue_copy) == before
    (catalogue_copy / "roles" / "estimator.yaml").unlink()
    assert catalogue_fingerprint(catalogue_copy) not in (before, added)


# --- loading only reads ---------------------------------------------------------------------

def snapshot(folder: Path) -> dict[str, tuple]:
    """Every file and folder below `folder`: size, modification time and content hash."""
    result = {}
    for path in sorted(folder.rglob("*")):
        stat = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        result[str(path.relative_to(folder))] = (stat.st_size if path.is_file() else 0,
                                                 stat.st_mtime_ns, digest)
    return result


def test_loading_writes_nothing_to_the_catalogue_folder(catalogue_copy):
    before = snapshot(catalogue_copy)
    load_catalogue(catalogue_copy)
    load_catalogue(catalogue_copy)
    assert snapshot(catalogue_copy) == before


def test_loading_an_invalid_catalogue_writes_nothing_either(catalogue_copy):
    role = catalogue_copy / "roles" / "head-of-sales.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("category: contracts",
                                                             "category: contractz"),
                    encoding="utf-8")
    before = snapshot(catalogue_copy)
    catalogue = load_catalogue(catalogue_copy)
    assert not catalogue.is_valid
    assert snapshot(catalogue_copy) == before


def test_loading_the_embedded_catalogue_writes_nothing_to_data():
    before = snapshot(DATA)
    load_catalogue(DATA)
    assert snapshot(DATA) == before


def test_missing_folder_gives_empty_tables_and_one_problem(tmp_path):
    catalogue = load_catalogue(tmp_path / "nowhere")
    assert not catalogue.is_valid
    assert len(catalogue.problems) == 1
    assert "catalogue folder not found" in catalogue.problems[0].message
    for name in TABLES:
        assert list(catalogue.tables[name].columns) == TABLE_COLUMNS[name]
        assert catalogue.tables[name].empty
