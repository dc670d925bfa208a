"""The workspace store on real databases: every test runs on an SQLite file and on a
PostgreSQL database of a throwaway cluster (the `workspace_url` fixture)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import event, text

from jdcore import load_catalogue
from jdcore.store import (APPROVED, DRAFT, RETIRED, ConflictError, SchemaTooNewError,
                          Workspace, WorkspaceError, export_folder, load_snapshot,
                          refresh_snapshot)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture
def workspace(workspace_url):
    ws = Workspace.open(workspace_url, create=True)
    ws.seed_from_folder(DATA)
    yield ws
    ws.close()


def assert_same_tables(a, b):
    assert list(a.tables) == list(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], obj=name)


def retitled(document: str, title: str) -> str:
    lines = document.splitlines(keepends=True)
    return "".join(f"title: {title}\n" if line.startswith("title:") else line for line in lines)


def test_a_seeded_workspace_loads_the_same_tables_as_its_folder(workspace):
    snapshot = load_snapshot(workspace)
    folder = load_catalogue(DATA)
    assert_same_tables(snapshot.catalogue, folder)
    assert [p.message for p in snapshot.catalogue.problems] == [p.message for p in folder.problems]
    assert [p.file for p in snapshot.catalogue.problems] == \
        [f"{p.file} (version 1)" for p in folder.problems]
    assert workspace.history("head-of-sales")[0].status == APPROVED
    assert workspace.history("head-of-sales")[0].author == "local"


def test_seeding_twice_stores_nothing_more(workspace):
    revision = workspace.revision()
    assert workspace.seed_from_folder(DATA) == 0
    assert workspace.revision() == revision


def test_a_problem_names_the_role_and_its_version(workspace):
    base = workspace.latest("head-of-sales")
    broken = base.document.replace("reports_to: general-director", "reports_to: nobody-here")
    assert broken != base.document
    workspace.save_role("head-of-sales", broken, base.version)
    problems = [str(p) for p in load_snapshot(workspace).catalogue.errors]
    assert any(p.startswith("roles/head-of-sales.yaml (version 2):") and
               "reports to 'nobody-here', which is not a role in the catalogue" in p
               for p in problems), problems


def test_a_save_is_a_new_version_and_the_old_one_stays(workspace):
    base = workspace.latest("head-of-sales")
    saved = workspace.save_role("head-of-sales", retitled(base.document, "Head of Sales"),
                                base.version, note="shorter title")
    assert (saved.version, saved.status, saved.note, saved.base_version) == \
        (2, APPROVED, "shorter title", 1)
    assert workspace.version("head-of-sales", 1).document == base.document
    assert [v.version for v in workspace.history("head-of-sales")] == [1, 2]
    roles = load_snapshot(workspace).catalogue.roles.set_index("role_id")
    assert roles.loc["head-of-sales", "title"] == "Head of Sales"


def test_a_save_on_top_of_an_older_version_is_refused_with_who_and_when(workspace):
    base = workspace.latest("head-of-sales")
    first = workspace.save_role("head-of-sales", retitled(base.document, "Mine"), 1,
                                author="alice")
    with pytest.raises(ConflictError) as refused:
        workspace.save_role("head-of-sales", retitled(base.document, "Theirs"), 1, author="bob")
    message = str(refused.value)
    assert f"saved by alice at {first.created_at:%H:%M} UTC (version 2) while you were " \
           "editing version 1" in message
    assert refused.value.current.version == 2
    assert [v.author for v in workspace.history("head-of-sales")] == ["local", "alice"]
    assert "title: Mine" in workspace.latest("head-of-sales").document


def test_two_sessions_on_one_database_see_each_others_saves(workspace_url):
    one = Workspace.open(workspace_url, create=True)
    one.seed_from_folder(DATA)
    two = Workspace.open(workspace_url)
    seen = load_snapshot(two)
    base = one.latest("head-of-sales")
    one.save_role("head-of-sales", retitled(base.document, "Seen elsewhere"), base.version)
    assert two.revision() != seen.revision
    after = refresh_snapshot(two, seen)
    assert after.catalogue.roles.set_index("role_id").loc["head-of-sales", "title"] == \
        "Seen elsewhere"
    with pytest.raises(ConflictError):
        two.save_role("head-of-sales", base.document, base.version)
    one.close()
    two.close()


def test_concurrent_saves_on_one_base_version_let_exactly_one_through(workspace_url):
    setup = Workspace.open(workspace_url, create=True)
    setup.seed_from_folder(DATA)
    base = setup.latest("head-of-sales")
    writers = [Workspace.open(workspace_url) for _ in range(8)]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(writers))

    def save(n: int, ws: Workspace) -> None:
        barrier.wait()
        try:
            ws.save_role("head-of-sales", retitled(base.document, f"Writer {n}"), 1,
                         author=f"writer-{n}")
            outcomes.append("saved")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(n, ws)) for n, ws in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["saved"]
    history = setup.history("head-of-sales")
    assert [v.version for v in history] == [1, 2]
    assert f"title: Writer {history[1].author.split('-')[1]}" in setup.latest(
        "head-of-sales").document
    for ws in writers + [setup]:
        ws.close()


WRITER = """
import sys
from jdcore.store import ConflictError, Workspace
url, name, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
ws = Workspace.open(url)
done = 0
while done < rounds:
    latest = ws.latest("head-of-sales")
    try:
        ws.save_role("head-of-sales", latest.document, latest.version, author=name)
        done += 1
    except ConflictError:
        pass  # someone saved first: re-read and re-apply
"""


def test_many_writers_in_threads_and_processes_lose_no_update(workspace_url):
    setup = Workspace.open(workspace_url, create=True)
    setup.seed_from_folder(DATA)
    rounds = 4
    processes = [subprocess.Popen([sys.executable, "-c", WRITER, workspace_url, f"process-{n}",
                                   str(rounds)], cwd=ROOT) for n in range(2)]

    def thread_writer(n: int) -> None:
        ws = Workspace.open(workspace_url)
        done = 0
        while done < rounds:
            latest = ws.latest("head-of-sales")
            try:
                ws.save_role("head-of-sales", latest.document, latest.version,
                             author=f"thread-{n}")
                done += 1
            except ConflictError:
                pass
        ws.close()

    threads = [threading.Thread(target=thread_writer, args=(n,)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [p.wait(timeout=120) for p in processes] == [0, 0]
    history = setup.history("head-of-sales")
    assert [v.version for v in history] == list(range(1, 2 + 5 * rounds))
    assert all(v.base_version == v.version - 1 for v in history)
    authors = pd.Series([v.author for v in history[1:]]).value_counts().to_dict()
    assert authors == {**{f"thread-{n}": rounds for n in range(3)},
                       **{f"process-{n}": rounds for n in range(2)}}
    setup.close()


def test_refresh_reads_only_the_roles_that_changed(workspace):
    before = load_snapshot(workspace)
    base = workspace.latest("head-of-sales")
    workspace.save_role("head-of-sales", retitled(base.document, "Refreshed"), base.version)
    after = refresh_snapshot(workspace, before)
    full = load_snapshot(workspace)
    assert_same_tables(after.catalogue, full.catalogue)
    assert after.catalogue.problems == full.catalogue.problems
    assert after.catalogue.fingerprint == full.catalogue.fingerprint != before.catalogue.fingerprint
    unchanged = [key for key in before.catalogue.readings if key != "head-of-sales"]
    assert all(after.catalogue.readings[key] is before.catalogue.readings[key]
               for key in unchanged)
    assert after.catalogue.readings["head-of-sales"] is not \
        before.catalogue.readings["head-of-sales"]
    assert refresh_snapshot(workspace, after) is after


def test_a_draft_leaves_the_catalogue_alone_until_approved(workspace):
    before = load_snapshot(workspace)
    base = workspace.latest("head-of-sales")
    draft = workspace.save_role("head-of-sales", retitled(base.document, "Draft title"),
                                base.version, status=DRAFT)
    after = refresh_snapshot(workspace, before)
    assert after.catalogue.fingerprint == before.catalogue.fingerprint
    assert after.catalogue.roles.set_index("role_id").loc["head-of-sales", "title"] != \
        "Draft title"
    assert [v.role_id for v in workspace.pending()] == ["head-of-sales"]
    approved = workspace.approve("head-of-sales", draft.version)
    assert (approved.version, approved.status, approved.base_version) == (3, APPROVED, 2)
    assert workspace.pending() == []
    assert refresh_snapshot(workspace, after).catalogue.roles.set_index("role_id").loc[
        "head-of-sales", "title"] == "Draft title"


def test_imported_drafts_survive_reopening_and_are_approved_all_at_once(workspace_url):
    ws = Workspace.open(workspace_url, create=True)
    ws.seed_from_folder(DATA)
    base = ws.latest("head-of-sales").document
    ws.add_drafts({"head-of-sales": retitled(base, "Imported"),
                   "head-of-sales-2": retitled(base, "Copy").replace(
                       "id: head-of-sales", "id: head-of-sales-2")})
    ws.close()
    reopened = Workspace.open(workspace_url)
    assert [(v.role_id, v.version, v.status) for v in reopened.pending()] == \
        [("head-of-sales", 2, DRAFT), ("head-of-sales-2", 1, DRAFT)]
    assert "head-of-sales-2" not in load_snapshot(reopened).catalogue.roles["role_id"].tolist()
    assert [v.role_id for v in reopened.approve_all()] == ["head-of-sales", "head-of-sales-2"]
    roles = load_snapshot(reopened).catalogue.roles.set_index("role_id")
    assert roles.loc["head-of-sales", "title"] == "Imported"
    assert roles.loc["head-of-sales-2", "title"] == "Copy"
    reopened.close()


def test_retire_takes_a_role_out_and_restore_brings_it_back_as_a_new_version(workspace):
    workspace.retire("site-manager", 1, note="role closed")
    roles = load_snapshot(workspace).catalogue.roles["role_id"].tolist()
    assert "site-manager" not in roles
    assert workspace.latest("site-manager").status == RETIRED
    restored = workspace.restore("site-manager", 1, 2)
    assert (restored.version, restored.note) == (3, "restored version 1")
    assert restored.document == workspace.version("site-manager", 1).document
    assert "site-manager" in load_snapshot(workspace).catalogue.roles["role_id"].tolist()


def test_export_then_load_gives_the_same_tables(workspace, tmp_path):
    base = workspace.latest("head-of-sales")
    workspace.save_role("head-of-sales", retitled(base.document, "Exported"), base.version)
    workspace.retire("site-manager", 1)
    assert export_folder(workspace, tmp_path / "out") == 23
    assert_same_tables(load_catalogue(tmp_path / "out"), load_snapshot(workspace).catalogue)
    with pytest.raises(WorkspaceError, match="is not empty"):
        export_folder(workspace, tmp_path / "out")


def test_a_newer_schema_is_refused_and_left_untouched(workspace_url):
    ws = Workspace.open(workspace_url, create=True)
    ws.seed_from_folder(DATA)
    with ws.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    revision = ws.revision()
    ws.close()
    with pytest.raises(SchemaTooNewError, match="schema version 9999, newer than this version "
                       "of jdcore knows .* upgrade the app"):
        Workspace.open(workspace_url)
    check = Workspace(workspace_url, Workspace.open.__func__.__globals__[
        "create_workspace_engine"](workspace_url))
    assert check.revision() == revision
    check.close()


def test_a_database_that_cannot_be_reached_or_opened_gives_a_clear_message(tmp_path):
    with pytest.raises(WorkspaceError, match="cannot reach the workspace database"):
        Workspace.open(f"postgresql://nobody@/nothing?host={tmp_path}")
    not_a_database = tmp_path / "notes.sqlite"
    not_a_database.write_text("just some text, not a database\n" * 100)
    with pytest.raises(WorkspaceError, match="is not a workspace database"):
        Workspace.open(f"sqlite:///{not_a_database}")
    with pytest.raises(WorkspaceError, match="no workspace at"):
        Workspace.open(f"sqlite:///{tmp_path / 'missing.sqlite'}")
    with pytest.raises(WorkspaceError, match="is not a database URL"):
        Workspace.open("not a url at all")


def test_a_read_only_sqlite_workspace_refuses_a_save_and_keeps_its_versions(tmp_path):
    path = tmp_path / "ws.sqlite"
    ws = Workspace.open(f"sqlite:///{path}", create=True)
    ws.seed_from_folder(DATA)
    ws.close()
    read_only = Workspace.open(f"sqlite:///file:{path}?mode=ro&uri=true")
    base = read_only.latest("head-of-sales")
    with pytest.raises(WorkspaceError, match="is read-only .* nothing was saved"):
        read_only.save_role("head-of-sales", retitled(base.document, "No"), base.version)
    assert [v.version for v in read_only.history("head-of-sales")] == [1]
    read_only.close()


def test_a_locked_sqlite_workspace_waits_then_says_it_is_busy(tmp_path):
    path = tmp_path / "ws.sqlite"
    ws = Workspace.open(f"sqlite:///{path}", create=True, busy_timeout=0.2)
    ws.seed_from_folder(DATA)
    base = ws.latest("head-of-sales")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(WorkspaceError, match="is busy: another writer held it"):
            ws.save_role("head-of-sales", retitled(base.document, "Blocked"), base.version)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert [v.version for v in ws.history("head-of-sales")] == [1]
    ws.save_role("head-of-sales", retitled(base.document, "Later"), base.version)
    assert [v.version for v in ws.history("head-of-sales")] == [1, 2]
    ws.close()


def test_a_full_disk_refuses_the_save_and_keeps_the_versions(tmp_path):
    path = tmp_path / "ws.sqlite"
    ws = Workspace.open(f"sqlite:///{path}", create=True)
    ws.seed_from_folder(DATA)
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
    ws.engine.dispose()
    # SQLite's own limit on the file's size: a write past it fails as a full disk does
    event.listen(ws.engine, "connect",
                 lambda dbapi, _: dbapi.execute(f"PRAGMA max_page_count = {pages}"))
    base = ws.latest("head-of-sales")
    with pytest.raises(WorkspaceError, match="is full .* nothing was saved"):
        ws.save_role("head-of-sales", base.document + "#" + "x" * 200_000 + "\n", base.version)
    assert [v.version for v in ws.history("head-of-sales")] == [1]
    assert ws.latest("head-of-sales").document == base.document
    ws.close()


def test_backup_is_a_consistent_copy_of_an_sqlite_workspace(tmp_path):
    ws = Workspace.open(f"sqlite:///{tmp_path / 'ws.sqlite'}", create=True)
    ws.seed_from_folder(DATA)
    ws.backup(tmp_path / "copy.sqlite")
    copy = Workspace.open(f"sqlite:///{tmp_path / 'copy.sqlite'}")
    assert copy.revision() == ws.revision()
    assert_same_tables(load_snapshot(copy).catalogue, load_snapshot(ws).catalogue)
    with pytest.raises(WorkspaceError, match="exists; give a new file name"):
        ws.backup(tmp_path / "copy.sqlite")
    copy.close()
    ws.close()


def test_a_postgresql_backup_points_at_pg_dump(postgres_cluster):
    ws = Workspace.open(postgres_cluster.new_database(), create=True)
    with pytest.raises(WorkspaceError, match="pg_dump"):
        ws.backup("anything.dump")
    ws.close()


def test_refresh_does_not_miss_a_version_committed_out_of_id_order(workspace):
    """A PostgreSQL writer can take an id before another writer and commit after it; the
    refresh counts the rows to notice, and then reads every current version."""
    from sqlalchemy import insert

    from jdcore.store.schema import role_versions

    before = load_snapshot(workspace)
    late = workspace.latest("estimator")
    with workspace.engine.begin() as connection:  # a row whose id is below every other's
        connection.execute(insert(role_versions).values(
            id=-1, role_id="estimator", version=2, status=APPROVED,
            document=retitled(late.document, "Late estimator"), author="late",
            created_at=late.created_at, note="", base_version=1))
    base = workspace.latest("head-of-sales")
    workspace.save_role("head-of-sales", retitled(base.document, "On time"), base.version)
    roles = refresh_snapshot(workspace, before).catalogue.roles.set_index("role_id")
    assert roles.loc["estimator", "title"] == "Late estimator"
    assert roles.loc["head-of-sales", "title"] == "On time"


def test_a_save_names_an_existing_version_and_follows_the_status_workflow(workspace):
    base = workspace.latest("head-of-sales")
    with pytest.raises(WorkspaceError, match="has no version 7 to save on top of"):
        workspace.save_role("head-of-sales", base.document, 7)
    with pytest.raises(WorkspaceError, match="cannot be retired as a new role's first version"):
        workspace.save_role("new-role", base.document, 0, status=RETIRED)
    assert [v.version for v in workspace.history("head-of-sales")] == [1]
    assert workspace.history("new-role") == []
