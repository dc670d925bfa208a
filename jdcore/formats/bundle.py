"""The CSV bundle as one ZIP: one spreadsheet-safe CSV per catalogue table.

Each CSV holds exactly the bytes `python -m jdcore export` writes (jdcore.formats.csvio.csv_bytes),
so a bundle downloaded from the app and one written by the CLI are interchangeable.
ZIPs are reproducible: the same files give the same bytes (fixed timestamps, files in the
order given).
"""

from __future__ import annotations

import io
import queue
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ..model.tables import TABLES
from ..model.catalogue import Catalogue
from .csvio import csv_bytes
from ..model.schema import AUTHORITY_SCALES, WORKLOAD_MEASURES

# What one row of each table is, in a sentence (shown beside each download).
TABLE_DESCRIPTIONS: dict[str, str] = {
    "roles": "One role: title, department, business area, grade, line manager, headcount, "
             "summary and source document.",
    "duties": "One responsibility of a role: text, category, frequency, share of working "
              "time, whether it is essential, and its source.",
    "qualities": "One personal, professional or corporate quality asked of a role.",
    "requirements": "One requirement of a role: education, experience (years), knowledge, "
                    "skill or certification.",
    "rights": "One decision right of a role: area, scope (none, recommend, approve, decide) "
              "and its limit.",
    "accountabilities": "One thing the holder of a role answers for (its accountability), "
                        "in the order the role states them.",
    "authority": f"One authority scale (1-5) of a role; {len(AUTHORITY_SCALES)} rows per role.",
    "workload": "One workload measure of a role (weekly hours, time pressure, travel share); "
                f"{len(WORKLOAD_MEASURES)} rows per role.",
    "reporting": "One reporting line from a role to a manager, solid or dotted.",
    "interactions": "One interaction of a role with another role or an outside party: "
                    "direction, kind and subject.",
    "kpis": "One key result (KPI) of a role and its target.",
    "career": "One next career step: from a role to the role it leads to.",
    "metrics": "One role's derived figures: layer, reports, span of control, and the "
               "authority and workload indices beside their parts.",
}

# A fixed timestamp keeps the ZIP bytes reproducible (ZIP cannot store dates before 1980).
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)
BUNDLE_FILE_NAME = "role-catalogue-csv.zip"


def table_file_name(table: str) -> str:
    return f"{table}.csv"


def bundle_files(catalogue: Catalogue) -> dict[str, bytes]:
    """File name -> CSV bytes, one per catalogue table, in TABLES order."""
    return {table_file_name(name): csv_bytes(catalogue.tables[name]) for name in TABLES}


def bundle_contents(catalogue: Catalogue) -> pd.DataFrame:
    """One row per table of the bundle: table, file, rows, columns, row (what a row is)."""
    return pd.DataFrame({
        "table": list(TABLES),
        "file": [table_file_name(name) for name in TABLES],
        "rows": [len(catalogue.tables[name]) for name in TABLES],
        "columns": [len(catalogue.tables[name].columns) for name in TABLES],
        "row": [TABLE_DESCRIPTIONS[name] for name in TABLES],
    })


def _write_member(archive: zipfile.ZipFile, name: str, data: bytes,
                  stored: tuple[str, ...]) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
    info.compress_type = (zipfile.ZIP_STORED if stored and name.endswith(stored)
                          else zipfile.ZIP_DEFLATED)
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def zip_bytes(files: dict[str, bytes], stored: tuple[str, ...] = ()) -> bytes:
    """A deflated ZIP of the given files (name -> bytes), in the given order, reproducibly.
    Files whose names end with one of `stored` (say ".docx", compressed already) are stored
    as they are."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            _write_member(archive, name, data, stored)
    return buffer.getvalue()


STREAM_QUEUE = 64  # files made but not yet compressed, at most


def zip_stream(files: Iterable[tuple[str, bytes]], stored: tuple[str, ...] = ()) -> bytes:
    """zip_bytes of (name, bytes) pairs as they are made: a second thread compresses each
    file while the caller's thread makes the next (zlib lets go of the interpreter while it
    compresses, so the two run on two cores). The same bytes as zip_bytes."""
    buffer = io.BytesIO()
    pending: queue.Queue = queue.Queue(STREAM_QUEUE)
    failure: list[BaseException] = []

    def compress() -> None:
        try:
            with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                while (item := pending.get()) is not None:
                    _write_member(archive, *item, stored)
        except BaseException as exc:  # handed to the caller's thread
            failure.append(exc)
            while pending.get() is not None:  # let the maker finish or fail on its own
                pass

    writer = threading.Thread(target=compress, name="zip-stream", daemon=True)
    writer.start()
    try:
        for item in files:
            pending.put(item)
    finally:
        pending.put(None)
        writer.join()
    if failure:
        raise failure[0]
    return buffer.getvalue()


@dataclass(frozen=True)
class Member:
    """A file of a ZIP, compressed (raw deflate) once, to be written into many ZIPs as is."""

    name: bytes                      # UTF-8
    crc: int
    size: int                        # uncompressed
    data: bytes                      # deflated


def deflated_member(name: str, data: bytes, level: int = 6) -> Member:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)  # raw deflate, as ZIP holds it
    return Member(name.encode("utf-8"), zlib.crc32(data), len(data),
                  compressor.compress(data) + compressor.flush())


# ZIP records (PKWARE APPNOTE 4.3): local file header, central directory header, end record.
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_DOS_DATE = ((ZIP_DATE_TIME[0] - 1980) << 9) | (ZIP_DATE_TIME[1] << 5) | ZIP_DATE_TIME[2]


def zip_of_members(members: list[Member] | tuple[Member, ...]) -> bytes:
    """A ZIP of members deflated already (deflated_member), in the given order: the same
    archive zipfile writes, without compressing anything again. Small archives only (no
    ZIP64: under 4 GiB and 65,535 members)."""
    chunks, directory, offset = [], [], 0
    flags = 0x800  # names are UTF-8
    for member in members:
        local = _LOCAL.pack(0x04034B50, 20, flags, zipfile.ZIP_DEFLATED, 0, _DOS_DATE,
                            member.crc, len(member.data), member.size, len(member.name), 0)
        chunks += [local, member.name, member.data]
        directory += [_CENTRAL.pack(0x02014B50, (3 << 8) | 20, 20, flags, zipfile.ZIP_DEFLATED,
                                    0, _DOS_DATE, member.crc, len(member.data), member.size,
                                    len(member.name), 0, 0, 0, 0, 0o644 << 16, offset),
                      member.name]
        offset += len(local) + len(member.name) + len(member.data)
    central = b"".join(directory)
    end = _END.pack(0x06054B50, 0, 0, len(members), len(members), len(central), offset, 0)
    return b"".join(chunks) + central + end


def bundle_zip(catalogue: Catalogue, progress=None) -> bytes:
    """The whole CSV bundle as one ZIP: the files `python -m jdcore export` writes;
    `progress(done, total)` after each table."""
    files = {}
    for done, name in enumerate(TABLES, 1):
        files[table_file_name(name)] = csv_bytes(catalogue.tables[name])
        if progress is not None:
            progress(done, len(TABLES))
    return zip_bytes(files)
