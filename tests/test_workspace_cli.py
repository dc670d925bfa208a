"""python -m jdcore workspace init | export | history | diff | backup | import | approve."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from jdcore import load_catalogue
from jdcore.cli import main
from jdcore.store import DRAFT, Workspace

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def initialised(workspace_url, capsys):
    code, out, _ = run(capsys, "workspace", "init", "--from", str(DATA),
                       "--workspace", workspace_url)
    assert code == 0
    assert out.endswith(f": 24 roles from {DATA}, each as version 1, approved\n")
    return workspace_url


def test_init_twice_changes_nothing(initialised, capsys):
    code, out, _ = run(capsys, "workspace", "init", "--from", str(DATA),
                       "--workspace", initialised)
    assert (code, out.split(" already holds ")[1]) == (0, "a catalogue (24 roles); nothing changed\n")


def test_init_from_a_folder_that_is_not_a_catalogue_says_so(tmp_path, capsys):
    code, _, err = run(capsys, "workspace", "init", "--from", str(tmp_path),
                       "--workspace", f"sqlite:///{tmp_path / 'w.sqlite'}")
    assert code == 2
    assert err == (f"error: {tmp_path} is not a catalogue folder (no taxonomy.yaml); give the "
                   "folder that holds taxonomy.yaml and roles/\n")


def test_export_then_load_gives_the_tables_of_the_folder(initialised, tmp_path, capsys):
    code, out, _ = run(capsys, "workspace", "export", "--out", str(tmp_path / "out"),
                       "--workspace", initialised)
    assert (code, out) == (0, f"wrote taxonomy.yaml and 24 roles (the approved catalogue) to "
                              f"{tmp_path / 'out'}\n")
    exported, folder = load_catalogue(tmp_path / "out"), load_catalogue(DATA)
    for name in folder.tables:
        pd.testing.assert_frame_equal(exported.tables[name], folder.tables[name])


def test_history_and_diff_of_a_role(initialised, capsys):
    ws = Workspace.open(initialised)
    base = ws.latest("head-of-sales")
    ws.save_role("head-of-sales", base.document.replace(
        "time_share: 15\n", "time_share: 10\n", 1), 1, author="alice", note="less negotiation")
    ws.close()
    code, out, _ = run(capsys, "workspace", "history", "head-of-sales", "--workspace", initialised)
    lines = out.splitlines()
    assert code == 0 and len(lines) == 2
    assert lines[0].split()[:3] == ["1", "approved", "local"]
    assert lines[1].split()[:3] == ["2", "approved", "alice"]
    assert lines[1].endswith("UTC  less negotiation")
    code, out, err = run(capsys, "workspace", "diff", "head-of-sales", "1", "2",
                         "--workspace", initialised)
    assert (code, out) == (0, "responsibilities: Negotiate with potential dealers or buyers: "
                              "time share: 15 % -> 10 %\n")
    assert err == "head-of-sales: 1 change(s) from version 1 to 2\n"
    code, _, err = run(capsys, "workspace", "diff", "head-of-sales", "1", "7",
                       "--workspace", initialised)
    assert code == 1 and err.startswith("error: 'head-of-sales' has no version 7 in ")


def test_backup_of_sqlite_and_the_pg_dump_hint(tmp_path, capsys, postgres_cluster):
    url = f"sqlite:///{tmp_path / 'w.sqlite'}"
    assert run(capsys, "workspace", "init", "--from", str(DATA), "--workspace", url)[0] == 0
    code, out, _ = run(capsys, "workspace", "backup", str(tmp_path / "copy.sqlite"),
                       "--workspace", url)
    assert (code, out) == (0, f"backed up {tmp_path / 'w.sqlite'} to {tmp_path / 'copy.sqlite'}\n")
    assert Workspace.open(f"sqlite:///{tmp_path / 'copy.sqlite'}").role_ids() == \
        Workspace.open(url).role_ids()
    pg = postgres_cluster.new_database()
    assert run(capsys, "workspace", "init", "--from", str(DATA), "--workspace", pg)[0] == 0
    code, _, err = run(capsys, "workspace", "backup", str(tmp_path / "pg.dump"), "--workspace", pg)
    assert code == 1 and "pg_dump --format=custom" in err


def test_an_unreachable_workspace_is_a_message_not_a_traceback(tmp_path, capsys):
    code, out, err = run(capsys, "workspace", "history", "x", "--workspace",
                         f"postgresql://nobody@/x?host={tmp_path}")
    assert code == 1 and out == ""
    assert err.startswith("error: cannot reach the workspace database postgresql://nobody@/x")
    assert "Traceback" not in err


def test_an_imported_bundle_lands_as_drafts_and_is_approved(initialised, tmp_path, capsys):
    assert run(capsys, "export", str(DATA), "--out", str(tmp_path / "bundle"))[0] == 0
    code, out, _ = run(capsys, "workspace", "import", "csv", str(tmp_path / "bundle"),
                       "--workspace", initialised)
    assert (code, out.split(" in ")[0]) == (0, "stored 24 draft(s)")
    ws = Workspace.open(initialised)
    assert len(ws.pending()) == 24
    assert ws.pending()[0].note == "imported from bundle"
    code, out, _ = run(capsys, "workspace", "approve", "head-of-sales", "--workspace", initialised)
    assert out.splitlines() == ["approved head-of-sales (version 3)",
                                "1 draft(s) approved; 23 still pending"]
    code, out, _ = run(capsys, "workspace", "approve", "--all", "--workspace", initialised)
    assert out.splitlines()[-1] == "23 draft(s) approved; 0 still pending"
    ws.close()


def test_approving_checks_the_changes_together_and_refuses_a_dangling_one(initialised,
                                                                          capsys):
    from jdcore.formats.writer import dump_yaml
    from jdcore.store.editing import role_data

    ws = Workspace.open(initialised)
    data = role_data(ws.latest("head-of-sales").document)
    for role_id, title, manager in (("head-of-key-accounts", "Head of Key Accounts",
                                     "head-of-sales"),
                                    ("key-account-manager", "Key Account Manager",
                                     "head-of-key-accounts")):
        ws.save_role(role_id, dump_yaml({**data, "id": role_id, "title": title,
                                         "reports_to": manager}), 0, status=DRAFT)
    ws.close()
    # the child alone reports to a role that is not in the catalogue yet: refused
    code, out, err = run(capsys, "workspace", "approve", "key-account-manager",
                         "--workspace", initialised)
    assert (code, out) == (1, "")
    lines = err.splitlines()
    assert lines[0].startswith("roles/key-account-manager.yaml (version 1, draft):")
    assert "reports_to" in lines[0] and "head-of-key-accounts" in lines[0]
    assert lines[-1].startswith("error: the 1 change(s), applied together, would leave 1 "
                                "error(s)")
    ws = Workspace.open(initialised)
    assert {v.role_id for v in ws.pending()} == {"head-of-key-accounts", "key-account-manager"}
    ws.close()
    # both together pass, whichever order the lines point in
    code, out, _ = run(capsys, "workspace", "approve", "--all", "--workspace", initialised)
    assert code == 0
    assert sorted(out.splitlines()[:-1]) == ["approved head-of-key-accounts (version 2)",
                                             "approved key-account-manager (version 2)"]
    assert out.splitlines()[-1] == "2 draft(s) approved; 0 still pending"
    ws = Workspace.open(initialised)
    try:
        assert load_catalogue_of(ws).errors == []
    finally:
        ws.close()


def load_catalogue_of(ws):
    from jdcore.store import load_snapshot

    return load_snapshot(ws).catalogue


def test_documents_land_as_drafts_with_the_vocabulary_they_name(initialised, tmp_path, capsys):
    from document_fixtures import MANAGER_MD

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "logistics.md").write_text(MANAGER_MD, encoding="utf-8")
    ws = Workspace.open(initialised)
    taxonomy = ws.current_taxonomy().version
    code, out, _ = run(capsys, "workspace", "import", "documents", str(tmp_path / "docs"),
                       "--workspace", initialised)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("stored 1 draft(s) in ")
    assert lines[0].endswith(" from 1 document(s); review them on the Review page")
    assert "added to the taxonomy: source notes: imported" in lines
    pending = ws.pending()
    assert len(pending) == 1 and pending[0].note == "imported from 1 document(s)"
    assert ws.current_taxonomy().version == taxonomy + 1
    code, _, err = run(capsys, "workspace", "import", "documents", str(tmp_path / "none"),
                       "--workspace", initialised)
    assert code == 2 and err.startswith("error: '") and "not found" in err
    code, _, err = run(capsys, "workspace", "import", "csv", "a", "b", "--workspace", initialised)
    assert (code, err) == (2, "error: give one csv source, not 2\n")
    ws.close()
