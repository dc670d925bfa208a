"""Text from a catalogue or an upload is data: problems print it on one line without terminal
controls, and Markdown shows it as written (jdcore.model.problems, jdcore.model.text)."""

from __future__ import annotations

import shutil

import pytest

from jdcore import Problem, load_catalogue


@pytest.mark.parametrize("file, expected", [
    ("roles/a\x1b[31mb.yaml", "roles/a\\x1b[31mb.yaml"),
    ("roles/a\nb.yaml", "roles/a\\x0ab.yaml"),
    ("roles/a\u2028b.yaml", "roles/a\\u2028b.yaml"),
    ("roles/plain.yaml", "roles/plain.yaml"),
], ids=["escape", "newline", "line-separator", "plain"])
def test_a_problem_prints_its_file_name_like_its_message(file, expected):
    assert str(Problem(file, 3, "title", "bad\x1b")) == f"{expected}:3: title: bad\\x1b"


def test_a_role_file_named_with_an_escape_and_a_newline_is_named_on_one_line(tmp_path,
                                                                             catalogue):
    folder = tmp_path / "catalogue"
    shutil.copytree(catalogue.path, folder)
    shutil.copy(folder / "roles" / "head-of-sales.yaml", folder / "roles" / "x\x1b[2J\ny.yaml")
    lines = [str(p) for p in load_catalogue(folder).problems]
    named = [line for line in lines if line.startswith("roles/x")]
    assert named and all(line.startswith("roles/x\\x1b[2J\\x0ay.yaml:") for line in named)
    assert not any("\x1b" in line or "\n" in line for line in lines)
