"""Benchmark of the workspace: seed, load, the per-rerun check, a save, the refresh after a
save, and each page's run right after a save, at 1,000 and 10,000 roles.

    python bench/workspace.py                    # 1,000 and 10,000 roles, SQLite (+ PostgreSQL
                                                 #   when Debian's postgresql is installed)
    python bench/workspace.py --sizes 1000       # a quicker run

Each size and database runs in a fresh process, on the synthetic catalogue of bench/run.py
(`python -m jdcore synth --seed 7`, in bench/.work/). The section "Workspace" of
BENCHMARKS.md is rewritten with the figures. Wall-clock seconds on this machine; medians of
repeated runs for the fast measures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = ROOT / "bench" / ".work"
SEED = 7

sys.path.insert(0, str(ROOT / "bench"))
from run import ensure_catalogue  # noqa: E402  (the same synthetic catalogues as bench/run.py)
REPEAT = 5
PAGES_AFTER_SAVE = ["overview", "catalogue", "duties", "authority", "reporting", "edit"]
MATCHING_AFTER_SAVE = ["compare", "findings"]  # after a save that rewords a role's duties
SECTION = "## Workspace"




def seconds(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def retitle(document: str, title: str) -> str:
    return "".join(f"title: {title}\n" if line.startswith("title:") else line
                   for line in document.splitlines(keepends=True))


def reword(document: str) -> str:
    """The role document with every duty's text extended (as an edit of its duties would)."""
    return "".join(line.replace('"\n', ' and report on the results"\n', 1)
                   if line.startswith("  - text: ") else line
                   for line in document.splitlines(keepends=True))


def move_line(document: str, manager: str) -> str:
    """The role document reporting to `manager`."""
    return "".join(f'reports_to: "{manager}"\n' if line.startswith("reports_to:") else line
                   for line in document.splitlines(keepends=True))


def add_right(document: str, area: str) -> str:
    """The role document with the decision right `area` at scope "approve" added."""
    item = f'  - area: "{area}"\n    scope: "approve"\n'
    return "".join(("rights:\n" + item) if line.strip() == "rights: []" else
                   (line + item) if line == "rights:\n" else line
                   for line in document.splitlines(keepends=True))


def timed(function) -> tuple[float, float, object]:
    """(wall seconds, processor seconds of this process, result)."""
    start, start_cpu = time.perf_counter(), time.process_time()
    result = function()
    return time.perf_counter() - start, time.process_time() - start_cpu, result


def findings_after_saves(workspace, snapshot, role_ids: list[str]) -> dict:
    """What the Findings page computes after a save, step by step: the overlap neighbours
    updated (matching.neighbours_after_edit, when duties changed), then the findings brought
    up to date from the previous catalogue's (findings.findings_after_edit), beside a full
    run of every rule on the same neighbours; for a save that rewords a role's duties and
    one that moves a role to another manager and one that adds a decision right."""
    from jdcore.analysis.findings import (OVERLAP_NEIGHBOURS, OVERLAP_THRESHOLD,
                                          find_findings, findings_after_edit, found_findings)
    from jdcore.analysis.matching import (changed_roles, duty_signatures, fit_duty_index,
                                          neighbour_search, neighbours_after_edit)
    from jdcore.store import refresh_snapshot

    catalogue = snapshot.catalogue
    neighbours = neighbour_search(fit_duty_index(catalogue.duties), k=OVERLAP_NEIGHBOURS,
                                  threshold=OVERLAP_THRESHOLD)
    found = found_findings(catalogue, None, neighbours)
    roles = catalogue.roles.set_index("role_id")
    figures = {}
    for n, kind in enumerate(("reword", "move", "right")):
        role_id = role_ids[(n * 733 + 29) % len(role_ids)]
        latest = workspace.latest(role_id)
        if kind == "reword":
            document = reword(latest.document)
        elif kind == "right":  # a decision right it does not hold yet
            held = set(catalogue.rights.loc[catalogue.rights["role_id"] == role_id, "area"])
            area = next(a for a in catalogue.taxonomy.decision_right_areas if a not in held)
            document = add_right(latest.document, area)
        else:  # to another manager of its business area, not below it
            chains = catalogue.metrics.set_index("role_id")["chain_of_command"]
            others = roles[(roles["business_area"] == roles.loc[role_id, "business_area"])
                           & roles["reports_to"].notna()
                           & ~chains.reindex(roles.index).fillna("").str.contains(
                               role_id, regex=False)
                           & (roles.index != roles.loc[role_id, "reports_to"])]
            document = move_line(latest.document, sorted(others.index)[0])
        workspace.save_role(role_id, document, latest.version)
        snapshot = refresh_snapshot(workspace, snapshot)
        after = snapshot.catalogue
        changed = changed_roles(duty_signatures(catalogue.duties), duty_signatures(after.duties))
        update, update_cpu, searched = timed(
            lambda: neighbours_after_edit(neighbours, after.duties, changed)
            if changed else neighbours)
        took, cpu, updated = timed(lambda: findings_after_edit(found, after, None, searched))
        full, full_cpu, table = timed(lambda: find_findings(after, None, searched))
        if not updated.table.equals(table):
            raise SystemExit(f"findings after the {kind} differ from a full recompute")
        figures[kind] = {"neighbours": update, "neighbours_cpu": update_cpu,
                         "findings": took, "findings_cpu": cpu,
                         "full": full, "full_cpu": full_cpu}
        catalogue, neighbours, found = after, searched, updated
    return figures


def run_page(page: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    return at.run()


def measure(folder: Path, url: str) -> dict:
    """Every figure for one catalogue in one database (run in a process of its own)."""
    from jdcore.store import Workspace, load_snapshot, refresh_snapshot

    workspace = Workspace.open(url, create=True)
    result: dict = {}
    result["seed"], _ = seconds(lambda: workspace.seed_from_folder(folder))
    result["load"], snapshot = seconds(lambda: load_snapshot(workspace))
    result["revision"] = statistics.median(seconds(workspace.revision)[0] for _ in range(20))
    role_ids = sorted(snapshot.versions)
    saves, refreshes = [], []
    for n in range(REPEAT):
        role_id = role_ids[(n * 997) % len(role_ids)]
        latest = workspace.latest(role_id)
        took, _ = seconds(lambda: workspace.save_role(role_id, retitle(latest.document,
                                                                       f"Bench {n}"),
                                                      latest.version))
        saves.append(took)
        took, snapshot = seconds(lambda: refresh_snapshot(workspace, snapshot))
        refreshes.append(took)
        assert snapshot.catalogue.roles.set_index("role_id").loc[role_id, "title"] == f"Bench {n}"
    result["save"], result["refresh"] = statistics.median(saves), statistics.median(refreshes)

    # The app's pages, on a workspace whose catalogue is loaded and whose pages were visited:
    # a save in another session, then each page's next run (the refresh and whatever the
    # page recomputes for the new catalogue).
    os.environ["JDCORE_WORKSPACE"] = url
    os.environ.pop("JDCORE_CATALOGUE", None)
    for page in PAGES_AFTER_SAVE:
        run_page(page)
    pages = {}
    for n, page in enumerate(PAGES_AFTER_SAVE):
        role_id = role_ids[(n * 311 + 5) % len(role_ids)]
        latest = workspace.latest(role_id)
        workspace.save_role(role_id, retitle(latest.document, f"Page {n}"), latest.version)
        took, at = seconds(lambda: run_page(page))
        pages[page] = {"seconds": took, "exception": bool(at.exception)}
    # Compare and Findings after a save that changes a role's duties: the duty index and
    # the overlap neighbours are derived from the previous catalogue's (pages.common.Lineage)
    for page in MATCHING_AFTER_SAVE:
        run_page(page)
    for n, page in enumerate(MATCHING_AFTER_SAVE):
        role_id = role_ids[(n * 577 + 11) % len(role_ids)]
        latest = workspace.latest(role_id)
        workspace.save_role(role_id, reword(latest.document), latest.version)
        took, at = seconds(lambda: run_page(page))
        pages[page] = {"seconds": took, "exception": bool(at.exception)}
    result["pages"] = pages
    from jdcore.store import load_snapshot as load_again

    result["findings_after_save"] = findings_after_saves(workspace, load_again(workspace),
                                                         role_ids)
    workspace.close()
    return result


def run_one(size: int, database: str) -> dict:
    folder = ensure_catalogue(size)
    with tempfile.TemporaryDirectory(prefix="jdcore-bench-") as work:
        cluster = None
        if database == "sqlite":
            url = f"sqlite:///{Path(work) / 'workspace.sqlite'}"
        else:
            sys.path.insert(0, str(ROOT / "tests"))
            from pgserver import PostgresCluster, postgres_bin

            cluster = PostgresCluster(postgres_bin())
            cluster.start()
            url = cluster.new_database()
        try:
            env = dict(os.environ, JDCORE_CACHE_DIR=str(Path(work) / "cache"))
            output = subprocess.run([sys.executable, __file__, "--measure", str(folder), url],
                                    cwd=ROOT, capture_output=True, text=True, env=env)
        finally:
            if cluster is not None:
                cluster.stop()
    if output.returncode != 0:
        raise SystemExit(f"{size} roles on {database} failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def table(results: dict[tuple[int, str], dict], sizes: list[int], databases: list[str]) -> str:
    columns = [(s, d) for d in databases for s in sizes]
    header = "| measure | " + " | ".join(f"{s:,} roles, {d}" for s, d in columns) + " |"
    lines = [header, "|---|" + "---|" * len(columns)]
    rows = [("seed (workspace init from the folder)", "seed", "{:.2f} s"),
            ("load the catalogue (server start)", "load", "{:.2f} s"),
            ("check for changes (every rerun)", "revision", "{:.4f} s"),
            ("save one role", "save", "{:.4f} s"),
            ("refresh after a save", "refresh", "{:.3f} s")]
    for label, key, fmt in rows:
        lines.append(f"| {label} | " + " | ".join(fmt.format(results[c][key]) for c in columns)
                     + " |")
    for page in PAGES_AFTER_SAVE + MATCHING_AFTER_SAVE:
        cells = []
        for c in columns:
            run = results[c]["pages"].get(page)
            cells.append("not measured" if run is None else f"{run['seconds']:.2f} s"
                         + (" (exception)" if run["exception"] else ""))
        what = ("a save that rewords a role's duties" if page in MATCHING_AFTER_SAVE
                else "a save")
        lines.append(f"| page {page}, first run after {what} | " + " | ".join(cells) + " |")
    for kind, what in (("reword", "a save that rewords a role's duties"),
                       ("move", "a save that moves a role to another manager"),
                       ("right", "a save that adds a decision right")):
        for key, label in (("neighbours", "overlap neighbours updated (neighbours_after_edit)"),
                           ("findings", "findings brought up to date (findings_after_edit)"),
                           ("full", "for comparison: every rule run again (find_findings)")):
            cells = []
            for c in columns:
                run = (results[c].get("findings_after_save") or {}).get(kind)
                cells.append("not measured" if run is None else
                             f"{run[key]:.2f} s ({run[key + '_cpu']:.2f} s processor)")
            lines.append(f"| Findings after {what}: {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--measure", nargs=2, metavar=("FOLDER", "URL"))
    parser.add_argument("--databases", nargs="*", choices=["sqlite", "postgresql"],
                        help="default: SQLite, and PostgreSQL when Debian's is installed")
    parser.add_argument("--no-write", action="store_true",
                        help="print the section only (do not rewrite BENCHMARKS.md)")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), args.measure[1])))
        return
    sys.path.insert(0, str(ROOT / "tests"))
    from pgserver import postgres_bin

    databases = args.databases or ["sqlite"] + (["postgresql"] if postgres_bin() else [])
    results = {}
    for database in databases:
        for size in args.sizes:
            print(f"{size} roles on {database}...", file=sys.stderr)
            results[(size, database)] = run_one(size, database)
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    command = " ".join(["python bench/workspace.py", "--sizes", *map(str, args.sizes),
                        "--databases", *databases])
    section = (f"{SECTION}\n\nRun on {stamp} with `{command}` on "
               f"{os.cpu_count()} cores, Python {platform.python_version()}. A save is one "
               "INSERT; the refresh reads the version rows saved since the last check and "
               "re-reads only the roles whose current version changed; a page's run after a "
               "save includes that refresh and whatever the page recomputes for the new "
               "catalogue.\n\n" + table(results, args.sizes, databases) + "\n")
    print(section)
    if args.no_write:
        return
    target = ROOT / "BENCHMARKS.md"
    text = target.read_text(encoding="utf-8")
    before, _, after = text.partition(SECTION)
    rest = after.split("\n## ", 1)[1] if "\n## " in after else ""
    text = before.rstrip("\n") + "\n\n" + section + (("\n## " + rest) if rest else "")
    target.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
