"""What telling a stale catalogue costs: the fingerprint every page run computes.

    python bench/fingerprint.py                # 10,000 roles (bench/.work/, as bench/run.py)
    python bench/fingerprint.py --roles 1000

Times, as the median of several runs with the files in the page cache (as on a server that
has loaded the catalogue): jdcore's catalogue_fingerprint (names, sizes, modification times,
inodes and ctimes: one stat per file), the same without inode and ctime (what it was before:
an edit that kept size and modification time went unnoticed), and hashing every file's
contents instead (which would also catch an edit on a filesystem without ctime).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import ensure_catalogue  # noqa: E402

from jdcore import catalogue_fingerprint  # noqa: E402


def catalogue_files(folder: Path) -> list[Path]:
    return [folder / "taxonomy.yaml", *sorted((folder / "roles").glob("*.yaml"))]


def names_sizes_mtimes(folder: Path) -> str:
    """The fingerprint without inode and ctime: one stat per file, fewer numbers hashed."""
    entries = []
    for folder_, pattern in ((folder, "taxonomy.yaml"), (folder / "roles", None)):
        with os.scandir(folder_) as scan:
            for entry in scan:
                if entry.name == pattern or (pattern is None and entry.name.endswith(".yaml")):
                    stat = entry.stat()
                    entries.append(f"{entry.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n")
    return hashlib.sha256("".join(sorted(entries)).encode()).hexdigest()[:16]


def contents_hash(folder: Path) -> str:
    """Every file read and hashed (BLAKE2b), names included."""
    digest = hashlib.blake2b(digest_size=8)
    for path in catalogue_files(folder):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def median_seconds(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    folder = ensure_catalogue(args.roles)
    files = catalogue_files(folder)
    total = sum(path.stat().st_size for path in files)
    contents_hash(folder)  # the files into the page cache
    print(f"{len(files):,} files, {total / 1e6:.1f} MB, median of {args.repeat} runs:")
    for label, function in (
            ("catalogue_fingerprint (size, mtime, inode, ctime)", catalogue_fingerprint),
            ("size and mtime only (before)", names_sizes_mtimes),
            ("hash of every file's contents", contents_hash)):
        seconds = median_seconds(lambda: function(folder), args.repeat)
        print(f"  {label:<52} {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
