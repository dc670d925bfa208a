"""Shared fixtures: the embedded catalogue, and AppTest runs of a page with query params."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from jdcore import load_catalogue

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


@pytest.fixture(scope="session", autouse=True)
def temporary_cache_dir(tmp_path_factory):
    """Every test, and every app server a test starts, keeps its Parquet cache in a temporary
    folder: the tests never write into the project's own .cache/."""
    import os

    folder = tmp_path_factory.mktemp("jdcore-cache")
    previous = os.environ.get("JDCORE_CACHE_DIR")
    os.environ["JDCORE_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("JDCORE_CACHE_DIR", None)
    else:
        os.environ["JDCORE_CACHE_DIR"] = previous


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "app_error_expected: the test makes a page fail on purpose; the app's "
        "error guard may log it")


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(autouse=True)
def guarded_errors(request):
    """The exceptions the app's error guard (pages.common.error_guard) caught in this test.

    The guard turns an exception into a short message on the page, which `at.exception`
    does not see: so a test in which it caught one fails, with the traceback, unless it is
    marked app_error_expected."""
    handler = _Records()
    logger = logging.getLogger("jdcore.app")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)
    if handler.records and request.node.get_closest_marker("app_error_expected") is None:
        formatter = logging.Formatter()
        pytest.fail("a page raised (caught by the app's error guard):\n" + "\n".join(
            formatter.format(r) for r in handler.records), pytrace=False)


@pytest.fixture(scope="session", autouse=True)
def temporary_workspace(tmp_path_factory):
    """The app opens a workspace in a temporary SQLite file (seeded from data/ on the first
    page run), never the project's own workspace/ folder."""
    import os

    url = f"sqlite:///{tmp_path_factory.mktemp('jdcore-workspace') / 'catalogue.sqlite'}"
    previous = os.environ.get("JDCORE_WORKSPACE")
    os.environ["JDCORE_WORKSPACE"] = url
    yield url
    if previous is None:
        os.environ.pop("JDCORE_WORKSPACE", None)
    else:
        os.environ["JDCORE_WORKSPACE"] = previous


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throwaway PostgreSQL server for the session (skipped without Debian's postgresql
    outside CI; in CI a missing server is a failure)."""
    import os

    from tests.pgserver import PostgresCluster, postgres_bin

    bin_dir = postgres_bin()
    if bin_dir is None:
        message = "PostgreSQL not installed (apt-get install postgresql)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI is set, so this is a failure, not a skip.")
        pytest.skip(message)
    cluster = PostgresCluster(bin_dir)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def workspace_url(request, tmp_path):
    """The URL of a new, empty workspace database: an SQLite file, then a PostgreSQL
    database of the session's throwaway cluster."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workspace.sqlite'}"
    return request.getfixturevalue("postgres_cluster").new_database()


@pytest.fixture
def workspace_file(tmp_path, monkeypatch) -> str:
    """The app opens a workspace of its own for this test (an SQLite file in tmp_path,
    seeded from data/ on the first page run); its URL."""
    url = f"sqlite:///{tmp_path / 'app-workspace.sqlite'}"
    monkeypatch.setenv("JDCORE_WORKSPACE", url)
    monkeypatch.delenv("JDCORE_CATALOGUE", raising=False)
    return url


@pytest.fixture(scope="session")
def catalogue():
    """The embedded catalogue, loaded once; tests must not mutate its tables."""
    return load_catalogue(DATA)


@pytest.fixture
def catalogue_copy(tmp_path) -> Path:
    """A copy of the embedded catalogue in tmp_path/catalogue, free to edit."""
    import shutil

    folder = tmp_path / "catalogue"
    shutil.copytree(DATA, folder)
    return folder


@pytest.fixture
def run_page(monkeypatch):
    """Run one page of the app (by file stem) with optional query params; return the AppTest.

    `catalogue_dir` points the app at another catalogue folder via JDCORE_CATALOGUE.
    """

    def run(page: str, query: dict | None = None, catalogue_dir: Path | None = None,
            timeout: float = 60) -> AppTest:
        if catalogue_dir is not None:
            # a folder opened on its own, without a workspace: read-only, as before
            monkeypatch.setenv("JDCORE_CATALOGUE", str(catalogue_dir))
            monkeypatch.delenv("JDCORE_WORKSPACE", raising=False)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        if page != "overview":
            at.switch_page(f"pages/{page}.py")
        at.run()
        return at

    return run


def vega_charts(at: AppTest) -> list[tuple[dict, dict]]:
    """Every Altair/Vega-Lite chart the page drew: (spec, {dataset name: DataFrame})."""
    import json

    import pyarrow as pa

    charts = []
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        data = {d.name: pa.ipc.open_stream(d.data.data).read_pandas()
                for d in element.proto.datasets}
        charts.append((spec, data))
    return charts


@pytest.fixture
def charts():
    """`charts(at)` -> [(spec, {name: DataFrame})] of the page's Vega-Lite charts."""
    return vega_charts


@pytest.fixture
def downloads(monkeypatch):
    """`downloads(at)` -> {button key: (file name, bytes)} of every download button drawn."""
    import posixpath

    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    stored: dict[str, tuple[str | None, bytes]] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):
        file_id = original(self, path_or_data, mimetype, kind, filename)
        stored[file_id] = (filename, path_or_data)
        return file_id

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)

    def by_key(at) -> dict[str, tuple[str | None, bytes]]:
        files = {}
        for button in at.download_button:
            file_id = posixpath.splitext(posixpath.basename(button.proto.url))[0]
            files[button.key] = stored[file_id]
        return files

    return by_key
