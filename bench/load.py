"""Load test: N concurrent sessions against one real `streamlit run app.py` server.

    python bench/load.py                          # 10 and 50 sessions, 60 s each
    python bench/load.py --sessions 10 50 --seconds 60 --think 10
    python bench/load.py --client browser --sessions 5
    python bench/load.py --sessions 20 --catalogue bench/.work/synth-1000

For each session count, a fresh server starts on loopback (its own SQLite workspace in
bench/.work/load/, seeded from data/ as the app seeds its default one, or the read-only
folder given with --catalogue), every page is opened once to fill the process's caches, and
then N sessions run for --seconds: each opens a random page, waits a think time drawn from
an exponential distribution (mean --think seconds), opens another random page through the
navigation, as a user does, and so on. Nothing leaves the machine.

Two kinds of session (--client):
- ws (the default): a client of Streamlit's websocket protocol, as the browser's app speaks
  it (connect to /_stcore/stream, BackMsg rerun_script with the page, every ForwardMsg of
  the run until script_finished). A page's time runs from the request to the last message
  of its run: the server's part of what a user waits for, without the drawing.
- browser: each session a page of its own context in one headless Chromium (Debian's
  /usr/bin/chromium, Playwright) that clicks the sidebar's links; a page's time runs until
  the page shows its content, the tab's title names it, the status widget shows no run and
  nothing is stale or a skeleton (up to the moment it became quiet; the SETTLE_MS it must
  then stay quiet are not counted); every outside request is refused and counted. On 2
  shared cores the browser's own drawing becomes the bottleneck well before the server
  does, which is why the protocol client exists.

An error is a page that did not finish within PAGE_TIMEOUT_S, an exception or the error
guard's message on the page, a closed connection, a script error in the browser.

The server's resident memory (its process and every child, e.g. catalogue or import
workers) is sampled every SAMPLE_S seconds: after the warm-up, at its peak, at the end. The
server's and the clients' processor time are reported too: on a shared 2-core machine the
clients' own work competes with the server's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jdcore.navigation import PAGES  # noqa: E402

WORK = ROOT / "bench" / ".work" / "load"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync",
                 "--disable-dev-shm-usage"]
VIEWPORT = {"width": 1280, "height": 800}
PAGE_TIMEOUT_S = 60.0
WARM_UP_TIMEOUT_S = 300.0  # the first page after a start seeds the workspace and loads it
SETTLE_MS = 300
SAMPLE_S = 0.5
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

# Resolves to the moment (performance.now()) the page became quiet, once it has stayed
# quiet for `settle` ms: the new page's title, content drawn, no run, nothing stale.
DONE_JS = """([title, settle]) => {
    const main = document.querySelector('[data-testid="stMain"]')
        || document.querySelector('[data-testid="stAppViewContainer"]');
    const drawn = main && main.querySelector('[data-testid="stElementContainer"]')
        && main.innerText.trim() !== '';
    const running = document.querySelector(
        '[data-testid="stStatusWidget"] [data-testid="stStatusWidgetRunningIcon"]');
    const stale = document.querySelector('[data-stale="true"]');
    const skeleton = document.querySelector(
        '[data-testid="stAppSkeleton"], [data-testid="stSkeleton"]');
    const named = document.title.startsWith(title + ' ·');
    const now = performance.now();
    if (!drawn || running || stale || skeleton || !named) { window.__quiet = null; return false; }
    if (window.__quiet == null) { window.__quiet = now; }
    return now - window.__quiet >= settle ? [window.__quiet, now] : false;
}"""
FAILED_JS = """() => {
    if (document.querySelector('[data-testid="stException"]')) return 'exception';
    const text = (document.querySelector('[data-testid="stMain"]') || document.body).innerText;
    if (text.includes('Something went wrong while drawing this page')) return 'error guard';
    return '';
}"""


@dataclass
class Level:
    """What one session count gave."""

    sessions: int
    seconds: float
    times: list[float] = field(default_factory=list)     # page times, seconds
    first: list[float] = field(default_factory=list)     # a session's first page (full load)
    per_page: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    rss_start: int = 0
    rss_peak: int = 0
    rss_end: int = 0
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    wall: float = 0.0
    load_average: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def summary(self) -> dict:
        every = self.times + self.first
        return {
            "sessions": self.sessions, "seconds": self.seconds, "pages": len(every),
            "median_s": median(every), "p90_s": percentile(every, 90),
            "median_click_s": median(self.times), "p90_click_s": percentile(self.times, 90),
            "median_first_s": median(self.first), "errors": len(self.errors),
            "error_kinds": sorted(set(self.errors)),
            "rss_start_mib": self.rss_start / 2**20, "rss_peak_mib": self.rss_peak / 2**20,
            "rss_end_mib": self.rss_end / 2**20,
            "server_cpu_s": self.server_cpu, "client_cpu_s": self.client_cpu,
            "wall_s": self.wall, "load_average": self.load_average,
            "per_page_median_s": {k: median(v) for k, v in sorted(self.per_page.items())},
        }


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


# --- the server ------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


class Server:
    """A `streamlit run app.py` on loopback with a workspace (or folder) of its own."""

    def __init__(self, port: int, catalogue: Path | None, log: Path):
        self.url = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items()
               if k not in ("JDCORE_CATALOGUE", "JDCORE_WORKSPACE")}
        if catalogue is not None:
            env["JDCORE_CATALOGUE"] = str(catalogue)
        else:
            database = log.parent / f"workspace-{port}.sqlite"
            database.unlink(missing_ok=True)
            env["JDCORE_WORKSPACE"] = f"sqlite:///{database}"
        env["JDCORE_CACHE_DIR"] = str(log.parent / "cache")
        command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless",
                   "true", "--server.port", str(port), "--server.address", "127.0.0.1",
                   "--browser.gatherUsageStats", "false"]
        self.log = open(log, "wb")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        start_new_session=True)
        deadline = time.monotonic() + 90
        while not healthy(self.url):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"the server did not start; see {log}")
            time.sleep(0.25)
        self.ps = psutil.Process(self.process.pid)

    def rss(self) -> int:
        """Resident memory of the server and its children, in bytes."""
        total = 0
        try:
            processes = [self.ps] + self.ps.children(recursive=True)
        except psutil.NoSuchProcess:
            return 0
        for process in processes:
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total

    def cpu(self) -> float:
        """Processor seconds of the server (and its finished children)."""
        times = self.ps.cpu_times()
        return times.user + times.system + times.children_user + times.children_system

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self.log.close()


class Sampler(threading.Thread):
    """The server's RSS every SAMPLE_S seconds: peak and last."""

    def __init__(self, server: Server):
        super().__init__(daemon=True)
        self.server, self.peak, self.last = server, 0, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.last = self.server.rss()
            self.peak = max(self.peak, self.last)
            self.done.wait(SAMPLE_S)


# --- the sessions ----------------------------------------------------------------------------

def page_href(key: str) -> str:
    return "" if key == PAGES[0].key else key


class BrowserClient:
    """A session as a user has it: a page of its own browser context in the one Chromium."""

    def __init__(self, browser, url: str, errors: list[str]):
        self.browser, self.url, self.errors = browser, url, errors

    async def open(self) -> None:
        self.context = await self.browser.new_context(viewport=VIEWPORT)
        self.context.set_default_timeout(PAGE_TIMEOUT_S * 1000)

        async def local_only(route):
            url = urlparse(route.request.url)
            if url.scheme in ("data", "blob", "about") or url.hostname in LOCAL_HOSTS:
                await route.continue_()
            else:
                self.errors.append("outside request")
                await route.abort()

        await self.context.route("**/*", local_only)
        self.page = await self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append("browser script error"))

    async def visit(self, key: str, first: bool, timeout: float = PAGE_TIMEOUT_S) -> float:
        """Open page `key` (navigate on a first visit, else click its sidebar link): seconds
        until the page became quiet."""
        title = next(p.title for p in PAGES if p.key == key)
        start = time.monotonic()
        if first:
            await self.page.goto(f"{self.url}/{page_href(key)}", wait_until="commit")
        else:
            await self.page.evaluate("window.__quiet = null")
            await self.page.locator(f'[data-testid="stSidebarNavLink"]'
                                    f'[href="{self.url}/{page_href(key)}"]').click()
        handle = await self.page.wait_for_function(DONE_JS, arg=[title, SETTLE_MS], polling=50,
                                                   timeout=timeout * 1000)
        quiet, now = await handle.json_value()
        done = time.monotonic() - (now - quiet) / 1000
        failure = await self.page.evaluate(FAILED_JS)
        if failure:
            raise RuntimeError(failure)
        return done - start

    async def close(self) -> None:
        await self.context.close()


class ProtocolClient:
    """A session that speaks Streamlit's websocket protocol as the browser's app does: it
    connects to /_stcore/stream, asks for a page's run (BackMsg rerun_script with the page's
    name on a first visit, its script hash when navigating, as the sidebar does) and reads
    every message of the run (ForwardMsg deltas) until the run has finished. It draws
    nothing, so its page time is the server's: the run and every message of the page."""

    def __init__(self, url: str, errors: list[str]):
        self.url, self.errors, self.socket, self.hashes = url, errors, None, {}

    async def open(self) -> None:
        pass

    async def connect(self) -> None:
        import websockets

        if self.socket is not None:
            await self.socket.close()
        self.socket = await websockets.connect(
            self.url.replace("http://", "ws://") + "/_stcore/stream", origin=self.url,
            subprotocols=["streamlit"], max_size=None, open_timeout=PAGE_TIMEOUT_S)

    async def visit(self, key: str, first: bool, timeout: float = PAGE_TIMEOUT_S) -> float:
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        start = time.monotonic()
        if first:
            await self.connect()
        message = BackMsg()
        state = message.rerun_script
        if first or page_href(key) not in self.hashes:
            state.page_name = page_href(key)
        else:
            state.page_script_hash = self.hashes[page_href(key)]
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-GB"
        state.context_info.url = f"{self.url}/{page_href(key)}"
        await self.socket.send(message.SerializeToString())
        failure = ""
        async with asyncio.timeout(timeout):
            while True:
                reply = ForwardMsg()
                reply.ParseFromString(await self.socket.recv())
                kind = reply.WhichOneof("type")
                if kind == "navigation":
                    self.hashes = {p.url_pathname: p.page_script_hash
                                   for p in reply.navigation.app_pages}
                elif kind == "delta" and reply.delta.WhichOneof("type") == "new_element":
                    element = reply.delta.new_element
                    if element.WhichOneof("type") == "exception":
                        failure = "exception"
                    elif element.WhichOneof("type") == "alert" and \
                            "Something went wrong while drawing" in element.alert.body:
                        failure = "error guard"
                elif kind == "script_finished" and reply.script_finished in (
                        ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                    break
        if failure:
            raise RuntimeError(failure)
        return time.monotonic() - start

    async def close(self) -> None:
        if self.socket is not None:
            await self.socket.close()


async def session(client, level: Level, rng: random.Random, keys: list[str], stop_at: float,
                  think: float) -> None:
    await client.open()
    try:
        await asyncio.sleep(rng.expovariate(1 / think))  # sessions arrive spread out
        first, current = True, None
        while time.monotonic() < stop_at:
            key = rng.choice([k for k in keys if k != current])
            try:
                seconds = await client.visit(key, first)
            except Exception as exc:  # a timeout, a page that failed, a closed connection
                name = type(exc).__name__
                level.errors.append(name if "Timeout" in name or "Connection" in name
                                    else str(exc)[:60] or name)
                first, current = True, None  # reload, as a user would
                continue
            (level.first if first else level.times).append(seconds)
            level.per_page.setdefault(key, []).append(seconds)
            first, current = False, key
            await asyncio.sleep(min(rng.expovariate(1 / think), max(0.0, stop_at
                                                                   - time.monotonic())))
    finally:
        await client.close()


async def warm_up(client, keys: list[str]) -> None:
    """Open every page once, so that the process's caches hold the catalogue and its tables."""
    await client.open()
    try:
        for i, key in enumerate(keys):
            await client.visit(key, first=i == 0, timeout=WARM_UP_TIMEOUT_S)
    finally:
        await client.close()


async def drive(url: str, level: Level, args, server: Server) -> None:
    from contextlib import AsyncExitStack

    keys = [p.key for p in PAGES]
    async with AsyncExitStack() as stack:
        if args.client == "browser":
            from playwright.async_api import async_playwright

            playwright = await stack.enter_async_context(async_playwright())
            browser = await playwright.chromium.launch(executable_path=CHROMIUM,
                                                       args=CHROMIUM_ARGS, headless=True)
            stack.push_async_callback(browser.close)

            def client():
                return BrowserClient(browser, url, level.errors)
        else:
            def client():
                return ProtocolClient(url, level.errors)
        await warm_up(client(), keys)
        sampler = Sampler(server)
        level.rss_start = server.rss()
        sampler.start()
        me = psutil.Process()
        browser_before = children_cpu(me, server)
        server_before = server.cpu()
        start = time.monotonic()
        stop_at = start + level.seconds
        rngs = [random.Random(args.seed * 1000 + i) for i in range(level.sessions)]
        await asyncio.gather(*(session(client(), level, rngs[i], keys, stop_at, args.think)
                               for i in range(level.sessions)))
        level.wall = time.monotonic() - start
        level.server_cpu = server.cpu() - server_before
        level.client_cpu = children_cpu(me, server) - browser_before
        sampler.done.set()
        sampler.join()
        level.rss_peak, level.rss_end = sampler.peak, server.rss()
        level.load_average = os.getloadavg()


def children_cpu(me: psutil.Process, server: Server) -> float:
    """Processor seconds of the clients: this script and its children other than the
    server (the browser)."""
    own = me.cpu_times()
    total = own.user + own.system
    for child in me.children(recursive=True):
        if child.pid == server.ps.pid or child in server.ps.children(recursive=True):
            continue
        try:
            times = child.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def run_level(sessions: int, args) -> Level:
    level = Level(sessions, args.seconds)
    server = Server(args.port or free_port(), args.catalogue, WORK / f"server-{sessions}.log")
    try:
        asyncio.run(drive(server.url, level, args, server))
    finally:
        server.stop()
    return level


def markdown(levels: list[Level]) -> str:
    rows = ["| sessions | pages opened | median page | p90 page | median first load | errors "
            "| server RSS after warm-up / peak / end | server CPU | client CPU |",
            "|---|---|---|---|---|---|---|---|---|"]
    for level in levels:
        s = level.summary()
        rows.append(
            f"| {s['sessions']} | {s['pages']} | {s['median_s']:.2f} s | {s['p90_s']:.2f} s | "
            f"{s['median_first_s']:.2f} s | {s['errors']} | {s['rss_start_mib']:.0f} / "
            f"{s['rss_peak_mib']:.0f} / {s['rss_end_mib']:.0f} MiB | "
            f"{s['server_cpu_s'] / s['wall_s']:.0%} of a core | "
            f"{s['client_cpu_s'] / s['wall_s']:.0%} of a core |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=10.0, help="mean think time, seconds")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--client", choices=["ws", "browser"], default="ws",
                        help="ws: Streamlit's websocket protocol (the server's time); browser: "
                             "a headless Chromium page per session (the user's time, "
                             "rendering included)")
    parser.add_argument("--port", type=int, default=0, help="the server's port (default: free)")
    parser.add_argument("--catalogue", type=Path, default=None,
                        help="a catalogue folder to serve read-only (default: a workspace "
                             "seeded from data/)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the server on the way out
    if args.sessions and max(args.sessions) > 200 or args.seconds > 600:
        parser.error("at most 200 sessions and 600 s: this is a bounded benchmark")
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    levels = []
    for sessions in args.sessions:
        level = run_level(sessions, args)
        levels.append(level)
        print(json.dumps(level.summary(), indent=1), flush=True)
    print(f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, think time {args.think:g} s (exponential), "
          f"{args.seconds:g} s per level\n")
    print(markdown(levels))
    if args.json:
        args.json.write_text(json.dumps([level.summary() for level in levels], indent=1))


if __name__ == "__main__":
    main()
