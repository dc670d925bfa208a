"""Benchmark of the Taxonomy page's work at 1,000 and 10,000 roles (SQLite): reading the
catalogue's documents once per workspace revision, checking an edited taxonomy over the
whole catalogue (one unchanged, one that removes a department roles use), planning a rename
of a department, and saving that rename (the taxonomy and every role that uses it, in one
transaction).

    python bench/taxonomy.py                  # 1,000 and 10,000 roles
    python bench/taxonomy.py --sizes 1000     # a quicker run

Each size runs in a fresh process on the synthetic catalogue of bench/run.py (in
bench/.work/). Prints a Markdown table for BENCHMARKS.md; wall-clock seconds, medians of
three runs for the checks.
"""

from __future__ import annotations

import argparse
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
sys.path.insert(0, str(ROOT / "bench"))
from run import ensure_catalogue  # noqa: E402  (the same synthetic catalogues as bench/run.py)

REPEAT = 3


def seconds(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def median_seconds(function) -> tuple[float, object]:
    runs = [seconds(function) for _ in range(REPEAT)]
    return statistics.median(t for t, _ in runs), runs[-1][1]


def measure(folder: Path, url: str) -> dict:
    from jdcore.store import Workspace, load_snapshot
    from jdcore.store.taxonomy import (catalogue_documents, check_taxonomy, plan_rename,
                                       settings_table, taxonomy_document, taxonomy_edit,
                                       taxonomy_tables)

    workspace = Workspace.open(url, create=True)
    workspace.seed_from_folder(folder)
    snapshot = load_snapshot(workspace)
    taxonomy = snapshot.catalogue.taxonomy
    result: dict = {"roles": len(snapshot.catalogue.roles)}
    result["documents"], documents = median_seconds(
        lambda: catalogue_documents(workspace, snapshot))
    unchanged = taxonomy_edit(taxonomy_tables(taxonomy), settings_table(taxonomy),
                              taxonomy.reporting)
    result["check unchanged"], check = median_seconds(lambda: check_taxonomy(documents,
                                                                             unchanged))
    assert check.ok, check.problems[:3]
    used = documents.usage()["departments"]
    department = max(used, key=lambda d: len(used[d]))
    tables = taxonomy_tables(taxonomy)
    tables["departments"] = tables["departments"][tables["departments"]["id"] != department]
    removal = taxonomy_edit(tables, settings_table(taxonomy), taxonomy.reporting)
    result["check removal"], check = median_seconds(lambda: check_taxonomy(documents, removal))
    assert not check.ok
    result["department roles"] = len(used[department])
    result["plan rename"], plan = median_seconds(
        lambda: plan_rename(documents, taxonomy, "departments", department, "renamed-dept"))
    assert plan.ok, plan.refused or plan.check.problems[:3]
    result["save rename"], _ = seconds(lambda: workspace.save_taxonomy(
        taxonomy_document(plan.edit.data, snapshot.taxonomy.document), snapshot.taxonomy.version,
        note="bench rename", roles={rid: (text, snapshot.versions[rid].version)
                                    for rid, text in plan.roles.items()}))
    result["load after rename"], after = seconds(lambda: load_snapshot(workspace))
    assert not after.catalogue.errors or len(after.catalogue.errors) == len(
        snapshot.catalogue.errors)
    workspace.close()
    return result


def run_one(size: int) -> dict:
    folder = ensure_catalogue(size)
    with tempfile.TemporaryDirectory(prefix="jdcore-bench-") as work:
        url = f"sqlite:///{Path(work) / 'workspace.sqlite'}"
        env = dict(os.environ, JDCORE_CACHE_DIR=str(Path(work) / "cache"))
        output = subprocess.run([sys.executable, __file__, "--measure", str(folder), url],
                                cwd=ROOT, capture_output=True, text=True, env=env)
    if output.returncode != 0:
        raise SystemExit(f"{size} roles failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


COLUMNS = [("documents", "read the documents"), ("check unchanged", "check (unchanged)"),
           ("check removal", "check (a department removed)"), ("plan rename", "plan a rename"),
           ("save rename", "save the rename"), ("load after rename", "load after it")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--measure", nargs=2, metavar=("FOLDER", "URL"))
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), args.measure[1])))
        return
    rows = ["| roles | roles renamed | " + " | ".join(label for _, label in COLUMNS) + " |",
            "|---:|---:|" + "---:|" * len(COLUMNS)]
    for size in args.sizes:
        result = run_one(size)
        rows.append(f"| {result['roles']:,} | {result['department roles']:,} | "
                    + " | ".join(f"{result[key]:.2f} s" for key, _ in COLUMNS) + " |")
    print(f"`python bench/taxonomy.py --sizes {' '.join(map(str, args.sizes))}` on "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, SQLite:\n")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
