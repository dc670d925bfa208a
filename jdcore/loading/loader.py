"""Load a catalogue folder (taxonomy.yaml + roles/*.yaml) into tidy pandas tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..model import checks, metrics
from ..model.catalogue import Catalogue
from ..model.problems import WARNING, CatalogueError, Problem
from ..model.regularfile import file_kind
from ..model.schema import Taxonomy
from ..model.tables import TABLE_COLUMNS, empty_tables
from . import cache
from .files import ROLES_DIR, TAXONOMY_FILE, read_taxonomy
from .fingerprint import catalogue_fingerprint
from .readpool import gc_paused, read_role_files


def load_catalogue(path: str | Path = "data", cache_dir: str | Path | None = None) -> Catalogue:
    """Load a catalogue folder into tables. Never raises for bad content: problems are listed.

    Roles whose file cannot be read or does not fit the schema are left out of the tables;
    roles with reference problems (a dangling line, a cycle) stay in, so the app can show them.
    Loading only reads: nothing is ever written to the catalogue folder. With `cache_dir`
    (a folder outside the catalogue), the loaded tables are kept there as Parquet, keyed on
    the catalogue's fingerprint and jdcore's code, and read back while neither changes.
    """
    path = Path(path)
    fingerprint = catalogue_fingerprint(path)
    if cache_dir is not None and path.is_dir():
        return cache.load_through_cache(path, fingerprint, Path(cache_dir), _load_folder)
    return _load_folder(path, fingerprint)


def _load_folder(path: Path, fingerprint: str) -> Catalogue:
    if not path.is_dir():
        problem = Problem(str(path), None, "", "catalogue folder not found; give the folder "
                          f"that holds {TAXONOMY_FILE} and {ROLES_DIR}/")
        return Catalogue(path, None, empty_tables(), (problem,), fingerprint)
    try:
        taxonomy = read_taxonomy(path / TAXONOMY_FILE)
    except CatalogueError as exc:
        return Catalogue(path, None, empty_tables(), tuple(exc.problems), fingerprint)
    with gc_paused():
        return _load_roles(path, taxonomy, fingerprint)


def _load_roles(path: Path, taxonomy: Taxonomy, fingerprint: str) -> Catalogue:
    problems: list[Problem] = []
    entries: list[checks.RoleFile] = []
    roles_dir = path / ROLES_DIR
    role_files = sorted(roles_dir.glob("*.yaml"), key=lambda f: f.name)
    if roles_dir.exists() and not roles_dir.is_dir():
        problems.append(Problem(ROLES_DIR, None, "", f"is {file_kind(roles_dir.stat().st_mode)}, "
                                f"not a folder; make {ROLES_DIR} a folder that holds one "
                                "<id>.yaml file per role"))
    elif not role_files:
        problems.append(Problem(f"{ROLES_DIR}/", None, "", "no role files found; add one "
                                "<id>.yaml file per role"))
    problems += [Problem(f"{ROLES_DIR}/{file.name}", None, "", "ignored: role files must end "
                         "in .yaml; rename it", WARNING)
                 for file in sorted((path / ROLES_DIR).glob("*.yml"))]
    chunks = read_role_files(role_files, taxonomy)
    for chunk in chunks:
        for entry, file_problems in chunk.entries:
            problems += file_problems
            if entry is not None:
                entries.append(entry)
    problems += checks.reference_problems(entries, taxonomy)

    # Keep the first of any roles whose ids collide, so every table stays keyed by role_id.
    file_no = {f"{ROLES_DIR}/{file.name}": n for n, file in enumerate(role_files)}
    unique: dict[str, checks.RoleFile] = {}
    for entry in sorted(entries, key=lambda e: e.precedence):
        unique.setdefault(checks.normalise_id(entry.role.id), entry)
    kept = sorted(unique.values(), key=lambda e: e.name)
    kept_numbers = {file_no[e.name] for e in kept}
    tables = {}
    for name in TABLE_COLUMNS:
        if name == "metrics":
            continue
        parts = [chunk.tables[name] for chunk in chunks]
        table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        if len(kept_numbers) < len(entries):
            table = table[table["_file_no"].isin(kept_numbers)]
        tables[name] = table.drop(columns="_file_no").reset_index(drop=True)
    tables["metrics"] = metrics.compute_metrics(tables, taxonomy)
    files = {e.role.id: e.name for e in kept}
    return Catalogue(path, taxonomy, tables, tuple(sorted(problems, key=_problem_order)),
                     fingerprint, files)


def _problem_order(problem: Problem):
    return (problem.file, problem.line or 0, problem.field, problem.message)

