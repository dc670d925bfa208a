"""Only regular files are read, within the size cap while reading: a FIFO, a device, a
folder or a link to one is named and refused, never waited on or read without end."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from jdcore import load_catalogue
from jdcore.model.problems import CatalogueError
from jdcore.model.regularfile import read_regular_file
from jdcore.model.yamlfile import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parent.parent
NOT_REGULAR = "not a regular file; only regular files are read: replace it with the file itself"


@pytest.fixture
def folder(tmp_path, catalogue) -> Path:
    target = tmp_path / "catalogue"
    shutil.copytree(catalogue.path, target)
    return target


def problems(folder: Path) -> list[str]:
    return [str(p) for p in load_catalogue(folder).problems]


def test_validate_names_a_fifo_among_the_role_files_instead_of_waiting_for_it(folder):
    os.mkfifo(folder / "roles" / "x.yaml")
    # The timeout only keeps a regression from hanging the suite; nothing is timed.
    result = subprocess.run([sys.executable, "-m", "jdcore", "validate", str(folder)],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 1
    assert f"roles/x.yaml: is a named pipe (FIFO), {NOT_REGULAR}" in result.stdout.splitlines()


@pytest.mark.parametrize("where, name", [
    ("roles/zero.yaml", "roles/zero.yaml"), ("taxonomy.yaml", "taxonomy.yaml"),
], ids=["role-file", "taxonomy"])
def test_a_link_to_dev_zero_is_refused_by_name(folder, where, name):
    (folder / where).unlink(missing_ok=True)
    (folder / where).symlink_to("/dev/zero")
    assert f"{name}: is a symbolic link to a character device (/dev/zero), {NOT_REGULAR}" \
        in problems(folder)


def test_a_folder_named_like_a_role_file_is_refused(folder):
    (folder / "roles" / "notes.yaml").mkdir()
    assert f"roles/notes.yaml: is a folder, {NOT_REGULAR}" in problems(folder)


def test_a_broken_link_says_where_it_points(folder):
    (folder / "roles" / "gone.yaml").symlink_to(folder / "nowhere.yaml")
    assert (f"roles/gone.yaml: is a symbolic link to {folder / 'nowhere.yaml'}, which does "
            "not exist; replace it with the file itself") in problems(folder)


def test_a_link_to_a_regular_file_is_followed(folder, tmp_path):
    outside = tmp_path / "kept-elsewhere.yaml"
    (folder / "roles" / "head-of-sales.yaml").rename(outside)
    (folder / "roles" / "head-of-sales.yaml").symlink_to(outside)
    loaded = load_catalogue(folder)
    assert loaded.is_valid
    assert "head-of-sales" in set(loaded.roles["role_id"])


def test_roles_that_is_a_file_gets_its_own_message(folder):
    shutil.rmtree(folder / "roles")
    (folder / "roles").write_text("not a folder\n")
    assert problems(folder) == ["roles: is a regular file, not a folder; make roles a folder "
                                "that holds one <id>.yaml file per role"]


def test_the_cap_holds_while_reading_a_file_that_grew_after_it_was_measured(tmp_path,
                                                                             monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (3 * MAX_FILE_BYTES))
    real_fstat, reads = os.fstat, []

    def measured_empty(descriptor):  # as it was before it grew
        info = real_fstat(descriptor)
        return os.stat_result((info.st_mode, *info[1:6], 0, *info[7:10]))

    monkeypatch.setattr(os, "fstat", measured_empty)
    real_fdopen = os.fdopen

    def recording_fdopen(*args, **kwargs):
        file = real_fdopen(*args, **kwargs)
        read = file.read
        file.read = lambda size=-1: reads.append(size) or read(size)
        return file

    monkeypatch.setattr(os, "fdopen", recording_fdopen)
    with pytest.raises(CatalogueError) as raised:
        read_regular_file(path, "roles/big.yaml", MAX_FILE_BYTES)
    assert reads == [MAX_FILE_BYTES + 1]
    assert str(raised.value) == (f"roles/big.yaml: file is more than {MAX_FILE_BYTES} bytes "
                                 f"(it grew while it was read), over the {MAX_FILE_BYTES} byte "
                                 "limit; split or shorten it")
