"""Load a catalogue (taxonomy.yaml + roles/*.yaml) into tidy pandas tables: from a folder,
or from documents held in memory (a workspace's versions), through the same reader and
checks; and update such a catalogue when a few of its documents change."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..model import checks, metrics
from ..model.catalogue import Catalogue
from ..model.problems import WARNING, CatalogueError, Problem
from ..model.regularfile import file_kind
from ..model.schema import Taxonomy
from ..model.tables import TABLE_COLUMNS, empty_tables
from . import cache
from .files import ROLES_DIR, TAXONOMY_FILE, RoleDocument, read_taxonomy, source_name
from .fingerprint import catalogue_fingerprint
from .readpool import Chunk, gc_paused, read_chunk, read_role_files

ROLE_TABLES = tuple(name for name in TABLE_COLUMNS if name != "metrics")


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
    roles_dir = path / ROLES_DIR
    role_files = sorted(roles_dir.glob("*.yaml"), key=lambda f: f.name)
    problems = []
    not_a_folder = roles_dir.exists() and not roles_dir.is_dir()
    if not_a_folder:
        problems.append(Problem(ROLES_DIR, None, "", f"is {file_kind(roles_dir.stat().st_mode)}, "
                                f"not a folder; make {ROLES_DIR} a folder that holds one "
                                "<id>.yaml file per role"))
    problems += [Problem(f"{ROLES_DIR}/{file.name}", None, "", "ignored: role files must end "
                         "in .yaml; rename it", WARNING)
                 for file in sorted(roles_dir.glob("*.yml"))]
    with gc_paused():
        chunks = read_role_files(role_files, taxonomy)
        return _assemble(path, taxonomy, fingerprint, [source_name(f) for f in role_files],
                         chunks, problems, no_roles_message=not not_a_folder)


def load_documents(label: str | Path, taxonomy: RoleDocument,
                   documents: dict[str, RoleDocument], fingerprint: str,
                   labels: dict[str, str] | None = None) -> Catalogue:
    """Load a catalogue from documents held in memory, exactly as a folder of the same files
    loads: `taxonomy` is taxonomy.yaml, `documents` maps a key (the role id it is stored
    under) to its roles/<id>.yaml. `labels` names each document in problems (a document
    name -> e.g. "roles/head-of-sales.yaml (version 3)").

    The catalogue keeps what reading each document gave, so `update_documents` can re-read
    only the documents that change.
    """
    labels = labels or {}
    try:
        taxonomy_model = read_taxonomy(taxonomy)
    except CatalogueError as exc:
        return Catalogue(Path(label), None, empty_tables(),
                         tuple(_relabel(exc.problems, labels)), fingerprint, labels=labels)
    keys = sorted(documents, key=lambda k: documents[k].name)
    sources = [documents[k] for k in keys]
    with gc_paused():
        chunks = read_role_files(sources, taxonomy_model)
        catalogue = _assemble(Path(label), taxonomy_model, fingerprint,
                              [s.name for s in sources], chunks, [], labels)
    entries = [entry for chunk in chunks for entry in chunk.entries]
    readings = {key: (entry, problems, source.name)
                for key, source, (entry, problems) in zip(keys, sources, entries)}
    return replace(catalogue, readings=readings)


def update_documents(previous: Catalogue, changed: dict[str, RoleDocument | None],
                     fingerprint: str, labels: dict[str, str] | None = None,
                     problems_only: bool = False) -> Catalogue | None:
    """The catalogue `previous` (from load_documents) with some of its role documents
    replaced, added (key -> document) or removed (key -> None): only those are read again;
    the tables are patched, the derived metrics recomputed over the whole catalogue, and the
    cross-role checks too unless the change leaves every field they read (ids, lines,
    references, business areas, and the lines those are on) as it was. Gives the same
    catalogue as loading every document again.

    Returns None when the change cannot be patched in (two documents claim the same role
    id, or `previous` was not loaded from documents); the caller then loads everything.
    With `problems_only` (to check an edit), only the problems are new: the tables are the
    previous ones.
    """
    taxonomy = previous.taxonomy
    if taxonomy is None or (previous.readings == {} and not previous.roles.empty):
        return None
    if len(previous.roles) != sum(r[0] is not None for r in previous.readings.values()):
        return None  # some ids collided: the full load kept one of them
    labels = {**previous.labels, **(labels or {})}
    readings = dict(previous.readings)
    old_readings = {key: readings.pop(key, None) for key in changed}
    fresh = {key: doc for key, doc in changed.items() if doc is not None}
    fresh_keys = sorted(fresh, key=lambda k: fresh[k].name)
    with gc_paused():
        chunk = read_chunk([fresh[k] for k in fresh_keys], 0, taxonomy)
    for key, (entry, problems) in zip(fresh_keys, chunk.entries):
        readings[key] = (entry, problems, fresh[key].name)
    if _has_colliding_ids(readings.values()):
        return None  # the full load decides which of the colliding roles is kept
    if problems_only:
        tables = previous.tables
    else:
        tables = _patched_tables(previous, old_readings, readings, fresh_keys, chunk)
        tables["metrics"] = (_patched_metrics(previous, tables, old_readings, taxonomy)
                             if _same_structure(previous, tables, old_readings) is not None
                             else metrics.compute_metrics(tables, taxonomy))
    entries = [r[0] for r in readings.values() if r[0] is not None]
    same_references = all(_reference_view(old_readings[key]) == _reference_view(readings.get(key))
                          for key in changed)
    reference = (previous.reference_problems if same_references and previous.readings
                 else tuple(checks.reference_problems(entries, taxonomy)))
    problems = [p for r in readings.values() for p in r[1]] + list(reference)
    files = {entry.role.id: entry.name for entry in sorted(entries, key=lambda e: e.name)}
    return Catalogue(previous.path, taxonomy, tables,
                     tuple(sorted(_relabel(problems, labels), key=_problem_order)),
                     fingerprint, files, readings, labels, reference)


STRUCTURE_FIELDS = ["role_id", "reports_to", "headcount"]


def _same_structure(previous: Catalogue, tables: dict, old_readings: dict) -> list[str] | None:
    """The changed role ids when the change leaves the reporting structure as it was (same
    roles, same solid lines, same headcounts), else None."""
    ids = [r[0].role.id for r in old_readings.values() if r is not None and r[0] is not None]
    before, after = previous.tables["roles"], tables["roles"]
    if len(before) != len(after) or len(ids) != len(old_readings) or \
            not after["role_id"].isin(ids).sum() == len(ids):
        return None
    old = before[before["role_id"].isin(ids)][STRUCTURE_FIELDS].reset_index(drop=True)
    new = after[after["role_id"].isin(ids)][STRUCTURE_FIELDS].reset_index(drop=True)
    return ids if old.equals(new) else None


def _patched_metrics(previous: Catalogue, tables: dict, old_readings: dict,
                     taxonomy: Taxonomy) -> pd.DataFrame:
    """The previous metrics with the rows of the changed roles recomputed from their own rows
    (the structure figures, which need the whole catalogue, are the previous ones)."""
    ids = _same_structure(previous, tables, old_readings)
    table = previous.tables["metrics"]
    mask = table["role_id"].isin(ids).to_numpy(dtype=bool)
    structure = table.loc[mask, metrics.STRUCTURE_COLUMNS].reset_index(drop=True)
    own = {name: frame[frame["role_id"].isin(ids)] for name, frame in tables.items()
           if name != "metrics"}
    fresh = metrics.metrics_of(own, structure, taxonomy)
    positions = np.flatnonzero(mask)
    parts = []
    start = 0
    for n, position in enumerate(positions):
        parts += [table.iloc[start:position], fresh.iloc[n:n + 1]]
        start = position + 1
    parts.append(table.iloc[start:])
    return pd.concat(parts, ignore_index=True)


def _reference_view(reading) -> tuple | None:
    """What the cross-role checks read of one document: its role's keys and the lines of
    the fields they report on (None when the document has no usable role)."""
    if reading is None or reading[0] is None:
        return None
    entry = reading[0]
    return entry.role, entry.name, tuple(sorted(entry.doc.lines.items()))


def _patched_tables(previous: Catalogue, old_readings: dict, readings: dict,
                    fresh_keys: list[str], chunk: Chunk) -> dict[str, pd.DataFrame]:
    """The previous tables with the rows of the changed roles replaced. A role that keeps
    its id and its place gets its new rows spliced in where the old ones were; otherwise the
    rows are dropped and added, and the tables put back in document order."""
    new_entries = dict(zip(fresh_keys, (entry for entry, _ in chunk.entries)))
    in_place: dict[str, int] = {}  # role id -> number of its role in the new chunk
    number = {key: n for n, key in enumerate(fresh_keys)}
    gone_ids: set[str] = set()
    new_ids: set[str] = set()
    for key, old in old_readings.items():
        old_id = old[0].role.id if old is not None and old[0] is not None else None
        new = new_entries.get(key)
        new_id = new.role.id if new is not None else None
        if old_id is not None and old_id == new_id:
            in_place[old_id] = number[key]
        else:
            gone_ids |= {old_id} - {None}
            new_ids |= {new_id} - {None}
    tables = {}
    order = None
    for name in ROLE_TABLES:
        table = previous.tables[name]
        added = chunk.tables[name]
        for role_id, n in in_place.items():
            replacement = added[added["_file_no"] == n].drop(columns="_file_no")
            rows = np.flatnonzero((table["role_id"] == role_id).to_numpy(dtype=bool))
            if len(rows) and rows[-1] - rows[0] + 1 == len(rows):
                start, end = rows[0], rows[-1] + 1
            elif not len(rows):  # no rows before: where the document order puts them
                if replacement.empty:
                    continue
                start = end = _position(table["role_id"], role_id)
            else:  # rows that are not together: drop them and put the table in order
                gone_ids.add(role_id)
                new_ids.add(role_id)
                continue
            table = pd.concat([table.iloc[:start], replacement, table.iloc[end:]],
                              ignore_index=True)
        if gone_ids or new_ids:
            table = table[~table["role_id"].isin(gone_ids | new_ids)]
            wanted = [number[k] for k in fresh_keys
                      if new_entries[k] is not None and new_entries[k].role.id in new_ids]
            extra = added[added["_file_no"].isin(wanted)].drop(columns="_file_no")
            table = pd.concat([table, extra], ignore_index=True) if len(extra) else table
            if order is None:
                order = {entry.role.id: name for entry, _, name in readings.values()
                         if entry is not None}
            rank = table["role_id"].map(order).to_numpy(dtype=object)
            table = table.iloc[np.argsort(rank, kind="stable")]
        tables[name] = table.reset_index(drop=True)
    return tables


def _position(role_ids: pd.Series, role_id: str) -> int:
    """Where the rows of `role_id` go in a table ordered by document name (roles/<id>.yaml):
    a binary search that reads a few cells, not the whole column."""
    low, high = 0, len(role_ids)
    key = f"{role_id}.yaml"
    while low < high:
        middle = (low + high) // 2
        if f"{role_ids.iloc[middle]}.yaml" < key:
            low = middle + 1
        else:
            high = middle
    return low


def _has_colliding_ids(readings) -> bool:
    ids = [checks.normalise_id(r[0].role.id) for r in readings if r[0] is not None]
    return len(set(ids)) < len(ids)


def _assemble(path: Path, taxonomy: Taxonomy, fingerprint: str, names: list[str],
              chunks: list[Chunk], problems: list[Problem],
              labels: dict[str, str] | None = None, no_roles_message: bool = True) -> Catalogue:
    """The catalogue of the role sources `names` (in order), read into `chunks`."""
    if not names and no_roles_message:
        problems.append(Problem(f"{ROLES_DIR}/", None, "", "no role files found; add one "
                                "<id>.yaml file per role"))
    entries: list[checks.RoleFile] = []
    for chunk in chunks:
        for entry, file_problems in chunk.entries:
            problems += file_problems
            if entry is not None:
                entries.append(entry)
    reference = tuple(checks.reference_problems(entries, taxonomy))
    problems += reference

    # Keep the first of any roles whose ids collide, so every table stays keyed by role_id.
    file_no = {name: n for n, name in enumerate(names)}
    unique: dict[str, checks.RoleFile] = {}
    for entry in sorted(entries, key=lambda e: e.precedence):
        unique.setdefault(checks.normalise_id(entry.role.id), entry)
    kept = sorted(unique.values(), key=lambda e: e.name)
    kept_numbers = {file_no[e.name] for e in kept}
    tables = {}
    for name in ROLE_TABLES:
        parts = [chunk.tables[name] for chunk in chunks]
        table = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        if len(kept_numbers) < len(entries):
            table = table[table["_file_no"].isin(kept_numbers)]
        tables[name] = table.drop(columns="_file_no").reset_index(drop=True)
    tables["metrics"] = metrics.compute_metrics(tables, taxonomy)
    files = {e.role.id: e.name for e in kept}
    problems = _relabel(problems, labels or {})
    return Catalogue(path, taxonomy, tables, tuple(sorted(problems, key=_problem_order)),
                     fingerprint, files, labels=labels or {}, reference_problems=reference)


def _relabel(problems, labels: dict[str, str]) -> list[Problem]:
    """Problems with each document's name replaced by its label (e.g. with its version)."""
    if not labels:
        return list(problems)
    return [replace(p, file=labels[p.file]) if p.file in labels else p for p in problems]


def _problem_order(problem: Problem):
    return (problem.file, problem.line or 0, problem.field, problem.message)
