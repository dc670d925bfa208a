"""Import the catalogue tables from a CSV bundle: a folder or a ZIP of the CSV files that
`python -m jdcore export` writes, read by the strict table reader (jdcore.formats.tablereader).

The bundle holds no taxonomy: a taxonomy.yaml beside the CSVs is used when present,
otherwise the one given (by default the embedded catalogue's).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Iterator

import pandas as pd

from ..loading.files import TAXONOMY_FILE
from ..model.problems import WARNING, CatalogueError, Problem, did_you_mean
from ..model.schema import Taxonomy
from ..model.tables import TABLE_COLUMNS
from .archive import ArchiveLimits, archive_files
from .bundle import table_file_name
from .limits import DEFAULT_LIMITS, Budget, ImportLimits, LimitExceeded, count
from .tablereader import (IMPORT_TABLES, OPTIONAL_TABLES, REQUIRED_TABLES, ImportResult,
                          default_taxonomy, finish_tables, read_table, read_taxonomy_bytes)

MAX_TABLE_BYTES = 50 * 1024 * 1024        # one CSV file or member of a bundle ZIP
MAX_BUNDLE_BYTES = 200 * 1024 * 1024      # all members of a bundle ZIP, uncompressed
NOT_A_ZIP = "not a ZIP file; upload the ZIP of CSV files the Export page downloads"


_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")  # one line of a file, with its end
BOM = "\ufeff".encode("utf-8")
RESAVE = "save the file again as CSV UTF-8 from the spreadsheet"

SPLIT_BUNDLE = "split the catalogue into several bundles (fewer roles in each)"

def _csv_lines(name: str, raw: bytes, limits: ImportLimits) -> Iterator[str]:
    """The lines of CSV bytes, decoded one by one (nothing is held but the current line);
    CatalogueError at the first byte that is not UTF-8, the first NUL, and LimitExceeded at
    the first line over `limits.line_chars`."""
    for number, match in enumerate(_LINE.finditer(raw), 1):
        line = match.group()
        if number == 1:
            line = line.removeprefix(BOM)
        if len(line) > 4 * limits.line_chars or (
                len(line) > limits.line_chars and len(line.decode("utf-8", "replace"))
                > limits.line_chars):
            raise LimitExceeded(name, number, "", f"line is longer than "
                                f"{count(limits.line_chars)} characters; a row of the "
                                "catalogue is far shorter: check that this is the CSV file "
                                "the Export page writes")
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CatalogueError([Problem(name, number, "", f"byte 0x{line[exc.start]:02x} is "
                                          "not valid UTF-8; save the file as UTF-8 CSV")]
                                 ) from None
        if "\x00" in text:
            raise CatalogueError([Problem(name, number, "", "NUL byte in the file; this is not "
                                          f"a CSV text file: {RESAVE}")])
        yield text


def _csv_rows(name: str, raw: bytes,
              limits: ImportLimits) -> tuple[list, Iterator[tuple[int, list]]]:
    """The header and a lazy iterator of (line, cells) rows of CSV bytes; CatalogueError for
    an empty file, and (while iterating) for bad encoding or quoting."""
    reader = csv.reader(_csv_lines(name, raw, limits), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise CatalogueError([Problem(name, reader.line_num, "", f"not valid CSV: {exc}; "
                                      f"{RESAVE}")]) from None
    if header is None:
        raise CatalogueError([Problem(name, None, "", "file is empty; it needs at least the "
                                      "header row")])

    def rows() -> Iterator[tuple[int, list]]:
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise CatalogueError([Problem(name, reader.line_num, "", f"not valid CSV: "
                                              f"{exc}; {RESAVE}")]) from None
            yield start, cells

    return header, rows()


def import_bundle_files(files: dict[str, bytes], taxonomy: Taxonomy | None = None,
                        source: str = "", limits: ImportLimits = DEFAULT_LIMITS,
                        budget: Budget | None = None) -> ImportResult:
    """Tables from the bundle's files (file name -> bytes); `source` prefixes file names.
    Stops at the first cap of `limits` it reaches, with that one problem."""
    problems: list[Problem] = []
    budget = budget or Budget(limits)
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
    try:
        for name in IMPORT_TABLES:
            file = table_file_name(name)
            where[name] = source + file
            if file not in files:
                if name in OPTIONAL_TABLES:
                    continue
                problems.append(Problem(source + file, None, "", "file is missing; a CSV bundle "
                                        "holds one file per table: " + ", ".join(
                                            table_file_name(n) for n in REQUIRED_TABLES)))
                continue
            if len(files[file]) > MAX_TABLE_BYTES:
                problems.append(Problem(source + file, None, "", f"file is {len(files[file])} "
                                        f"bytes, over the {MAX_TABLE_BYTES} byte limit; split "
                                        "the catalogue into several imports"))
                continue
            if len(problems) >= limits.problems:
                problems.append(Problem(source + file, None, "", f"not read: the files before "
                                        f"it have more than {count(limits.problems)} problems; "
                                        "fix those and import again"))
                break
            try:
                header, rows = _csv_rows(source + file, files[file], limits)
                frame, found = read_table(name, source + file, header, rows, limits=limits,
                                          budget=budget)
            except LimitExceeded:
                raise
            except CatalogueError as exc:
                problems += exc.problems
                continue
            problems += found
            if frame is not None:
                raw[name] = frame
        tables = finish_tables(raw, where, problems, limits)
    except LimitExceeded as exc:
        return ImportResult({}, taxonomy, problems + exc.problems)
    return ImportResult(tables, taxonomy, problems)


def import_csv_folder(path: str | Path, taxonomy: Taxonomy | None = None,
                      limits: ImportLimits = DEFAULT_LIMITS) -> ImportResult:
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
                                    f"{MAX_TABLE_BYTES} byte limit; split the catalogue into "
                                    "several imports"))
            files[file.name] = b""
            continue
        files[file.name] = file.read_bytes()
    result = import_bundle_files(files, taxonomy, limits=limits)
    if problems:  # an oversized file was read as empty: drop its "empty file" problem
        oversized = {p.file for p in problems}
        result.problems = problems + [p for p in result.problems if p.file not in oversized]
    return result


def import_csv_zip(data: bytes, taxonomy: Taxonomy | None = None,
                   name: str = "upload.zip", limits: ImportLimits = DEFAULT_LIMITS) -> ImportResult:
    """Read a CSV bundle ZIP (as the Export page downloads it)."""
    try:
        files = archive_files(data, name, ArchiveLimits(MAX_BUNDLE_BYTES, MAX_TABLE_BYTES,
                                                        fix=SPLIT_BUNDLE), NOT_A_ZIP)
    except CatalogueError as exc:
        return ImportResult({}, taxonomy, exc.problems)
    return import_bundle_files(files, taxonomy, source=f"{name}: ", limits=limits)
