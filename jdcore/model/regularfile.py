"""Reading one file of a catalogue or an import: only a regular file, and never more than a cap.

A symbolic link is followed only when it leads to a regular file. A named pipe (FIFO), a
device (a link to /dev/zero), a socket or a folder is refused before it is opened, so that
reading neither hangs nor runs without end; the size cap is applied while reading (at most
cap + 1 bytes are read), so a file that grows after it was measured is still stopped.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .problems import CatalogueError, Problem

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def file_kind(mode: int) -> str:
    """What a file of this st_mode is, in words ("a regular file", "a named pipe (FIFO)")."""
    if stat.S_ISREG(mode):
        return "a regular file"
    return next((kind for test, kind in _KINDS if test(mode)), "a special file")


def _not_regular(path: Path, name: str, mode: int) -> CatalogueError:
    kind = file_kind(mode)
    if path.is_symlink():
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        what = f"a symbolic link to {kind} ({target})"
    else:
        what = kind
    return CatalogueError([Problem(name, None, "", f"is {what}, not a regular file; only "
                                   "regular files are read: replace it with the file itself")])


def read_regular_file(path: Path, name: str, cap: int, *, reading: str = "cannot read file",
                      too_large: str = "split or shorten it") -> bytes:
    """The bytes of the regular file at `path`; raise CatalogueError naming the file as
    `name` when it is not a regular file, is over `cap` bytes, or cannot be read.

    `reading` starts the message for an OSError ("cannot read file: Permission denied");
    `too_large` is the fix given for a file over the cap ("" for none).
    """
    try:
        mode = os.stat(path).st_mode  # follows a symbolic link; opens nothing
        if not stat.S_ISREG(mode):
            raise _not_regular(path, name, mode)
        # O_NONBLOCK: should the file be swapped for a FIFO after the stat, opening it does
        # not wait for a writer; fstat below then refuses it.
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        descriptor = os.open(path, flags)
        with os.fdopen(descriptor, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise _not_regular(path, name, info.st_mode)
            raw = b"" if info.st_size > cap else file.read(cap + 1)
    except FileNotFoundError as exc:
        if not path.is_symlink():
            raise CatalogueError([Problem(name, None, "", f"{reading}: "
                                          f"{exc.strerror or exc}")]) from None
        raise CatalogueError([Problem(name, None, "", f"is a symbolic link to "
                                      f"{os.readlink(path)}, which does not exist; replace it "
                                      "with the file itself")]) from None
    except OSError as exc:
        raise CatalogueError([Problem(name, None, "", f"{reading}: "
                                      f"{exc.strerror or exc}")]) from None
    if info.st_size > cap or len(raw) > cap:
        size = (f"{info.st_size} bytes" if info.st_size > cap
                else f"more than {cap} bytes (it grew while it was read)")
        fix = f"; {too_large}" if too_large else ""
        raise CatalogueError([Problem(name, None, "", f"file is {size}, over the {cap} byte "
                                      f"limit{fix}")])
    return raw
