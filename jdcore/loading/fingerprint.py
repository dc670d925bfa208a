"""A cheap fingerprint of a catalogue folder, to tell when a loaded catalogue is stale."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .files import ROLES_DIR, TAXONOMY_FILE


def catalogue_fingerprint(path: str | Path) -> str:
    """A short hash of the names, sizes, modification times, inode numbers and status-change
    times (ctime) of the catalogue's files.

    Cheap enough to compute on every page run (one directory scan and one stat per file, no
    file is read); it changes when any source file changes, appears or disappears. The
    inode and the ctime catch an edit that keeps the file's size and modification time: a
    file saved by writing a new one and renaming it gets a new inode, and writing to a file
    (or setting its modification time back) sets its ctime to the current time, which no
    user can set. A link is followed: the numbers are those of the file it leads to.
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
                        try:
                            stat = entry.stat()
                        except OSError:  # a broken link: its own numbers
                            stat = entry.stat(follow_symlinks=False)
                        prefix = "" if pattern else f"{ROLES_DIR}/"
                        entries.append(f"{prefix}{entry.name}\0{stat.st_size}\0"
                                       f"{stat.st_mtime_ns}\0{stat.st_ino}\0"
                                       f"{stat.st_ctime_ns}\n")
        except OSError:
            continue
    digest.update("".join(sorted(entries)).encode())
    return digest.hexdigest()[:16]

