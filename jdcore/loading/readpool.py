"""Read many role files into tables, in worker processes when the catalogue is large.

From a single-threaded process (the CLI, a benchmark) the workers are forked. Forking a
threaded process (the app's server) is not safe, so there they are new interpreters running
`python -m jdcore.loading.readworker`, given their files in a temporary file and answering
through a pipe. Workers that fail, or are not done within worker_timeout (a stopped or hung
process), are killed and the files are read in the calling process instead.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import pickle
import selectors
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..model import checks
from ..model.problems import Problem
from ..model.schema import AUTHORITY_SCALES, WORKLOAD_MEASURES, Role, Taxonomy
from ..model.tables import build_tables
from .files import RoleDocument, read_role_source

PARALLEL_MIN_FILES = 400  # below this, starting worker processes costs more than it saves
SUBPROCESS_MIN_FILES = 2000  # in a threaded process: below this, starting workers does not pay
MIN_CHUNK_FILES = 200  # the smallest chunk of files a worker is handed, see chunk_starts
# How long the workers may take before they are taken for stuck (stopped, swapped out, hung
# on a file), killed, and the files read in the calling process: a fixed allowance plus a
# share per file, several times what a busy 2-core machine needs (10,000 files: 60 s, where
# a cold load takes 6-8 s).
WORKER_TIMEOUT_MIN = 20.0  # seconds
WORKER_TIMEOUT_PER_FILE = 0.004  # seconds


def worker_timeout(files: int) -> float:
    """Seconds the workers reading `files` files may take in all."""
    return WORKER_TIMEOUT_MIN + WORKER_TIMEOUT_PER_FILE * files


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


def read_chunk(files: list[Path | RoleDocument], first_no: int, taxonomy: Taxonomy) -> Chunk:
    with gc_paused():
        entries, roles, names, numbers = [], [], [], []
        for number, file in enumerate(files, first_no):
            entry, problems = read_role_source(file, taxonomy)
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
              "accountabilities": lambda r: len(r.accountabilities),
              "authority": lambda r: len(AUTHORITY_SCALES),
              "workload": lambda r: len(WORKLOAD_MEASURES),
              "reporting": lambda r: (r.reports_to is not None) + len(r.dotted_to),
              "interactions": lambda r: len(r.interactions), "kpis": lambda r: len(r.kpis),
              "career": lambda r: len(r.career.next)}
    file_numbers = np.array(numbers, dtype=np.int64)
    for name, count in counts.items():
        tables[name]["_file_no"] = np.repeat(file_numbers, [count(role) for role in roles])


def read_role_files(files: list[Path | RoleDocument], taxonomy: Taxonomy) -> list[Chunk]:
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
    timeout = worker_timeout(len(files))
    chunks = None
    if threading.active_count() == 1 and "fork" in mp.get_all_start_methods():
        chunks = read_in_forked_workers(jobs, taxonomy, workers, timeout)
    elif len(files) >= SUBPROCESS_MIN_FILES:
        chunks = read_in_subprocesses(jobs, taxonomy, workers, timeout)
    return chunks if chunks is not None else [read_chunk(files, 0, taxonomy)]


def read_in_forked_workers(jobs: list[tuple[list[Path | RoleDocument], int]], taxonomy: Taxonomy,
                           workers: int, timeout: float) -> list[Chunk] | None:
    """The chunks of `jobs`, read by a pool of `workers` forked processes, each handed the
    next job as it comes free (None if a worker fails or they are not all done within
    `timeout` seconds: the caller then reads the files itself)."""
    pool = ProcessPoolExecutor(workers, mp_context=mp.get_context("fork"))
    stuck = False
    try:
        futures = [pool.submit(read_chunk, files, first, taxonomy) for files, first in jobs]
        done, pending = wait(futures, timeout=timeout, return_when=FIRST_EXCEPTION)
        if pending or any(future.exception() is not None for future in done):
            stuck = True
            return None
        return [future.result() for future in futures]
    except (OSError, BrokenProcessPool):
        stuck = True
        return None
    finally:
        if stuck:
            # A stopped or hung worker would hold shutdown(wait=True) for as long as it is
            # stuck: kill every worker (SIGKILL stops even a stopped process) and leave.
            processes = list((getattr(pool, "_processes", None) or {}).values())
            for process in processes:
                process.kill()
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.join(5)
        else:
            pool.shutdown(wait=True)


def read_in_subprocesses(jobs: list[tuple[list[Path | RoleDocument], int]], taxonomy: Taxonomy,
                         workers: int, timeout: float | None = None) -> list[Chunk] | None:
    """The chunks of `jobs`, read by `workers` processes of jdcore.loading.readworker (None if
    one of them fails or they are not all done within `timeout` seconds: the caller then
    reads the files itself).

    The jobs come largest first (chunk_starts), so dealing them out in turn gives each
    worker about the same number of files. Each worker's input is a temporary file, so a
    worker that does not read (stopped, say) cannot block the parent writing to it.
    """
    timeout = worker_timeout(sum(len(files) for files, _ in jobs)) if timeout is None \
        else timeout
    dealt = [list(range(i, len(jobs), workers)) for i in range(workers)]
    environment = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])
    environment["PYTHONPATH"] = os.pathsep.join(
        p for p in (package_root, environment.get("PYTHONPATH")) if p)
    processes = []
    try:
        for numbers in dealt:
            with tempfile.TemporaryFile() as given:
                pickle.dump((taxonomy, [jobs[n] for n in numbers]), given,
                            protocol=pickle.HIGHEST_PROTOCOL)
                given.seek(0)
                processes.append(subprocess.Popen(
                    [sys.executable, "-m", "jdcore.loading.readworker"], stdin=given,
                    stdout=subprocess.PIPE, env=environment))
        deadline = time.monotonic() + timeout
        outputs = read_all(processes, deadline)
        if outputs is None or any(
                process.wait(max(deadline - time.monotonic(), 1.0)) != 0
                for process in processes):
            return None
        results = [pickle.loads(output) for output in outputs]
    except (OSError, EOFError, pickle.UnpicklingError, subprocess.TimeoutExpired):
        return None
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()  # also ends a stopped process
            process.wait()
            process.stdout.close()
    chunks: list[Chunk | None] = [None] * len(jobs)
    for numbers, result in zip(dealt, results):
        for number, chunk in zip(numbers, result):
            chunks[number] = chunk
    return chunks


def read_all(processes: list[subprocess.Popen], deadline: float) -> list[bytes] | None:
    """Everything each process writes to its stdout until it closes it, read from all of
    them at once; None if they have not all closed it by `deadline` (time.monotonic)."""
    output: dict[int, list[bytes]] = {process.stdout.fileno(): [] for process in processes}
    with selectors.DefaultSelector() as selector:
        for process in processes:
            selector.register(process.stdout, selectors.EVENT_READ)
        while selector.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            for key, _ in selector.select(left):
                data = os.read(key.fd, 1 << 20)
                if data:
                    output[key.fd].append(data)
                else:
                    selector.unregister(key.fileobj)
    return [b"".join(output[process.stdout.fileno()]) for process in processes]


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

