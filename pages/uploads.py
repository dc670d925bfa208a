"""Where the app keeps uploaded catalogues: one folder per upload under the temp dir.

This is the app's housekeeping, not the library's: jdcore writes a catalogue wherever it is
told; the Import page asks here for a fresh folder and clears the stale ones.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path
from typing import Iterable

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
    folders this module made (by their prefix) directly under `root` are ever touched, and
    what a stopped import worker left beside one of them (".<folder>.writing-..."); a
    session whose folder went finds it missing and shows the embedded catalogue again.
    """
    root = root or import_root()
    kept = {Path(k).resolve() for k in keep}
    cutoff = (time.time() if now is None else now) - max_age
    deleted = []
    try:
        folders = [f for f in root.iterdir()
                   if f.name.removeprefix(".").startswith(IMPORT_FOLDER_PREFIX)]
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
