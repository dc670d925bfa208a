"""Import folders of the app's sessions: made under one root, cleared by age."""

from __future__ import annotations

import os

from pages.uploads import (IMPORT_FOLDER_MAX_AGE, IMPORT_FOLDER_PREFIX, new_import_folder,
                           prune_import_folders)


def aged(folder, seconds_ago: float, now: float):
    os.utime(folder, (now - seconds_ago, now - seconds_ago))
    return folder


def test_new_import_folders_are_empty_and_distinct(tmp_path):
    first, second = new_import_folder(tmp_path / "root"), new_import_folder(tmp_path / "root")
    assert first != second
    assert first.parent == second.parent == tmp_path / "root"
    assert first.name.startswith(IMPORT_FOLDER_PREFIX) and not list(first.iterdir())


def test_prune_deletes_old_folders_only_and_keeps_the_sessions_own(tmp_path):
    now = 1_000_000_000.0
    root = tmp_path / "root"
    old = aged(new_import_folder(root), IMPORT_FOLDER_MAX_AGE + 60, now)
    (old / "roles").mkdir()
    (old / "roles" / "a.yaml").write_text("id: a\n", encoding="utf-8")
    aged(old, IMPORT_FOLDER_MAX_AGE + 60, now)
    kept_old = aged(new_import_folder(root), IMPORT_FOLDER_MAX_AGE + 60, now)
    recent = aged(new_import_folder(root), 60, now)
    (root / "not-ours").mkdir()  # not made by new_import_folder: never touched
    stranger = aged(root / "not-ours", IMPORT_FOLDER_MAX_AGE + 60, now)
    deleted = prune_import_folders(keep=[str(kept_old)], root=root, now=now)
    assert deleted == [old]
    assert not old.exists()
    assert kept_old.is_dir() and recent.is_dir() and stranger.is_dir()


def test_prune_of_a_missing_root_deletes_nothing(tmp_path):
    assert prune_import_folders(root=tmp_path / "none") == []


def test_prune_clears_what_a_stopped_import_worker_left_beside_a_folder(tmp_path):
    from jdcore.formats.writer import STAGING_MARK

    now = 1_000_000_000.0
    root = tmp_path / "root"
    folder = new_import_folder(root)
    staging = root / f".{folder.name}{STAGING_MARK}x1"
    (staging / "roles").mkdir(parents=True)
    aged(staging, IMPORT_FOLDER_MAX_AGE + 60, now)
    fresh = root / f".{folder.name}{STAGING_MARK}x2"  # an import writing right now
    fresh.mkdir()
    aged(fresh, 60, now)
    assert prune_import_folders(keep=[folder], root=root, now=now) == [staging]
    assert folder.is_dir() and fresh.is_dir()
