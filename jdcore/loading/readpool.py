"""Read many role files into tables, in worker processes when the catalogue is large.

From a single-threaded process (the CLI, a benchmark) the workers are forked. Forking a
threaded process (the app's server) is not safe, so there they are new interpreters running
`python -m jdcore.loading.readworker`, fed through pipes.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import pickle
import subprocess
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..model import checks
from ..model.problems import Problem
from ..model.schema import AUTHORITY_SCALES, WORKLOAD_MEASURES, Role, Taxonomy
from ..model.tables import build_tables
from .files import read_role_file

PARALLEL_MIN_FILES = 400  # below this, starting worker processes costs more than it saves
SUBPROCESS_MIN_FILES = 2000  # in a threaded process: below this, starting workers does not pay
MIN_CHUNK_FILES = 200  # the smallest chunk of files a worker is handed, see chunk_starts


@dataclass
class Chunk:
    """What reading a run of role files gives: per file its keys (None when the file could
    not be used) and problems, and the tables of its usable roles (with a `_file_no` column)."""

    entries: list[tuple[checks.RoleFile | None, list[Problem]]]
    tables: dict[str, pd.DataFrame]


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector for a block, then restore its state.

    Loading allocates millions of small objects that all stay alive; the collector would
    rescan them again and again (about half the load time), so it is paused while a chunk
    is read, and while the parent takes in the chunks and puts the tables together.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_chunk(files: list[Path], first_no: int, taxonomy: Taxonomy) -> Chunk:
    with gc_paused():
        entries, roles, names, numbers = [], [], [], []
        for number, file in enumerate(files, first_no):
            entry, problems = read_role_file(file, taxonomy)
            if entry is None:
                entries.append((None, problems))
                continue
            roles.append(entry.role)
            names.append(entry.name)
            numbers.append(number)
            # Keep only what the cross-role checks need, so a large catalogue fits in memory.
            entries.append((checks.RoleFile(checks.RoleKeys.of(entry.role),
                                            entry.doc.slim(checks.REFERENCE_FIELDS)), problems))
        tables = build_tables(roles, names, taxonomy)
        number_rows_by_file(roles, numbers, tables)
        return Chunk(entries, tables)


def number_rows_by_file(roles: list[Role], numbers: list[int],
                         tables: dict[str, pd.DataFrame]) -> None:
    """Add the `_file_no` column: the number of the file each row came from.

    Counted role by role rather than looked up by role_id, which is both cheaper and right
    when two files of a chunk hold the same id.
    """
    counts = {"roles": lambda r: 1,
              "duties": lambda r: len(r.responsibilities), "qualities": lambda r: len(r.qualities),
              "requirements": lambda r: len(r.requirements), "rights": lambda r: len(r.rights),
              "authority": lambda r: len(AUTHORITY_SCALES),
              "workload": lambda r: len(WORKLOAD_MEASURES),
              "reporting": lambda r: (r.reports_to is not None) + len(r.dotted_to),
              "interactions": lambda r: len(r.interactions), "kpis": lambda r: len(r.kpis),
              "career": lambda r: len(r.career.next)}
    file_numbers = np.array(numbers, dtype=np.int64)
    for name, count in counts.items():
        tables[name]["_file_no"] = np.repeat(file_numbers, [count(role) for role in roles])


def read_role_files(files: list[Path], taxonomy: Taxonomy) -> list[Chunk]:
    """Read many role files in order; in worker processes for a large catalogue.

    From a single-threaded process (the CLI, a benchmark) the workers are forked. Forking a
    threaded process (the app's server) is not safe, so there they are new interpreters
    (`read_in_subprocesses`), which take about a second to start: worth it only from
    SUBPROCESS_MIN_FILES files; a smaller catalogue is read in the calling process.
    """
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or len(files) < PARALLEL_MIN_FILES:
        return [read_chunk(files, 0, taxonomy)]
    starts = chunk_starts(len(files), workers) + [len(files)]
    jobs = [(files[a:b], a) for a, b in zip(starts, starts[1:])]
    if threading.active_count() == 1 and "fork" in mp.get_all_start_methods():
        with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
            return list(pool.map(read_chunk, *zip(*jobs), [taxonomy] * len(jobs)))
    if len(files) >= SUBPROCESS_MIN_FILES:
        chunks = read_in_subprocesses(jobs, taxonomy, workers)
        if chunks is not None:
            return chunks
    return [read_chunk(files, 0, taxonomy)]


def read_in_subprocesses(jobs: list[tuple[list[Path], int]], taxonomy: Taxonomy,
                          workers: int) -> list[Chunk] | None:
    """The chunks of `jobs`, read by `workers` processes of jdcore.loading.readworker (None if one of
    them fails: the caller then reads the files itself).

    The jobs come largest first (chunk_starts), so dealing them out in turn gives each
    worker about the same number of files.
    """
    dealt = [list(range(i, len(jobs), workers)) for i in range(workers)]
    environment = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])
    environment["PYTHONPATH"] = os.pathsep.join(
        p for p in (package_root, environment.get("PYTHONPATH")) if p)
    processes = []
    try:
        for numbers in dealt:
            process = subprocess.Popen([sys.executable, "-m", "jdcore.loading.readworker"],
                                       stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                       env=environment)
            processes.append(process)
            process.stdin.write(pickle.dumps((taxonomy, [jobs[n] for n in numbers]),
                                             protocol=pickle.HIGHEST_PROTOCOL))
            process.stdin.close()
        results = [pickle.load(process.stdout) for process in processes]
        if any(process.wait() != 0 for process in processes):
            return None
    except (OSError, EOFError, pickle.UnpicklingError):
        return None
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    chunks: list[Chunk | None] = [None] * len(jobs)
    for numbers, result in zip(dealt, results):
        for number, chunk in zip(numbers, result):
            chunks[number] = chunk
    return chunks


def chunk_starts(count: int, workers: int) -> list[int]:
    """Where each chunk of `count` files starts: large chunks first, then smaller ones.

    Chunks are handed to the workers as they come free, so the workers run together until
    the last, small chunks, and finish within a fraction of a second of each other (with a
    few equal chunks, one worker often idled for a whole chunk at the end). Each chunk is a
    share of the files still left, and not smaller than MIN_CHUNK_FILES, as every chunk
    costs a little to build into tables, send back and concatenate (a small catalogue is
    still cut into a few chunks per worker).
    """
    smallest = min(MIN_CHUNK_FILES, -(-count // (4 * workers)))
    starts, start = [], 0
    while start < count:
        starts.append(start)
        start += max(-(-(count - start) // (2 * workers)), smallest)
    return starts

