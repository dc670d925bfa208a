"""Browser tests: one real `streamlit run app.py` server and one headless Chromium per session.

Chromium is Debian's (/usr/bin/chromium) driven through Playwright; no browser download.
Without it the tests skip locally (install it with `apt-get install chromium`) but FAIL
when the CI environment variable is set: CI must never silently skip them.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 900}

SERVER_START_TIMEOUT = 60.0   # seconds until /_stcore/health must answer
NAVIGATION_TIMEOUT = 60_000   # ms: page loads on a slow shared machine
RUN_TIMEOUT = 60_000          # ms: a script run (first runs load the catalogue)
ACTION_TIMEOUT = 30_000       # ms: default for clicks, fills, expects
SETTLE_MS = 300               # quiet time after a run before we look at the page


def pytest_configure(config):
    try:
        from playwright.sync_api import expect
    except ImportError:  # the fixtures report the missing package when a test needs it
        pass
    else:
        expect.set_options(timeout=ACTION_TIMEOUT)
    config.addinivalue_line(
        "markers", "browser: drives the real app in headless Chromium (select with -m browser)")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _log_tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError as error:
        return f"(server log unreadable: {error})"


@contextmanager
def streamlit_server(tmp_path_factory, env: dict[str, str] | None = None) -> Iterator[str]:
    """Base URL of a real `streamlit run app.py` on a free local port, stopped on exit.
    Its output goes to server.log in pytest's temporary folder (kept for the last runs).
    `env` adds to (or overrides) the server's environment, e.g. JDCORE_CATALOGUE."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("streamlit-server") / "server.log"
    command = [sys.executable, "-m", "streamlit", "run", "app.py",
               "--server.headless", "true", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    # The tests compare against the embedded catalogue, so the app must load data/ too; and
    # each server has a workspace of its own, seeded from its catalogue (one server's edits
    # or catalogue never show in another's), unless `env` names one.
    own_workspace = f"sqlite:///{log_path.parent / 'workspace.sqlite'}"
    env = ({k: v for k, v in os.environ.items() if k != "JDCORE_CATALOGUE"}
           | {"JDCORE_WORKSPACE": own_workspace} | (env or {}))
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(url):
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with code {process.returncode} before answering "
                            f"on {url}/_stcore/health.\n$ {' '.join(command)}\n"
                            f"--- server log ({log_path}) ---\n{_log_tail(log_path)}",
                            pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer on {url}/_stcore/health within "
                            f"{SERVER_START_TIMEOUT:.0f} s.\n$ {' '.join(command)}\n"
                            f"--- server log ({log_path}) ---\n{_log_tail(log_path)}",
                            pytrace=False)
            time.sleep(0.25)
        yield url
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


@pytest.fixture(scope="session")
def app_server(tmp_path_factory) -> Iterator[str]:
    """The app server shared by the session's browser tests."""
    with streamlit_server(tmp_path_factory) as url:
        yield url


@pytest.fixture
def new_app_server(tmp_path_factory) -> Iterator[str]:
    """A server of its own for one test, that no other request has reached yet."""
    with streamlit_server(tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="module")
def server_with():
    """`server_with(tmp_path_factory, env)` -> the URL of a server of its own with `env` added
    to its environment (e.g. another JDCORE_CATALOGUE), stopped when the module's tests end."""
    with ExitStack() as stack:
        yield lambda factory, env: stack.enter_context(streamlit_server(factory, env))


LARGE_CATALOGUE_ROLES = 2000


@pytest.fixture(scope="module")
def large_catalogue_server(tmp_path_factory, chromium_browser) -> Iterator[str]:
    """A server of its own on a synthetic catalogue of 2,000 roles (`python -m jdcore synth`)."""
    folder = tmp_path_factory.mktemp("synthetic") / "catalogue"
    subprocess.run([sys.executable, "-m", "jdcore", "synth", "--roles",
                    str(LARGE_CATALOGUE_ROLES), "--seed", "1", "--out", str(folder)],
                   cwd=ROOT, check=True, capture_output=True)
    with streamlit_server(tmp_path_factory, {"JDCORE_CATALOGUE": str(folder)}) as url:
        yield url


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's headless Chromium driven by Playwright, shared by the whole session."""
    if not CHROMIUM.exists():
        message = (f"{CHROMIUM} not found: the browser tests need Debian's Chromium "
                   "(`apt-get install chromium`).")
        if os.environ.get("CI"):
            pytest.fail(message + " CI is set, so this is a failure, not a skip.", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                             headless=True, timeout=NAVIGATION_TIMEOUT)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def browser_context(chromium_browser):
    """One browser context (1280x900, downloads accepted) for the session."""
    context = chromium_browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(ACTION_TIMEOUT)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT)
    context.outside_requests = []
    context.route("**/*", lambda route: _local_only(route, context.outside_requests))
    yield context
    context.close()


LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


def _local_only(route, outside: list[str]) -> None:
    """Let requests to this machine through; record and refuse every other one (the app
    promises that nothing is fetched from the network)."""
    url = urlparse(route.request.url)
    if url.scheme in ("data", "blob", "about") or url.hostname in LOCAL_HOSTS:
        route.continue_()
    else:
        outside.append(route.request.url)
        route.abort()


def wait_for_app(page, timeout: float = RUN_TIMEOUT) -> None:
    """Wait until Streamlit has finished running the script and the page has settled.

    Done means: the app view container and its main block are present, the main block shows
    some text (the placeholder drawn before the first run is empty), the status widget shows
    no run in progress (its "source file changed" prompt does not count), no element is
    stale (left over from a previous run) and no lazily loaded element (table, chart,
    selectbox) is still a skeleton; all that must hold for SETTLE_MS in a row.
    """
    page.wait_for_selector('[data-testid="stAppViewContainer"]', state="attached",
                           timeout=timeout)
    page.evaluate("window.__stQuietSince = null")
    page.wait_for_function(
        """(settle) => {
            const main = document.querySelector('[data-testid="stMain"]')
                || document.querySelector('[data-testid="stAppViewContainer"]');
            // Before the first run, the main block holds one empty placeholder container.
            const drawn = main && main.querySelector('[data-testid="stElementContainer"]')
                && main.innerText.trim() !== '';
            const running = document.querySelector(
                '[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]');
            const stale = document.querySelector('[data-stale="true"]');
            const skeleton = document.querySelector(
                '[data-testid="stAppSkeleton"], [data-testid="stSkeleton"]');
            const now = performance.now();
            if (!drawn || running || stale || skeleton) { window.__stQuietSince = null; return false; }
            if (window.__stQuietSince == null) { window.__stQuietSince = now; }
            return now - window.__stQuietSince >= settle;
        }""",
        arg=SETTLE_MS, timeout=timeout, polling=100)


@pytest.fixture
def app_page(browser_context, app_server) -> Iterator[Callable]:
    """`app_page(path)` -> a Playwright page at `path` (e.g. "/duties?dept=Sales") once the
    app has finished running; the pages a test opened are closed when it ends. (The browser
    comes first so that a missing Chromium skips or fails before a server starts.)"""
    pages = []

    def open_(path: str = "/"):
        page = browser_context.new_page()
        pages.append(page)
        page.goto(app_server + path, wait_until="domcontentloaded")
        wait_for_app(page)
        return page

    yield open_
    for page in pages:
        if not page.is_closed():
            page.close()
    assert not browser_context.outside_requests, (
        "requests left the machine: " + ", ".join(browser_context.outside_requests))


@pytest.fixture(name="wait_for_app", scope="session")
def wait_for_app_fixture() -> Callable:
    """`wait_for_app(page)`: wait until a rerun the test triggered has finished."""
    return wait_for_app


def full_page_screenshot(page, path: Path, max_height: int = 16_000) -> None:
    """A screenshot of the whole page at 1280 px wide.

    Streamlit scrolls inside its own containers, not the document, so Playwright's
    full_page alone stops at the viewport: grow the viewport to the tallest scrolling
    container, let the app re-lay itself out, shoot, and restore the viewport.
    """
    viewport = page.viewport_size or VIEWPORT
    height = page.evaluate("""() => Math.max(document.documentElement.scrollHeight,
        ...Array.from(document.querySelectorAll(
            '[data-testid="stMain"], [data-testid="stAppViewContainer"], [data-testid="stApp"],'
            + '[data-testid="stSidebarContent"]'), e => e.scrollHeight))""")
    height = min(max(int(height), viewport["height"]), max_height)
    try:
        if height > viewport["height"]:
            page.set_viewport_size({"width": viewport["width"], "height": height})
            wait_for_app(page)  # resized charts and tables redraw
        page.screenshot(path=str(path), full_page=True, animations="disabled")
    finally:
        if height > viewport["height"]:
            page.set_viewport_size(viewport)


@pytest.fixture(scope="session")
def screenshot() -> Callable:
    """`screenshot(page, name)`: save a full-page screenshot to tests/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        full_page_screenshot(page, path)
        return path

    return shoot


@pytest.fixture
def two_servers_on_postgresql(chromium_browser, postgres_cluster, tmp_path_factory,
                              monkeypatch) -> Iterator[tuple[str, str, str]]:
    """(workspace URL, server A, server B): two app servers on one new PostgreSQL workspace,
    seeded from data/ before they start."""
    from jdcore.store import Workspace

    url = postgres_cluster.new_database()
    workspace = Workspace.open(url, create=True)
    workspace.seed_from_folder(ROOT / "data")
    workspace.close()
    monkeypatch.setenv("JDCORE_WORKSPACE", url)
    shared = {"JDCORE_WORKSPACE": url}
    with streamlit_server(tmp_path_factory, shared) as first, \
            streamlit_server(tmp_path_factory, shared) as second:
        yield url, first, second
