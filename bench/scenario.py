"""Benchmark: recomputing a what-if scenario after one change, at scale.

    python bench/scenario.py                  # 10,000 roles; prints the table
    python bench/scenario.py --sizes 1000 10000 --write   # and writes its BENCHMARKS.md section

On the deterministic synthetic catalogue of bench/run.py (`python -m jdcore synth --seed 7`,
in bench/.work/). What the page keeps per catalogue is built first and not timed in the
rows (the duty index, its overlap neighbours, the findings, the scenario base: each once per
catalogue, as the What-if page caches them). Each row is then one change applied to the base
and everything the page shows recomputed from it: apply_scenario (with the loader's
cross-role checks), scenario_findings (incremental) and compare_scenario; median of 3, in
wall-clock seconds (the target) and this process's processor seconds (what the work costs
whatever else the machine runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

HEADING = "## What-if scenarios (bench/scenario.py)"
TARGET = 2.0  # seconds, at 10,000 roles, for one change


def one_change_each(catalogue):
    """A change of every kind, on roles in the middle of the catalogue's structure."""
    from jdcore.analysis.scenario import Change

    roles = catalogue.roles.merge(catalogue.metrics, on="role_id")
    managers = roles[roles["direct_reports"] > 0].sort_values("role_id")
    leaves = roles[(roles["direct_reports"] == 0) & roles["reports_to"].notna()]
    leaf = leaves.sort_values("role_id").iloc[len(leaves) // 2]
    # another manager of the same business area that is not the leaf's own
    other = managers[(managers["business_area"] == leaf["business_area"])
                     & (managers["role_id"] != leaf["reports_to"])].iloc[0]
    middle = managers[managers["layer"] > 1].iloc[len(managers) // 3]
    duties = catalogue.duties[catalogue.duties["role_id"] == leaf["role_id"]]
    return {
        "move a role under another manager": Change("move", leaf["role_id"], other["role_id"]),
        "move a manager and its whole team": Change("move", middle["role_id"], other["role_id"])
        if middle["role_id"] != other["role_id"] else None,
        "change a headcount": Change("headcount", leaf["role_id"], headcount=9),
        "retire a manager (reports move up)": Change("retire", middle["role_id"]),
        "add a role (copy)": Change("add", leaf["role_id"], target="bench-copy",
                                    title="Bench copy"),
        "move two duties to another role": Change(
            "duties", leaf["role_id"], other["role_id"],
            duties=tuple(int(n) for n in duties["duty_no"].head(2))),
    }


def measure(size: int) -> dict:
    from run import cpu_of, ensure_catalogue, timed

    from jdcore import load_catalogue
    from jdcore.analysis.findings import OVERLAP_NEIGHBOURS, OVERLAP_THRESHOLD, find_findings
    from jdcore.analysis.matching import fit_duty_index, neighbour_search
    from jdcore.analysis.scenario import (apply_scenario, compare_scenario, scenario_base,
                                          scenario_findings)

    folder = ensure_catalogue(size)
    cache = Path(tempfile.gettempdir()) / "jdcore-bench-scenario-cache"
    catalogue = load_catalogue(folder, cache_dir=cache)
    start = time.perf_counter()
    index = fit_duty_index(catalogue.duties)
    neighbours = neighbour_search(index, k=OVERLAP_NEIGHBOURS, threshold=OVERLAP_THRESHOLD)
    findings = find_findings(catalogue, index, neighbours)
    base = scenario_base(catalogue, index, neighbours, findings)
    result = {"roles": len(catalogue.roles), "base": time.perf_counter() - start, "rows": {}}

    def recompute(change):
        applied = apply_scenario(base, [change], name="bench")
        after = scenario_findings(base, applied)
        comparison = compare_scenario(catalogue, applied.catalogue, findings, after,
                                      applied.reached)
        return applied, comparison

    for label, change in one_change_each(catalogue).items():
        if change is None:
            continue
        seconds, outcome = timed(lambda: recompute(change), repeat=3)
        applied, comparison = outcome
        result["rows"][label] = {
            "seconds": seconds, "cpu": cpu_of(outcome), "applied": len(applied.applied),
            "refused": len(applied.problems),
            "findings": f"+{comparison.counts['appears']} / -{comparison.counts['disappears']}"}
    return result


def table(results: dict[int, dict]) -> str:
    sizes = sorted(results)
    lines = ["| one change, then everything recomputed | "
             + " | ".join(f"{s:,} roles" for s in sizes) + f" | target at 10,000 |",
             "|" + "---|" * (len(sizes) + 2)]
    lines.append("| once per catalogue: index, neighbours, findings, base | "
                 + " | ".join(f"{results[s]['base']:.1f} s" for s in sizes) + " |  |")
    for label in results[sizes[0]]["rows"]:
        cells = []
        for s in sizes:
            row = results[s]["rows"].get(label)
            if row is None:
                cells.append("n/a")
                continue
            cell = (f"{row['seconds']:.2f} s, CPU {row['cpu']:.2f} s "
                    f"(findings {row['findings']})")
            if row["refused"]:
                cell += " refused"
            if s == 10_000:
                cell += " (met)" if row["seconds"] < TARGET else " (MISSED)"
            cells.append(cell)
        lines.append(f"| {label} | " + " | ".join(cells) + f" | < {TARGET:g} s |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--write", action="store_true", help="write the BENCHMARKS.md section")
    args = parser.parse_args()
    results = {size: measure(size) for size in args.sizes}
    text = table(results)
    print(text)
    if not args.write:
        return
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    sizes = " ".join(str(s) for s in args.sizes)
    benchmarks = ROOT / "BENCHMARKS.md"
    current = benchmarks.read_text(encoding="utf-8") if benchmarks.exists() else ""
    before, _, rest = current.partition(HEADING)
    after = rest[rest.find("\n## "):] if "\n## " in rest else ""
    section = (f"{HEADING}\n\nRun on {stamp} with `python bench/scenario.py --sizes {sizes} "
               f"--write` on {os.cpu_count()} cores, Python {platform.python_version()}, load "
               f"average {os.getloadavg()[0]:.1f} at the end. {__doc__.split(chr(10) * 2)[2]}"
               f"\n\n{text}\n")
    benchmarks.write_text(before.rstrip("\n") + "\n\n" + section + after, encoding="utf-8")


if __name__ == "__main__":
    main()
