"""The synthetic catalogue generator: determinism, validity, shape, and refusing to overwrite."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jdcore import load_catalogue
from jdcore.loading.files import read_taxonomy
from jdcore.synth import write_synthetic_catalogue

DATA = Path(__file__).resolve().parent.parent / "data"
ROLES = 300


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic") / "catalogue"
    write_synthetic_catalogue(folder, ROLES, seed=11)
    return folder, load_catalogue(folder)


def test_same_seed_gives_identical_files_and_another_seed_differs(tmp_path):
    write_synthetic_catalogue(tmp_path / "a", 120, seed=5)
    write_synthetic_catalogue(tmp_path / "b", 120, seed=5)
    write_synthetic_catalogue(tmp_path / "c", 120, seed=6)
    a, b, c = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert len(a) == 121  # taxonomy.yaml + one file per role
    assert a == b
    assert a != c


def test_loads_with_no_problems(synthetic):
    _, catalogue = synthetic
    assert catalogue.problems == ()
    assert len(catalogue.roles) == ROLES


def test_taxonomy_has_40_departments_3_areas_and_the_data_weights(synthetic):
    folder, catalogue = synthetic
    ours = read_taxonomy(folder / "taxonomy.yaml").model_dump()
    reference = read_taxonomy(DATA / "taxonomy.yaml").model_dump()
    assert len(ours.pop("departments")) == 40
    assert len(ours.pop("business_areas")) == 3
    reference.pop("departments"), reference.pop("business_areas")
    assert ours == reference
    roles = catalogue.roles
    assert roles["department"].nunique() == 40
    assert roles["business_area"].nunique() == 3


def test_one_tree_per_area_5_to_7_layers_spans_2_to_15(synthetic):
    _, catalogue = synthetic
    roles, metrics = catalogue.roles, catalogue.metrics
    assert roles[roles["reports_to"].isna()].groupby("business_area").size().to_dict() == {
        area: 1 for area in roles["business_area"].unique()}
    layers = metrics.merge(roles[["role_id", "business_area"]]).groupby("business_area")["layer"]
    assert layers.max().between(5, 7).all()
    assert metrics["layer"].notna().all()
    solid = catalogue.reporting[catalogue.reporting["line"] == "solid"]
    spans = solid.groupby("manager_id").size()
    assert spans.between(2, 15).all()
    managers = metrics[metrics["direct_reports"] > 0]
    assert managers["span_of_control"].between(2, 15).all()  # weighted by headcount too


def test_duties_and_time_shares(synthetic):
    _, catalogue = synthetic
    duties = catalogue.duties
    per_role = duties.groupby("role_id").size()
    assert per_role.between(20, 30).all() and per_role.nunique() > 5
    totals = duties.groupby("role_id")["time_share"].sum()
    assert totals.between(85, 100).all()
    # Texts rarely repeat, but the same duty (verb and object) turns up in many departments.
    assert duties["text"].nunique() / len(duties) > 0.9
    duties = duties.merge(catalogue.roles[["role_id", "department"]])
    stems = duties["text"].str.split().str[:3].str.join(" ")
    shared = duties.groupby(stems)["department"].nunique()
    assert (shared >= 5).sum() >= 50


def test_people_lines_interactions_and_careers(synthetic):
    folder, catalogue = synthetic
    roles = catalogue.roles
    assert (roles["headcount"] == 1).mean() > 0.6
    assert (roles["headcount"] > 1).any()
    assert set(roles.loc[roles["headcount"] > 1, "grade"]) <= {"specialist", "operative"}
    assert 0 < (catalogue.reporting["line"] == "dotted").sum() < 0.1 * ROLES
    kinds = set(catalogue.interactions["counterpart_kind"])
    assert kinds == {"role", "external"}
    assert len(catalogue.rights) > ROLES and len(catalogue.authority) == 4 * ROLES
    career = catalogue.career.merge(roles[["role_id", "reports_to"]])
    assert len(career) > 0.7 * ROLES
    assert (career["next_role_id"] == career["reports_to"]).all()
    assert all(re.fullmatch(r"r\d{5}-[a-z0-9]+(-[a-z0-9]+)*", rid) for rid in roles["role_id"])
    for path in (folder / "roles").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "&" not in text and "*" not in text  # no anchors or aliases


def test_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(ValueError, match="not empty"):
        write_synthetic_catalogue(tmp_path, 50, seed=1)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_writes_into_an_empty_folder_but_not_a_file(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    write_synthetic_catalogue(empty, 50, seed=1)
    assert load_catalogue(empty).problems == ()
    afile = tmp_path / "file.yaml"
    afile.write_text("x: 1\n")
    with pytest.raises(ValueError, match="not a folder"):
        write_synthetic_catalogue(afile, 50, seed=1)


def test_rejects_too_few_roles(tmp_path):
    with pytest.raises(ValueError, match="at least"):
        write_synthetic_catalogue(tmp_path / "small", 5, seed=1)
    assert not (tmp_path / "small").exists()


def test_cli_synth_writes_a_valid_catalogue_and_refuses_a_non_empty_folder(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "synthetic"
    command = [sys.executable, "-m", "jdcore", "synth", "--roles", "60", "--seed", "2",
               "--out", str(out)]
    first = subprocess.run(command, cwd=root, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert len(list((out / "roles").glob("*.yaml"))) == 60
    validate = subprocess.run([sys.executable, "-m", "jdcore", "validate", str(out)], cwd=root,
                              capture_output=True, text=True)
    assert validate.returncode == 0
    again = subprocess.run(command, cwd=root, capture_output=True, text=True)
    assert again.returncode == 2
    assert "not empty" in again.stderr and "Traceback" not in again.stderr


def _synth_imports(path: Path) -> list[tuple[int, str | None]]:
    """(line, enclosing function or None) of each import of the synth package in a file."""
    import ast

    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            is_function = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            inner = child.name if is_function else function
            names = []
            if isinstance(child, ast.Import):
                names = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                names = [child.module or ""] + [alias.name for alias in child.names]
            if any("synth" in name.split(".") for name in names):
                found.append((child.lineno, function))
            visit(child, inner)

    visit(ast.parse(path.read_text(encoding="utf-8")), None)
    return found


def test_only_the_cli_synth_command_imports_the_generator(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    runtime = [root / "app.py", *sorted((root / "pages").rglob("*.py")),
               *(p for p in sorted((root / "jdcore").rglob("*.py"))
                 if p.relative_to(root / "jdcore").parts[0] != "synth")]
    imports = {p.relative_to(root).as_posix(): _synth_imports(p) for p in runtime}
    assert {name: found for name, found in imports.items()
            if any(function != "cmd_synth" for _, function in found)} == {}
    assert sum(len(found) for found in imports.values()) == 1  # the one in cmd_synth

    def imported(*args: str) -> set[str]:
        run = subprocess.run([sys.executable, "-X", "importtime", "-m", "jdcore", *args], cwd=root,
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stderr[-2000:]
        return {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines()
                if line.startswith("import time:")}

    assert not {m for m in imported("validate", str(root / "data")) if m.startswith("jdcore.synth")}
    assert "jdcore.synth" in imported("synth", "--roles", "30", "--out", str(tmp_path / "s"))
