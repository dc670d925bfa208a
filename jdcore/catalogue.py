"""Load a catalogue folder (taxonomy.yaml + roles/*.yaml) into tidy pandas tables."""

from __future__ import annotations

import gc
import hashlib
import multiprocessing as mp
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from . import checks, metrics
from .problems import WARNING, CatalogueError, Problem
from .schema import AUTHORITY_SCALES, WORKLOAD_MEASURES, Role, Taxonomy
from .schema_errors import validation_problems
from .yamlfile import read_yaml_file

TAXONOMY_FILE = "taxonomy.yaml"
ROLES_DIR = "roles"

# The columns of every table, in order; these are also the CSV bundle's headers.
TABLE_COLUMNS: dict[str, list[str]] = {
    "roles": ["role_id", "title", "department", "business_area", "grade", "grade_level",
              "reports_to", "headcount", "summary", "source_document", "source_modified",
              "source_note", "file"],
    "duties": ["role_id", "duty_no", "text", "category", "frequency", "time_share",
               "essential", "source"],
    "qualities": ["role_id", "quality_no", "name", "kind", "source"],
    "requirements": ["role_id", "requirement_no", "kind", "text", "years", "source"],
    "rights": ["role_id", "area", "scope", "scope_level", "limit", "source"],
    "authority": ["role_id", "scale", "value"],
    "workload": ["role_id", "measure", "value"],
    "reporting": ["role_id", "manager_id", "line"],
    "interactions": ["role_id", "counterpart", "counterpart_kind", "direction", "kind",
                     "subject", "source"],
    "kpis": ["role_id", "name", "target", "source"],
    "career": ["role_id", "next_role_id"],
    "metrics": metrics.METRIC_COLUMNS,
}
TABLES = tuple(TABLE_COLUMNS)


@dataclass(frozen=True, eq=False)
class Catalogue:
    """An immutable loaded catalogue: its tables, taxonomy and every problem found."""

    path: Path
    taxonomy: Taxonomy | None
    tables: dict[str, pd.DataFrame]
    problems: tuple[Problem, ...] = ()
    fingerprint: str = ""
    files: dict[str, str] = field(default_factory=dict)  # role id -> file name

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def is_valid(self) -> bool:
        return not self.errors


def catalogue_fingerprint(path: str | Path) -> str:
    """A short hash of the names, sizes and modification times of the catalogue's files.

    Cheap enough to compute on every page run (one directory scan, no file is read); it
    changes when any source file changes, appears or disappears.
    """
    path = Path(path)
    digest = hashlib.sha256()
    entries = []
    for folder, pattern in ((path, TAXONOMY_FILE), (path / ROLES_DIR, None)):
        try:
            with os.scandir(folder) as scan:
                for entry in scan:
                    if entry.name == pattern or (pattern is None
                                                 and entry.name.endswith(".yaml")):
                        stat = entry.stat()
                        prefix = "" if pattern else f"{ROLES_DIR}/"
                        entries.append(f"{prefix}{entry.name}\0{stat.st_size}\0"
                                       f"{stat.st_mtime_ns}\n")
        except OSError:
            continue
    digest.update("".join(sorted(entries)).encode())
    return digest.hexdigest()[:16]


def empty_tables() -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame(columns=cols) for name, cols in TABLE_COLUMNS.items()}


def read_taxonomy(path: Path) -> Taxonomy:
    """Read and validate taxonomy.yaml; raise CatalogueError with every problem."""
    doc = read_yaml_file(path, TAXONOMY_FILE)
    try:
        return Taxonomy.model_validate(doc.data)
    except ValidationError as exc:
        raise CatalogueError(validation_problems(exc, doc, Taxonomy)) from None


def read_role_file(path: Path, taxonomy: Taxonomy) -> tuple[checks.RoleFile | None, list[Problem]]:
    """Read one role file: the role (None when it cannot be used) and its problems."""
    name = f"{ROLES_DIR}/{path.name}"
    try:
        doc = read_yaml_file(path, name)
    except CatalogueError as exc:
        return None, exc.problems
    problems = checks.invisible_character_problems(doc)
    if not isinstance(doc.data, dict):
        return None, problems + [Problem(name, doc.line_of(()), "(document)",
                                         "expected a mapping of role fields at the top level")]
    try:
        role = Role.model_validate(doc.data)
    except ValidationError as exc:
        return None, problems + validation_problems(exc, doc, Role)
    entry = checks.RoleFile(role, doc)
    problems += checks.vocabulary_problems(entry, taxonomy)
    problems += checks.content_problems(entry, taxonomy)
    return entry, problems


PARALLEL_MIN_FILES = 400  # below this, starting worker processes costs more than it saves


@dataclass
class _Chunk:
    """What reading a run of role files gives: per file its keys (None when the file could
    not be used) and problems, and the tables of its usable roles (with a `_file_no` column)."""

    entries: list[tuple[checks.RoleFile | None, list[Problem]]]
    tables: dict[str, pd.DataFrame]


def _read_chunk(files: list[Path], first_no: int, taxonomy: Taxonomy) -> _Chunk:
    # Parsing allocates millions of small objects that all stay alive; the cyclic garbage
    # collector would rescan them again and again (about half the load time), so pause it.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        entries, roles, names, numbers = [], [], [], []
        for number, file in enumerate(files, first_no):
            entry, problems = read_role_file(file, taxonomy)
            if entry is None:
                entries.append((None, problems))
                continue
            roles.append(entry.role)
            names.append(entry.name)
            numbers.append(number)
            # Keep only what the cross-role checks need, so a large catalogue fits in memory.
            entries.append((checks.RoleFile(checks.RoleKeys.of(entry.role),
                                            entry.doc.slim(checks.REFERENCE_FIELDS)), problems))
        tables = build_tables(roles, names, taxonomy)
        position = {role.id: n for role, n in zip(roles, numbers)}
        for name, table in tables.items():
            table["_file_no"] = (table["role_id"].map(position) if name != "roles"
                                 else numbers)
        # Two files with the same id: number their rows by file, not by id.
        if len(position) < len(roles):
            tables = _number_rows_by_file(roles, numbers, tables)
        return _Chunk(entries, tables)
    finally:
        if was_enabled:
            gc.enable()


def _number_rows_by_file(roles: list[Role], numbers: list[int],
                         tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Rebuild the `_file_no` column role by role, for a chunk where ids repeat."""
    counts = {"duties": lambda r: len(r.responsibilities), "qualities": lambda r: len(r.qualities),
              "requirements": lambda r: len(r.requirements), "rights": lambda r: len(r.rights),
              "authority": lambda r: len(AUTHORITY_SCALES),
              "workload": lambda r: len(WORKLOAD_MEASURES),
              "reporting": lambda r: (r.reports_to is not None) + len(r.dotted_to),
              "interactions": lambda r: len(r.interactions), "kpis": lambda r: len(r.kpis),
              "career": lambda r: len(r.career.next)}
    for name, count in counts.items():
        tables[name]["_file_no"] = [n for role, n in zip(roles, numbers)
                                    for _ in range(count(role))]
    return tables


def read_role_files(files: list[Path], taxonomy: Taxonomy) -> list[_Chunk]:
    """Read many role files in order; in worker processes for a large catalogue.

    Workers are forked only from a single-threaded process (the CLI, a benchmark), where
    forking is safe; inside a threaded server the files are read in the calling process.
    """
    workers = min(os.cpu_count() or 1, 8)
    if (workers < 2 or len(files) < PARALLEL_MIN_FILES or threading.active_count() > 1
            or "fork" not in mp.get_all_start_methods()):
        return [_read_chunk(files, 0, taxonomy)]
    size = -(-len(files) // (workers * 2))
    starts = range(0, len(files), size)
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        return list(pool.map(_read_chunk, [files[i:i + size] for i in starts], starts,
                             [taxonomy] * len(starts)))


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
        from . import cache

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

    problems: list[Problem] = []
    entries: list[checks.RoleFile] = []
    role_files = sorted((path / ROLES_DIR).glob("*.yaml"), key=lambda f: f.name)
    if not role_files:
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


def build_tables(roles: list[Role], file_names: list[str],
                 taxonomy: Taxonomy) -> dict[str, pd.DataFrame]:
    """The tidy tables of a list of validated roles."""
    rows: dict[str, list[dict]] = {name: [] for name in TABLE_COLUMNS if name != "metrics"}
    grade_level = {g.id: g.level for g in taxonomy.grades}
    scope_level = {s: i for i, s in enumerate(taxonomy.decision_right_scopes)}
    for role, file_name in zip(roles, file_names):
        rid, default_source = role.id, role.source.note
        rows["roles"].append({
            "role_id": rid, "title": role.title, "department": role.department,
            "business_area": role.business_area, "grade": role.grade,
            "grade_level": grade_level.get(role.grade), "reports_to": role.reports_to,
            "headcount": role.headcount, "summary": role.summary,
            "source_document": role.source.document,
            "source_modified": role.source.modified.isoformat(),
            "source_note": role.source.note, "file": file_name,
        })
        rows["duties"] += [{
            "role_id": rid, "duty_no": i, "text": d.text, "category": d.category,
            "frequency": d.frequency, "time_share": d.time_share, "essential": d.essential,
            "source": d.source or default_source,
        } for i, d in enumerate(role.responsibilities, 1)]
        rows["qualities"] += [{
            "role_id": rid, "quality_no": i, "name": q.name, "kind": q.kind,
            "source": q.source or default_source,
        } for i, q in enumerate(role.qualities, 1)]
        rows["requirements"] += [{
            "role_id": rid, "requirement_no": i, "kind": r.kind, "text": r.text,
            "years": r.years, "source": r.source or default_source,
        } for i, r in enumerate(role.requirements, 1)]
        rows["rights"] += [{
            "role_id": rid, "area": r.area, "scope": r.scope,
            "scope_level": scope_level.get(r.scope), "limit": r.limit,
            "source": r.source or default_source,
        } for r in role.rights]
        rows["authority"] += [{"role_id": rid, "scale": s, "value": getattr(role.authority, s)}
                              for s in AUTHORITY_SCALES]
        rows["workload"] += [{"role_id": rid, "measure": m, "value": float(getattr(role.workload, m))}
                             for m in WORKLOAD_MEASURES]
        if role.reports_to is not None:
            rows["reporting"].append({"role_id": rid, "manager_id": role.reports_to,
                                      "line": "solid"})
        rows["reporting"] += [{"role_id": rid, "manager_id": t, "line": "dotted"}
                              for t in role.dotted_to]
        rows["interactions"] += [{
            "role_id": rid, "counterpart": i.with_.removeprefix(checks.EXTERNAL_PREFIX).strip(),
            "counterpart_kind": "external" if i.with_.startswith(checks.EXTERNAL_PREFIX) else "role",
            "direction": i.direction, "kind": i.kind, "subject": i.subject,
            "source": i.source or default_source,
        } for i in role.interactions]
        rows["kpis"] += [{"role_id": rid, "name": k.name, "target": k.target,
                          "source": k.source or default_source} for k in role.kpis]
        rows["career"] += [{"role_id": rid, "next_role_id": n} for n in role.career.next]
    tables = {name: pd.DataFrame(data, columns=TABLE_COLUMNS[name]) for name, data in rows.items()}
    return _set_dtypes(tables)


def _set_dtypes(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    int_columns = {"roles": ["grade_level", "headcount"], "duties": ["duty_no"],
                   "qualities": ["quality_no"], "requirements": ["requirement_no", "years"],
                   "rights": ["scope_level"], "authority": ["value"]}
    for name, columns in int_columns.items():
        for column in columns:
            tables[name][column] = tables[name][column].astype("Int64")
    tables["duties"]["time_share"] = tables["duties"]["time_share"].astype("float64")
    tables["duties"]["essential"] = tables["duties"]["essential"].astype("boolean")
    tables["workload"]["value"] = tables["workload"]["value"].astype("float64")
    return tables
