"""Import the catalogue tables from a CSV bundle (a folder or a ZIP of the CSVs that
`python -m jdcore export` writes); the shared strict table reader used by the Excel import.

Reading is strict and reports every problem at once, each naming the file (or sheet), the
line (row) and the column: a missing table, a missing or unknown column, a number, whole
number or true/false value that is not one, a row whose role is not in roles.csv. The derived
columns and table (grade_level, scope_level, metrics) are not read: loading the written
catalogue computes them again from the taxonomy.

The bundle holds no taxonomy: a taxonomy.yaml beside the CSVs is used when present,
otherwise the one given (by default the embedded catalogue's).
"""

from __future__ import annotations

import csv
import io
import math
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd
from pydantic import ValidationError

from .catalogue import (COLUMN_DTYPES, TABLE_COLUMNS, TAXONOMY_FILE, Catalogue, _set_dtypes,
                        load_catalogue)
from .csvio import ENCODING, FORMULA_PREFIXES
from .problems import WARNING, CatalogueError, Problem, ProblemsMixin, did_you_mean
from .schema import Taxonomy
from .schema_errors import validation_problems
from .writer import WriteError, write_tables
from .yamlfile import parse_yaml_bytes

EMBEDDED_TAXONOMY = Path(__file__).resolve().parent.parent / "data" / TAXONOMY_FILE
MAX_TABLE_BYTES = 50 * 1024 * 1024        # one CSV file or member of a bundle ZIP
MAX_BUNDLE_BYTES = 200 * 1024 * 1024      # all members of a bundle ZIP, uncompressed
MAX_ZIP_RATIO = 200                        # uncompressed / compressed size of one member

# The tables an import reads (metrics is derived, so it is not), and the derived columns.
IMPORT_TABLES = tuple(name for name in TABLE_COLUMNS if name != "metrics")
DERIVED_COLUMNS = {"roles": ("grade_level", "file"), "rights": ("scope_level",)}
INT_COLUMNS = {key for key, dtype in COLUMN_DTYPES.items() if dtype == "Int64"}
FLOAT_COLUMNS = {key for key, dtype in COLUMN_DTYPES.items() if dtype == "float64"}
BOOL_COLUMNS = {key for key, dtype in COLUMN_DTYPES.items() if dtype == "boolean"}
TRUE, FALSE = {"true", "yes", "1"}, {"false", "no", "0"}


@dataclass
class ImportResult(ProblemsMixin):
    """Tables read from a bundle or workbook, the taxonomy to write with them, every problem."""

    tables: dict[str, pd.DataFrame]
    taxonomy: Taxonomy | None
    problems: list[Problem] = field(default_factory=list)


def table_file_name(name: str) -> str:
    return f"{name}.csv"


# --- cells -----------------------------------------------------------------------------------

def unneutralise(text: str) -> str:
    """Undo jdcore.csvio.neutralise: drop the apostrophe put before a formula-like text."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "") or (
        isinstance(value, float) and math.isnan(value))


def _convert(table: str, column: str, value):
    """A cell (text from CSV, or a typed Excel value) as the column's type; ValueError if not."""
    key = (table, column)
    if _blank(value):
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
               row_word: str = "line") -> tuple[pd.DataFrame | None, list[Problem]]:
    """One table from its header and (line or row number, cells) rows, strictly.

    `where` names the file or sheet in problems. Returns None as the table when its header
    is unusable (missing or unknown columns).
    """
    expected = TABLE_COLUMNS[name]
    header = ["" if h is None else str(h).strip().removeprefix("\ufeff") for h in header]
    problems: list[Problem] = []
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
    index = {c: header.index(c) for c in expected if c in header}
    records = []
    for number, cells in rows:
        if all(_blank(c) for c in cells):
            continue
        if len(cells) > len(header) and any(not _blank(c) for c in cells[len(header):]):
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
                record[column] = _convert(name, column, value)
            except ValueError as exc:
                record[column] = None
                problems.append(Problem(where, number, column, str(exc)))
        if record.get("role_id") is None:
            problems.append(Problem(where, number, "role_id", "empty; every row names its role"))
            continue
        records.append(record)
    frame = pd.DataFrame(records, columns=["_line"] + expected)
    return frame, problems


def _finish(raw: dict[str, pd.DataFrame], where: dict[str, str],
            problems: list[Problem]) -> dict[str, pd.DataFrame]:
    """Cross-table checks (duplicate roles, rows of unknown roles), typed tables."""
    roles = raw.get("roles")
    known: set[str] = set()
    if roles is not None:
        seen: dict[str, int] = {}
        keep = []
        unit = "line" if where["roles"].endswith(".csv") else "row"
        for line, rid in zip(roles["_line"], roles["role_id"]):
            if rid in seen:
                problems.append(Problem(where["roles"], line, "role_id",
                                        f"role '{rid}' appears twice (first on {unit} "
                                        f"{seen[rid]}); keep one row per role"))
                keep.append(False)
                continue
            seen[rid] = line
            keep.append(True)
        raw["roles"] = roles[pd.Series(keep, index=roles.index, dtype=bool)]
        known = set(seen)
    for name, frame in raw.items():
        if name == "roles" or roles is None:
            continue
        for line, rid in zip(frame["_line"], frame["role_id"]):
            if rid not in known:
                problems.append(Problem(where[name], line, "role_id",
                                        f"'{rid}' is not a role in {where['roles']}"
                                        f"{did_you_mean(rid, sorted(known))}"))
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
    return _set_dtypes(tables)


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
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(str(path), None, "", f"cannot read the taxonomy: {exc.strerror}")]
    return read_taxonomy_bytes(raw, str(path) if path != EMBEDDED_TAXONOMY else TAXONOMY_FILE)


# --- CSV bundle ------------------------------------------------------------------------------

def _csv_rows(name: str, raw: bytes) -> tuple[list | None, list, list[Problem]]:
    """Header and (line, cells) rows of CSV bytes; problems for bad encoding or quoting."""
    try:
        text = raw.decode(ENCODING)
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [], [Problem(name, line, "", f"byte 0x{raw[exc.start]:02x} is not valid "
                                  "UTF-8; save the file as UTF-8 CSV")]
    if "\x00" in text:
        return None, [], [Problem(name, text[: text.index("\x00")].count("\n") + 1, "",
                                  "NUL byte in the file; this is not a CSV text file")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        header = next(reader, None)
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            rows.append((start, cells))
    except csv.Error as exc:
        return None, [], [Problem(name, reader.line_num, "", f"not valid CSV: {exc}")]
    if header is None:
        return None, [], [Problem(name, None, "", "file is empty; it needs at least the header "
                                  "row")]
    return header, rows, []


def import_bundle_files(files: dict[str, bytes], taxonomy: Taxonomy | None = None,
                        source: str = "") -> ImportResult:
    """Tables from the bundle's files (file name -> bytes); `source` prefixes file names."""
    problems: list[Problem] = []
    if TAXONOMY_FILE in files:
        taxonomy, found = read_taxonomy_bytes(files[TAXONOMY_FILE], source + TAXONOMY_FILE)
        problems += found
    elif taxonomy is None:
        taxonomy, found = default_taxonomy()
        problems += found
    expected = {table_file_name(n) for n in TABLE_COLUMNS} | {TAXONOMY_FILE}
    for extra in sorted(set(files) - expected):
        problems.append(Problem(source + extra, None, "", "not a table of the bundle; ignored"
                                f"{did_you_mean(extra, sorted(expected))}", WARNING))
    raw: dict[str, pd.DataFrame] = {}
    where: dict[str, str] = {}
    for name in IMPORT_TABLES:
        file = table_file_name(name)
        where[name] = source + file
        if file not in files:
            problems.append(Problem(source + file, None, "", "file is missing; a CSV bundle "
                                    "holds one file per table: " + ", ".join(
                                        table_file_name(n) for n in IMPORT_TABLES)))
            continue
        if len(files[file]) > MAX_TABLE_BYTES:
            problems.append(Problem(source + file, None, "", f"file is {len(files[file])} "
                                    f"bytes, over the {MAX_TABLE_BYTES} byte limit"))
            continue
        header, rows, found = _csv_rows(source + file, files[file])
        problems += found
        if header is None:
            continue
        frame, found = read_table(name, source + file, header, rows)
        problems += found
        if frame is not None:
            raw[name] = frame
    tables = _finish(raw, where, problems)
    return ImportResult(tables, taxonomy, problems)


def import_csv_folder(path: str | Path, taxonomy: Taxonomy | None = None) -> ImportResult:
    """Read the CSV bundle in a folder (the files `python -m jdcore export` writes)."""
    path = Path(path)
    if not path.is_dir():
        return ImportResult({}, taxonomy, [Problem(str(path), None, "", "folder not found; give "
                                                   "the folder `python -m jdcore export` wrote")])
    files: dict[str, bytes] = {}
    problems: list[Problem] = []
    for file in sorted(path.iterdir()):
        if not file.is_file() or not (file.suffix == ".csv" or file.name == TAXONOMY_FILE):
            continue
        size = file.stat().st_size
        if size > MAX_TABLE_BYTES:
            problems.append(Problem(file.name, None, "", f"file is {size} bytes, over the "
                                    f"{MAX_TABLE_BYTES} byte limit"))
            files[file.name] = b""
            continue
        files[file.name] = file.read_bytes()
    result = import_bundle_files(files, taxonomy)
    if problems:  # an oversized file was read as empty: drop its "empty file" problem
        oversized = {p.file for p in problems}
        result.problems = problems + [p for p in result.problems if p.file not in oversized]
    return result


def zip_members(data: bytes, what: str = "ZIP file", max_total: int = MAX_BUNDLE_BYTES,
                max_member: int = MAX_TABLE_BYTES) -> dict[str, bytes]:
    """The files of a ZIP, after checking its directory: raise CatalogueError for a file that
    is not a ZIP, a zip bomb (declared sizes or ratios over the caps), encrypted or nested
    paths. Sizes are checked from the directory BEFORE anything is decompressed, and each
    member is read with a hard limit in case its directory entry lies."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise CatalogueError([Problem(what, None, "", "not a ZIP file; upload the ZIP of CSV "
                                      "files the Export page downloads")]) from None
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        total = sum(i.file_size for i in infos)
        if total > max_total:
            raise CatalogueError([Problem(what, None, "", f"unpacks to {total} bytes, over the "
                                          f"{max_total} byte limit; refused (possible zip "
                                          "bomb)")])
        problems = []
        for info in infos:
            if info.file_size > max_member or (
                    info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO
                    and info.file_size > 1024 * 1024):
                problems.append(Problem(what, None, info.filename, f"unpacks to "
                                        f"{info.file_size} bytes from {info.compress_size}; "
                                        "refused (possible zip bomb)"))
            if info.flag_bits & 0x1:
                problems.append(Problem(what, None, info.filename, "encrypted; refused"))
        if problems:
            raise CatalogueError(problems)
        files: dict[str, bytes] = {}
        for info in infos:
            name = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
            if not name or name.startswith((".", "__MACOSX")) or "__MACOSX/" in info.filename:
                continue
            with archive.open(info) as member:
                content = member.read(info.file_size + 1)
            if len(content) > info.file_size:
                raise CatalogueError([Problem(what, None, info.filename, "holds more bytes "
                                              "than its directory entry says; refused")])
            if name in files:
                raise CatalogueError([Problem(what, None, info.filename, f"a second file named "
                                              f"{name}; keep one")])
            files[name] = content
    return files


def import_csv_zip(data: bytes, taxonomy: Taxonomy | None = None,
                   name: str = "upload.zip") -> ImportResult:
    """Read a CSV bundle ZIP (as the Export page downloads it)."""
    try:
        files = zip_members(data, name)
    except CatalogueError as exc:
        return ImportResult({}, taxonomy, exc.problems)
    return import_bundle_files(files, taxonomy, source=f"{name}: ")


# --- writing ---------------------------------------------------------------------------------

def write_import(result: ImportResult, out: str | Path, *, force: bool = False,
                 header: str = "") -> Catalogue:
    """Write an import as a catalogue folder and load it back (validating it); raise
    WriteError when the folder may not be written or the import has no usable taxonomy."""
    if result.taxonomy is None:
        raise WriteError("the import has no usable taxonomy; fix taxonomy.yaml first")
    write_tables(out, result.tables, result.taxonomy, force=force, header=header)
    return load_catalogue(out)


# --- uploads (the Import page) ---------------------------------------------------------------

MAX_UPLOAD_MB = 20
UPLOAD_KINDS = {".zip": "CSV bundle (ZIP)", ".xlsx": "Excel workbook"}


def import_upload(name: str, data: bytes, taxonomy: Taxonomy | None = None) -> ImportResult:
    """An uploaded CSV bundle ZIP or workbook, chosen by its extension; size capped."""
    limit = MAX_UPLOAD_MB * 1024 * 1024
    if len(data) > limit:
        return ImportResult({}, taxonomy, [Problem(name, None, "", f"file is {len(data)} bytes, "
                                                   f"over the {MAX_UPLOAD_MB} MB limit; refused")])
    suffix = Path(name).suffix.casefold()
    if suffix == ".xlsx":
        from .xlsx import import_workbook

        return import_workbook(data, name, taxonomy)
    if suffix == ".zip":
        return import_csv_zip(data, taxonomy, name)
    return ImportResult({}, taxonomy, [Problem(name, None, "", "upload a CSV bundle (.zip) or an "
                                               "Excel workbook (.xlsx)")])


def problems_frame(problems: Iterable[Problem]) -> pd.DataFrame:
    """One row per problem: severity, file, line, field, message."""
    return pd.DataFrame([{"severity": p.severity, "file": p.file, "line": p.line,
                          "field": p.field, "message": p.message} for p in problems],
                        columns=["severity", "file", "line", "field", "message"])


IMPORT_FOLDER_PREFIX = "jdcore-import-"
IMPORT_FOLDER_MAX_AGE = 24 * 3600  # seconds an unused import folder is kept (a long session)


def import_root() -> Path:
    """The folder under the system's temporary folder that holds the app's import folders."""
    return Path(tempfile.gettempdir()) / "jdcore-imports"


def new_import_folder(root: Path | None = None) -> Path:
    """A new, empty folder for one uploaded catalogue, under `root` (import_root())."""
    root = root or import_root()
    root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=IMPORT_FOLDER_PREFIX, dir=root))


def prune_import_folders(keep: Iterable[str | Path] = (), root: Path | None = None,
                         max_age: float = IMPORT_FOLDER_MAX_AGE,
                         now: float | None = None) -> list[Path]:
    """Delete the import folders under `root` last changed more than `max_age` seconds ago,
    except those in `keep`; return what was deleted.

    Sessions end without telling the server, so their uploads are cleared by age. Only
    folders this module made (by their prefix) directly under `root` are ever touched; a
    session whose folder went finds it missing and shows the embedded catalogue again.
    """
    root = root or import_root()
    kept = {Path(k).resolve() for k in keep}
    cutoff = (time.time() if now is None else now) - max_age
    deleted = []
    try:
        folders = [f for f in root.iterdir() if f.name.startswith(IMPORT_FOLDER_PREFIX)]
    except OSError:
        return deleted
    for folder in folders:
        try:
            if (folder.is_dir() and not folder.is_symlink() and folder.resolve() not in kept
                    and folder.stat().st_mtime < cutoff):
                shutil.rmtree(folder)
                deleted.append(folder)
        except OSError:
            continue  # in use or already gone: try again next time
    return deleted
