"""Load a catalogue folder (taxonomy.yaml + roles/*.yaml) into tidy pandas tables."""

from __future__ import annotations

import gc
import hashlib
import multiprocessing as mp
import os
import pickle
import subprocess
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
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
SUBPROCESS_MIN_FILES = 2000  # in a threaded process: below this, starting workers does not pay
MIN_CHUNK_FILES = 200  # the smallest chunk of files a worker is handed, see _chunk_starts


@dataclass
class _Chunk:
    """What reading a run of role files gives: per file its keys (None when the file could
    not be used) and problems, and the tables of its usable roles (with a `_file_no` column)."""

    entries: list[tuple[checks.RoleFile | None, list[Problem]]]
    tables: dict[str, pd.DataFrame]


@contextmanager
def _gc_paused():
    """Pause the cyclic garbage collector for a block, then restore its state.

    Loading allocates millions of small objects that all stay alive; the collector would
    rescan them again and again (about half the load time), so it is paused while a chunk
    is read, and while the parent takes in the chunks and puts the tables together.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_chunk(files: list[Path], first_no: int, taxonomy: Taxonomy) -> _Chunk:
    with _gc_paused():
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
        _number_rows_by_file(roles, numbers, tables)
        return _Chunk(entries, tables)


def _number_rows_by_file(roles: list[Role], numbers: list[int],
                         tables: dict[str, pd.DataFrame]) -> None:
    """Add the `_file_no` column: the number of the file each row came from.

    Counted role by role rather than looked up by role_id, which is both cheaper and right
    when two files of a chunk hold the same id.
    """
    counts = {"roles": lambda r: 1,
              "duties": lambda r: len(r.responsibilities), "qualities": lambda r: len(r.qualities),
              "requirements": lambda r: len(r.requirements), "rights": lambda r: len(r.rights),
              "authority": lambda r: len(AUTHORITY_SCALES),
              "workload": lambda r: len(WORKLOAD_MEASURES),
              "reporting": lambda r: (r.reports_to is not None) + len(r.dotted_to),
              "interactions": lambda r: len(r.interactions), "kpis": lambda r: len(r.kpis),
              "career": lambda r: len(r.career.next)}
    file_numbers = np.array(numbers, dtype=np.int64)
    for name, count in counts.items():
        tables[name]["_file_no"] = np.repeat(file_numbers, [count(role) for role in roles])


def read_role_files(files: list[Path], taxonomy: Taxonomy) -> list[_Chunk]:
    """Read many role files in order; in worker processes for a large catalogue.

    From a single-threaded process (the CLI, a benchmark) the workers are forked. Forking a
    threaded process (the app's server) is not safe, so there they are new interpreters
    (`_read_in_subprocesses`), which take about a second to start: worth it only from
    SUBPROCESS_MIN_FILES files; a smaller catalogue is read in the calling process.
    """
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(files) < PARALLEL_MIN_FILES:
        return [_read_chunk(files, 0, taxonomy)]
    starts = _chunk_starts(len(files), workers) + [len(files)]
    jobs = [(files[a:b], a) for a, b in zip(starts, starts[1:])]
    if threading.active_count() == 1 and "fork" in mp.get_all_start_methods():
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            return list(pool.map(_read_chunk, *zip(*jobs), [taxonomy] * len(jobs)))
    if len(files) >= SUBPROCESS_MIN_FILES:
        chunks = _read_in_subprocesses(jobs, taxonomy, workers)
        if chunks is not None:
            return chunks
    return [_read_chunk(files, 0, taxonomy)]


def _read_in_subprocesses(jobs: list[tuple[list[Path], int]], taxonomy: Taxonomy,
                          workers: int) -> list[_Chunk] | None:
    """The chunks of `jobs`, read by `workers` processes of jdcore.readworker (None if one of
    them fails: the caller then reads the files itself).

    The jobs come largest first (_chunk_starts), so dealing them out in turn gives each
    worker about the same number of files.
    """
    dealt = [list(range(i, len(jobs), workers)) for i in range(workers)]
    environment = dict(os.environ)
    package_root = str(Path(__file__).resolve().parent.parent)
    environment["PYTHONPATH"] = os.pathsep.join(
        p for p in (package_root, environment.get("PYTHONPATH")) if p)
    processes = []
    try:
        for numbers in dealt:
            process = subprocess.Popen([sys.executable, "-m", "jdcore.readworker"],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       env=environment)
            processes.append(process)
            process.stdin.write(pickle.dumps((taxonomy, [jobs[n] for n in numbers]),
                                             protocol=pickle.HIGHEST_PROTOCOL))
            process.stdin.close()
        results = [pickle.load(process.stdout) for process in processes]
        if any(process.wait() != 0 for process in processes):
            return None
    except (OSError, EOFError, pickle.UnpicklingError):
        return None
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    chunks: list[_Chunk | None] = [None] * len(jobs)
    for numbers, result in zip(dealt, results):
        for number, chunk in zip(numbers, result):
            chunks[number] = chunk
    return chunks


def _chunk_starts(count: int, workers: int) -> list[int]:
    """Where each chunk of `count` files starts: large chunks first, then smaller ones.

    Chunks are handed to the workers as they come free, so the workers run together until
    the last, small chunks, and finish within a fraction of a second of each other (with a
    few equal chunks, one worker often idled for a whole chunk at the end). Each chunk is a
    share of the files still left, and not smaller than MIN_CHUNK_FILES, as every chunk
    costs a little to build into tables, send back and concatenate (a small catalogue is
    still cut into a few chunks per worker).
    """
    smallest = min(MIN_CHUNK_FILES, -(-count // (4 * workers)))
    starts, start = [], 0
    while start < count:
        starts.append(start)
        start += max(-(-(count - start) // (2 * workers)), smallest)
    return starts


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
    with _gc_paused():
        return _load_roles(path, taxonomy, fingerprint)


def _load_roles(path: Path, taxonomy: Taxonomy, fingerprint: str) -> Catalogue:
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
    """The tidy tables of a list of validated roles.

    Rows are tuples in the order of TABLE_COLUMNS: pandas reads a list of tuples into
    the same columns and dtypes as a list of dicts, and both building and reading them
    is cheaper, which counts at a quarter of a million duties.
    """
    rows: dict[str, list[tuple]] = {name: [] for name in TABLE_COLUMNS if name != "metrics"}
    grade_level = {g.id: g.level for g in taxonomy.grades}
    scope_level = {s: i for i, s in enumerate(taxonomy.decision_right_scopes)}
    for role, file_name in zip(roles, file_names):
        rid, default_source = role.id, role.source.note
        rows["roles"].append((
            rid, role.title, role.department, role.business_area, role.grade,
            grade_level.get(role.grade), role.reports_to, role.headcount, role.summary,
            role.source.document, role.source.modified.isoformat(), role.source.note, file_name,
        ))
        rows["duties"] += [(rid, i, d.text, d.category, d.frequency, d.time_share, d.essential,
                            d.source or default_source)
                           for i, d in enumerate(role.responsibilities, 1)]
        rows["qualities"] += [(rid, i, q.name, q.kind, q.source or default_source)
                              for i, q in enumerate(role.qualities, 1)]
        rows["requirements"] += [(rid, i, r.kind, r.text, r.years, r.source or default_source)
                                 for i, r in enumerate(role.requirements, 1)]
        rows["rights"] += [(rid, r.area, r.scope, scope_level.get(r.scope), r.limit,
                            r.source or default_source) for r in role.rights]
        rows["authority"] += [(rid, s, getattr(role.authority, s)) for s in AUTHORITY_SCALES]
        rows["workload"] += [(rid, m, float(getattr(role.workload, m))) for m in WORKLOAD_MEASURES]
        if role.reports_to is not None:
            rows["reporting"].append((rid, role.reports_to, "solid"))
        rows["reporting"] += [(rid, t, "dotted") for t in role.dotted_to]
        rows["interactions"] += [(
            rid, i.with_.removeprefix(checks.EXTERNAL_PREFIX).strip(),
            "external" if i.with_.startswith(checks.EXTERNAL_PREFIX) else "role",
            i.direction, i.kind, i.subject, i.source or default_source,
        ) for i in role.interactions]
        rows["kpis"] += [(rid, k.name, k.target, k.source or default_source) for k in role.kpis]
        rows["career"] += [(rid, n) for n in role.career.next]
    tables = {name: pd.DataFrame(data, columns=TABLE_COLUMNS[name]) for name, data in rows.items()}
    return _set_dtypes(tables)


# The columns that do not hold text, and their dtypes; every other column is "str".
COLUMN_DTYPES = {
    ("roles", "grade_level"): "Int64", ("roles", "headcount"): "Int64",
    ("duties", "duty_no"): "Int64", ("duties", "time_share"): "float64",
    ("duties", "essential"): "boolean", ("qualities", "quality_no"): "Int64",
    ("requirements", "requirement_no"): "Int64", ("requirements", "years"): "Int64",
    ("rights", "scope_level"): "Int64", ("authority", "value"): "Int64",
    ("workload", "value"): "float64",
}


def _set_dtypes(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every column's dtype, whatever its values: text columns are "str" even when empty or
    all missing, so that the tables of a catalogue read in several chunks concatenate to the
    same dtypes as when read in one."""
    for name, table in tables.items():
        for column in table.columns:
            dtype = COLUMN_DTYPES.get((name, column))
            if dtype is not None:
                table[column] = table[column].astype(dtype)
            elif table[column].dtype == object:
                table[column] = table[column].astype("str")
    return tables
