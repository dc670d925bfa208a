"""The one guard for every ZIP-based input (CSV bundle ZIPs, Excel workbooks, document ZIPs).

Everything is checked from the ZIP's central directory BEFORE a byte is decompressed: the
total declared size, each member's declared size, the compression ratio of large members
(a zip bomb), encryption. Members are then read with a hard limit of their declared size,
so a directory that lies about sizes is caught while reading, not after.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from ..model.problems import CatalogueError, Problem
from .limits import count, size_text

RATIO_FLOOR = 1024 * 1024  # members smaller than this are never refused for their ratio


@dataclass(frozen=True)
class ArchiveLimits:
    """Caps on what an archive may unpack to, in bytes."""

    max_total: int
    max_member: int
    max_ratio: int = 200  # uncompressed / compressed size of one member over RATIO_FLOOR
    fix: str = "split it into smaller archives"  # what to do when it unpacks to too much


def open_archive(data: bytes, what: str, not_zip: str) -> zipfile.ZipFile:
    """The archive in `data`; CatalogueError naming `what` with the fix `not_zip` if it is none."""
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise CatalogueError([Problem(what, None, "", not_zip)]) from None


def checked_members(archive: zipfile.ZipFile, what: str,
                    limits: ArchiveLimits) -> list[zipfile.ZipInfo]:
    """The archive's files (not folders), after the directory checks; CatalogueError listing
    every member that breaks a limit."""
    infos = [i for i in archive.infolist() if not i.is_dir()]
    total = sum(i.file_size for i in infos)
    if total > limits.max_total:
        raise CatalogueError([Problem(what, None, "", f"unpacks to {count(total)} bytes, over "
                                      f"its {size_text(limits.max_total)} limit; refused "
                                      f"(possible zip bomb): {limits.fix}")])
    problems = []
    for info in infos:
        lying_ratio = info.file_size > RATIO_FLOOR and (
            not info.compress_size or info.file_size / info.compress_size > limits.max_ratio)
        if info.file_size > limits.max_member or lying_ratio:
            problems.append(Problem(
                what, None, info.filename, f"unpacks to {count(info.file_size)} bytes from "
                f"{count(info.compress_size)} (a file in it may hold "
                f"{size_text(limits.max_member)}, compressed at most {limits.max_ratio} times); "
                f"refused (possible zip bomb): {limits.fix}"))
        if info.flag_bits & 0x1:
            problems.append(Problem(what, None, info.filename, "encrypted (password-protected); "
                                    "refused: create the archive again without a password"))
    if problems:
        raise CatalogueError(problems)
    return infos


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, what: str) -> bytes:
    """One member's bytes, never more than its directory entry declares."""
    try:
        with archive.open(info) as member:
            content = member.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise CatalogueError([Problem(what, None, info.filename, f"cannot be unpacked "
                                      f"({_reason(exc)}); the ZIP is damaged: create it again")]
                             ) from None
    if len(content) > info.file_size:
        raise CatalogueError([Problem(what, None, info.filename, "holds more bytes than its "
                                      "directory entry says; refused: the archive is damaged "
                                      "or was altered, create it again")])
    return content


def _reason(exc: Exception) -> str:
    return str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__


def flat_name(info: zipfile.ZipInfo) -> str:
    """A member's file name without its folders ("" for hidden files and macOS metadata)."""
    name = info.filename.replace("\\", "/").rsplit("/", 1)[-1]
    if not name or name.startswith((".", "__MACOSX")) or "__MACOSX/" in info.filename:
        return ""
    return name


def archive_files(data: bytes, what: str, limits: ArchiveLimits,
                  not_zip: str) -> dict[str, bytes]:
    """The files of a ZIP by their names without folders, after every check of this module.

    Folders are flattened (a member's path never becomes a path on disk); two files of the
    same name are refused rather than one silently replacing the other.
    """
    with open_archive(data, what, not_zip) as archive:
        files: dict[str, bytes] = {}
        for info in checked_members(archive, what, limits):
            name = flat_name(info)
            if not name:
                continue
            content = read_member(archive, info, what)
            if name in files:
                raise CatalogueError([Problem(what, None, info.filename, f"a second file named "
                                              f"{name}; keep one")])
            files[name] = content
    return files
