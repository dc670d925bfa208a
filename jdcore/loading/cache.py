"""A disk cache of loaded catalogues: the tables as Parquet, outside the catalogue folder.

An entry is keyed on the catalogue folder, its fingerprint (names, sizes, modification times,
inodes and ctimes of its files: jdcore.loading.fingerprint) and a hash of jdcore's own code,
so editing a role file or upgrading the code makes the entry stale. Entries are written to a temporary folder and renamed into place,
so a reader never sees half an entry; older entries of the same catalogue are removed.

An entry is checked whole before it is used: its metadata must have exactly the fields
written (problems, files, the tables' dtypes, the folder) with the right types, and every
table the columns and dtypes written; an entry that is not so (damaged, edited, from another
version) is removed and the catalogue loaded and stored again, silently.

Tables computed from a catalogue that take long to build (the findings, whose duty matching
takes seconds on a large catalogue) can be kept in its entry too (`derived_table`): they go
stale with it, since the entry's name holds the fingerprint and the code's hash.

Hygiene: after every write the cache is pruned (`prune_cache`): entries whose catalogue
folder no longer exists (an upload that was cleared, a temporary folder) are removed, and
then the least recently used entries until the cache holds at most MAX_CACHE_BYTES
(`$JDCORE_CACHE_MAX_MB` to change it). Reading an entry marks it as used.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pandas as pd

from ..model.catalogue import Catalogue
from ..model.problems import ERROR, WARNING, Problem
from ..model.tables import TABLE_COLUMNS, TABLES
from .files import TAXONOMY_FILE, read_taxonomy

META_FILE = "catalogue.json"
DERIVED_PREFIX = "derived-"
MAX_CACHE_BYTES = 2 * 1024**3
CACHE_MAX_ENV = "JDCORE_CACHE_MAX_MB"


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of jdcore's source: a new version of the loader invalidates every entry."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode() + b"\0"
                      + source.read_bytes())
    return digest.hexdigest()[:12]


def entry_name(path: Path, fingerprint: str) -> tuple[str, str]:
    """(prefix shared by every entry of this folder, this entry's folder name)."""
    prefix = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    return prefix, f"{prefix}-{fingerprint}-{code_version()}"


def load_through_cache(path: Path, fingerprint: str, cache_dir: Path,
                       load: Callable[[Path, str], Catalogue]) -> Catalogue:
    """The cached catalogue if its entry is current, else `load` it and store an entry."""
    prefix, name = entry_name(path, fingerprint)
    entry = cache_dir / name
    cached = read_entry(entry, path, fingerprint)
    if cached is not None:
        _touch(entry)
        return cached
    if entry.is_dir():  # there, but not usable: make way for a good one
        shutil.rmtree(entry, ignore_errors=True)
    catalogue = load(path, fingerprint)
    if catalogue.taxonomy is not None:
        try:
            write_entry(catalogue, cache_dir, name, prefix)
        except Exception:  # noqa: BLE001 - a cache that cannot be written is a slower start
            pass
    return catalogue


class BadEntry(ValueError):
    """A cache entry that is not exactly what write_entry stores."""


def read_entry(entry: Path, path: Path, fingerprint: str) -> Catalogue | None:
    """The catalogue kept in `entry`, or None when there is none or it fails a check."""
    try:
        meta = json.loads((entry / META_FILE).read_text(encoding="utf-8"))
        problems, files, dtypes = _checked_meta(meta)
        tables = {}
        for name in TABLES:
            table = pd.read_parquet(entry / f"{name}.parquet")
            if list(table.columns) != TABLE_COLUMNS[name] or _dtypes(table) != dtypes[name]:
                raise BadEntry(f"{name}.parquet holds another table")
            tables[name] = table
        taxonomy = read_taxonomy(path / TAXONOMY_FILE)
    except Exception:  # noqa: BLE001 - missing, damaged (JSON, Parquet), BadEntry, taxonomy
        return None
    return Catalogue(path, taxonomy, tables, problems, fingerprint, files)


META_FIELDS = {"problems", "files", "dtypes", "folder"}
PROBLEM_FIELDS = {"file": str, "line": (int, type(None)), "field": str, "message": str,
                  "severity": str}


def _checked_meta(meta) -> tuple[tuple[Problem, ...], dict[str, str], dict[str, dict]]:
    """(problems, files, dtypes) of an entry's metadata; BadEntry unless it is exactly what
    write_entry writes."""
    if not isinstance(meta, dict) or set(meta) != META_FIELDS:
        raise BadEntry("metadata fields")
    problems, files, dtypes = meta["problems"], meta["files"], meta["dtypes"]
    if not isinstance(problems, list) or not all(
            isinstance(p, dict) and set(p) == set(PROBLEM_FIELDS)
            and all(isinstance(p[k], t) and not isinstance(p[k], bool)
                    for k, t in PROBLEM_FIELDS.items())
            and p["severity"] in (ERROR, WARNING) for p in problems):
        raise BadEntry("problems")
    if not isinstance(files, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise BadEntry("files")
    if not isinstance(dtypes, dict) or set(dtypes) != set(TABLES) or not all(
            isinstance(d, dict) for d in dtypes.values()):
        raise BadEntry("dtypes")
    if not isinstance(meta["folder"], str):
        raise BadEntry("folder")
    return tuple(Problem(**p) for p in problems), files, dtypes


def _dtypes(table: pd.DataFrame) -> dict[str, str]:
    return {str(column): str(dtype) for column, dtype in table.dtypes.items()}


def write_entry(catalogue: Catalogue, cache_dir: Path, name: str, prefix: str) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".writing-", dir=cache_dir))
    try:
        for table in TABLES:
            catalogue.tables[table].to_parquet(staging / f"{table}.parquet", index=False)
        # Parquet gives every table's dtypes back as they were (a test keeps it so)
        meta = {"problems": [vars(p) for p in catalogue.problems], "files": catalogue.files,
                "dtypes": {table: _dtypes(catalogue.tables[table]) for table in TABLES},
                "folder": str(catalogue.path.resolve())}
        (staging / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
        os.replace(staging, cache_dir / name)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        if not (cache_dir / name).is_dir():
            raise
        return
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for old in cache_dir.glob(f"{prefix}-*"):
        if old.name != name:
            shutil.rmtree(old, ignore_errors=True)
    prune_cache(cache_dir, keep=name)


def _touch(entry: Path) -> None:
    try:
        os.utime(entry)
    except OSError:
        pass


def _entry_size(entry: Path) -> int:
    try:
        return sum(f.stat().st_size for f in entry.iterdir())
    except OSError:
        return 0


def max_cache_bytes() -> int:
    try:
        return int(float(os.environ[CACHE_MAX_ENV]) * 1024 * 1024)
    except (KeyError, ValueError):
        return MAX_CACHE_BYTES


def prune_cache(cache_dir: Path, keep: str = "", max_bytes: int | None = None) -> list[str]:
    """Remove the entries whose catalogue folder is gone, then the least recently used ones
    until the cache fits in `max_bytes`; never the entry `keep`. Returns the names removed.

    Entries being written (".writing-*") and anything that is not an entry are left alone.
    """
    max_bytes = max_cache_bytes() if max_bytes is None else max_bytes
    removed = []
    entries = []
    try:
        candidates = [e for e in cache_dir.iterdir()
                      if e.is_dir() and not e.name.startswith(".") and (e / META_FILE).is_file()]
    except OSError:
        return removed
    for entry in candidates:
        try:
            folder = json.loads((entry / META_FILE).read_text(encoding="utf-8")).get("folder")
            used = entry.stat().st_mtime
        except (OSError, ValueError, AttributeError):
            folder, used = None, 0.0
        if entry.name != keep and folder is not None and not Path(folder).is_dir():
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry.name)
            continue
        entries.append((used, entry))
    total = sum(_entry_size(entry) for _, entry in entries)
    for _, entry in sorted(entries, key=lambda e: e[0]):
        if total <= max_bytes:
            break
        if entry.name == keep:
            continue
        total -= _entry_size(entry)
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry.name)
    return removed


def derived_table(path: Path, fingerprint: str, cache_dir: Path, name: str,
                  compute: Callable[[], pd.DataFrame],
                  columns: list[str] | None = None) -> pd.DataFrame:
    """The table `name` computed from the catalogue at `path`: read from the catalogue's cache
    entry when it holds it, else computed and, when the entry exists, stored in it.

    Only a catalogue loaded through the cache has an entry; for any other the table is
    computed every time. A table that cannot be read, or whose columns are not `columns`
    (when given), is computed again; one that cannot be written is only a slower start.
    """
    _, entry_folder = entry_name(path, fingerprint)
    entry = cache_dir / entry_folder
    stored = entry / f"{DERIVED_PREFIX}{name}.parquet"
    try:
        table = pd.read_parquet(stored)
        if columns is None or list(table.columns) == list(columns):
            return table
    except Exception:  # noqa: BLE001 - missing or damaged: compute it again
        pass
    table = compute()
    if (entry / META_FILE).is_file():
        staging = entry / f".writing-{os.getpid()}-{stored.name}"
        try:
            table.to_parquet(staging, index=False)
            os.replace(staging, stored)
        except Exception:  # noqa: BLE001 - not stored: computed again next time
            staging.unlink(missing_ok=True)
    return table
