"""Benchmark: load, validate, export, pages, Duties filter and duty matching at scale.

    python bench/run.py                 # 1,000 and 10,000 roles; writes BENCHMARKS.md
    python bench/run.py --sizes 1000    # a quicker run
    python bench/run.py --matching-only # load and duty matching only (own section)

Each size runs in a fresh process (so peak memory is per size), and its pages in another one
(as in the app's server: one catalogue and every page's caches), on a deterministic synthetic
catalogue written by `python -m jdcore synth` into bench/.work/ (git-ignored). Timings are
wall-clock seconds on this machine; the ratio warm load / pyarrow baseline is measured in the
same process, one right after the other, so it holds up on a busy machine better than the
absolute figures do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
SEED = 7
MATCHING_PAGES = ("compare", "findings")  # pages that fit the catalogue-wide duty index
PAGES = ["overview", "catalogue", "compare", "duties", "authority", "reporting", "findings",
         "export", "import"]
TARGETS = {  # at 10,000 roles, from the scale issue
    "cold_load": ("< 10 s", lambda v: v < 10),
    "warm_load": ("< 0.5 s and <= 2x baseline", None),
    "duties_filter": ("< 0.1 s", lambda v: v < 0.1),
    "matching": ("< 10 s", lambda v: v < 10),
    "matching_update": ("< 1 s", lambda v: v < 1),
    "matching_recall": (">= 0.99", lambda v: v >= 0.99),
    "findings_first": ("< 5 s", lambda v: v < 5),
    "page": ("< 1.5 s each", lambda v: v < 1.5),
    "peak_rss_mb": ("< 1536 MB", lambda v: v < 1536),
}


MATCHING_HEADING = "## Duty matching only"
NOTES = """How to read it:

- Duty matching is `nearest_duties(fit_duty_index(duties), k=5)`: each duty's 5 closest
  duties of other roles, similarity 0.25 or more; the fit and the search are also listed
  apart. It is exact (sparse_dot_topn) up to 1,000 million word products
  (jdcore.analysis.matching.EXACT_MAX_PRODUCTS; the 1,000-role catalogue has 232 million) and
  clustered (approximate) above. Recall is the share of the exact top 5 that the search found
  (a found duty as similar as the exact 5th counts), over 1,000 sampled duties checked
  exactly; the shortfall is the mean of exact minus found similarity over the ranks (0-1
  scale). The update row rewords every duty of the catalogue's middle role and calls
  neighbours_after_edit on the search's neighbours (median of 5), as the app does after a
  save. The Findings rows time what that page computes on a first visit to a catalogue
  (the duty index, the overlap neighbours, every rule), each step once.
- Cold load is `load_catalogue(folder)` in a single-threaded process (the command line),
  which forks its workers. The app's server is threaded, so there the loader starts worker
  interpreters instead (about a second more); that row is for information, once per change
  of the catalogue, since later loads come from the Parquet cache.
- A page's warm run is a second AppTest run with the catalogue and the page's own caches
  filled. The first visits of Compare and Findings are listed because they do the
  catalogue-wide work (the duty index; the findings, which include the matching) once. The
  findings are then kept on disk with the catalogue's Parquet tables, so a restarted server
  (a new process, same cache folder) reads them back instead.
- Memory: the pages run in a process of their own, as in the app's server, after the
  load-and-matching process has written the Parquet cache; each row is that process's peak.
- The synthetic text comes from small vocabularies (about 560 distinct words after
  stemming), so every duty shares words with tens of thousands of others: the hard case for
  exact matching, which would take about 20 CPU minutes here.
"""


CPU_SECONDS: dict[int, float] = {}  # id of a timed call's result -> median processor seconds


def timed(function, repeat: int = 1):
    """(median seconds, last result) of calling `function` `repeat` times; the median
    processor time of the calls (this process, every thread) is kept for `cpu_of`."""
    times, cpu, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU_SECONDS[id(result)] = statistics.median(cpu)
    return statistics.median(times), result


def cpu_of(result) -> float:
    """The processor seconds of the timed call that returned `result`: on a shared machine,
    what the work costs whatever else runs (wall-clock seconds include the waiting)."""
    return CPU_SECONDS[id(result)]


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB. Linux's VmHWM, which starts afresh when a
    process execs; ru_maxrss would also count the memory of the parent it was forked from."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cold_load_in_a_threaded_process(folder: Path) -> float:
    """Seconds to load `folder` while another thread runs, as in the app's server, where the
    loader starts worker subprocesses instead of forking."""
    import threading

    from jdcore import load_catalogue

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        seconds, _ = timed(lambda: load_catalogue(folder))
    finally:
        stop.set()
        thread.join()
    return seconds


def time_update(duties, neighbours) -> float:
    """Seconds to update the neighbours after one role's duties are reworded: what the app
    does after such a save (matching.neighbours_after_edit: replace_roles, then only the
    changed duties and those that had one of them as a neighbour searched again), for the
    middle role of the catalogue. Median of 5."""
    from jdcore.analysis.matching import neighbours_after_edit

    roles = duties["role_id"].drop_duplicates()
    role = roles.iloc[len(roles) // 2]
    own = duties[duties["role_id"] == role]
    edited = own.assign(text=own["text"] + " and report on the results")
    seconds, after = timed(lambda: neighbours_after_edit(neighbours, edited, [role]), repeat=5)
    return seconds, cpu_of(after)


def time_findings_first(catalogue) -> dict:
    """What the Findings page computes on its first visit to a catalogue (pages.common:
    the duty index, the overlap neighbours, find_findings), step by step."""
    from jdcore.analysis.findings import OVERLAP_NEIGHBOURS, OVERLAP_THRESHOLD, find_findings
    from jdcore.analysis.matching import fit_duty_index, neighbour_search

    fit, index = timed(lambda: fit_duty_index(catalogue.duties))
    search, neighbours = timed(lambda: neighbour_search(index, k=OVERLAP_NEIGHBOURS,
                                                        threshold=OVERLAP_THRESHOLD))
    rules, findings = timed(lambda: find_findings(catalogue, None, neighbours))
    return {"fit": fit, "search": search, "rules": rules, "total": fit + search + rules,
            "cpu": cpu_of(index) + cpu_of(neighbours) + cpu_of(findings),
            "findings": len(findings)}


def measure(folder: Path, skip_matching: bool = False, matching_only: bool = False) -> dict:
    """Every figure for one catalogue folder; runs in its own process. With
    `matching_only`, the load and the duty matching only (no pages, no export)."""
    sys.path.insert(0, str(ROOT))
    import pyarrow.parquet as pq

    from jdcore import catalogue_fingerprint, load_catalogue
    from jdcore.loading.cache import entry_name
    from jdcore.model.tables import TABLES
    from jdcore.formats.csvio import write_csv
    from jdcore.analysis.duties import DutyFilter, duties_view
    from jdcore.analysis.matching import (EXACT_MAX_PRODUCTS, fit_duty_index, neighbour_recall,
                                          neighbour_search, product_bound)

    def match_figures() -> None:
        if skip_matching:
            result["matching"] = result["matching_recall"] = None
        else:
            result["matching_fit"], index = timed(lambda: fit_duty_index(catalogue.duties))
            result["matching_search"], graph = timed(lambda: neighbour_search(index, k=5))
            neighbours = graph.table()
            result["matching"] = result["matching_fit"] + result["matching_search"]
            result["matching_pairs"] = len(neighbours)
            result["matching_search_cpu"] = cpu_of(graph)
            result["matching_update"], result["matching_update_cpu"] = time_update(
                catalogue.duties, graph)
            result["findings_compute"] = time_findings_first(catalogue)
            result["matching_method"] = ("exact" if product_bound(index.matrix).sum()
                                         <= EXACT_MAX_PRODUCTS else "clustered")
            quality = neighbour_recall(index, neighbours, k=5, sample=1000)
            result["matching_recall"] = quality["recall"]
            result["matching_top1"] = quality["top1"]
            result["matching_shortfall"] = quality["shortfall"]

    result: dict = {}
    cache = Path(tempfile.mkdtemp(prefix="jdcore-bench-cache-"))
    result["cold_load"], catalogue = timed(lambda: load_catalogue(folder))
    result["roles"], result["duties"] = len(catalogue.roles), len(catalogue.duties)
    result["errors"] = len(catalogue.errors)
    if matching_only:
        match_figures()
        result["peak_rss_mb"] = peak_rss_mb()
        return result
    result["cold_load_threaded"] = cold_load_in_a_threaded_process(folder)
    start = time.perf_counter()
    validate = subprocess.run([sys.executable, "-m", "jdcore", "validate", str(folder)],
                              cwd=ROOT, capture_output=True, text=True)
    result["validate_cli"] = time.perf_counter() - start
    result["validate_exit"] = validate.returncode

    out = Path(tempfile.mkdtemp(prefix="jdcore-bench-export-"))
    result["export"], _ = timed(
        lambda: [write_csv(catalogue.tables[t], out / f"{t}.csv") for t in TABLES])

    load_catalogue(folder, cache_dir=cache)  # writes the cache entry
    result["warm_load"], _ = timed(lambda: load_catalogue(folder, cache_dir=cache), repeat=5)
    entry = cache / entry_name(folder, catalogue.fingerprint)[1]
    result["baseline"], _ = timed(
        lambda: {t: pq.read_table(entry / f"{t}.parquet").to_pandas() for t in TABLES},
        repeat=5)
    result["warm_ratio"] = result["warm_load"] / result["baseline"]
    result["fingerprint"], _ = timed(lambda: catalogue_fingerprint(folder), repeat=7)

    result["duties_view"], view = timed(lambda: duties_view(catalogue))
    department = catalogue.roles["department"].mode()[0]
    duty_filter = DutyFilter(departments=(department,), keyword="contract")
    result["duties_filter"], rows = timed(lambda: duty_filter.apply(view), repeat=7)
    result["duties_filter_rows"] = len(rows)

    match_figures()

    result["peak_rss_mb"] = peak_rss_mb()
    # forked load workers and the validate CLI (the pages process is not started yet)
    result["peak_rss_children_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    del catalogue, view, rows
    command = [sys.executable, __file__, "--measure-pages", str(folder), "--cache", str(cache)]
    output = subprocess.run(command + (["--skip-matching"] if skip_matching else []), cwd=ROOT,
                            capture_output=True, text=True, check=True)
    pages = json.loads(output.stdout.strip().splitlines()[-1])
    result["pages"], result["peak_rss_pages_mb"] = pages["pages"], pages["peak_rss_mb"]
    if not skip_matching:  # a new server: catalogue and findings come from the disk cache
        output = subprocess.run([sys.executable, __file__, "--measure-restart", str(folder),
                                 "--cache", str(cache)], cwd=ROOT, capture_output=True,
                                text=True, check=True)
        result["findings_after_restart"] = json.loads(output.stdout.strip().splitlines()[-1])
    return result


def run_page(folder: Path, cache: Path, page: str):
    """One AppTest run of a page of the app on the catalogue `folder`."""
    os.environ["JDCORE_CATALOGUE"] = str(folder)
    os.environ.pop("JDCORE_WORKSPACE", None)  # the folder itself, read-only (no workspace)
    os.environ["JDCORE_CACHE_DIR"] = str(cache)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    return at.run()


def measure_pages(folder: Path, cache: Path, skip=()) -> dict:
    """Each page's AppTest run with the catalogue (and the page's own caches) already warm.

    Runs in a process of its own, like the app's server: one catalogue and the caches of
    every page, so its peak memory is what the app needs after a visit to every page.
    """
    def run(page: str):
        return run_page(folder, cache, page)

    timings = {}
    for page in PAGES:
        if not (ROOT / "pages" / f"{page}.py").exists():
            continue
        if page in skip:
            timings[page] = {"first": None, "warm": None, "exception": False}
            continue
        first, _ = timed(lambda: run(page))  # fills the page's own caches (duty index, ...)
        seconds, at = timed(lambda: run(page))
        timings[page] = {"first": first, "warm": seconds, "exception": bool(at.exception)}
    return {"pages": timings,
            "peak_rss_mb": peak_rss_mb()}


def ensure_catalogue(size: int) -> Path:
    folder = WORK / f"synth-{size}-seed{SEED}"
    if not (folder / "taxonomy.yaml").exists():
        WORK.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "jdcore", "synth", "--roles", str(size),
                        "--seed", str(SEED), "--out", str(folder)], cwd=ROOT, check=True)
    return folder


def run_size(size: int, skip_matching: bool, matching_only: bool = False) -> dict:
    folder = ensure_catalogue(size)
    command = [sys.executable, __file__, "--measure", str(folder)]
    command += ["--skip-matching"] if skip_matching else []
    command += ["--matching-only"] if matching_only else []
    output = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if output.returncode != 0:
        raise SystemExit(f"measuring {size} roles failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def verdict(key: str, value: float | None, result: dict) -> str:
    if value is None:
        return "not measured"
    if key == "warm_load":
        ok = value < 0.5 and result["warm_ratio"] <= 2
    else:
        ok = TARGETS[key][1](value)
    return "met" if ok else "MISSED"


def table(results: dict[int, dict]) -> str:
    sizes = sorted(results)
    header = "| measure | " + " | ".join(f"{s:,} roles" for s in sizes) + " | target at 10,000 |"
    lines = [header, "|" + "---|" * (len(sizes) + 2)]

    def row(label, key, fmt, target_key=None, getter=None):
        cells = []
        if not any(key in results[s] for s in sizes) and not getter:
            return  # not measured in this run (--matching-only)
        for s in sizes:
            value = getter(results[s]) if getter else results[s].get(key)
            cell = "skipped" if value is None else fmt.format(value)
            if target_key and s == 10_000 and value is not None:
                cell += f" ({verdict(target_key, value, results[s])})"
            cells.append(cell)
        target = TARGETS[target_key][0] if target_key else ""
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {target} |")

    row("duties", "duties", "{:,}")
    row("cold load (YAML)", "cold_load", "{:.2f} s", "cold_load")
    row("cold load in the app's server (threaded: worker subprocesses)", "cold_load_threaded",
        "{:.2f} s")
    row("warm load (Parquet cache)", "warm_load", "{:.3f} s", "warm_load")
    row("baseline: pyarrow read of the same tables", "baseline", "{:.3f} s")
    row("warm load / baseline", "warm_ratio", "{:.2f}x")
    row("fingerprint: is the catalogue stale? (every page run)", None, "{:.3f} s",
        getter=lambda r: r.get("fingerprint"))
    row("validate (CLI, whole process)", "validate_cli", "{:.2f} s")
    row("export (12 CSV files)", "export", "{:.2f} s")
    row("duties view (once per catalogue)", "duties_view", "{:.2f} s")
    row("Duties filter (department + keyword)", "duties_filter", "{:.4f} s", "duties_filter")
    row("duty matching, catalogue-wide top-5 (fit + search)", "matching", "{:.1f} s",
        "matching")
    row("  of which: fit the duty index", "matching_fit", "{:.1f} s",
        getter=lambda r: r.get("matching_fit"))
    row("  of which: search (nearest_duties, k=5)", "matching_search", "{:.1f} s",
        getter=lambda r: r.get("matching_search"))
    row("  search, processor seconds (every thread)", None, "{:.1f} s",
        getter=lambda r: r.get("matching_search_cpu"))
    row("update after one role's duties change (neighbours_after_edit, median of 5)",
        "matching_update", "{:.2f} s", "matching_update",
        getter=lambda r: r.get("matching_update"))
    row("  update, processor seconds", None, "{:.2f} s",
        getter=lambda r: r.get("matching_update_cpu"))
    row("Findings' first visit, computed (fit + overlap search + find_findings)", None,
        "{:.1f} s", "findings_first",
        getter=lambda r: (r.get("findings_compute") or {}).get("total"))
    for part, label in (("fit", "fit the duty index"), ("search", "overlap neighbours, k=5 "
                        "from 0.6"), ("rules", "find_findings (every rule)")):
        row(f"  of which: {label}", None, "{:.1f} s",
            getter=lambda r, p=part: (r.get("findings_compute") or {}).get(p))
    row("  Findings' first visit, processor seconds", None, "{:.1f} s",
        getter=lambda r: (r.get("findings_compute") or {}).get("cpu"))
    row("search method", "matching_method", "{}",
        getter=lambda r: r.get("matching_method"))
    row("recall of the exact top-5 (1,000 duties)", "matching_recall", "{:.3f}",
        "matching_recall", getter=lambda r: r.get("matching_recall"))
    row("closest duty found (1,000 duties)", "matching_top1", "{:.3f}",
        getter=lambda r: r.get("matching_top1"))
    row("mean similarity shortfall vs exact", "matching_shortfall", "{:.4f}",
        getter=lambda r: r.get("matching_shortfall"))
    for page in results[sizes[0]].get("pages", {}):
        row(f"page {page} (AppTest, warm)", None, "{:.2f} s", "page",
            getter=lambda r, p=page: r["pages"][p]["warm"])
    for page in MATCHING_PAGES if "pages" in results[sizes[0]] else ():
        what = "fits the duty index" + (", finds the findings" if page == "findings" else "")
        row(f"page {page}, first visit ({what})",
            None, "{:.2f} s", "findings_first" if page == "findings" else None,
            getter=lambda r, p=page: r["pages"][p]["first"])
    if "pages" in results[sizes[0]]:
        row("page findings, first visit after a server restart (disk cache)", None,
            "{:.2f} s", getter=lambda r: r.get("findings_after_restart"))
        row("peak RSS, app process after every page", "peak_rss_pages_mb", "{:.0f} MB",
            "peak_rss_mb")
    row("peak RSS, load + matching process", "peak_rss_mb", "{:.0f} MB", "peak_rss_mb")
    if "pages" in results[sizes[0]]:
        row("peak RSS, largest load worker or CLI (counts the parent it forked from)",
            "peak_rss_children_mb", "{:.0f} MB", "peak_rss_mb")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure-pages", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--measure-restart", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-write", action="store_true", help="do not write BENCHMARKS.md")
    parser.add_argument("--skip-matching", action="store_true",
                        help="skip catalogue-wide duty matching and the pages that need it")
    parser.add_argument("--matching-only", action="store_true",
                        help="load and duty matching only (no export, pages or restart); "
                             "writes its own section of BENCHMARKS.md")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.skip_matching, args.matching_only)))
        return
    if args.measure_restart:
        sys.path.insert(0, str(ROOT))
        seconds, at = timed(lambda: run_page(args.measure_restart, args.cache, "findings"))
        print(json.dumps(None if at.exception else seconds))
        return
    if args.measure_pages:
        sys.path.insert(0, str(ROOT))
        skip = MATCHING_PAGES if args.skip_matching else ()
        print(json.dumps(measure_pages(args.measure_pages, args.cache, skip)))
        return
    results = {size: run_size(size, args.skip_matching, args.matching_only)
               for size in args.sizes}
    text = table(results)
    print(text)
    if args.no_write:
        return
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    machine = (f"on {os.cpu_count()} cores, Python {platform.python_version()}, "
               f"{platform.machine()}, load average {os.getloadavg()[0]:.1f} at the end")
    benchmarks = ROOT / "BENCHMARKS.md"
    if args.matching_only:  # its own section, after the full run's table and notes
        text = benchmarks.read_text(encoding="utf-8") if benchmarks.exists() else ""
        before, _, after = text.partition(MATCHING_HEADING)
        rest = after.split("\n## ", 1)[1] if "\n## " in after else ""  # later sections stay
        sizes = " ".join(str(size) for size in args.sizes)
        benchmarks.write_text(
            before.rstrip("\n") + f"\n\n{MATCHING_HEADING}\n\nRun on {stamp} with "
            f"`python bench/run.py --matching-only --sizes {sizes}` {machine}: the load and "
            "the duty matching alone, each size in a fresh process.\n\n" + table(results)
            + "\n" + (("\n## " + rest) if rest else ""), encoding="utf-8")
        return
    benchmarks.write_text(
        "# Benchmarks\n\n"
        f"Run on {stamp} with `python bench/run.py` {machine}. Synthetic catalogues "
        f"from `python -m jdcore synth --seed {SEED}`; wall-clock seconds (medians of "
        "repeated runs for the fast measures).\n\n" + text + "\n\n" + NOTES,
        encoding="utf-8")

if __name__ == "__main__":
    main()
