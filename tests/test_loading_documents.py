"""Loading a catalogue from documents held in memory, and patching it when a few change:
always the same catalogue as reading every document again (and as the folder)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from jdcore import load_catalogue
from jdcore.loading import RoleDocument, load_documents, update_documents

DATA = Path(__file__).resolve().parent.parent / "data"


def folder_documents() -> tuple[RoleDocument, dict[str, RoleDocument]]:
    taxonomy = RoleDocument("taxonomy.yaml", (DATA / "taxonomy.yaml").read_bytes())
    roles = {f.stem: RoleDocument(f"roles/{f.name}", f.read_bytes())
             for f in sorted((DATA / "roles").glob("*.yaml"))}
    return taxonomy, roles


def assert_same(a, b):
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], obj=name)
    assert a.problems == b.problems
    assert a.files == b.files


def test_documents_load_exactly_as_the_folder():
    taxonomy, roles = folder_documents()
    assert_same(load_documents("memory", taxonomy, roles, "f"), load_catalogue(DATA))


def test_labels_name_each_document_in_its_problems():
    taxonomy, roles = folder_documents()
    loaded = load_documents("memory", taxonomy, roles, "f",
                            {"roles/site-manager.yaml": "site-manager v9"})
    assert [p.file for p in loaded.problems] == ["site-manager v9"]


def edited(roles, key, old: bytes, new: bytes) -> RoleDocument:
    raw = roles[key].raw
    assert old in raw
    return RoleDocument(roles[key].name, raw.replace(old, new, 1))


CHANGES = {
    "a title": lambda r: {"head-of-sales": edited(r, "head-of-sales", b"title: Head of Sales "
                                                  b"Department", b"title: Sales lead")},
    "a manager (a cycle)": lambda r: {"head-of-sales": edited(
        r, "head-of-sales", b"reports_to: general-director",
        b"reports_to: middle-sales-manager")},
    "an extra duty (lines move)": lambda r: {"head-of-sales": edited(
        r, "head-of-sales", b"responsibilities:\n",
        b"responsibilities:\n  - text: Call the biggest dealers\n    category: sales-negotiation"
        b"\n    frequency: weekly\n    time_share: 1\n    essential: false\n")},
    "a role removed": lambda r: {"middle-sales-manager": None},
    "a new role": lambda r: {"head-of-sales-2": RoleDocument(
        "roles/head-of-sales-2.yaml",
        r["head-of-sales"].raw.replace(b"id: head-of-sales", b"id: head-of-sales-2", 1))},
    "an unreadable document": lambda r: {"estimator": RoleDocument("roles/estimator.yaml",
                                                                   b"id: [unclosed\n")},
    "an id that differs from its key": lambda r: {"estimator": edited(
        r, "estimator", b"id: estimator", b"id: estimator-x")},
    "an id that collides": lambda r: {"estimator": edited(
        r, "estimator", b"id: estimator", b"id: Head-of-Sales")},
    "several at once": lambda r: {
        "site-manager": None,
        "head-of-sales": edited(r, "head-of-sales", b"headcount: 1", b"headcount: 3")},
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_patched_catalogue_is_the_one_a_full_load_gives(change):
    taxonomy, roles = folder_documents()
    before = load_documents("memory", taxonomy, roles, "before")
    changed = CHANGES[change](roles)
    after_roles = {k: v for k, v in {**roles, **changed}.items() if v is not None}
    full = load_documents("memory", taxonomy, after_roles, "after")
    patched = update_documents(before, changed, "after")
    if change == "an id that collides":
        assert patched is None  # the full load decides which of the two is kept
        return
    assert_same(patched, full)
    unchanged = set(roles) - set(changed)
    assert all(patched.readings[k] is before.readings[k] for k in unchanged)


def test_a_folder_catalogue_cannot_be_patched():
    assert update_documents(load_catalogue(DATA), {}, "x") is None
