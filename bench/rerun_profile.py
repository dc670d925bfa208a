"""Profile one warm rerun of each page, as the app's server runs it: where a rerun's time goes.

    python bench/rerun_profile.py                       # every page, top 25 functions each
    python bench/rerun_profile.py --pages findings compare --top 40
    python bench/rerun_profile.py --catalogue bench/.work/synth-1000

Each page runs in Streamlit's AppTest (app.py and the page, their caches and the
serialisation of what they draw, in this process) on a SQLite workspace of its own seeded
from data/ (or on the read-only folder given with --catalogue): a first run fills the
catalogue and the page's own caches, then --runs warm runs are timed (wall clock, and the
script thread's processor time, which other work on a shared machine does not inflate) and
one more is profiled with cProfile. What is timed and profiled is the script's execution in
its thread (Streamlit's exec_func_with_error_handling), as the server's script thread runs
it, not AppTest's own setup. The profile lists the functions with the most cumulative time, so that
what every rerun recomputes stands out.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)

from jdcore.navigation import PAGES  # noqa: E402

WORK = ROOT / "bench" / ".work" / "rerun-profile"


class ScriptTimer:
    """Wraps Streamlit's execution of a script: its time, and a profile when asked."""

    def __init__(self):
        from streamlit.runtime.scriptrunner import script_runner

        self.seconds: list[float] = []      # wall clock
        self.cpu_seconds: list[float] = []  # the script thread's processor time
        self.profile: cProfile.Profile | None = None
        original = script_runner.exec_func_with_error_handling

        def timed(func, ctx):
            started, cpu = time.perf_counter(), time.thread_time()
            if self.profile is not None:
                self.profile.enable()
            try:
                return original(func, ctx)
            finally:
                if self.profile is not None:
                    self.profile.disable()
                self.seconds.append(time.perf_counter() - started)
                self.cpu_seconds.append(time.thread_time() - cpu)

        script_runner.exec_func_with_error_handling = timed


def app_test(page: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    if page != PAGES[0].key:
        at.switch_page(f"pages/{page}.py")
    return at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="+", default=[p.key for p in PAGES])
    parser.add_argument("--runs", type=int, default=5, help="warm runs timed per page")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--catalogue", type=Path, default=None)
    parser.add_argument("--only", nargs="*", default=[],
                        help="list only functions whose file matches (e.g. jdcore pages/)")
    parser.add_argument("--quiet", action="store_true", help="timings only, no profile")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    os.environ["JDCORE_CACHE_DIR"] = str(WORK / "cache")
    if args.catalogue is not None:
        os.environ.pop("JDCORE_WORKSPACE", None)
        os.environ["JDCORE_CATALOGUE"] = str(args.catalogue.resolve())
    else:
        database = WORK / "workspace.sqlite"
        database.unlink(missing_ok=True)
        os.environ.pop("JDCORE_CATALOGUE", None)
        os.environ["JDCORE_WORKSPACE"] = f"sqlite:///{database}"
    timer = ScriptTimer()
    timings = {}
    for page in args.pages:
        app_test(page).run()  # fills the caches
        timer.seconds.clear()
        timer.cpu_seconds.clear()
        for _ in range(args.runs):
            at = app_test(page)
            at.run()
            assert not at.exception, f"{page}: {at.exception}"
        # every script run (and rerun): wall clock, and processor time, which other work on a
        # shared machine does not inflate
        timings[page] = (statistics.median(timer.seconds), statistics.median(timer.cpu_seconds))
        if args.quiet:
            continue
        profile = timer.profile = cProfile.Profile()
        app_test(page).run()
        timer.profile = None
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(*args.only, args.top)
        print(f"=== {page}: median warm script run {timings[page][0]:.3f} s "
              f"({timings[page][1]:.3f} s of processor time) ===")
        print(out.getvalue())
    print("page | median warm script run | its processor time")
    for page, (seconds, cpu) in timings.items():
        print(f"{page} | {seconds:.3f} s | {cpu:.3f} s")


if __name__ == "__main__":
    main()
