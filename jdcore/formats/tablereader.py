"""The strict table reader shared by the CSV bundle and the Excel workbook importers.

Reading is strict and reports every problem at once, each naming the file (or sheet), the
line (row) and the column: a missing or unknown column, a number, whole number or true/false
value that is not one, a row whose role is not in the roles table. The derived columns and
table (grade_level, scope_level, metrics) are not read: loading the written catalogue
computes them again from the taxonomy.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd
from pydantic import ValidationError

from ..loading import load_catalogue
from ..loading.files import TAXONOMY_FILE
from ..model.catalogue import Catalogue
from ..model.problems import CatalogueError, Problem, ProblemsMixin, did_you_mean
from ..model.schema import Taxonomy
from ..model.schema_errors import validation_problems
from ..model.tables import COLUMN_DTYPES, DERIVED_TABLES, TABLE_COLUMNS, set_dtypes
from ..model.regularfile import read_regular_file
from ..model.yamlfile import MAX_FILE_BYTES, parse_yaml_bytes
from .csvio import FORMULA_PREFIXES
from .limits import DEFAULT_LIMITS, Budget, ImportLimits, LimitExceeded, count, shorten
from .writer import WriteError, role_id_problem, write_tables

EMBEDDED_TAXONOMY = Path(__file__).resolve().parents[2] / "data" / TAXONOMY_FILE

# The tables an import reads (metrics is derived, so it is not), and the derived columns.
IMPORT_TABLES = tuple(name for name in TABLE_COLUMNS if name not in DERIVED_TABLES)
# Tables a bundle or workbook may leave out (written before they existed): read as empty.
OPTIONAL_TABLES = ("accountabilities",)
REQUIRED_TABLES = tuple(name for name in IMPORT_TABLES if name not in OPTIONAL_TABLES)
DERIVED_COLUMNS = {"roles": ("grade_level", "file"), "rights": ("scope_level",)}
INT_COLUMNS = {key for key, dtype in COLUMN_DTYPES.items() if dtype == "Int64"}
FLOAT_COLUMNS = {key for key, dtype in COLUMN_DTYPES.items() if dtype == "float64"}
BOOL_COLUMNS = {key for key, dtype in COLUMN_DTYPES.items() if dtype == "boolean"}
TRUE, FALSE = {"true", "yes", "1"}, {"false", "no", "0"}
HINTED_STRANGERS = 50  # rows of unknown roles that get a did-you-mean


@dataclass
class ImportResult(ProblemsMixin):
    """Tables read from a bundle or workbook, the taxonomy to write with them, every problem."""

    tables: dict[str, pd.DataFrame]
    taxonomy: Taxonomy | None
    problems: list[Problem] = field(default_factory=list)


# --- cells -----------------------------------------------------------------------------------

def unneutralise(text: str) -> str:
    """Undo jdcore.formats.csvio.neutralise: drop the apostrophe put before a formula-like text."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "") or (
        isinstance(value, float) and math.isnan(value))


def convert_cell(table: str, column: str, value):
    """A cell (text from CSV, or a typed Excel value) as the column's type; ValueError if not."""
    key = (table, column)
    if blank(value):
        return None
    if key in INT_COLUMNS:
        if isinstance(value, bool):
            raise ValueError(f"'{value}' is not a whole number; write digits such as 3")
        if isinstance(value, (int, float)):
            number = float(value)
        else:
            try:
                number = float(str(value).strip())
            except ValueError:
                raise ValueError(f"'{value}' is not a whole number; write digits such as 3") from None
        if not math.isfinite(number) or not number.is_integer():
            raise ValueError(f"'{value}' is not a whole number; write digits such as 3")
        return int(number)
    if key in FLOAT_COLUMNS:
        if isinstance(value, bool):
            raise ValueError(f"'{value}' is not a number; write digits such as 15 or 12.5")
        try:
            number = float(value if isinstance(value, (int, float)) else str(value).strip())
        except ValueError:
            raise ValueError(f"'{value}' is not a number; write digits such as 15 or 12.5") from None
        if not math.isfinite(number):
            raise ValueError(f"'{value}' is not a number; write digits such as 15 or 12.5")
        return number
    if key in BOOL_COLUMNS:
        if isinstance(value, bool):
            return value
        text = str(value).strip().casefold()
        if text in TRUE:
            return True
        if text in FALSE:
            return False
        raise ValueError(f"'{value}' is not true or false; write True or False")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):  # an Excel date cell in a text column
        return value.isoformat()[:10] if column == "source_modified" else value.isoformat()
    return unneutralise(str(value))


# --- tables ----------------------------------------------------------------------------------

def read_table(name: str, where: str, header: list, rows: Iterable[tuple[int, list]],
               row_word: str = "line", limits: ImportLimits = DEFAULT_LIMITS,
               budget: Budget | None = None) -> tuple[pd.DataFrame | None, list[Problem]]:
    """One table from its header and (line or row number, cells) rows, strictly.

    `where` names the file or sheet in problems. Returns None as the table when its header
    is unusable (missing or unknown columns), or when it has more than `limits.problems`
    problems. `rows` is read lazily, and stops at the caps of `limits` (rows of the table,
    roles, duties, rows of one role, cells of a row, time) with LimitExceeded.
    """
    expected = TABLE_COLUMNS[name]
    header = ["" if h is None else str(h).strip().removeprefix("\ufeff") for h in header]
    problems: list[Problem] = []
    if len(header) > limits.columns:
        raise LimitExceeded(where, 1, "", f"the header has {count(len(header))} cells; a "
                            f"table has at most {limits.columns} columns: delete the cells "
                            "right of the table")
    missing = [c for c in expected if c not in header]
    unknown = [c for c in header if c not in expected]
    for column in missing:
        if column in DERIVED_COLUMNS.get(name, ()):
            continue
        problems.append(Problem(where, 1, column, "column is missing; the header must be: "
                                + ", ".join(expected)))
    for column in unknown:
        label = column or "(empty)"
        hint = did_you_mean(column, [c for c in expected if c in missing]) if column else ""
        problems.append(Problem(where, 1, label, f"unknown column{hint or '; remove it'}"))
    duplicated = sorted({c for c in header if c and header.count(c) > 1})
    problems += [Problem(where, 1, c, "column appears more than once; keep one")
                 for c in duplicated]
    if problems:
        return None, problems
    budget = budget or Budget(limits)
    cap, what = _row_cap(name, limits)
    per_role: Counter[str] = Counter()
    index = {c: header.index(c) for c in expected if c in header}
    values: dict[str, list] = {c: [] for c in ["_line"] + expected}
    kept = 0
    for seen, (number, cells) in enumerate(rows, 1):
        if seen % Budget.EVERY == 0:
            budget.check(where, number)
        if len(cells) > limits.columns:
            raise LimitExceeded(where, number, "", f"{row_word} has {count(len(cells))} cells; "
                                f"a table has at most {limits.columns} columns: delete the "
                                "cells right of the table")
        if all(blank(c) for c in cells):
            continue
        if len(problems) >= limits.problems:
            problems.append(Problem(where, number, "", f"more than {count(limits.problems)} "
                                    f"problems; the rest of the {row_word}s were not read: fix "
                                    "these and import the file again"))
            return None, problems
        if len(cells) > len(header) and any(not blank(c) for c in cells[len(header):]):
            problems.append(Problem(where, number, "", f"{row_word} has {len(cells)} cells but "
                                    f"the header has {len(header)} columns; remove the extra "
                                    "cells or quote text that holds commas"))
            continue
        record = {"_line": number}
        for column in expected:
            if column not in index:
                record[column] = None
                continue
            value = cells[index[column]] if index[column] < len(cells) else None
            try:
                record[column] = convert_cell(name, column, value)
            except ValueError as exc:
                record[column] = None
                problems.append(Problem(where, number, column, str(exc)))
        rid = record.get("role_id")
        if rid is None:
            problems.append(Problem(where, number, "role_id", "empty; every row names its role"))
            continue
        if name == "roles":
            unusable = role_id_problem(rid)
            if unusable:
                problems.append(Problem(where, number, "role_id", unusable))
                continue
        else:
            per_role[rid] += 1
            if per_role[rid] > limits.rows_per_role:
                raise LimitExceeded(where, number, "role_id", f"role '{shorten(rid)}' has more "
                                    f"than {count(limits.rows_per_role)} rows here; a role "
                                    f"holds at most {count(limits.rows_per_role)} {name}: "
                                    "remove rows or split the role")
        kept += 1
        if kept > cap:
            raise LimitExceeded(where, number, "", f"more than {count(cap)} {what}; an import "
                                f"holds at most {count(cap)} {what}: split the catalogue into "
                                "several imports")
        for column, value in record.items():
            values[column].append(value)
    return pd.DataFrame(values, columns=["_line"] + expected), problems


def _row_cap(name: str, limits: ImportLimits) -> tuple[int, str]:
    """The most rows the table may hold, and what they are called in a message."""
    if name == "roles":
        return limits.roles, "roles"
    if name == "duties":
        return limits.duties, "duties"
    return limits.table_rows, f"rows in the {name} table"


def finish_tables(raw: dict[str, pd.DataFrame], where: dict[str, str],
                  problems: list[Problem],
                  limits: ImportLimits = DEFAULT_LIMITS) -> dict[str, pd.DataFrame]:
    """Cross-table checks (duplicate roles, rows of unknown roles), typed tables. At most
    `limits.problems` problems are listed, then one that says how many more there are."""
    roles = raw.get("roles")
    known: set[str] = set()
    unlisted = 0

    def report(problem: Problem) -> None:
        nonlocal unlisted
        if len(problems) < limits.problems:
            problems.append(problem)
        else:
            unlisted += 1

    if roles is not None:
        seen: dict[str, int] = {}
        keep = []
        unit = "line" if where["roles"].endswith(".csv") else "row"
        for line, rid in zip(roles["_line"], roles["role_id"]):
            if rid in seen:
                report(Problem(where["roles"], line, "role_id",
                               f"role '{rid}' appears twice (first on {unit} {seen[rid]}); "
                               "keep one row per role"))
                keep.append(False)
                continue
            seen[rid] = line
            keep.append(True)
        raw["roles"] = roles[pd.Series(keep, index=roles.index, dtype=bool)]
        known = set(seen)
    names = sorted(known)
    strangers = 0
    for name, frame in raw.items():
        if name == "roles" or roles is None:
            continue
        for line, rid in zip(frame["_line"], frame["role_id"]):
            if rid not in known:
                strangers += 1  # a hint costs a search of every role: only for the first few
                hint = did_you_mean(rid, names) if strangers <= HINTED_STRANGERS else ""
                report(Problem(where[name], line, "role_id",
                               f"'{rid}' is not a role in {where['roles']}{hint}"))
    if unlisted:
        problems.append(Problem(where["roles"], None, "", f"{count(unlisted)} more problems of "
                                "the same kinds were not listed; fix these and import again"))
    tables = {}
    for name in IMPORT_TABLES:
        frame = raw.get(name)
        if frame is None:
            tables[name] = pd.DataFrame(columns=TABLE_COLUMNS[name])
        else:
            tables[name] = frame.drop(columns="_line").reset_index(drop=True)
    for name, frame in tables.items():
        for column in frame.columns:
            if (name, column) not in COLUMN_DTYPES:
                frame[column] = frame[column].astype(object)
    return set_dtypes(tables)


def read_taxonomy_bytes(raw: bytes, name: str = TAXONOMY_FILE) -> tuple[Taxonomy | None,
                                                                          list[Problem]]:
    try:
        doc = parse_yaml_bytes(raw, name)
    except CatalogueError as exc:
        return None, exc.problems
    try:
        return Taxonomy.model_validate(doc.data), []
    except ValidationError as exc:
        return None, validation_problems(exc, doc, Taxonomy)


def default_taxonomy(path: str | Path | None = None) -> tuple[Taxonomy | None, list[Problem]]:
    """The taxonomy at `path` (a taxonomy.yaml file), by default the embedded catalogue's."""
    path = Path(path) if path is not None else EMBEDDED_TAXONOMY
    try:
        raw = read_regular_file(path, str(path), MAX_FILE_BYTES,
                                reading="cannot read the taxonomy")
    except CatalogueError as exc:
        return None, exc.problems
    return read_taxonomy_bytes(raw, str(path) if path != EMBEDDED_TAXONOMY else TAXONOMY_FILE)


# --- writing ---------------------------------------------------------------------------------

def write_import(result: ImportResult, out: str | Path, *, force: bool = False,
                 header: str = "") -> Catalogue:
    """Write an import as a catalogue folder and load it back (validating it); raise
    WriteError when the folder may not be written or the import has no usable taxonomy."""
    if result.taxonomy is None:
        raise WriteError("the import has no usable taxonomy; fix taxonomy.yaml first")
    write_tables(out, result.tables, result.taxonomy, force=force, header=header)
    return load_catalogue(out)
