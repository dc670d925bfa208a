"""Loading in worker processes gives exactly what loading in one process gives."""

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import jdcore.loading.readpool
from jdcore import load_catalogue
from jdcore.synth import write_synthetic_catalogue

DATA = Path(__file__).resolve().parent.parent / "data"


def assert_same_catalogue(left, right):
    for name, table in left.tables.items():
        assert_frame_equal(right.tables[name], table, obj=name)
    assert [str(p) for p in right.problems] == [str(p) for p in left.problems]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic") / "catalogue"
    write_synthetic_catalogue(folder, 450, 3)
    return folder


def test_worker_processes_load_the_same_tables_as_one_process(synthetic, monkeypatch):
    parallel = load_catalogue(synthetic)  # 450 files: above PARALLEL_MIN_FILES
    monkeypatch.setattr(jdcore.loading.readpool, "PARALLEL_MIN_FILES", 10**9)
    sequential = load_catalogue(synthetic)
    assert len(parallel.roles) == 450
    assert_same_catalogue(sequential, parallel)


@pytest.mark.parametrize("min_files", [1, 10**9], ids=["workers", "one-process"])
def test_two_files_with_the_same_id_keep_one_role_in_every_table(tmp_path, catalogue,
                                                                 monkeypatch, min_files):
    monkeypatch.setattr(jdcore.loading.readpool, "PARALLEL_MIN_FILES", min_files)
    folder = tmp_path / "catalogue"
    shutil.copytree(catalogue.path, folder)
    shutil.copy(folder / "roles" / "head-of-sales.yaml", folder / "roles" / "zz-copy.yaml")
    loaded = load_catalogue(folder)
    assert list(loaded.roles["role_id"]).count("head-of-sales") == 1
    assert loaded.roles.set_index("role_id").loc["head-of-sales", "file"] == \
        "roles/head-of-sales.yaml"
    duties = loaded.duties[loaded.duties["role_id"] == "head-of-sales"]
    assert list(duties["duty_no"]) == list(range(1, 11))
    assert "roles/zz-copy.yaml:1: id: id 'head-of-sales' differs from the file name " \
           "'zz-copy.yaml'; rename the file to 'head-of-sales.yaml' or change the id" \
           in [str(p) for p in loaded.problems]


def test_tables_of_chunks_concatenate_to_the_same_dtypes():
    # A chunk of files may hold no KPIs, or no right with a limit: its empty or all-missing
    # text columns must not turn the catalogue's "str" columns into "object" ones.
    from jdcore.model.tables import build_tables
    from jdcore.loading.files import read_role_file, read_taxonomy

    taxonomy = read_taxonomy(DATA / "taxonomy.yaml")
    entry, _ = read_role_file(DATA / "roles" / "head-of-sales.yaml", taxonomy)
    one = build_tables([entry.role], [entry.name], taxonomy)
    empty = build_tables([], [], taxonomy)
    for name, table in one.items():
        joined = pd.concat([table, empty[name]], ignore_index=True)
        assert dict(joined.dtypes) == dict(table.dtypes), name
        assert object not in set(table.dtypes), name


@pytest.fixture
def another_thread():
    """A second live thread, as in the app's server, where forking is not safe."""
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    yield
    stop.set()
    thread.join()


def test_a_threaded_process_reads_in_worker_subprocesses_the_same_tables(synthetic, monkeypatch,
                                                                        another_thread):
    monkeypatch.setattr(jdcore.loading.readpool, "SUBPROCESS_MIN_FILES", 100)
    read = jdcore.loading.readpool.read_in_subprocesses
    results = []
    monkeypatch.setattr(jdcore.loading.readpool, "read_in_subprocesses",
                        lambda *args: results.append(read(*args)) or results[-1])
    threaded = load_catalogue(synthetic)
    assert len(results) == 1 and results[0] is not None  # the workers did the reading
    assert len(results[0]) > 2  # several chunks, dealt to two workers
    monkeypatch.setattr(jdcore.loading.readpool, "PARALLEL_MIN_FILES", 10**9)
    assert_same_catalogue(load_catalogue(synthetic), threaded)


def test_when_a_worker_subprocess_fails_the_files_are_read_in_process(synthetic, monkeypatch,
                                                                      another_thread):
    import shutil as shell

    monkeypatch.setattr(jdcore.loading.readpool, "SUBPROCESS_MIN_FILES", 100)
    monkeypatch.setattr(jdcore.loading.readpool.sys, "executable", shell.which("false"))
    loaded = load_catalogue(synthetic)
    monkeypatch.setattr(jdcore.loading.readpool, "PARALLEL_MIN_FILES", 10**9)
    assert_same_catalogue(load_catalogue(synthetic), loaded)


# --- stuck workers: a stopped worker is killed and the files are read in process ------------

def process_state(pid: int) -> str | None:
    """The state letter of a process in /proc (T: stopped, Z: a zombie), None when gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


@pytest.fixture
def short_worker_timeout(monkeypatch):
    monkeypatch.setattr(jdcore.loading.readpool, "WORKER_TIMEOUT_MIN", 3.0)
    monkeypatch.setattr(jdcore.loading.readpool, "WORKER_TIMEOUT_PER_FILE", 0.0)


def test_a_stopped_worker_subprocess_is_killed_and_the_files_read_in_process(
        synthetic, monkeypatch, another_thread, short_worker_timeout):
    import signal
    import subprocess

    monkeypatch.setattr(jdcore.loading.readpool, "SUBPROCESS_MIN_FILES", 100)
    started = []
    real_popen = subprocess.Popen

    def popen_and_stop_the_first(*args, **kwargs):
        process = real_popen(*args, **kwargs)
        if not started:
            os.kill(process.pid, signal.SIGSTOP)
        started.append(process)
        return process

    monkeypatch.setattr(jdcore.loading.readpool.subprocess, "Popen", popen_and_stop_the_first)
    loaded = load_catalogue(synthetic)
    monkeypatch.undo()
    assert len(started) >= 2
    assert started[0].returncode == -signal.SIGKILL  # killed, not left stopped
    assert all(process.returncode is not None for process in started)
    monkeypatch.setattr(jdcore.loading.readpool, "PARALLEL_MIN_FILES", 10**9)
    assert_same_catalogue(load_catalogue(synthetic), loaded)


PARENT_PID = os.getpid()
STOPPED_PIDS: list[Path] = []  # the file the stopped worker writes its pid to


def read_chunk_stopping_the_first_worker(files, first, taxonomy):
    """read_chunk, but the forked worker handed the first chunk stops itself (SIGSTOP)."""
    import signal

    if os.getpid() != PARENT_PID and first == 0:
        STOPPED_PIDS[0].write_text(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGSTOP)
    return READ_CHUNK(files, first, taxonomy)


READ_CHUNK = jdcore.loading.readpool.read_chunk


def test_a_stopped_forked_worker_is_killed_and_the_files_read_in_process(
        synthetic, monkeypatch, tmp_path, short_worker_timeout):
    # Fork as from the command line, even if the test run has started threads of its own.
    monkeypatch.setattr(jdcore.loading.readpool.threading, "active_count", lambda: 1)
    monkeypatch.setattr(jdcore.loading.readpool, "read_chunk",
                        read_chunk_stopping_the_first_worker)
    STOPPED_PIDS[:] = [tmp_path / "stopped.pid"]
    loaded = load_catalogue(synthetic)
    pid = int(STOPPED_PIDS[0].read_text())  # a forked worker took the first chunk, and stopped
    assert process_state(pid) in (None, "Z", "X")  # killed, not left stopped
    monkeypatch.undo()
    monkeypatch.setattr(jdcore.loading.readpool, "PARALLEL_MIN_FILES", 10**9)
    assert_same_catalogue(load_catalogue(synthetic), loaded)
