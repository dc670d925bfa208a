"""Benchmark: the bulk exports and the org chart on synthetic catalogues.

    python bench/exports.py                      # 2,000 and 10,000 roles
    python bench/exports.py --sizes 2000 --skip docx

Rows: every job description as Markdown + HTML (ZIP), as Word (ZIP), the Excel workbook;
the org chart of the largest business area at its default depth (layout + SVG; and the
outline a phone shows), and fully expanded (layout, SVG, PNG). Each row is one run on this machine (catalogues in
bench/.work/, loaded once before timing): wall-clock seconds, and the processor seconds the
run used (what it takes on an idle core: on a shared machine the wall clock also counts the
time other processes had the cores). The targets are issue 13's.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
sys.path.insert(0, str(ROOT))

TARGET_S = 60.0  # every bulk export at 10,000 roles


def timed(function):
    """(wall seconds, processor seconds, value) of one call."""
    start, cpu = time.perf_counter(), time.process_time()
    value = function()
    return time.perf_counter() - start, time.process_time() - cpu, value


def catalogue_folder(size: int) -> Path:
    folder = WORK / f"exports-{size}"
    if not (folder / "taxonomy.yaml").exists():
        subprocess.run([sys.executable, "-m", "jdcore", "synth", "--roles", str(size), "--seed",
                        "1", "--out", str(folder)], cwd=ROOT, check=True)
    return folder


def measure(size: int, skip: set[str]) -> list[tuple[str, float, float, str]]:
    from jdcore import load_catalogue
    from jdcore.analysis.orgchart import (area_roles, chart_layout, fitting_depth,
                                          outline_layout, root_candidates)
    from jdcore.charts import org_chart_png, org_chart_svg
    from jdcore.formats.jobdoc import documents_zip
    from jdcore.formats.wordfile import documents_docx_zip
    from jdcore.formats.xlsx import catalogue_workbook

    catalogue = load_catalogue(catalogue_folder(size))
    rows = []
    if "documents" not in skip:
        seconds, cpu, data = timed(lambda: documents_zip(catalogue))
        rows.append(("job descriptions, Markdown + HTML (ZIP)", seconds, cpu,
                     f"{len(data) / 1e6:.1f} MB"))
    if "docx" not in skip:
        seconds, cpu, data = timed(lambda: documents_docx_zip(catalogue))
        rows.append(("job descriptions, Word (ZIP)", seconds, cpu,
                     f"{len(data) / 1e6:.1f} MB"))
    if "xlsx" not in skip:
        seconds, cpu, data = timed(lambda: catalogue_workbook(catalogue))
        rows.append(("Excel workbook", seconds, cpu, f"{len(data) / 1e6:.1f} MB"))
    area = catalogue.roles["business_area"].value_counts().index[0]
    roles = area_roles(catalogue, area)
    root = root_candidates(roles)[0]
    depth = fitting_depth(roles, root, 160, 4)
    seconds, cpu, chart = timed(lambda: org_chart_svg(chart_layout(roles, catalogue.reporting, root,
                                                              depth)))
    rows.append((f"org chart of {area} ({len(roles)} roles), depth {depth}: layout + SVG",
                 seconds, cpu, f"{len(chart) / 1e3:.0f} kB"))
    seconds, cpu, outline = timed(lambda: org_chart_svg(outline_layout(chart_layout(
        roles, catalogue.reporting, root, depth))))
    rows.append(("  the same as a phone's outline: layout + SVG", seconds, cpu,
                 f"{len(outline) / 1e3:.0f} kB"))
    seconds, cpu, full = timed(lambda: chart_layout(roles, catalogue.reporting, root, None))
    rows.append(("  fully expanded: layout", seconds, cpu, f"{len(full.boxes)} boxes"))
    seconds, cpu, svg = timed(lambda: org_chart_svg(full, title=area))
    rows.append(("  fully expanded: SVG", seconds, cpu, f"{len(svg) / 1e6:.1f} MB"))
    if "png" not in skip:
        seconds, cpu, png = timed(lambda: org_chart_png(full, title=area))
        rows.append(("  fully expanded: PNG", seconds, cpu, f"{len(png) / 1e6:.1f} MB"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--skip", nargs="*", default=[],
                        choices=["documents", "docx", "xlsx", "png"])
    args = parser.parse_args()
    print("| roles | what | wall s | processor s | size |\n|---|---|---|---|---|")
    for size in args.sizes:
        for what, seconds, cpu, size_text in measure(size, set(args.skip)):
            flag = ""
            if size >= 10000 and not what.startswith(("org", "  ")):
                flag = " ✓" if cpu < TARGET_S else f" ✗ (target < {TARGET_S:.0f} s)"
            print(f"| {size:,} | {what} | {seconds:.1f} | {cpu:.1f}{flag} | {size_text} |",
                  flush=True)


if __name__ == "__main__":
    main()
