"""A hostile import in one session leaves another session's speed, and the server's memory,
bounded (issue 15): the upload is read in a worker process (jdcore.formats.importworker)
with its own memory limit, and the server only waits on it.

Session B uploads a CSV bundle with a million duty rows (the worker reads 300,000 of them,
then refuses the file: tens of seconds of a worker's processor time). Meanwhile session A
moves between two plain pages, as it did before the upload. What is asserted is a ratio
within one run (A's median page time during the import over A's median before it), with
room for a shared 2-core machine, and the server process's own memory growth; both bounds
are stated below.
"""

from __future__ import annotations

import statistics
import threading
import time
from urllib.parse import urlparse

import psutil
import pytest
from playwright.sync_api import expect

from hostile_uploads import million_duties_bundle
from test_pages import grid_column

pytestmark = pytest.mark.browser

SPEED_RATIO = 3.0         # A's median page time during B's import, at most this times before it
SERVER_GROWTH_MIB = 150   # the server process's RSS (the worker's is its own) grows less than this
NAVIGATIONS = 5           # timed page changes of session A, before and during the import
WORKER = "jdcore.formats.importworker"
IMPORT_TIMEOUT = 240_000  # ms: B's refusal (the worker's budget is 120 s of processor time)
SETTLE_S = 0.3            # the quiet time wait_for_app waits for after a run (conftest.SETTLE_MS)


def server_process(url: str) -> psutil.Process:
    """The `streamlit run` process that listens on the port of `url`."""
    port = str(urlparse(url).port)
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if "streamlit" in " ".join(cmdline) and port in cmdline and "--server.port" in cmdline:
            return process
    raise AssertionError(f"no streamlit process serves {url}")


def worker_running(server: psutil.Process) -> bool:
    try:
        return any(WORKER in " ".join(child.cmdline()) for child in server.children())
    except psutil.NoSuchProcess:
        return False


def new_page(browser, wait_for_app, url: str, path: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    context.outside_requests = []

    def local_only(route):  # as every browser test: nothing may leave the machine
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost") or \
                route.request.url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            context.outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", local_only)
    page = context.new_page()
    page.goto(url + path, wait_until="domcontentloaded")
    wait_for_app(page)
    return context, page


def change_page(page, wait_for_app, url: str, path: str) -> float:
    """Click the sidebar's link to `path`: seconds until the page has finished its run."""
    link = page.locator(f'[data-testid="stSidebarNavLink"][href="{url}{path}"]')
    started = time.monotonic()
    link.click()
    page.wait_for_url(f"{url}{path}")
    wait_for_app(page)
    return time.monotonic() - started - SETTLE_S  # the quiet time is not the page's


class RssPeak(threading.Thread):
    """The peak resident memory of one process, sampled every 0.2 s."""

    def __init__(self, process: psutil.Process):
        super().__init__(daemon=True)
        self.process, self.peak, self.stop = process, process.memory_info().rss, threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.2):
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.NoSuchProcess:
                return


def test_a_hostile_import_leaves_another_session_fast_and_the_server_small(
        chromium_browser, new_app_server, wait_for_app, catalogue):
    url = new_app_server
    server = server_process(url)
    hostile = million_duties_bundle(catalogue, role_id="many")
    context_a, page_a = new_page(chromium_browser, wait_for_app, url, "/duties")
    context_b, page_b = new_page(chromium_browser, wait_for_app, url, "/import")
    try:
        paths = ["/", "/duties"]  # the Overview (the default page) and the Duties
        for path in paths:  # both pages' caches warm
            change_page(page_a, wait_for_app, url, path)
        before = [change_page(page_a, wait_for_app, url, paths[i % 2])
                  for i in range(NAVIGATIONS)]

        rss_before = server.memory_info().rss
        sampler = RssPeak(server)
        sampler.start()
        page_b.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
            {"name": "duties.zip", "mimeType": "application/zip", "buffer": hostile})
        deadline = time.monotonic() + 60
        while not worker_running(server):
            assert time.monotonic() < deadline, (
                "the import worker did not start within 60 s; session B shows: "
                + page_b.locator('[data-testid="stMain"]').inner_text()[:600])
            page_b.wait_for_timeout(100)  # Playwright serves the pages' routes meanwhile

        during = []
        for i in range(NAVIGATIONS):
            if not worker_running(server):
                break
            seconds = change_page(page_a, wait_for_app, url, paths[i % 2])
            if worker_running(server):  # the whole page change happened during the import
                during.append(seconds)
        assert len(during) >= 3, f"the import ended before A could change pages: {during}"

        expect(page_b.locator('[data-testid="stMain"]')).to_contain_text(
            "duties.zip cannot be imported: 1 error(s)", timeout=IMPORT_TIMEOUT)
        wait_for_app(page_b)
        sampler.stop.set()
        sampler.join()
        messages = grid_column(page_b.locator('[data-testid="stDataFrame"]').first, "message")
        assert messages == ["more than 300,000 duties; an import holds at most 300,000 "
                            "duties: split the catalogue into several imports"]
        assert page_b.locator('[data-testid="stException"]').count() == 0
        assert page_a.locator('[data-testid="stException"]').count() == 0

        ratio = statistics.median(during) / statistics.median(before)
        assert ratio < SPEED_RATIO, (f"A's pages took {ratio:.1f}x as long during the import: "
                                     f"before {before}, during {during}")
        growth = (sampler.peak - rss_before) / 2**20
        assert growth < SERVER_GROWTH_MIB, f"the server grew by {growth:.0f} MiB"
        assert not context_a.outside_requests + context_b.outside_requests
    finally:
        sampler_stop = locals().get("sampler")
        if sampler_stop is not None:
            sampler_stop.stop.set()
        context_a.close()
        context_b.close()
