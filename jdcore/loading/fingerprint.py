"""A cheap fingerprint of a catalogue folder, to tell when a loaded catalogue is stale."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .files import ROLES_DIR, TAXONOMY_FILE


def catalogue_fingerprint(path: str | Path) -> str:
    """A short hash of the names, sizes and modification times of the catalogue's files.

    Cheap enough to compute on every page run (one directory scan, no file is read); it
    changes when any source file changes, appears or disappears.
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
                        stat = entry.stat()
                        prefix = "" if pattern else f"{ROLES_DIR}/"
                        entries.append(f"{prefix}{entry.name}\0{stat.st_size}\0"
                                       f"{stat.st_mtime_ns}\n")
        except OSError:
            continue
    digest.update("".join(sorted(entries)).encode())
    return digest.hexdigest()[:16]

