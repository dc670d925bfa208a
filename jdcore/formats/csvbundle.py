"""Import the catalogue tables from a CSV bundle: a folder or a ZIP of the CSV files that
`python -m jdcore export` writes, read by the strict table reader (jdcore.formats.tablereader).

The bundle holds no taxonomy: a taxonomy.yaml beside the CSVs is used when present,
otherwise the one given (by default the embedded catalogue's).
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pandas as pd

from ..loading.files import TAXONOMY_FILE
from ..model.problems import WARNING, CatalogueError, Problem, did_you_mean
from ..model.schema import Taxonomy
from ..model.tables import TABLE_COLUMNS
from .archive import ArchiveLimits, archive_files
from .bundle import table_file_name
from .tablereader import (IMPORT_TABLES, ImportResult, default_taxonomy, finish_tables,
                          read_table, read_taxonomy_bytes)

MAX_TABLE_BYTES = 50 * 1024 * 1024        # one CSV file or member of a bundle ZIP
MAX_BUNDLE_BYTES = 200 * 1024 * 1024      # all members of a bundle ZIP, uncompressed
NOT_A_ZIP = "not a ZIP file; upload the ZIP of CSV files the Export page downloads"


def _csv_rows(name: str, raw: bytes) -> tuple[list | None, list, list[Problem]]:
    """Header and (line, cells) rows of CSV bytes; problems for bad encoding or quoting."""
    # The BOM is taken off here rather than by the codec, so that the offset of a bad byte
    # counts from the start of the file (utf-8-sig reports it from after the BOM).
    bom = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        text = raw[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = bom + exc.start
        line = raw[:at].count(b"\n") + 1
        return None, [], [Problem(name, line, "", f"byte 0x{raw[at]:02x} is not valid "
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
    tables = finish_tables(raw, where, problems)
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


def import_csv_zip(data: bytes, taxonomy: Taxonomy | None = None,
                   name: str = "upload.zip") -> ImportResult:
    """Read a CSV bundle ZIP (as the Export page downloads it)."""
    try:
        files = archive_files(data, name, ArchiveLimits(MAX_BUNDLE_BYTES, MAX_TABLE_BYTES),
                              NOT_A_ZIP)
    except CatalogueError as exc:
        return ImportResult({}, taxonomy, exc.problems)
    return import_bundle_files(files, taxonomy, source=f"{name}: ")
