"""jdcore.formats.importworker: imports in a worker process with a memory limit and a time
budget, as the app's server runs them. Each hostile file of issue 15 is refused by the
worker with the reader's message and within bounded memory."""

from __future__ import annotations

import dataclasses
import threading

import pytest

from document_fixtures import FAMILY_MD, MANAGER_MD
from hostile_uploads import million_duties_bundle, xfd_dimension_workbook, xfd_rows_workbook
from jdcore import load_catalogue
from jdcore.formats import importworker
from jdcore.formats.bundle import bundle_zip
from jdcore.formats.importworker import run_document_import, run_import
from jdcore.formats.limits import DEFAULT_LIMITS, MIB
from jdcore.formats.xlsx import workbook_bytes

# The worker's peak memory for the hostile files: an interpreter with pandas and openpyxl
# takes about 130 MiB, the files' reads a few dozen more. Before the caps the same files
# took over 1 GiB within minutes (and the first grew without bound).
HOSTILE_PEAK_MIB = 400


def small(**caps):
    return dataclasses.replace(DEFAULT_LIMITS, **caps)


@pytest.fixture(scope="module")
def book(catalogue) -> bytes:
    return workbook_bytes(catalogue.tables)


def test_a_valid_upload_is_read_and_written_by_the_worker(catalogue, tmp_path):
    out = tmp_path / "import"
    out.mkdir()
    run = run_import("bundle.zip", bundle_zip(catalogue), out)
    assert run.result.ok and run.written and run.result.problems == []
    assert load_catalogue(out).roles.equals(catalogue.roles)
    assert 0 < run.peak_rss < HOSTILE_PEAK_MIB * MIB


@pytest.mark.parametrize("kind", ["xfd-dimension", "xfd-rows", "million-duties"])
def test_each_hostile_file_is_refused_in_bounded_memory(catalogue, book, tmp_path, kind):
    name, data, message = {
        "xfd-dimension": ("xfd.xlsx", xfd_dimension_workbook(book),
                          "cell A1048576 holds a value in row 1,048,576"),
        "xfd-rows": ("rows.xlsx", xfd_rows_workbook(book),
                     "cell XFD216 holds a value in column 16,384"),
        "million-duties": ("duties.zip", million_duties_bundle(catalogue),
                           "has more than 1,000 rows here; a role holds at most 1,000 duties"),
    }[kind]
    out = tmp_path / "import"
    out.mkdir()
    run = run_import(name, data, out)
    assert [p.file.split(" ")[0].rstrip(":") for p in run.result.problems] == [name]
    assert message in run.result.problems[0].message
    assert not run.written and list(tmp_path.iterdir()) == [out] and not any(out.iterdir())
    assert 0 < run.peak_rss < HOSTILE_PEAK_MIB * MIB, f"{run.peak_rss / MIB:.0f} MiB"


def test_a_worker_over_its_memory_limit_is_reported_with_the_fix(catalogue, tmp_path):
    # An interpreter with pandas needs more address space than this on its own, so the
    # worker cannot map any more: what is tested is that it is stopped and said so. The
    # bundle's 250,000 duties (25 for each of 10,000 role ids, within every cap) need far
    # more fresh memory than the worker's heap may hold free: the seed's small bundle could
    # be read within it, so it did not always run out.
    run = run_import("bundle.zip", million_duties_bundle(catalogue, 250_000, "many"),
                     tmp_path, limits=small(memory_bytes=300 * MIB))
    assert [str(p) for p in run.result.problems] == [
        "bundle.zip: reading this file needs more than the 300 MiB of memory an import may "
        "use; import a smaller file (split the catalogue into several)"]
    assert not run.written


def test_a_worker_that_takes_too_long_is_killed(catalogue, monkeypatch):
    monkeypatch.setattr(importworker, "STARTUP_SECONDS", 0.0)
    monkeypatch.setattr(importworker, "WALL_FACTOR", 1)
    run = run_import("bundle.zip", bundle_zip(catalogue), limits=small(seconds=0.2))
    assert [str(p) for p in run.result.problems] == [
        "bundle.zip: the import did not finish within 0.2 s and was stopped; try again when "
        "the server is less busy, or import a smaller file (split the catalogue into several)"]


def test_imports_beyond_the_workers_wait_for_a_slot_then_say_the_server_is_busy(
        catalogue, monkeypatch):
    slots = threading.BoundedSemaphore(1)
    monkeypatch.setattr(importworker, "_slots", slots)
    slots.acquire()  # another session's import
    try:
        run = run_import("bundle.zip", bundle_zip(catalogue), limits=small(seconds=0.1))
    finally:
        slots.release()
    assert [str(p) for p in run.result.problems] == [
        "bundle.zip: the server is busy with other imports; try again in a minute"]


@pytest.mark.parametrize("returncode, stderr, expected", [
    (importworker.EXIT_MEMORY, b"", True),
    (-6, b"memory allocation of 262144 bytes failed\nstack backtrace:", True),  # Rust's abort
    (1, b"Traceback (most recent call last):\n...\nMemoryError\n", True),
    (-6, b"something else went wrong", False),
    (1, b"Traceback (most recent call last):\n...\nValueError: x\n", False),
    (0, b"", False),
])
def test_a_worker_out_of_memory_is_told_from_one_that_failed(returncode, stderr, expected):
    assert importworker.out_of_memory(returncode, stderr) is expected


# --- job description documents, in the same worker -------------------------------------------

@pytest.fixture(scope="module")
def base():
    from jdcore.formats.documents import embedded_base

    return embedded_base()


FAMILY = [("backend-engineer.md", FAMILY_MD.encode()),
          ("backend-engineering-manager.md", MANAGER_MD.encode())]


def test_documents_are_drafted_in_the_worker_as_in_the_process(base):
    from jdcore.formats.documents import import_uploads

    draft = run_document_import(FAMILY, base)
    here = import_uploads(FAMILY, base)
    assert not draft.errors and len(draft.roles) == 4
    assert draft.roles == here.roles and draft.problems == here.problems
    assert draft.documents == [name for name, _ in FAMILY]


def test_documents_over_the_bytes_of_one_import_are_refused(base):
    draft = run_document_import(FAMILY, base, limits=small(documents_bytes=1000))
    assert not draft.roles
    total = sum(len(data) for _, data in FAMILY)
    assert total > 1000
    assert [str(p) for p in draft.problems] == [
        f"the 2 documents: the documents hold {total:,} bytes together, over the 1,000 byte "
        "one import may hold; import fewer or smaller documents at a time"]


def test_documents_over_the_roles_cap_are_refused_with_the_fix(base):
    draft = run_document_import(FAMILY, base, limits=small(roles=2))
    assert not draft.roles
    assert [str(p) for p in draft.problems] == [
        "backend-engineer.md: the documents describe more than 2 roles, the most one import "
        "may hold; import them in smaller batches"]


def test_documents_over_the_time_budget_are_stopped_with_the_fix(base):
    draft = run_document_import(FAMILY, base, limits=small(seconds=0.0))
    assert not draft.roles and len(draft.problems) == 1
    assert draft.problems[0].file in {name for name, _ in FAMILY}  # where it stopped
    assert draft.problems[0].message == (
        "the import used more than 0 s of processor time and was stopped; import fewer or "
        "smaller documents at a time")


def test_a_documents_worker_over_its_memory_limit_is_reported_with_the_fix(base):
    draft = run_document_import(FAMILY, base, limits=small(memory_bytes=300 * MIB))
    assert not draft.roles
    assert [str(p) for p in draft.problems] == [
        "the 2 documents: reading this file needs more than the 300 MiB of memory an import "
        "may use; import fewer or smaller documents at a time"]


def test_a_zip_bomb_of_documents_is_refused_in_the_worker(base):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.txt", b"\0" * (30 * MIB))
    draft = run_document_import([("bomb.zip", buffer.getvalue())], base)
    assert not draft.roles and len(draft.errors) == 1
    assert draft.errors[0].file.startswith("bomb.zip") and "zip bomb" in draft.errors[0].message


def test_the_worker_lowers_its_priority_so_pages_run_first():
    """limit_resources (run first thing in the worker) raises the process's niceness by
    WORKER_NICENESS, as far as the system allows (19 at most)."""
    import subprocess
    import sys

    code = ("import os\n"
            "from jdcore.formats.importworker import limit_resources\n"
            "from jdcore.formats.limits import DEFAULT_LIMITS\n"
            "before = os.nice(0)\n"
            "limit_resources(DEFAULT_LIMITS)\n"
            "print(before, os.nice(0))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=importworker.worker_environment(), timeout=60, check=True)
    before, after = map(int, done.stdout.split())
    assert after == min(before + importworker.WORKER_NICENESS, 19)
