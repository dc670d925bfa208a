"""Import an upload in a worker process, as the app's server does: `run_import` (a CSV
bundle or a workbook), `run_document_import` (job description documents).

The worker is a new interpreter running `python -m jdcore.formats.importworker` (forking the
threaded server is unsafe). Before it reads the file it caps its own address space
(RLIMIT_AS, `ImportLimits.memory_bytes`) and CPU time; it then reads and checks the file
with every cap of jdcore.formats.limits (jdcore.formats.upload.import_upload) and, when the
import is valid and a folder is given, writes the catalogue there (all or nothing,
jdcore.formats.writer). The server only waits on a pipe meanwhile, so other sessions keep
their speed. The worker stops itself once it has used its processor time (and the kernel
stops it a little later, RLIMIT_CPU); the server kills it when it takes WALL_FACTOR times
that on the clock (a worker that hangs uses no processor time). At most MAX_WORKERS
imports run at once in one server process; another waits for a free slot within its budget.

One pickled request goes to the worker's stdin and one pickled response comes back on its
stdout; only this module talks to the worker, through its own pipes.
"""

from __future__ import annotations

import logging
import math
import os
import pickle
import resource
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from ..model.problems import Problem
from ..model.schema import Taxonomy
from .documents.draft import DocumentDraft
from .limits import DEFAULT_LIMITS, MIB, ImportLimits, count, size_text, time_message
from .tablereader import ImportResult

MAX_WORKERS = 2           # imports running at once in one process (the machine has 2 cores)
STARTUP_SECONDS = 30.0    # a worker's start (imports) on a busy machine, on top of the budget
WALL_FACTOR = 3           # clock time a worker may take, per second of its processor time
EXIT_MEMORY = 3           # the worker's exit status when it ran out of memory
SMALLER = "import a smaller file (split the catalogue into several)"
FEWER = "import fewer or smaller documents at a time"

_slots = threading.BoundedSemaphore(MAX_WORKERS)
_LOGGER = logging.getLogger(__name__)


@dataclass
class ImportRun:
    """What an import in a worker gave: the result (tables, taxonomy, every problem), whether
    the catalogue folder was written, and the worker's peak resident memory in bytes (0 when
    it did not report it)."""

    result: ImportResult
    written: bool = False
    peak_rss: int = 0


def run_import(name: str, data: bytes, out: str | Path | None = None, *,
               taxonomy: Taxonomy | None = None,
               limits: ImportLimits = DEFAULT_LIMITS) -> ImportRun:
    """Read the upload `name` (a CSV bundle ZIP or a workbook) in a worker process and, when
    it is valid and `out` is given, write it as a catalogue folder at `out` (replacing an
    empty folder). Never raises for a bad file, a worker out of memory or out of time: each
    comes back as a problem naming the file and the fix."""
    request = {"name": name, "data": data, "out": None if out is None else str(out),
               "taxonomy": taxonomy, "limits": limits}
    response = _in_worker(name, request, out, limits, SMALLER)
    if isinstance(response, str):
        return ImportRun(ImportResult({}, taxonomy, [Problem(name, None, "", response)]))
    return ImportRun(response["result"], response["written"], response["peak_rss"])


def run_document_import(files: list[tuple[str, bytes]], base=None, *,
                        limits: ImportLimits = DEFAULT_LIMITS) -> DocumentDraft:
    """Draft the uploaded job description documents (and ZIPs of them), as
    jdcore.formats.documents.import_uploads does, in a worker process with the same memory
    and time limits as run_import; `base` is the catalogue they are checked against
    (documents.catalogue_base; None: the embedded one). All the files together may hold
    `limits.documents_bytes`. Never raises for a bad file, a worker out of memory or out of
    time: each comes back as a problem of the draft naming the file and the fix."""
    name = files[0][0] if len(files) == 1 else f"the {len(files)} documents"
    total = sum(len(data) for _, data in files)
    if total > limits.documents_bytes:
        return DocumentDraft(documents=[n for n, _ in files], problems=[Problem(
            name, None, "", f"the documents hold {count(total)} bytes together, over the "
            f"{size_text(limits.documents_bytes)} one import may hold; {FEWER}")])
    request = {"kind": "documents", "files": files, "base": base, "limits": limits}
    response = _in_worker(name, request, None, limits, FEWER)
    if isinstance(response, str):
        return DocumentDraft(documents=[n for n, _ in files],
                             problems=[Problem(name, None, "", response)])
    return response["draft"]


def _in_worker(name: str, request: dict, out, limits: ImportLimits, smaller: str
               ) -> dict | str:
    """The worker's response to `request`, or why there is none (a message with the fix)."""
    if not _slots.acquire(timeout=limits.seconds):
        return "the server is busy with other imports; try again in a minute"
    try:
        return _run_worker(name, request, out, limits, smaller)
    finally:
        _slots.release()


def _run_worker(name: str, request: dict, out, limits: ImportLimits, smaller: str
                ) -> dict | str:
    payload = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        process = subprocess.Popen([sys.executable, "-m", "jdcore.formats.importworker"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, env=worker_environment())
    except OSError as exc:
        _LOGGER.error("cannot start an import worker: %s", exc)
        return "the server cannot start an import just now; try again in a minute"
    wall = WALL_FACTOR * limits.seconds + STARTUP_SECONDS
    try:
        stdout, stderr = process.communicate(payload, timeout=wall)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        _cleanup(out)
        return (f"the import did not finish within {wall:g} s and was stopped; try again "
                f"when the server is less busy, or {smaller}")
    if process.returncode in (-signal.SIGXCPU, -signal.SIGKILL):  # RLIMIT_CPU
        _cleanup(out)
        return time_message(limits, smaller)
    if out_of_memory(process.returncode, stderr):
        _cleanup(out)
        return (f"reading this file needs more than the {count(limits.memory_bytes // MIB)} "
                f"MiB of memory an import may use; {smaller}")
    try:
        if process.returncode != 0:
            raise ValueError(f"exit status {process.returncode}")
        return pickle.loads(stdout)
    except Exception as exc:  # a crash: the worker's own error output says why
        _LOGGER.error("import worker for %r failed (%s): %s", name, exc,
                      stderr.decode("utf-8", "replace")[-4000:])
        _cleanup(out)
        return (f"the import stopped unexpectedly ({exc}); try again, and if it fails "
                "again, import the file with `python -m jdcore import` to see why")


def out_of_memory(returncode: int, stderr: bytes) -> bool:
    """Whether a worker ended for want of memory: its own MemoryError (EXIT_MEMORY, or a
    traceback when it was raised outside the import), or an extension written in Rust
    (pydantic's core) that aborts when an allocation fails."""
    if returncode == EXIT_MEMORY:
        return True
    tail = stderr[-4000:]
    return returncode != 0 and (b"MemoryError" in tail or (
        returncode == -signal.SIGABRT and b"memory allocation of" in tail))


def worker_environment() -> dict[str, str]:
    """The worker's environment: this package importable; Arrow allocating through malloc,
    so that the address-space limit counts memory in use (its default allocator reserves a
    gigabyte of address space up front)."""
    environment = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])
    environment["PYTHONPATH"] = os.pathsep.join(
        p for p in (package_root, environment.get("PYTHONPATH")) if p)
    environment["ARROW_DEFAULT_MEMORY_POOL"] = "system"
    return environment


def _cleanup(out) -> None:
    """Remove what a worker stopped while writing left beside `out`."""
    if out is not None:
        from .writer import remove_staging

        remove_staging(out)


# --- the worker ------------------------------------------------------------------------------

def limit_resources(limits: ImportLimits) -> None:
    """Cap this process's address space and CPU time (a backstop to the parent's timer)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    memory = limits.memory_bytes if hard == resource.RLIM_INFINITY else min(
        limits.memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (memory, hard))
    cpu = math.ceil(limits.seconds + STARTUP_SECONDS)  # the worker's own check comes first
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu if hard == resource.RLIM_INFINITY
                                             else min(cpu, hard), hard))


def work(request: dict) -> dict:
    """Read (and write) one import: the response to send back."""
    from .upload import import_upload
    from .writer import WriteError, write_tables

    if request.get("kind") == "documents":
        from .documents import import_uploads

        draft = import_uploads(request["files"], request["base"], limits=request["limits"])
        return {"draft": draft, "peak_rss": peak_rss()}
    name, out = request["name"], request["out"]
    result = import_upload(name, request["data"], request["taxonomy"], request["limits"])
    written = False
    if result.ok and out is not None:
        try:
            write_tables(out, result.tables, result.taxonomy, force=True)
            written = True
        except WriteError as exc:
            result.problems.append(Problem(name, None, "", f"cannot be written: {exc}"))
        except OSError as exc:
            result.problems.append(Problem(name, None, "", f"cannot be written "
                                           f"({exc.strerror or exc}); try again, and if it "
                                           "fails again, tell whoever runs the dashboard"))
    return {"result": result, "written": written, "peak_rss": peak_rss()}


def peak_rss() -> int:
    """This process's peak resident memory in bytes: VmHWM, which starts afresh in a new
    program (ru_maxrss can carry the forking parent's over exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main() -> None:
    from . import documents, upload, writer  # noqa: F401  (imported before the cap: only
    # data counts)

    request = pickle.load(sys.stdin.buffer)
    limit_resources(request["limits"])
    try:
        payload = pickle.dumps(work(request), protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        os._exit(EXIT_MEMORY)
    sys.stdout.buffer.write(payload)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
